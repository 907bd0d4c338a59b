import { Parser } from 'htmlparser2';
import { looksLikeHtml, sanitizeRichText } from './sanitize.ts';

/**
 * Abstracts and titles are stored as rich text, as OJS stores them: HTML reduced to the allow-list
 * of sanitize.ts (`<p>This &amp; that</p>`, `<i>Homo sapiens</i> in…`). Each output derives its own
 * form from that one stored value: HTML on pages, plain text wherever markup means nothing (meta
 * tags, Dublin Core, feeds, CSL), JATS elements in JATS and in Crossref's `jats:abstract`.
 *
 * Older rows and forms hold plain text instead (no tag anywhere, paragraphs split by blank lines);
 * every converter accepts both, deciding as RichText does (looksLikeHtml).
 */

/** JATS inline elements the converters write; anything else in the HTML keeps only its text. */
export type JatsInline =
  | string
  | { tag: 'italic' | 'bold' | 'sup' | 'sub' | 'underline' | 'strike' | 'monospace'; children: JatsInline[] }
  | { tag: 'ext-link'; href: string; children: JatsInline[] };

/** A paragraph, or a list whose items are blocks of their own (JATS `<list-item>` holds `<p>`s). */
export type JatsBlock = { tag: 'p'; children: JatsInline[] } | { tag: 'list'; ordered: boolean; items: JatsBlock[][] };

type HtmlNode = string | { name: string; attrs: Record<string, string>; children: HtmlNode[] };

const MAX_DEPTH = 100;

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' };
const escapeHtml = (text: string) => text.replace(/[&<>"]/g, (c) => ESCAPES[c]!);

/** Plain text as rich text: each blank-line-separated paragraph escaped into a `<p>`. */
export function plainToRichText(text: string): string {
  return text
    .split(/\n\s*\n/)
    .map((paragraph) => paragraph.trim())
    .filter((paragraph) => paragraph !== '')
    .map((paragraph) => `<p>${escapeHtml(paragraph)}</p>`)
    .join('');
}

/**
 * An abstract (or any long rich text) in its stored form: HTML through the allow-list, plain text as
 * escaped paragraphs. What forms and imports write, so that the stored form is always HTML.
 */
export function toRichText(written: string): string {
  const text = written.replace(CONTROLS, '');
  if (!looksLikeHtml(text) && !HAS_ENTITY.test(text)) return plainToRichText(text);
  // Text typed with a tag or two but no paragraphs of its own ("Second <i>part</i>"): its blank
  // lines are still its paragraphs, which HTML would otherwise run together.
  if (!BLOCK_START.test(text) && /\n\s*\n/.test(text)) {
    return sanitizeRichText(text.split(/\n\s*\n/).filter((p) => p.trim() !== '').map((p) => `<p>${p.trim()}</p>`).join(''));
  }
  const clean = sanitizeRichText(text);
  // Whatever the allow-list left must still read as HTML ("&amp;" as "&"): without a tag it would be
  // taken for plain text, so it goes into a paragraph.
  return clean === '' || looksLikeHtml(clean) ? clean : `<p>${clean}</p>`;
}

/** Control characters other than tab and line ends: no text, and not allowed in XML. */
const CONTROLS = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F]/g;

/** An HTML entity: text that has one but no tag is HTML all the same (OJS writes "Fish &amp; chips"). */
const HAS_ENTITY = /&(?:[a-z][a-z0-9]{1,31}|#[0-9]{1,7}|#x[0-9a-f]{1,6});/i;

/**
 * A title (or subtitle) as it is stored: HTML with inline markup through the allow-list when it has
 * tags, plain text otherwise. HTML that has no tag left (only entities, or tags the allow-list
 * dropped) becomes its plain text, since a title without tags is read as plain text.
 */
export function cleanTitle(text: string): string {
  if (looksLikeHtml(text)) {
    const clean = sanitizeRichText(text);
    return looksLikeHtml(clean) ? clean : decodeHtmlText(clean);
  }
  return HAS_ENTITY.test(text) ? decodeHtmlText(text) : text;
}

/** Each locale's title cleaned (see cleanTitle); locales left empty are dropped. */
export function cleanTitlePerLocale(text: Record<string, string>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [locale, value] of Object.entries(text)) {
    const clean = cleanTitle(value);
    if (richToPlainLine(clean) !== '') out[locale] = clean;
  }
  return out;
}

/** The text of HTML without tags, entities resolved. */
function decodeHtmlText(html: string): string {
  let out = '';
  const parser = new Parser({ ontext: (text) => (out += text) }, { decodeEntities: true });
  parser.write(html);
  parser.end();
  return out.trim();
}

/** A block-level element of the allow-list: HTML that has one says where its paragraphs are. */
const BLOCK_START = /<(?:p|div|ul|ol|h[1-6]|blockquote|table|pre|figure|dl|hr)\b/i;

/** Each locale's text as toRichText stores it; locales left empty are dropped. */
export function toRichTextPerLocale(text: Record<string, string>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [locale, value] of Object.entries(text)) {
    const rich = toRichText(value);
    if (richToPlainText(rich) !== '') out[locale] = rich;
  }
  return out;
}

/** The stored value as a tree of allowed HTML: sanitized first, so nothing outside the allow-list reaches a converter. */
function parse(stored: string): HtmlNode[] {
  const html = looksLikeHtml(stored) ? sanitizeRichText(stored) : plainToRichText(stored);
  const root: { name: string; attrs: Record<string, string>; children: HtmlNode[] } = { name: '#root', attrs: {}, children: [] };
  const stack = [root];
  // Elements nested deeper than any prose needs keep only their text: the converters recurse, and
  // 20,000 nested <b> would otherwise exhaust the stack on an article page.
  let ignored = 0;
  const parser = new Parser(
    {
      onopentag(name, attrs) {
        if (stack.length > MAX_DEPTH) {
          ignored++;
          return;
        }
        const node = { name, attrs, children: [] };
        stack.at(-1)!.children.push(node);
        stack.push(node);
      },
      ontext(text) {
        stack.at(-1)!.children.push(text);
      },
      onclosetag() {
        if (ignored > 0) ignored--;
        else if (stack.length > 1) stack.pop();
      },
    },
    { decodeEntities: true },
  );
  parser.write(html);
  parser.end();
  return root.children;
}

const INLINE_TAGS: Record<string, 'italic' | 'bold' | 'sup' | 'sub' | 'underline' | 'strike' | 'monospace'> = {
  i: 'italic', em: 'italic', cite: 'italic', b: 'bold', strong: 'bold', sup: 'sup', sub: 'sub', u: 'underline', s: 'strike', code: 'monospace',
};
/** Elements that end a paragraph: their content starts a new one. */
const BLOCK_TAGS = new Set(['p', 'div', 'h2', 'h3', 'h4', 'h5', 'h6', 'blockquote', 'pre', 'figure', 'figcaption', 'table', 'thead', 'tbody', 'tr', 'th', 'td', 'caption', 'dl', 'dt', 'dd', 'hr', 'li']);
const HEADINGS = new Set(['h2', 'h3', 'h4', 'h5', 'h6']);

function isHttp(href: string): boolean {
  return /^https?:\/\/[^\s/?#]+/i.test(href.trim());
}

function inline(node: HtmlNode): JatsInline[] {
  if (typeof node === 'string') return [node];
  const children = node.children.flatMap(inline);
  if (node.name === 'br') return ['\n'];
  if (node.name === 'img') return node.attrs.alt ? [node.attrs.alt] : [];
  const tag = INLINE_TAGS[node.name];
  if (tag) return [{ tag, children }];
  // Only web links become links: a mailto: (allowed on pages) stays as its text.
  if (node.name === 'a' && node.attrs.href !== undefined && isHttp(node.attrs.href)) return [{ tag: 'ext-link', href: node.attrs.href.trim(), children }];
  return children;
}

/** Whitespace folded as a browser shows it, and runs without text dropped. */
function tidy(children: JatsInline[]): JatsInline[] {
  const out: JatsInline[] = [];
  for (const child of children) {
    if (typeof child === 'string') {
      // Control characters are no text (and no XML): gone before whitespace is folded.
      const text = child.replace(/[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F]/g, '').replace(/\s+/g, ' ');
      const last = out.at(-1);
      if (typeof last === 'string') out[out.length - 1] = last + text;
      else out.push(text);
    } else {
      const kept = tidy(child.children);
      if (kept.some((c) => typeof c !== 'string' || c.trim() !== '')) out.push({ ...child, children: kept });
      else if (kept.length > 0) out.push(' ');
    }
  }
  // Trim the run's ends (inside the first and last elements too).
  const trimEnd = (list: JatsInline[], start: boolean): void => {
    const index = start ? 0 : list.length - 1;
    const item = list[index];
    if (item === undefined) return;
    if (typeof item === 'string') {
      const trimmed = start ? item.trimStart() : item.trimEnd();
      if (trimmed === '') {
        list.splice(index, 1);
        trimEnd(list, start);
      } else list[index] = trimmed;
    } else trimEnd(item.children, start);
  };
  trimEnd(out, true);
  trimEnd(out, false);
  return out;
}

function blocks(nodes: HtmlNode[]): JatsBlock[] {
  const out: JatsBlock[] = [];
  let run: JatsInline[] = [];
  const flush = () => {
    const children = tidy(run);
    if (children.length > 0) out.push({ tag: 'p', children });
    run = [];
  };
  for (const node of nodes) {
    if (typeof node !== 'string' && (node.name === 'ul' || node.name === 'ol')) {
      flush();
      const items = node.children.flatMap((item) => (typeof item !== 'string' && item.name === 'li' ? [blocks(item.children)] : [])).filter((item) => item.length > 0);
      if (items.length > 0) out.push({ tag: 'list', ordered: node.name === 'ol', items });
    } else if (typeof node !== 'string' && BLOCK_TAGS.has(node.name)) {
      flush();
      const inner = blocks(node.children);
      // A heading inside an abstract ("Methods") is a paragraph of its own, in bold.
      if (HEADINGS.has(node.name)) out.push(...inner.map((b): JatsBlock => (b.tag === 'p' ? { tag: 'p', children: [{ tag: 'bold', children: b.children }] } : b)));
      else out.push(...inner);
    } else {
      run.push(...inline(node));
    }
  }
  flush();
  return out;
}

/** Rich (or plain) text as JATS blocks: `<p>` with inline elements, and lists. */
export function richToJatsBlocks(stored: string): JatsBlock[] {
  return blocks(parse(stored));
}

/** A title's rich text as one JATS inline run (paragraphs, if any, joined by a space). */
export function richToJatsInline(stored: string): JatsInline[] {
  const flat = (block: JatsBlock): JatsInline[] => (block.tag === 'p' ? block.children : block.items.flatMap((item) => item.flatMap(flat)));
  const parts = richToJatsBlocks(stored).map(flat);
  return tidy(parts.flatMap((part, index) => (index === 0 ? part : [' ', ...part])));
}

function inlineText(children: JatsInline[]): string {
  return children.map((c) => (typeof c === 'string' ? c : inlineText(c.children))).join('');
}

function blockTexts(block: JatsBlock): string[] {
  return block.tag === 'p' ? [inlineText(block.children)] : block.items.flatMap((item) => item.flatMap(blockTexts));
}

/**
 * Plain text of rich (or plain) text, entities resolved: paragraphs (and list items) joined by
 * `separator`, whitespace inside them folded. For meta tags, Dublin Core, feeds, CSL, DOAJ: whoever
 * writes it out escapes it.
 */
export function richToPlainText(stored: string, separator = '\n\n'): string {
  return richToJatsBlocks(stored)
    .flatMap(blockTexts)
    .map((text) => text.replace(/\s+/g, ' ').trim())
    .filter((text) => text !== '')
    .join(separator);
}

/** Characters that make plain text more than its folded whitespace: markup, entities, controls. */
const NOT_PLAIN = /[<&\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F]/;

/** A title (or other one-line rich text) as plain text on one line. */
export function richToPlainLine(stored: string | undefined): string {
  if (!stored) return '';
  // Most titles are plain text, which the parse below would only escape and read back; a table of
  // contents of 500 articles spent a fifth of its rendering here (issue 22).
  if (!NOT_PLAIN.test(stored)) return stored.replace(/\s+/g, ' ').trim();
  return richToPlainText(stored, ' ');
}

/** Inline HTML allowed in a title on a page: its emphasis, scripts and sub/superscripts; nothing else. */
const TITLE_HTML: Record<string, string> = { italic: 'i', bold: 'b', sup: 'sup', sub: 'sub', underline: 'u', strike: 's', monospace: 'code' };

/** A title's rich text as safe inline HTML for a heading (links and blocks keep only their text). */
export function richToInlineHtml(stored: string): string {
  const write = (children: JatsInline[]): string =>
    children
      .map((c) => {
        if (typeof c === 'string') return escapeHtml(c);
        if (c.tag === 'ext-link') return write(c.children);
        const tag = TITLE_HTML[c.tag]!;
        return `<${tag}>${write(c.children)}</${tag}>`;
      })
      .join('');
  return write(richToJatsInline(stored));
}
