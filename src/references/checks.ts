import { compareParts, formatParts, readDate } from './dates.ts';
import { doiCandidate, findIsbn, isDoiLink, isValidDoi, isValidIsbn, linkProblem, readLink } from './identifiers.ts';
import { misspelledName } from './publishers.ts';
import type { CslItem, IssueCode, ReferenceIssue, Segment } from './types.ts';
import type { CslContext } from './csl.ts';

/**
 * What an editor should fix in one reference before publication: empty or missing links, dates
 * that cannot be read, an access date before the publication date, years in the future, empty
 * fields (",,"), missing spaces after punctuation, invalid DOIs, ISBNs and links, unmatched quotes
 * and brackets, a missing source, names that look like a misspelled publisher. Each issue has a
 * code and parameters; messages come from the i18n catalogs (messages.ts).
 */

const SEVERITY: Record<IssueCode, ReferenceIssue['severity']> = {
  empty: 'error',
  'too-long': 'error',
  'not-text': 'error',
  'no-words': 'error',
  'url-empty': 'error',
  'url-missing': 'error',
  'url-spaces': 'error',
  'url-scheme': 'error',
  'date-malformed': 'error',
  'date-missing': 'warning',
  'accessed-before-issued': 'error',
  'year-future': 'error',
  'accessed-future': 'error',
  'empty-field': 'error',
  'missing-space': 'warning',
  unbalanced: 'warning',
  'doi-invalid': 'error',
  'isbn-invalid': 'warning',
  'source-missing': 'warning',
  'publisher-misspelled': 'warning',
  duplicate: 'error',
};

/** Every issue code, in the order of the catalog. */
export const ISSUE_CODES = Object.keys(SEVERITY) as IssueCode[];

export function issue(code: IssueCode, params: Record<string, string | number> = {}): ReferenceIssue {
  return { code, severity: SEVERITY[code], params };
}

/** Tokens that are links, DOIs or e-mail addresses: punctuation inside them is not prose. */
const LINK_TOKEN = /^[<(\[]?(?:[a-z][a-z0-9+.-]*:\/\/|www\.|doi:|10\.\d{4,9}\/|[^\s@]+@[^\s@]+\.|urn:)|\/\/|[a-z0-9-]+\.(?:com|org|net|edu|gov|pl|ru|de|uk|int|info|io|eu)(?:[/:]|$)/i;

/** Something in the text may be a link: the cheap test before looking word by word. */
const MAYBE_LINK = /[:@/]|www\.|10\.\d|\.(?:com|org|net|edu|gov|pl|ru|de|uk|int|info|io|eu)\b/i;

function prose(text: string): string {
  if (!MAYBE_LINK.test(text)) return text;
  return text.split(/\s+/).filter((word) => !LINK_TOKEN.test(word)).join(' ');
}

/** ",," ", ," ", ." "()" "[]" "“”": separators with nothing between them. */
function emptyFields(prose: string): string[] {
  return prose.match(/[,;]\s*[,;]|,\s*\.(?!\.)|\(\s*\)|\[\s*\]|“\s*”|„\s*”|«\s*»/g) ?? [];
}

/** "Eurasianet,14", "N.V.Pashinyana", "Title:Subtitle": punctuation glued to the next word. */
const GLUED = /[\p{L}\d)\]”»][,;](?=[\p{L}(“„«])|[\p{L})\]”»][,;](?=\d)|\p{L}{2}:(?=\p{L}{2})|(?<=(?:^|[^\p{L}])\p{Lu}|\p{Ll}{2})\.(?=\p{Lu}\p{Ll}{2})|[)\]](?=\p{L})|[”»](?=\p{L})/u;

/** Punctuation with something after it inside a word: the cheap test before GLUED. */
const INNER_PUNCTUATION = /[,;:.)\]”»](?=[^\s,;:.)\]”»'’"])/g;

/** The words (between spaces) with punctuation glued to what follows, found from that punctuation. */
function missingSpaces(text: string): string[] {
  const found: string[] = [];
  INNER_PUNCTUATION.lastIndex = 0;
  let inner: RegExpExecArray | null;
  while ((inner = INNER_PUNCTUATION.exec(text)) !== null) {
    const start = text.lastIndexOf(' ', inner.index) + 1;
    const stop = text.indexOf(' ', inner.index);
    const end = stop < 0 ? text.length : stop;
    const word = text.slice(start, end);
    INNER_PUNCTUATION.lastIndex = end;
    if (word.includes('/') || LINK_TOKEN.test(word)) continue;
    if (GLUED.test(word) && !/^\d+[,;]\d+$/.test(word)) found.push(word.replace(/[,;:.]+$/, ''));
  }
  return found;
}

/** The first quotation mark or bracket with no partner, or undefined. */
function unmatched(prose: string): string | undefined {
  if (!/[()[\]{}„«“”»"]/.test(prose)) return undefined;
  // Every mark is one UTF-16 unit, so walking units (not code points) sees the same marks.
  const brackets: string[] = [];
  const quotes: string[] = [];
  let straight = 0;
  for (let i = 0; i < prose.length; i++) {
    const ch = prose[i]!;
    switch (ch) {
      case '(':
      case '[':
      case '{':
        brackets.push(ch);
        break;
      case ')':
      case ']':
      case '}':
        if (brackets.at(-1) !== (ch === ')' ? '(' : ch === ']' ? '[' : '{')) return ch;
        brackets.pop();
        break;
      case '„':
      case '«':
        quotes.push(ch);
        break;
      case '“':
        // „…“ closes a German-style quotation; otherwise “ opens one.
        if (quotes.at(-1) === '„') quotes.pop();
        else quotes.push(ch);
        break;
      case '”':
        if (quotes.at(-1) !== '“' && quotes.at(-1) !== '„') return ch;
        quotes.pop();
        break;
      case '»':
        if (quotes.at(-1) !== '«') return ch;
        quotes.pop();
        break;
      case '"':
        straight++;
    }
  }
  if (brackets.length > 0) return brackets[0];
  if (quotes.length > 0) return quotes[0];
  return straight % 2 === 1 ? '"' : undefined;
}

export interface CheckOptions {
  /** Today, for years in the future. */
  now: Date;
}

export function checkReference(raw: string, segments: readonly Segment[], csl: CslItem, context: CslContext, options: CheckOptions): ReferenceIssue[] {
  const issues: ReferenceIssue[] = [];
  const now = options.now;
  const today = [now.getUTCFullYear(), now.getUTCMonth() + 1, now.getUTCDate()];

  // Links.
  const urlSegments = segments.filter(([label]) => label === 'url');
  for (const [, text] of urlSegments) {
    const link = readLink(text);
    if (!link) continue;
    if (link.url === '') issues.push(issue('url-empty', { text: link.written }));
    else if (isDoiLink(link.url)) continue;
    else {
      const problem = linkProblem(link.url);
      if (problem) issues.push(issue(problem === 'spaces' ? 'url-spaces' : 'url-scheme', { url: link.url }));
    }
  }
  if (urlSegments.length === 0 && /<\s*>/.test(raw)) issues.push(issue('url-empty', { text: '<>' }));
  const online = context.accessedText !== undefined || /\[(?:online|on-line)\]/i.test(raw);
  if (online && urlSegments.length === 0 && !csl.DOI && !/<\s*>/.test(raw) && !/https?:\/\/|www\./i.test(raw)) {
    issues.push(issue('url-missing', context.accessedText ? { accessed: context.accessedText } : {}));
  }

  // Dates.
  for (const [label, text] of segments) {
    if (label !== 'date' && label !== 'note') continue;
    const reading = readDate(text);
    if (reading.malformed) issues.push(issue('date-malformed', reading.suggestion ? { text: reading.malformed, suggestion: reading.suggestion } : { text: reading.malformed }));
  }
  const issued = csl.issued?.['date-parts'][0];
  const accessed = csl.accessed?.['date-parts'][0];
  if (issued && accessed && compareParts(accessed, issued) < 0) {
    issues.push(issue('accessed-before-issued', { accessed: context.accessedText ?? formatParts(accessed), issued: context.issuedText?.replace(/[\s,.;:()]+$/g, '') ?? formatParts(issued) }));
  }
  if (issued && issued[0]! > today[0]!) issues.push(issue('year-future', { year: issued[0]! }));
  if (accessed && compareParts(accessed, today) > 0) issues.push(issue('accessed-future', { accessed: context.accessedText ?? formatParts(accessed) }));
  const hasDateText = segments.some(([label]) => label === 'date');
  if (!issued && !hasDateText && !issues.some((i) => i.code === 'date-malformed')) issues.push(issue('date-missing'));

  // Typography.
  const proseText = prose(raw);
  const empties = emptyFields(proseText);
  if (empties.length > 0) issues.push(issue('empty-field', { text: empties[0]! }));
  const glued = missingSpaces(raw);
  if (glued.length > 0) issues.push(issue('missing-space', { text: glued.join(', ') }));
  const open = unmatched(proseText);
  if (open) issues.push(issue('unbalanced', { mark: open }));

  // Identifiers.
  const doiTexts = [...segments.filter(([label]) => label === 'doi').map(([, text]) => text), ...(/\bdoi\b|doi\.org/i.test(raw) ? [raw] : [])];
  for (const text of doiTexts) {
    const candidate = doiCandidate(text) ?? text.replace(/^\s*doi\s*:?\s*/i, '').trim().replace(/[.,;]+$/, '');
    if (candidate && !isValidDoi(candidate)) {
      issues.push(issue('doi-invalid', { doi: candidate }));
      break;
    }
  }
  for (const [label, text] of segments) {
    if (label !== 'isbn') continue;
    const isbn = findIsbn(text);
    if (!isbn || !isValidIsbn(isbn)) issues.push(issue('isbn-invalid', { isbn: text.replace(/^isbn\s*:?\s*/i, '').replace(/[.,;]+$/, '') }));
  }

  // Content.
  const hasSource = Boolean(csl['container-title'] || csl.publisher || csl['collection-title'] || csl.ISBN);
  if (!hasSource && csl.title && (csl.type === 'webpage' || csl.type === 'document') && empties.length === 0) issues.push(issue('source-missing'));
  // Publishers, periodicals, series and organisations as authors: not titles or people, whose words
  // may well be one letter from a publisher's name ("Connell", "Policy").
  const seen = new Set<string>();
  const organisationAuthors = new Set((csl.author ?? []).flatMap((name) => (name.literal ? [name.literal] : [])));
  for (const [label, text] of segments) {
    if (!SOURCE_LABELS.has(label) && !(label === 'author' && [...organisationAuthors].some((literal) => text.includes(literal)))) continue;
    for (const word of text.match(/\p{Lu}[\p{L}]{3,}/gu) ?? []) {
      const known = seen.has(word) ? undefined : misspelledName(word);
      seen.add(word);
      if (known) issues.push(issue('publisher-misspelled', { found: word, known }));
    }
  }
  return issues;
}

const SOURCE_LABELS: ReadonlySet<string> = new Set(['publisher', 'container-title', 'journal', 'collection-title']);

/** A key that is equal for references that are the same apart from case, spacing and punctuation. */
function sameTextKey(raw: string): string {
  return raw.toLowerCase().normalize('NFKD').replace(/[^\p{L}\p{N}]+/gu, '');
}

/** Duplicates in a list: the same text, the same DOI, or the same first author, title and year. */
export function duplicateIssues(raws: readonly string[], items: readonly CslItem[]): ReferenceIssue[][] {
  const result: ReferenceIssue[][] = raws.map(() => []);
  const firstSeen = new Map<string, number>();
  raws.forEach((raw, index) => {
    const item = items[index]!;
    const keys: string[] = [];
    const text = sameTextKey(raw);
    if (text.length >= 10) keys.push(`text:${text}`);
    if (item.DOI) keys.push(`doi:${item.DOI.toLowerCase()}`);
    const author = item.author?.[0];
    const year = item.issued?.['date-parts'][0]?.[0];
    if (item.title && item.title.length >= 20 && year !== undefined && author) {
      keys.push(`work:${sameTextKey(author.family ?? author.literal ?? '')}|${sameTextKey(item.title)}|${year}`);
    }
    for (const key of keys) {
      const earlier = firstSeen.get(key);
      if (earlier !== undefined) {
        result[index]!.push(issue('duplicate', { number: earlier + 1 }));
        return;
      }
    }
    for (const key of keys) firstSeen.set(key, index);
  });
  return result;
}
