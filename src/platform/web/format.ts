import { localize, type LocalizedValue, type Translate } from '../../i18n/index.ts';

/** What naming an issue takes (the catalog's issues have this and more). */
export interface IssueIdentity {
  volume: number | null;
  number: string | null;
  year: number | null;
  title: Record<string, string>;
  showVolume: boolean;
  showNumber: boolean;
  showYear: boolean;
  showTitle: boolean;
}

/** A contributor's name in each language it was recorded in. */
export interface ContributorNames {
  givenName: Record<string, string>;
  familyName: Record<string, string>;
}

/** A reference as written, with the identifiers parsed out of it (CSL's DOI and URL), when known. */
export interface ReferenceText {
  text: string;
  csl?: { DOI?: string; URL?: string };
}

/**
 * How readers see issues, people and references, as pure functions of the data and the page locale.
 */

/** "Tom 74 Nr 4 (2021)" in Polish, "Vol. 74 No. 4 (2021)" in English, honouring the show-flags. */
export function issueNumbering(issue: IssueIdentity, t: Translate): string {
  const parts: string[] = [];
  if (issue.showVolume && issue.volume !== null) parts.push(t('issue.volume', { volume: issue.volume }));
  if (issue.showNumber && issue.number !== null && issue.number !== '') parts.push(t('issue.number', { number: issue.number }));
  if (issue.showYear && issue.year !== null) parts.push(t('issue.year', { year: issue.year }));
  return parts.join(' ');
}

export interface IssueLabel {
  /** The full identification, e.g. "Tom 74 Nr 4 (2021): Kaukaz Południowy na rozdrożu". */
  text: string;
  numbering: string;
  title: LocalizedValue | undefined;
}

export function issueLabel(issue: IssueIdentity, t: Translate, locale: string, fallback: string): IssueLabel {
  const numbering = issueNumbering(issue, t);
  const title = issue.showTitle ? localize(issue.title, locale, fallback) : undefined;
  const text = numbering && title ? `${numbering}: ${title.text}` : numbering || title?.text || '';
  return { text, numbering, title };
}

/** A contributor's name as "Given Family" in the page's locale; empty when no name is recorded. */
export function contributorName(contributor: ContributorNames, locale: string, fallback: string): LocalizedValue | undefined {
  const given = localize(contributor.givenName, locale, fallback);
  // The family name is taken in the same locale as the given name so a name never mixes scripts.
  const family = localize(contributor.familyName, given?.locale ?? locale, locale, fallback);
  const text = [given?.text, family?.text].filter((part) => part && part.trim() !== '').join(' ');
  if (text === '') return undefined;
  return { text, locale: given?.locale ?? family?.locale ?? locale };
}

export type ReferencePart = { text: string } | { text: string; href: string };

const LINKABLE = /\bhttps?:\/\/[^\s<>"]+|\bdoi:\s?10\.\d{4,9}\/[^\s<>"]+|\b10\.\d{4,9}\/[^\s<>"]+/gi;
const TRAILING_PUNCTUATION = new Set([...'.,;:!?]}\'’”']);

/** Drops sentence punctuation after an address; a ')' stays when it closes a '(' inside it, e.g. …/Foo_(bar). */
function trimTrailingPunctuation(address: string): string {
  let end = address.length;
  while (end > 0) {
    const last = address[end - 1]!;
    if (TRAILING_PUNCTUATION.has(last)) {
      end--;
    } else if (last === ')') {
      const body = address.slice(0, end);
      if (body.split('(').length >= body.split(')').length) break;
      end--;
    } else {
      break;
    }
  }
  return address.slice(0, end);
}

/** Splits a reference into text and links: web addresses and DOIs become links, all else stays text. */
export function linkifyReference(text: string): ReferencePart[] {
  const parts: ReferencePart[] = [];
  let last = 0;
  for (const match of text.matchAll(LINKABLE)) {
    const raw = trimTrailingPunctuation(match[0]);
    const start = match.index;
    if (start > last) parts.push({ text: text.slice(last, start) });
    const doi = /^(?:doi:\s?)?(10\.\d{4,9}\/.+)$/i.exec(raw);
    const href = raw.toLowerCase().startsWith('http') ? raw : `https://doi.org/${doi![1]}`;
    parts.push({ text: raw, href });
    last = start + raw.length;
  }
  if (last < text.length) parts.push({ text: text.slice(last) });
  return parts;
}

/**
 * A reference for the page: its text with the addresses and DOIs in it linked, and the links its
 * parse found that the text does not spell as one (a DOI cut differently, an address the pattern
 * above misses) to show after it. Only whole http(s) addresses are linked: an empty "<>" or a
 * half-typed address stays text.
 */
export function referenceLinks(reference: ReferenceText): { parts: ReferencePart[]; more: Array<{ text: string; href: string }> } {
  const parts = linkifyReference(reference.text);
  const linked = new Set(parts.flatMap((p) => ('href' in p ? [p.href.toLowerCase()] : [])));
  const more: Array<{ text: string; href: string }> = [];
  const doi = reference.csl?.DOI?.trim();
  if (doi && /^10\.\d{4,9}\/\S+$/.test(doi)) {
    const href = `https://doi.org/${doi}`;
    if (!linked.has(href.toLowerCase())) more.push({ text: href, href });
  }
  const url = reference.csl?.URL?.trim();
  if (url && /^https?:\/\/[^\s<>"]+\.[^\s<>"]+$/i.test(url) && !linked.has(url.toLowerCase()) && !more.some((m) => m.href.toLowerCase() === url.toLowerCase())) {
    more.push({ text: url, href: url });
  }
  return { parts, more };
}

/**
 * Number formats by locale and digits, made once: building an Intl.NumberFormat costs ~40 µs, and a
 * table of contents of 500 articles formats a size per galley (issue 22: a fifth of that page's time).
 */
const sizeFormats = new Map<string, Intl.NumberFormat>();

/** Human-readable file size in the page's locale: "1,2 MB" / "1.2 MB". */
export function formatFileSize(bytes: number, locale: string): string {
  const units = ['B', 'kB', 'MB', 'GB'];
  let value = bytes;
  let unit = 0;
  while (value >= 1000 && unit < units.length - 1) {
    value /= 1000;
    unit++;
  }
  const digits = unit === 0 ? 0 : 1;
  const key = `${locale}:${digits}`;
  let format = sizeFormats.get(key);
  if (!format) {
    format = new Intl.NumberFormat(locale, { maximumFractionDigits: digits });
    // Locales come from a short list (the site's); the bound only guards against an unexpected one per request.
    if (sizeFormats.size > 100) sizeFormats.clear();
    sizeFormats.set(key, format);
  }
  return `${format.format(value)} ${units[unit]}`;
}
