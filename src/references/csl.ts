import { findAccessed, readDate, type AccessedMention, type DateParts } from './dates.ts';
import { beforeLink, findDoi, findIsbn, isDoiLink, readLink, readPages } from './identifiers.ts';
import { guessLanguage } from './language.ts';
import { parseNames } from './names.ts';
import { singleSpaced } from './spaces.ts';
import type { CslItem, CslType, ReferenceLabel, Segment } from './types.ts';

/**
 * Labelled segments → a CSL-JSON item: names split, dates read into date-parts, the access date
 * found wherever it is written, volume/issue/pages/DOI/URL/ISBN normalised, and a type guessed from
 * which fields are there (a journal → article-journal, In/W: with editors → chapter, a link or
 * access date and a site → webpage, …).
 */

const QUOTES: Array<[string, string]> = [['“', '”'], ['„', '”'], ['„', '“'], ['"', '"'], ['«', '»'], ['‘', '’'], ["'", "'"], ['‚', '‘']];

/** A final full stop that belongs to an abbreviation ("J. Endod.", "Proc.", "Inc.", "et al.") stays. */
const ABBREVIATED = /(?:^|[\s.(])(?:\p{Lu}|\p{Lu}\p{Ll}{0,4}|al|ed|eds|inc|ltd|co|corp|jr|sr|st|vs|etc)\.$/u;

const WORD_CHARACTER = /^[\p{L}\p{N}]$/u;

/** Whether a code point is a letter or a digit (ASCII answered without a pattern). */
function isWordCharacter(code: number): boolean {
  if (code < 128) return (code >= 48 && code <= 57) || ((code | 32) >= 97 && (code | 32) <= 122);
  return WORD_CHARACTER.test(String.fromCodePoint(code));
}

/** Text that starts and ends with a letter or digit has nothing around it to clean. */
function plainEnds(text: string): boolean {
  if (text === '') return false;
  const end = text.length - 1;
  const unit = text.charCodeAt(end);
  // A final low surrogate belongs with the high one before it, if there is one.
  const pair = unit >= 0xdc00 && unit <= 0xdfff && end > 0 && text.charCodeAt(end - 1) >= 0xd800 && text.charCodeAt(end - 1) <= 0xdbff;
  return isWordCharacter(text.codePointAt(0)!) && isWordCharacter(pair ? text.codePointAt(end - 1)! : unit);
}

/**
 * A field's text without the punctuation around it and the quotes or brackets it is wrapped in.
 * Titles lose a final full stop unless it ends an initial; other fields keep it after an abbreviation.
 */
export function cleanField(text: string, kind: 'title' | 'other' = 'other'): string {
  let out = text.trim();
  if (plainEnds(out)) return out.includes('  ') || /[\t\n]/.test(out) ? singleSpaced(out) : out;
  out = singleSpaced(out);
  for (let round = 0; round < 3; round++) {
    const before = out;
    out = out.replace(/^[,;:\s]+/, '').replace(/[,;:\s]+$/, '');
    if (out.endsWith('.') && !out.endsWith('..')) {
      const keep = kind === 'title' ? /(?:^|[\s.])\p{Lu}\.$|\bal\.$/u.test(out) : ABBREVIATED.test(out);
      if (!keep) out = out.slice(0, -1).replace(/[,;:\s]+$/, '');
    }
    out = out.replace(/^\/\/\s*/, '');
    for (const [open, close] of QUOTES) {
      if (out.length > 1 && out.startsWith(open) && out.endsWith(close) && !out.slice(1, -1).includes(close)) out = out.slice(1, -1).trim();
    }
    if (/^\((?:[^()]*)\)$/.test(out) || /^\[(?:[^[\]]*)\]$/.test(out)) out = out.slice(1, -1).trim();
    // A bracket whose partner lies in another field: "(Fact Sheets," … "March 2021)".
    if (/^[([]/.test(out) && !/[)\]]/.test(out)) out = out.slice(1).trim();
    if (/[)\]]$/.test(out) && !/[([]/.test(out)) out = out.slice(0, -1).trim();
    if (out === before) break;
  }
  return out;
}

/** "In:", "W:", "[w:]", "in" before a container title. */
function withoutIn(text: string): string {
  return text.replace(/^\[?(?:in|w|dans|im|в)\s*:?\]?:?\s+/iu, '');
}

interface Volume {
  volume?: string;
  issue?: string;
  number?: string;
}

/** "vol. 15, issue: 47" → 15 / 47; "31(7)" → 31 / 7; "nr 3", "№ 3", "z. 2" → issue; "No: 217/21" → number. */
export function readVolume(field: string): Volume {
  const text = cleanField(field);
  const result: Volume = {};
  const parenthesised = /^(\d+[A-Za-z]?)\s*\(([^)]+)\)/.exec(text);
  if (parenthesised) return { volume: parenthesised[1], issue: parenthesised[2]!.trim() };
  const volume = /(?:^|[\s,])(?:vol(?:ume)?s?|t|tom|bd|band|jg|jahrgang|т|r|rocznik)\.?\s*:?\s*([\dIVXLC]+(?:[-–/]\d+)?)/iu.exec(text);
  if (volume) result.volume = volume[1];
  const issue = /(?:^|[\s,])(?:no|nos|nr|n|issue|iss|z|zesz|zeszyt|heft|h|vyp|вып|№)\.?\s*:?\s*(\d+(?:[-–/]\d+)?|[IVX]+)/iu.exec(text);
  if (issue) {
    if (issue[1]!.includes('/') && !result.volume) result.number = issue[1];
    else result.issue = issue[1];
  }
  const position = /poz\.\s*(\d+)/i.exec(text);
  if (position) result.number = position[1];
  if (!volume && !issue && !position && /^[\dIVXLC]+[A-Za-z]?$/.test(text)) result.volume = text;
  if (!result.volume && !result.issue && !result.number && text !== '') result.volume = text;
  return result;
}

function edition(field: string): string {
  const text = cleanField(field);
  const number = /(\d+)/.exec(text);
  return number ? number[1]! : text;
}

function dateValue(parts: DateParts): { 'date-parts': number[][] } {
  return { 'date-parts': [[...parts]] };
}

/**
 * No texts, as an array of the same kind as a list of texts (an empty literal is a list of small
 * integers to V8): code handed both then stays compiled for one kind of array.
 */
const NO_TEXTS: readonly string[] = [''].slice(1);

/** The segments' texts by label, in order. */
function byLabel(segments: readonly Segment[]): Map<ReferenceLabel, string[]> {
  const map = new Map<ReferenceLabel, string[]>();
  for (const [label, text] of segments) {
    const list = map.get(label);
    if (list) list.push(text);
    else map.set(label, [text]);
  }
  return map;
}

export interface CslContext {
  /** The access date's text, when one is written. */
  accessedText?: string;
  /** The date segment the issued date was read from. */
  issuedText?: string;
}

/**
 * An item being made: every field toCsl may set, in CslItem's order, undefined until it is set.
 * Every reference's draft has the same shape, so the code that fills and reads it stays fast (an
 * object given its fields in a different order, or one `delete`d from, makes V8 recompile it).
 */
type Draft = { [Key in Exclude<keyof CslItem, 'id'>]: CslItem[Key] | undefined };

function draft(): Draft {
  return {
    type: 'document', author: undefined, editor: undefined, translator: undefined, director: undefined, title: undefined,
    'container-title': undefined, 'collection-title': undefined, volume: undefined, issue: undefined, number: undefined,
    page: undefined, 'number-of-pages': undefined, edition: undefined, publisher: undefined, 'publisher-place': undefined,
    genre: undefined, medium: undefined, issued: undefined, accessed: undefined, URL: undefined, DOI: undefined,
    ISBN: undefined, language: undefined, note: undefined, 'citation-number': undefined,
  };
}

/** The draft's fields that were set, in its order. */
function finished(item: Draft): CslItem {
  const csl: Record<string, unknown> = {};
  for (const key in item) {
    const value = item[key as keyof Draft];
    if (value !== undefined) csl[key] = value;
  }
  return csl as unknown as CslItem;
}

/** The fields a DOI is looked for in, in order. */
const DOI_LABELS: readonly ReferenceLabel[] = ['doi', 'url', 'note', 'pages'];

/** The texts cleaned (cleanField), the empty ones left out, joined. */
function joinCleaned(texts: readonly string[], kind: 'title' | 'other', separator: string): string {
  let out = '';
  for (const text of texts) {
    const clean = cleanField(text, kind);
    if (clean) out = out === '' ? clean : out + separator + clean;
  }
  return out;
}

export function toCsl(segments: readonly Segment[]): { csl: CslItem; context: CslContext } {
  const fields = byLabel(segments);
  const first = (label: ReferenceLabel) => fields.get(label)?.[0];
  const all = (label: ReferenceLabel) => fields.get(label) ?? NO_TEXTS;
  const csl = draft();
  const context: CslContext = {};

  const names = (label: ReferenceLabel) => all(label).flatMap((text) => parseNames(text));
  const author = names('author');
  if (author.length > 0) csl.author = author;
  const editor = names('editor');
  if (editor.length > 0) csl.editor = editor;
  const translator = names('translator');
  if (translator.length > 0) csl.translator = translator;
  const director = names('director');
  if (director.length > 0) csl.director = director;

  const title = joinCleaned(all('title'), 'title', '. ');
  if (title) csl.title = title;
  const journal = first('journal');
  const container = first('container-title');
  if (journal) csl['container-title'] = cleanField(withoutIn(journal));
  else if (container) csl['container-title'] = cleanField(withoutIn(container));
  const collection = first('collection-title');
  if (collection) csl['collection-title'] = cleanField(collection);

  for (const text of all('volume')) {
    // The first volume field to give a volume, issue or number wins it.
    const reading = readVolume(text);
    for (const key in reading) csl[key as keyof Volume] ??= reading[key as keyof Volume];
  }
  const pages = first('pages');
  if (pages) {
    // A page is never a link: "45–67.https://doi.org/…", written without a space, is one token.
    const reading = readPages(beforeLink(pages));
    if (reading.page) csl.page = reading.page;
    if (reading.numberOfPages) csl['number-of-pages'] = reading.numberOfPages;
  }
  const editionText = first('edition');
  if (editionText) csl.edition = edition(editionText);
  const publisher = joinCleaned(all('publisher'), 'other', ', ');
  if (publisher) csl.publisher = publisher;
  const location = first('location');
  if (location) csl['publisher-place'] = cleanField(location);
  const genre = first('genre');
  if (genre) csl.genre = cleanField(genre);
  const medium = first('medium');
  if (medium) csl.medium = cleanField(medium);
  const number = first('citation-number');
  if (number) csl['citation-number'] = cleanField(number);

  // The access date may sit in a note, a date or any other field ("[accessed: 15 V 2021]").
  const accessedIn: Array<AccessedMention | undefined> = [];
  let mention: AccessedMention | undefined;
  for (const [label, text] of segments) {
    const found = label === 'title' || label === 'url' ? undefined : findAccessed(text);
    accessedIn.push(found);
    mention ??= found;
  }
  if (mention) {
    context.accessedText = mention.text;
    if (mention.reading.parts) csl.accessed = dateValue(mention.reading.parts);
  }
  // Issued: the most precise date field that is not the access date.
  let best: { parts: DateParts; text: string } | undefined;
  for (let index = 0; index < segments.length; index++) {
    const [label, text] = segments[index]!;
    if (label !== 'date' || accessedIn[index]) continue;
    const reading = readDate(text);
    if (!best) context.issuedText ??= text;
    if (reading.parts && (!best || reading.parts.length > best.parts.length)) best = { parts: reading.parts, text };
  }
  if (best) {
    csl.issued = dateValue(best.parts);
    context.issuedText = best.text;
  }

  // The first link that is not a DOI's; the first DOI in a field that may hold one.
  for (const text of all('url')) {
    const link = readLink(text);
    if (link && link.url !== '' && !isDoiLink(link.url)) {
      csl.URL = link.url;
      break;
    }
  }
  for (const label of DOI_LABELS) for (const text of all(label)) csl.DOI ||= findDoi(text) || undefined;
  const isbn = first('isbn');
  if (isbn) csl.ISBN = findIsbn(isbn) ?? cleanField(isbn.replace(/^isbn\s*:?\s*/i, ''));
  // Notes, except the access date and words that only announce a link ("Retrieved from").
  const notes: string[] = [];
  for (let index = 0; index < segments.length; index++) {
    const [label, text] = segments[index]!;
    if (label === 'note' && !accessedIn[index] && !/^(?:retrieved|available|dostępn\w*)\b[^:]*:?$/i.test(text.trim())) notes.push(text);
  }
  const note = joinCleaned(notes, 'other', '; ');
  if (note) csl.note = note;

  const language = guessLanguage(csl.title);
  if (language) csl.language = language;
  csl.type = guessType(csl, fields, context);
  if (csl.number && csl.type.startsWith('article') && !csl.issue) {
    // An article's number is its issue.
    csl.issue = csl.number;
    csl.number = undefined;
  }
  return { csl: finished(csl), context };
}

const LEGISLATION = /^(?:ustawa|rozporządzenie|dyrektywa|regulation|directive|council (?:decision|regulation)|decision|federal'nyy zakon|федеральный закон|act of|kodeks|konstytucja|constitution)\b/iu;
const LAW_GAZETTE = /^(?:dz\.\s*u|m\.\s*p\.|monitor polski|oj\b|official journal|sobraniye zakonodatel|собрание законодательства)/iu;
const THESIS = /\b(?:thesis|dissertation|doctoral|praca (?:doktorska|magisterska|licencjacka)|rozprawa doktorska|dissertatsiya|диссертация|habilitationsschrift)\b/iu;
const REPORT = /\b(?:report|raport|working paper|policy paper|research paper|fact ?sheets?|technical report|briefing|komentarze|biuletyn|occasional papers?|analiza|prace osw)\b/iu;
const PROCEEDINGS = /\b(?:proceedings|conference|symposium|workshop|congress|konferencj|kongres)\w*/iu;

function guessType(csl: Draft, fields: Map<ReferenceLabel, string[]>, context: CslContext): CslType {
  const has = (label: ReferenceLabel) => fields.has(label);
  const online = Boolean(csl.URL || context.accessedText || csl.medium && /online|on-line|электрон|internet/i.test(csl.medium) || fields.has('url'));
  if (csl.title && LEGISLATION.test(csl.title)) return 'legislation';
  if (csl['container-title'] && LAW_GAZETTE.test(csl['container-title'])) return 'legislation';
  const genre = csl.genre ?? '';
  if (THESIS.test(genre) || (!has('journal') && THESIS.test(csl.note ?? ''))) return 'thesis';
  if (REPORT.test(genre) || REPORT.test(csl['collection-title'] ?? '')) return 'report';
  // Polish and ISO 690 styles put a periodical's title in quotes: „Kommersant” [online], 13 I 2021.
  const container = fields.get('container-title')?.[0];
  if (has('journal') || (container && /^[“„"«][^“„"«”»]+[”»"“][\s.,;:]*$/.test(container.trim()))) {
    const precise = (csl.issued?.['date-parts'][0]?.length ?? 0) === 3;
    return !csl.volume && !csl.issue && !csl.page && precise ? 'article-newspaper' : 'article-journal';
  }
  if (container) {
    if (has('editor') || /^\[?(?:in|w|dans|im)\s*:?\]?:?\s/iu.test(container)) return PROCEEDINGS.test(container) ? 'paper-conference' : 'chapter';
    if (PROCEEDINGS.test(container)) return 'paper-conference';
    if (online) return 'webpage';
    return csl.page ? 'chapter' : 'article';
  }
  if (has('director') || has('producer')) return 'motion_picture';
  if (online && !has('publisher') && !has('location') && !has('isbn')) return 'webpage';
  if (has('publisher') || has('location') || has('isbn') || has('edition')) return online && !has('location') ? 'webpage' : 'book';
  if (online) return 'webpage';
  return 'document';
}
