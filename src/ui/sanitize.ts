import postcss, { type AtRule, type Declaration } from 'postcss';
import sanitizeHtml from 'sanitize-html';

/**
 * Rich text and CSS that journal managers write, made safe to serve to readers. Allow-lists, not
 * block-lists: only known-harmless elements, attributes, URL schemes and CSS constructs survive.
 */

/** Browsers' URL parsers ignore these, so "java\tscript:" is "javascript:". */
const stripControls = (s: string) => s.replace(/[\u0000-\u0020\u007f-\u009f]+/g, '');

/** The elements rich text may hold (tests walk this list, so an element added here is tested too). */
export const RICH_TEXT_TAGS: readonly string[] = [
  'p', 'br', 'h2', 'h3', 'h4', 'h5', 'h6', 'strong', 'b', 'em', 'i', 'u', 's', 'sub', 'sup', 'blockquote',
  'ul', 'ol', 'li', 'a', 'img', 'table', 'thead', 'tbody', 'tr', 'th', 'td', 'caption', 'code', 'pre', 'hr',
  'span', 'div', 'abbr', 'cite', 'figure', 'figcaption', 'dl', 'dt', 'dd',
];

const RICH_TEXT: sanitizeHtml.IOptions = {
  allowedTags: [...RICH_TEXT_TAGS],
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

/**
 * The only addresses custom CSS may load: the journal's own uploaded images (logo, favicon, homepage
 * image, as the appearance page serves them) and raster data: images. Anything else is refused: a
 * request to another site tells it who reads which page (and, with a selector that tests what a page
 * holds, that page's data), and another address of this site can be one that counts, such as a
 * galley download in COUNTER's statistics.
 */
const THEME_IMAGE = /^\/[a-z0-9][a-z0-9-]*\/theme\/(?:logo|favicon|homepage)(?:\?v=[0-9]{1,12})?$/;

function safeUrl(target: string): boolean {
  const url = stripControls(target);
  return /^data:image\/(png|gif|jpeg|webp)[;,]/i.test(url) || THEME_IMAGE.test(url);
}

/** Functions that make the browser fetch something. */
const FETCHES = /url\s*\(|image-set\s*\(|\b(?:src|image|cross-fade)\s*\(/;
/** `url(…)` as the browser reads it, quoted or not (there are no escapes left to read when this is used). */
const URL_TOKEN = /url\(\s*(?:"([^"]*)"|'([^']*)'|([^\s"'()]*))\s*\)/g;

/** The addresses of every url(…) in a value, or undefined when one of them cannot be read exactly. */
function urlsIn(value: string): string[] | undefined {
  const urls = [...value.matchAll(URL_TOKEN)].map((m) => m[1] ?? m[2] ?? m[3] ?? '');
  return urls.length === (value.match(/url\s*\(/g) ?? []).length ? urls : undefined;
}

function valueIsSafe(value: string): boolean {
  // `\a` is an escaped newline, so "j\ava\script:" decodes to "j\nvascript:"; compare without controls.
  const plain = unescapeCss(value);
  if (DANGEROUS_VALUE.test(plain) || DANGEROUS_VALUE.test(stripControls(plain))) return false;
  if (!FETCHES.test(plain)) return true;
  // A value that loads something must say plainly what: no escape, comment, var(), attr() or env()
  // that could make the address the browser fetches differ from the one checked here.
  const raw = value.toLowerCase();
  if (/\\|\/\*|\b(?:var|attr|env)\s*\(/.test(raw)) return false;
  const urls = urlsIn(raw);
  if (!urls || !urls.every(safeUrl)) return false;
  // image-set("…") and src("…") fetch strings as url() does.
  if (/image-set|\b(?:src|image|cross-fade)\s*\(/.test(raw)) {
    for (const match of raw.matchAll(/"([^"]*)"|'([^']*)'/g)) if (!safeUrl(match[1] ?? match[2] ?? '')) return false;
  }
  return true;
}

/**
 * Selectors that could read the page: an attribute compared with a value (`[value^="b"]`, true only
 * while a form token starts with "b") or `:has()`, which lifts such a test to the whole form or page.
 * Comparisons on attributes that hold no one's data (language, direction, type, class…) stay.
 */
const HARMLESS_COMPARISON = /\[\s*(?:lang|dir|type|class|id|role|hreflang|target|rel|scope)\s*[~|^$*]?=\s*(?:"[^"]*"|'[^']*'|[^\]\s"']*)\s*(?:[is]\s*)?\]/g;

function selectorIsSafe(selector: string): boolean {
  const plain = unescapeCss(selector).replace(HARMLESS_COMPARISON, '');
  return !plain.includes('=') && !/:has\s*\(/.test(plain);
}

// Allow-list: @import/@charset/@namespace (and anything unknown, e.g. an escaped `@\69mport`) go.
const ALLOWED_AT_RULES = new Set([
  'media', 'supports', 'font-face', 'keyframes', '-webkit-keyframes', '-moz-keyframes', 'layer', 'container',
  'page', 'property', 'counter-style', 'font-feature-values', 'scope', 'starting-style',
]);

/** Fonts are fetched like scripts' cousins: no data: payloads (and, as everywhere, no other site). */
function fontFaceIsSafe(rule: AtRule): boolean {
  let safe = true;
  rule.walkDecls((decl) => {
    if (unescapeCss(decl.prop) !== 'src') return;
    const urls = urlsIn(stripControls(unescapeCss(decl.value)));
    if (!urls || urls.some((url) => !safeUrl(url) || url.startsWith('data:'))) safe = false;
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
  // Checked as written: comments inside a value or a selector are kept in the output (raws).
  const rawValue = (node: Declaration) => node.raws.value?.raw ?? node.value;
  const rawParams = (node: AtRule) => (node.raws as { params?: { raw?: string } }).params?.raw ?? node.params;
  root.walkAtRules((rule) => {
    const name = rule.name.toLowerCase();
    const params = rawParams(rule);
    if (!ALLOWED_AT_RULES.has(name) || !valueIsSafe(params) || (name === 'scope' && !selectorIsSafe(params)) || (name === 'font-face' && !fontFaceIsSafe(rule))) {
      removed.push(describe(rule));
      rule.remove();
    }
  });
  root.walkDecls((decl) => {
    const property = unescapeCss(decl.prop);
    if (!valueIsSafe(rawValue(decl)) || property === 'behavior' || property.includes('binding') || /[^a-z0-9-]/.test(property)) {
      removed.push(describe(decl));
      decl.remove();
    }
  });
  root.walkRules((rule) => {
    // Selectors cannot run or fetch anything, but they can test what a page holds; and a literal "<"
    // could close an inline <style>.
    const selector = rule.raws.selector?.raw ?? rule.selector;
    if (selector.includes('<') || rule.selector.includes('<') || !selectorIsSafe(selector) || !selectorIsSafe(rule.selector)) {
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
