/**
 * The files an HTML galley refers to by a relative address (`<img src="figure1.png">`,
 * `<link href="style.css">`, `url(font.woff2)` in its styles): what its assets must be named for
 * the galley to show whole. A bounded scan of the text, nothing more: no DOM is built and nothing
 * of the HTML runs. Absolute addresses (another site, `data:`, `mailto:`, the site's own `/…`) and
 * in-page anchors are not assets.
 */

import { isGalleyAssetName } from '../../catalog/index.ts';

/** The most of the HTML read (a galley is text; a longer one is refused elsewhere). */
export const MAX_SCANNED_HTML = 5 * 1024 * 1024;
/** The most references listed: a galley with more is still listed, up to this many. */
export const MAX_REFERENCES = 500;

const ATTRIBUTE = /<[a-zA-Z][a-zA-Z0-9-]{0,30}\b[^<>]{0,4000}?>/g;
const VALUE = /\s(src|href|poster|data|srcset)\s*=\s*(?:"([^"]{0,2000})"|'([^']{0,2000})'|([^\s"'<>=`]{1,2000}))/gi;
const CSS_URL = /url\(\s*(?:"([^"]{0,2000})"|'([^']{0,2000})'|([^)"'\s]{1,2000}))\s*\)/gi;
const CSS_IMPORT = /@import\s+(?:"([^"]{0,2000})"|'([^']{0,2000})')/gi;

/** An asset's name as the HTML writes it: relative, plain segments, no way up (`images/fig 1.png` → `images/fig 1.png`). */
export function assetName(reference: string): string | undefined {
  let value = reference.trim().replace(/&amp;/g, '&');
  if (value === '' || value.startsWith('#') || value.startsWith('/') || value.startsWith('\\')) return undefined;
  // A scheme (http:, data:, mailto:, javascript:) is not a file of the galley.
  if (/^[a-zA-Z][a-zA-Z0-9+.-]*:/.test(value)) return undefined;
  value = value.replace(/[?#].*$/, '');
  try {
    value = decodeURIComponent(value);
  } catch {
    return undefined;
  }
  const segments = value.split('/').filter((s) => s !== '' && s !== '.');
  if (segments.length === 0 || segments.some((s) => s === '..')) return undefined;
  const name = segments.join('/');
  return isAssetName(name) ? name : undefined;
}

/** Whether a name may be an asset's: the catalog's rule, which the reader serves by. */
export const isAssetName = isGalleyAssetName;

/** The asset names an HTML text refers to, in the order first met, without repeats. */
export function htmlReferences(html: string): string[] {
  const text = html.length > MAX_SCANNED_HTML ? html.slice(0, MAX_SCANNED_HTML) : html;
  const found = new Set<string>();
  const add = (raw: string | undefined) => {
    if (raw === undefined || found.size >= MAX_REFERENCES) return;
    const name = assetName(raw);
    if (name !== undefined) found.add(name);
  };
  for (const tag of text.matchAll(ATTRIBUTE)) {
    for (const m of tag[0].matchAll(VALUE)) {
      const value = m[2] ?? m[3] ?? m[4] ?? '';
      // `<a href>` leads elsewhere: only the galley's own files (images, styles, media) are its assets.
      if (m[1]!.toLowerCase() === 'href' && !/^<link\b/i.test(tag[0])) continue;
      if (m[1]!.toLowerCase() === 'srcset') for (const candidate of value.split(',')) add(candidate.trim().split(/\s+/)[0]);
      else add(value);
    }
  }
  for (const m of text.matchAll(CSS_URL)) add(m[1] ?? m[2] ?? m[3]);
  for (const m of text.matchAll(CSS_IMPORT)) add(m[1] ?? m[2]);
  return [...found];
}
