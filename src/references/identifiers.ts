/**
 * DOIs, links, ISBNs and page ranges as references write them, normalised: "doi: 10.1/x." →
 * "10.1/x", "<https://a.org/b>." → "https://a.org/b", "ISBN 978-83-01-…" checked by its check digit,
 * "s. 12–15" → "12-15", "1477-81" → "1477-1481".
 */

const DOI = /10\.\d{4,9}\/\S+/;

/** Trailing sentence punctuation, and a closing bracket that opens nowhere in the text before it. */
function trimTrailing(text: string): string {
  let out = text;
  for (;;) {
    const last = out.at(-1);
    if (last === undefined) return out;
    if ('.,;:!?\'"”’»>'.includes(last)) out = out.slice(0, -1);
    else if (last === ')' && !out.includes('(')) out = out.slice(0, -1);
    else if (last === ']' && !out.includes('[')) out = out.slice(0, -1);
    else return out;
  }
}

/**
 * A DOI cut by a space right after its slash, as text copied from a PDF's line end is: "10.1021/
 * es030360x". Only when what follows has a digit, as DOI suffixes nearly always do (so "10.1000/
 * The next sentence" stays no DOI).
 */
const DOI_BROKEN_AFTER_SLASH = /(10\.\d{4,9}\/) (?=\S*\d)(\S+)/;

/** The DOI in a field or text, bare ("10.…"), joined again if a line break split it; undefined when there is none. */
export function findDoi(text: string): string | undefined {
  const m = DOI.exec(text);
  if (m) return trimTrailing(m[0]);
  const broken = DOI_BROKEN_AFTER_SLASH.exec(text);
  return broken ? trimTrailing(broken[1]! + broken[2]!) : undefined;
}

/** The DOI-ish text a "doi:" or doi.org mention holds, whether or not it is valid. */
export function doiCandidate(text: string): string | undefined {
  const m = /(?:https?:\/\/(?:dx\.)?doi\.org\/|\bdoi\s*[:>]?\s*)(\S+)/i.exec(text);
  if (!m) return undefined;
  // "DOI:http://dx.doi.org/10.…", "[doi>10.…]": the DOI is what follows.
  const inner = /(?:doi\.org\/|^[>:]+)(\S+)/i.exec(m[1]!);
  const candidate = inner ? inner[1]! : m[1]!;
  // "doi:10.1021/ es030360x": the part after the space belongs to it (and makes it invalid as written).
  const broken = /^10\.\d{4,9}\/$/.test(candidate) ? DOI_BROKEN_AFTER_SLASH.exec(text.slice(m.index)) : null;
  return trimTrailing(broken ? `${broken[1]} ${broken[2]}` : candidate);
}

/** Whether a link is a DOI's (https://doi.org/…, http://dx.doi.org/…): its DOI is what counts, not the address. */
export function isDoiLink(url: string): boolean {
  return /^https?:\/\/(?:dx\.)?doi\.org\//i.test(url);
}

export function isValidDoi(doi: string): boolean {
  return /^10\.\d{4,9}\/[^\s]+$/.test(doi);
}

export interface LinkReading {
  /** The address; '' when the brackets are empty ("<>"). */
  url: string;
  /** How it was written, for messages. */
  written: string;
}

/** The link in a url field: without "Available at:", "URL:", "Retrieved from", angle brackets and final punctuation. */
export function readLink(field: string): LinkReading | undefined {
  const text = field.trim();
  const bracketed = /<([^<>]*)>/.exec(text);
  if (bracketed) return { url: bracketed[1]!.trim(), written: bracketed[0] };
  // Whatever comes before the address ("Available at:", "Retirado de", "URL:") is not part of it.
  const scheme = /(?:https?|ftp):\/\/|www\./i.exec(text);
  const stripped = (scheme ? text.slice(scheme.index) : text)
    .replace(/^(?:(?:available|retrieved|accessible|dostępn[ye]|dostep|verfügbar|disponible)(?:\s+(?:at|from|online|on|w|z|w internecie|unter|sur))*|url|режим доступа|link|online)\s*:?\s*/i, '')
    .replace(/^[([]/, '')
    .trim();
  if (stripped === '') return undefined;
  const url = trimTrailing(stripped);
  return { url, written: url };
}

export type LinkProblem = 'spaces' | 'scheme';

/** What is wrong with a link: spaces in it, or no http(s)/ftp scheme with a host. */
export function linkProblem(url: string): LinkProblem | undefined {
  if (/\s/.test(url)) return 'spaces';
  if (/^(?:https?|ftp):\/\/[^\s/?#]+\.[^\s/?#]+/i.test(url)) return undefined;
  if (/^https?:\/\/(?:localhost|\d{1,3}(?:\.\d{1,3}){3})(?:[:/]|$)/i.test(url)) return undefined;
  return 'scheme';
}

/** An ISBN's digits ("ISBN 978-83-01-12345-6" → "9788301123456"), or undefined without one. */
export function findIsbn(text: string): string | undefined {
  const m = /(?:97[89][-\s]?)?(?:\d[-\s]?){9}[\dXx]/.exec(text.replace(/^.*?isbn(?:-1[03])?\s*:?\s*/i, ''));
  return m ? m[0].replace(/[-\s]/g, '').toUpperCase() : undefined;
}

export function isValidIsbn(isbn: string): boolean {
  if (/^\d{9}[\dX]$/.test(isbn)) {
    let sum = 0;
    for (let i = 0; i < 10; i++) sum += (isbn[i] === 'X' ? 10 : Number(isbn[i])) * (10 - i);
    return sum % 11 === 0;
  }
  if (/^97[89]\d{10}$/.test(isbn)) {
    let sum = 0;
    for (let i = 0; i < 13; i++) sum += Number(isbn[i]) * (i % 2 === 0 ? 1 : 3);
    return sum % 10 === 0;
  }
  return false;
}

export interface PagesReading {
  page?: string;
  /** "266 p.", "320 с.": the length of a book, not a range in it. */
  numberOfPages?: string;
}

/** A field's text before a link or DOI glued to it: "45–67.https://doi.org/10.1/x" → "45–67.". */
export function beforeLink(text: string): string {
  const link = /(?:https?|ftp):\/\/|www\.|\bdoi\b|10\.\d{4,9}\//i.exec(text);
  return link ? text.slice(0, link.index) : text;
}

/** "pp. 1761–1800)." → 1761-1800; "s. 12" → 12; "1477-81" → 1477-1481; "266 p." → 266 pages. */
export function readPages(field: string): PagesReading {
  const text = field.trim().replace(/[()[\],;.:]+$/g, '').trim();
  const total = /^(\d+)\s*(?:pp|p|s|ss|str|stron|S|с|стр|pages|Seiten)\.?$/u.exec(text);
  if (total) return { numberOfPages: total[1] };
  const cleaned = text.replace(/^(?:pp?|ss?|str|S|С|с|стр|pages?|Seiten|p\.p)\.?\s*/u, '').trim();
  const range = /^([A-Za-z]?\d+)\s*[-–—‒]+\s*([A-Za-z]?\d+)$/.exec(cleaned);
  if (range) {
    let [first, last] = [range[1]!, range[2]!];
    if (/^\d+$/.test(first) && /^\d+$/.test(last) && last.length < first.length) last = first.slice(0, first.length - last.length) + last;
    return { page: `${first}-${last}` };
  }
  return cleaned === '' ? {} : { page: cleaned.replace(/\s*[–—‒]\s*/g, '-') };
}
