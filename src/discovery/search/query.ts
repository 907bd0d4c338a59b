/**
 * What a reader typed into the search box, read the way search engines read it: words (all must
 * match), phrases in quotes (the words in that order), and `-word` or `-"a phrase"` to leave out
 * articles that have them. Nothing here ever becomes query syntax: the parts are handed to the
 * database as plain text (see revista_search_term in the 0008 migration), so `&`, `|`, `!`, `:*`,
 * quotes and backslashes are just characters.
 */
export interface ParsedQuery {
  words: string[];
  phrases: string[];
  excluded: string[];
}

/** Longest query read; the rest is ignored (a 10 KB query is cut, not refused). */
export const MAX_QUERY_LENGTH = 256;
/** Most parts (words, phrases, exclusions) taken from one query. */
export const MAX_QUERY_PARTS = 12;

const OPENING_QUOTES = new Set(['"', '„', '“', '”', '«', '»']);

/** Removes what cannot be text: control characters, lone surrogates, the replacement character. */
export function cleanText(input: string): string {
  return input
    .replace(/[\u0000-\u001f\u007f-\u009f\u200b-\u200f\u2028-\u202e\u2060-\u2064\ufeff\ufffd]/g, ' ')
    .replace(/[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g, ' ')
    .normalize('NFC');
}

/** The query cut to MAX_QUERY_LENGTH characters (never inside a surrogate pair), cleaned and trimmed. */
export function normaliseQuery(input: string): string {
  const chars = Array.from(cleanText(input).replace(/\s+/g, ' ').trim());
  return chars.slice(0, MAX_QUERY_LENGTH).join('').trim();
}

export function parseQuery(input: string): ParsedQuery {
  const text = normaliseQuery(input);
  const parsed: ParsedQuery = { words: [], phrases: [], excluded: [] };
  let count = 0;
  const add = (list: string[], value: string) => {
    const part = value.replace(/\s+/g, ' ').trim();
    if (part === '' || count >= MAX_QUERY_PARTS || list.includes(part)) return;
    list.push(part);
    count++;
  };
  let i = 0;
  while (i < text.length) {
    const ch = text[i]!;
    if (ch === ' ') {
      i++;
      continue;
    }
    const negated = ch === '-' && i + 1 < text.length && text[i + 1] !== ' ';
    const start = negated ? i + 1 : i;
    if (OPENING_QUOTES.has(text[start]!)) {
      // A phrase runs to the next quote of any kind, or to the end when it is never closed.
      let end = start + 1;
      while (end < text.length && !OPENING_QUOTES.has(text[end]!)) end++;
      add(negated ? parsed.excluded : parsed.phrases, text.slice(start + 1, end));
      i = end + 1;
      continue;
    }
    let end = start;
    while (end < text.length && text[end] !== ' ' && !OPENING_QUOTES.has(text[end]!)) end++;
    add(negated ? parsed.excluded : parsed.words, text.slice(start, end));
    i = end;
  }
  return parsed;
}

/** True when the query asks for something (exclusions alone would match nearly everything). */
export function hasSearchTerms(query: ParsedQuery): boolean {
  return query.words.length > 0 || query.phrases.length > 0;
}

/** The query written back in the form the parser reads, for "you searched for" and links. */
export function formatQuery(query: ParsedQuery): string {
  return [...query.words, ...query.phrases.map((p) => `"${p}"`), ...query.excluded.map((e) => (e.includes(' ') ? `-"${e}"` : `-${e}`))].join(' ');
}
