/** Reading what a page says to machines: its meta tags, links and JSON-LD, with entities decoded. */
export function decodeEntities(text: string): string {
  return text
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;|&#34;/g, '"')
    .replace(/&#39;|&#x27;/g, "'")
    .replace(/&amp;/g, '&');
}

export function attributesOf(tag: string): Record<string, string> {
  const attributes: Record<string, string> = {};
  for (const match of tag.matchAll(/([a-zA-Z_:][-a-zA-Z0-9_:.]*)(?:="([^"]*)")?/g)) attributes[match[1]!] = decodeEntities(match[2] ?? '');
  return attributes;
}

export interface HeadMeta {
  name?: string;
  property?: string;
  content: string;
  lang?: string;
  scheme?: string;
}

export function headOf(html: string): string {
  return /<head>([\s\S]*?)<\/head>/.exec(html)?.[1] ?? '';
}

export function metaTags(html: string): HeadMeta[] {
  return [...headOf(html).matchAll(/<meta\s([^>]*)>/g)].map((m) => attributesOf(m[1]!) as unknown as HeadMeta).filter((m) => m.content !== undefined);
}

export function metaValues(html: string, name: string): string[] {
  return metaTags(html).filter((m) => m.name === name || m.property === name).map((m) => m.content);
}

export function linkTags(html: string): Array<Record<string, string>> {
  return [...headOf(html).matchAll(/<link\s([^>]*)>/g)].map((m) => attributesOf(m[1]!));
}

export function jsonLd(html: string): unknown[] {
  return [...html.matchAll(/<script type="application\/ld\+json">([\s\S]*?)<\/script>/g)].map((m) => JSON.parse(m[1]!));
}
