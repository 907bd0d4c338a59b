import postcss, { type AtRule, type Declaration } from 'postcss';
import sanitizeHtml from 'sanitize-html';

/**
 * Rich text and CSS that journal managers write, made safe to serve to readers. Allow-lists, not
 * block-lists: only known-harmless elements, attributes, URL schemes and CSS constructs survive.
 */

/** Browsers' URL parsers ignore these, so "java\tscript:" is "javascript:". */
const stripControls = (s: string) => s.replace(/[\u0000-\u0020\u007f-\u009f]+/g, '');

const RICH_TEXT: sanitizeHtml.IOptions = {
  allowedTags: [
    'p', 'br', 'h2', 'h3', 'h4', 'h5', 'h6', 'strong', 'b', 'em', 'i', 'u', 's', 'sub', 'sup', 'blockquote',
    'ul', 'ol', 'li', 'a', 'img', 'table', 'thead', 'tbody', 'tr', 'th', 'td', 'caption', 'code', 'pre', 'hr',
    'span', 'div', 'abbr', 'cite', 'figure', 'figcaption', 'dl', 'dt', 'dd',
  ],
  allowedAttributes: {
    a: ['href', 'title', 'hreflang', 'target', 'rel'],
    img: ['src', 'alt', 'width', 'height'],
    th: ['scope', 'colspan', 'rowspan'],
    td: ['colspan', 'rowspan'],
    abbr: ['title'],
    '*': ['lang'],
  },
  allowedSchemes: ['http', 'https', 'mailto'],
  allowedSchemesByTag: { img: ['http', 'https'] },
  allowedSchemesAppliedToAttributes: ['href', 'src', 'cite'],
  allowProtocolRelative: false,
  // Dropped with everything inside: their text is code or markup, never prose.
  nonTextTags: ['script', 'style', 'textarea', 'option', 'noscript', 'iframe', 'object', 'embed', 'svg', 'math', 'template', 'title', 'xmp', 'noembed', 'noframes', 'plaintext'],
  disallowedTagsMode: 'discard',
  transformTags: {
    a: (tagName, attribs) => {
      const out: Record<string, string> = { ...attribs };
      if (out.target !== undefined && out.target !== '_blank') delete out.target;
      if (out.target === '_blank') out.rel = 'noopener noreferrer';
      else delete out.rel;
      return { tagName, attribs: out };
    },
    img: (tagName, attribs) => {
      const out: Record<string, string> = { ...attribs };
      // A bare relative src resolves differently on every page, and "//host" loads from elsewhere.
      if (out.src !== undefined && !/^(?:https?:\/\/|\/(?![/\\]))/i.test(stripControls(out.src))) delete out.src;
      return { tagName, attribs: out };
    },
  },
  exclusiveFilter: (frame) => frame.tag === 'img' && !frame.attribs.src,
};

/** HTML from a rich-text field, reduced to the allow-list. Idempotent. */
export function sanitizeRichText(html: string): string {
  return sanitizeHtml(html, RICH_TEXT).trim();
}

/** Plain text of rich text (for summaries and feeds). */
export function richTextToPlain(html: string): string {
  return sanitizeHtml(html, { allowedTags: [], allowedAttributes: {}, nonTextTags: RICH_TEXT.nonTextTags })
    .replace(/&nbsp;/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
}

/** CSS with its escapes (`\6a`, `\a`) resolved and comments removed, for checking what it really says. */
function unescapeCss(value: string): string {
  return value
    .replace(/\/\*[\s\S]*?\*\//g, '')
    .replace(/\\([0-9a-fA-F]{1,6})\s?/g, (_m, hex: string) => {
      const code = parseInt(hex, 16);
      return code > 0 && code <= 0x10ffff ? String.fromCodePoint(code) : '';
    })
    .replace(/\\(.)/g, '$1')
    .toLowerCase();
}

const DANGEROUS_VALUE = /expression\s*\(|javascript:|vbscript:|-moz-binding|behavior\s*:|@import|<|\\/;

/** A url(…) target that may be fetched: https, a path on this site, or a raster data: image. */
function safeUrl(target: string): boolean {
  const url = stripControls(target.replace(/^\s*['"]|['"]\s*$/g, ''));
  if (/^https:\/\//i.test(url)) return true;
  if (/^data:image\/(png|gif|jpeg|webp)[;,]/i.test(url)) return true;
  if (/^[a-z][a-z0-9+.-]*:/i.test(url) || url.startsWith('//')) return false;
  return true;
}

function valueIsSafe(value: string): boolean {
  // `\a` is an escaped newline, so "j\ava\script:" decodes to "j\nvascript:"; compare without controls.
  const plain = unescapeCss(value);
  if (DANGEROUS_VALUE.test(plain) || DANGEROUS_VALUE.test(stripControls(plain))) return false;
  for (const match of plain.matchAll(/url\s*\(([^)]*)\)/g)) {
    if (!safeUrl(match[1]!)) return false;
  }
  // image-set("…") and src() fetch like url(); allow only when every string in them is safe.
  if (/image-set|\b(?:src|image|cross-fade)\s*\(/.test(plain)) {
    for (const match of plain.matchAll(/"([^"]*)"|'([^']*)'/g)) if (!safeUrl(match[1] ?? match[2] ?? '')) return false;
  }
  return true;
}

// Allow-list: @import/@charset/@namespace (and anything unknown, e.g. an escaped `@\69mport`) go.
const ALLOWED_AT_RULES = new Set([
  'media', 'supports', 'font-face', 'keyframes', '-webkit-keyframes', '-moz-keyframes', 'layer', 'container',
  'page', 'property', 'counter-style', 'font-feature-values', 'scope', 'starting-style',
]);

/** Fonts are fetched like scripts' cousins: only from https or this site, no data: payloads. */
function fontFaceIsSafe(rule: AtRule): boolean {
  let safe = true;
  rule.walkDecls((decl) => {
    if (unescapeCss(decl.prop) !== 'src') return;
    for (const match of stripControls(unescapeCss(decl.value)).matchAll(/url\(([^)]*)\)/g)) {
      if (!safeUrl(match[1]!) || /^['"]?data:/.test(match[1]!)) safe = false;
    }
  });
  return safe;
}

export interface SanitizedCss {
  css: string;
  /** What was taken out, for the manager to see. */
  removed: string[];
}

/** A manager's custom CSS: rules kept, anything that loads or runs code removed. */
export function sanitizeCss(css: string): SanitizedCss {
  let root: postcss.Root;
  try {
    root = postcss.parse(css);
  } catch (error) {
    return { css: '', removed: [`unparseable CSS: ${(error as Error).message.replace(/<css input>:?/, '').trim()}`] };
  }
  const removed: string[] = [];
  const describe = (node: AtRule | Declaration) => node.toString().replace(/\s+/g, ' ').slice(0, 160);
  root.walkAtRules((rule) => {
    const name = rule.name.toLowerCase();
    if (!ALLOWED_AT_RULES.has(name) || !valueIsSafe(rule.params) || (name === 'font-face' && !fontFaceIsSafe(rule))) {
      removed.push(describe(rule));
      rule.remove();
    }
  });
  root.walkDecls((decl) => {
    const property = unescapeCss(decl.prop);
    if (!valueIsSafe(decl.value) || property === 'behavior' || property.includes('binding') || /[^a-z0-9-]/.test(property)) {
      removed.push(describe(decl));
      decl.remove();
    }
  });
  root.walkRules((rule) => {
    // Selectors cannot run or fetch anything; only a literal "<" (inline <style> breakout) matters.
    if (rule.selector.includes('<') || (rule.raws.selector?.raw ?? '').includes('<')) {
      removed.push(rule.selector.slice(0, 160));
      rule.remove();
    }
  });
  root.walkComments((comment) => {
    comment.remove();
  });
  const out = root.toString();
  // Served as its own file, but never let it close a <style> element if someone inlines it.
  // Whatever "<" is left sits in raws (e.g. a comment between property and colon).
  if (out.includes('<')) removed.push('"<" characters');
  return { css: out.replace(/</g, ''), removed };
}

/** Each locale's rich text sanitized; locales left empty by it are dropped. */
export function sanitizeRichTextPerLocale(text: Record<string, string>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [locale, html] of Object.entries(text)) {
    const clean = sanitizeRichText(html);
    if (clean !== '') out[locale] = clean;
  }
  return out;
}

/**
 * Whether text is HTML (rich text) rather than plain text: a tag somewhere (`<p>`, `</i>`…), as
 * RichText decides when showing it. Linear: the last `>` is found once, then a tag start before it.
 */
export function looksLikeHtml(text: string): boolean {
  const end = text.lastIndexOf('>');
  return end > 0 && /<\/?[a-z]/i.test(text.slice(0, end));
}

/**
 * Rich text as it is stored: HTML reduced to the allow-list; plain text (no tags) kept as written,
 * because it is shown escaped — sanitizing it would store "&" as "&amp;", shown as such.
 */
export function cleanRichText(text: string): string {
  return looksLikeHtml(text) ? sanitizeRichText(text) : text;
}

/** Each locale's rich text cleaned (see cleanRichText); locales left empty are dropped. */
export function cleanRichTextPerLocale(text: Record<string, string>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [locale, value] of Object.entries(text)) {
    const clean = cleanRichText(value);
    if (clean.trim() !== '') out[locale] = clean;
  }
  return out;
}
