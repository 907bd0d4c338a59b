import {
  ACCESSED_WORDS, AND_WORDS, EDITION_WORDS, EDITOR_WORDS, GIVEN_NAMES, IN_WORDS, JOURNAL_WORDS, LINK_WORDS, MONTHS,
  NUMBER_WORDS, ONLINE_WORDS, PAGE_WORDS, PARTICLES, PLACES, PUBLISHER_WORDS, TRANSLATOR_WORDS, VOLUME_WORDS,
} from './lexicon.ts';

/**
 * Observation features of each token for the sequence labeller: the token itself (lower-cased, its
 * core without surrounding punctuation, prefixes and suffixes, shape), what kind of thing it looks
 * like (year, page range, Roman numeral, initial, URL, DOI, ISBN, Cyrillic, a month in some language,
 * a cue word such as "In:", "W:", "s.", "pp.", "red.", "[online]", "dostęp"), where it sits (position
 * in the reference, fields before the first year, the length of its field and whether the field
 * has an initial, inside quotes or brackets) and a few of the same facts about its neighbours.
 *
 * A feature is a kind and a value ("c" and "smith"); its name is `kind=value`. The functions here
 * hand features to a callback instead of building lists, so the labeller can look them up without
 * making strings (labeller.ts) and training can name them (featureNames).
 */
export type Emit = (kind: string, value: string) => void;

const LEADING = /^[\p{P}\p{S}]+/u;
const TRAILING = /[\p{P}\p{S}]+$/u;
const ROMAN = /^(?=[IVXLCDM]+$)M{0,3}(?:CM|CD|D?C{0,3})(?:XC|XL|L?X{0,3})(?:IX|IV|V?I{0,3})$/;
const MONTH_ROMAN = /^(?:I|II|III|IV|V|VI|VII|VIII|IX|X|XI|XII)$/;
const CYRILLIC = /[\u0400-\u04FF]/;
const GREEK = /[\u0370-\u03FF]/;
const LATIN_EXTENDED = /[À-ɏ]/;
const OPEN_QUOTES = '“„«"‘‚‹\'';
const CLOSE_QUOTES = '”»"’‹›\'“';
const ALPHANUMERIC = /[\p{L}\p{N}]/u;

/** A token without the punctuation and symbols around it. */
export function core(token: string): string {
  return token.replace(LEADING, '').replace(TRAILING, '');
}

function shape(text: string): string {
  let out = '';
  let last = '';
  for (const ch of text) {
    let c: string;
    if (ch >= '0' && ch <= '9') c = 'd';
    else if (ch >= 'a' && ch <= 'z') c = 'x';
    else if (ch >= 'A' && ch <= 'Z') c = 'X';
    else if (ch < '\u00C0') c = ch;
    else {
      const lower = ch.toLowerCase();
      c = lower !== ch ? 'X' : ch.toUpperCase() !== ch ? 'x' : ALPHANUMERIC.test(ch) ? 'x' : ch;
    }
    if (c !== last) {
      out += c;
      if (out.length === 8) break;
    }
    last = c;
  }
  return out;
}

function capitalisation(word: string): string {
  if (word === '') return 'none';
  const upper = word.toUpperCase();
  const lower = word.toLowerCase();
  if (upper === lower) return 'none';
  if (word === upper) return word.length === 1 ? 'single' : 'allcaps';
  if (word === lower) return 'lower';
  if (word[0] === upper[0] && word.slice(1) === lower.slice(1)) return 'initcap';
  return 'mixed';
}

function numberClass(token: string, word: string): string | undefined {
  if (!/\d/.test(word)) return undefined;
  if (/^\d+$/.test(word)) {
    const n = Number(word);
    if (word.length === 4 && n >= 1500 && n <= 2099) return 'year';
    if (word.length <= 2 && n >= 1 && n <= 31) return 'small';
    return `digits${Math.min(word.length, 5)}`;
  }
  if (/^(?:1[5-9]|20)\d\d[a-z]$/.test(word)) return 'yearletter';
  if (/^(?:1[5-9]|20)\d\d[-–/](?:\d\d|\d{4})$/.test(word)) return 'yearrange';
  if (/^\d+[-–—]+\d+$/.test(word)) return 'range';
  if (/^\d+\(\d+/.test(token)) return 'volissue';
  if (/^\d{1,2}[./]\d{1,2}[./]\d{2,4}$/.test(word) || /^\d{4}-\d\d(?:-\d\d)?$/.test(word)) return 'numdate';
  if (/^\d+(?:st|nd|rd|th|e|er|ème)$/i.test(word)) return 'ordinal';
  return /^\d/.test(word) ? 'numstart' : 'hasdigit';
}

function linkClass(lower: string): string | undefined {
  if (lower.length < 3) return undefined;
  if (/^[<(\[]?(?:doi:|https?:\/\/(?:dx\.)?doi\.org)/.test(lower) || /^10\.\d{3,9}\//.test(lower)) return 'doi';
  if (/^[<(\[]?(?:https?:|ftp:)/.test(lower) || lower.includes('://')) return 'url';
  if (/^[<(\[]?www\./.test(lower)) return 'www';
  if (lower.startsWith('isbn') || /^(?:97[89][-–]?)?\d{1,5}[-–]\d+[-–]\d+[-–][\dx]$/.test(lower)) return 'isbn';
  if (lower.startsWith('issn')) return 'issn';
  if (/^[a-z0-9-]+(?:\.[a-z0-9-]+)*\.(?:com|org|net|edu|gov|pl|ru|de|uk|info|int)(?:\/|$)/.test(lower)) return 'domain';
  return undefined;
}

/** What the neighbours' features say about a token. */
export interface TokenView {
  word: string;
  shape: string;
  /** One coarse class (year, url, initial, month, …, or the capitalisation). */
  cls: string;
  /** The token's last character when it is punctuation that often ends a field, else ''. */
  end: string;
}

/** Emits the features of one token by itself and returns what its neighbours need. */
export function describeToken(token: string, emit: Emit): TokenView {
  const word = core(token);
  const lower = word.toLowerCase();
  const tokenLower = token.toLowerCase();
  const tokenShape = shape(token);
  const caps = capitalisation(word);
  emit('w', tokenLower);
  emit('c', lower);
  emit('s', tokenShape);
  emit('cap', caps);
  const len = word.length;
  emit('len', len <= 2 ? String(len) : len <= 4 ? '4' : len <= 7 ? '7' : '10');
  if (len >= 3) {
    emit('p2', lower.slice(0, 2));
    emit('p3', lower.slice(0, 3));
    emit('x2', lower.slice(-2));
    emit('x3', lower.slice(-3));
  }
  if (len >= 5) {
    emit('p4', lower.slice(0, 4));
    emit('x4', lower.slice(-4));
  }
  const first = token[0]!;
  const last = token[token.length - 1]!;
  if (!ALPHANUMERIC.test(first)) emit('lp', first);
  const endsInPunctuation = !ALPHANUMERIC.test(last);
  if (endsInPunctuation) {
    emit('rp', last);
    emit('rp2', token.slice(-2));
  }
  let cls = '';
  const number = numberClass(token, word);
  if (number) {
    emit('num', number);
    cls = number;
  }
  const link = linkClass(tokenLower);
  if (link) {
    emit('link', link);
    cls = link;
  } else if (tokenLower === '<>' || tokenLower === '<>.' || tokenLower === '<>,') {
    emit('link', 'empty');
    cls = 'emptylink';
  }
  if (len <= 4 && MONTH_ROMAN.test(word)) {
    emit('roman', 'month');
    cls ||= 'romanmonth';
  } else if (len > 1 && ROMAN.test(word)) emit('roman', 'other');
  if (len <= 3 && /^(?:\p{Lu}\.){1,3},?$|^\p{Lu}\.-\p{Lu}\.,?$/u.test(token)) {
    emit('initial', '');
    cls ||= 'initial';
  } else if (len <= 3 && caps !== 'lower' && /^\p{Lu}{1,3}[,.;:]?$/u.test(token) && !MONTH_ROMAN.test(word)) emit('initials', 'glued');
  if (CYRILLIC.test(token)) emit('script', 'cyrillic');
  else if (GREEK.test(token)) emit('script', 'greek');
  else if (LATIN_EXTENDED.test(token)) emit('script', 'latinext');
  if (OPEN_QUOTES.includes(first)) emit('quote', 'open');
  if (CLOSE_QUOTES.includes(last) || /[”»"’]\W?$/.test(token)) emit('quote', 'close');
  if (first === '(' || first === '[') emit('bracket', 'open');
  if (last === ')' || last === ']' || /[)\]][.,:;]$/.test(token)) emit('bracket', 'close');
  const entry = lookup(lower, token, emit);
  if (!cls) cls = entry || caps;
  return { word: lower, shape: tokenShape, cls, end: endsInPunctuation && '.,:;)]'.includes(last) ? last : '' };
}

/** Emits the word-list features of a token; returns the first list it is in, or ''. */
function lookup(lower: string, token: string, emit: Emit): string {
  let first = '';
  const found = (name: string) => {
    emit('d', name);
    first ||= name;
  };
  if (MONTHS.has(lower)) found('month');
  if (ACCESSED_WORDS.has(lower)) found('accessed');
  if (LINK_WORDS.has(lower)) found('linkword');
  if (ONLINE_WORDS.has(lower) || /^\[(?:online|on-line|internet)\]/i.test(token)) found('online');
  if (EDITOR_WORDS.has(lower) || /^\((?:eds?|red|hrsg|dir)\.?\)/i.test(token)) found('editor');
  if (TRANSLATOR_WORDS.has(lower)) found('translator');
  if (IN_WORDS.has(lower) && /^(?:in|w|dans|im|в):?$/i.test(token)) found(token.endsWith(':') ? 'in-colon' : 'in');
  const abbreviated = token.endsWith('.') || token.endsWith(':');
  if (abbreviated && PAGE_WORDS.has(lower)) found('pageword');
  if (abbreviated && VOLUME_WORDS.has(lower)) found('volumeword');
  if (NUMBER_WORDS.has(lower) || token === '№') found('numberword');
  if (EDITION_WORDS.has(lower)) found('edition');
  if (token.length <= 3 && AND_WORDS.has(lower)) found('and');
  if (lower === 'al' || lower === 'др' || token === 'in.') found('etal');
  if (token === lower && PARTICLES.has(lower)) found('particle');
  if (PUBLISHER_WORDS.has(lower)) found('publisher');
  if (JOURNAL_WORDS.has(lower)) found('journal');
  if (PLACES.has(lower)) found('place');
  if (GIVEN_NAMES.has(lower)) found('given');
  return first;
}

/** The neighbour offsets whose tokens describe a token. */
export const NEIGHBOURS = [-2, -1, 1, 2] as const;
export type Offset = (typeof NEIGHBOURS)[number];

/** Emits the features a token gives the token `-offset` from it: "-1c=smith" on the token after "Smith,". */
export function describeNeighbour(view: TokenView, offset: Offset, emit: Emit): void {
  switch (offset) {
    case -1:
      emit('-1c', view.word);
      emit('-1s', view.shape);
      emit('-1k', view.cls);
      if (view.end) emit('-1end', view.end);
      return;
    case 1:
      emit('+1c', view.word);
      emit('+1s', view.shape);
      emit('+1k', view.cls);
      return;
    case -2:
      emit('-2c', view.word);
      emit('-2k', view.cls);
      return;
    case 2:
      emit('+2c', view.word);
      emit('+2k', view.cls);
  }
}

/**
 * Whether a token ends a field: a comma, semicolon or colon, or a full stop after a word (not after
 * an initial or a short abbreviation such as "s." or "vol.").
 */
function endsField(token: string): boolean {
  const last = token[token.length - 1];
  if (last === ',' || last === ';' || last === ':') return true;
  if (last !== '.') return false;
  return core(token).length > 3 && !/^(?:\p{Lu}\.)+$/u.test(token);
}

/** A year on its own, with the punctuation around it: "2020", "(2015,", "2019a).", "[2005]". */
const YEAR_TOKEN = /^[(\[]?(?:1[5-9]|20)\d\d[a-z]?[)\]]?[.,:;]?[)\]]?$/;

/** An initial: "J.", "A.J.", "P.D.,", "И.И." (a capital and a full stop, one to three times). */
const INITIAL_TOKEN = /^(?:\p{Lu}\.){1,3}[,;:]?$/u;

/**
 * The features of a token's place in its reference (describePositions) are few and the same in
 * every reference, so each has a number: POSITIONAL_FEATURES[number] is its kind and value.
 */
export const POSITIONAL_FEATURES: (readonly [kind: string, value: string])[] = [];

function positional(kind: string, value = ''): number {
  POSITIONAL_FEATURES.push([kind, value]);
  return POSITIONAL_FEATURES.length - 1;
}

const numbered = (kind: string, count: number) => Array.from({ length: count }, (_, value) => positional(kind, String(value)));
/** A field's length in tokens, by class: 1, 2–3, 4–7, 8 or more. */
const lengthClass = (kind: string) => ({ one: positional(kind, '1'), three: positional(kind, '3'), seven: positional(kind, '7'), more: positional(kind, '8+') });
const POSITION = numbered('pos', 8);
const FIELD_FROM_START = numbered('fs', 7);
const FIELD_FROM_END = numbered('fe', 7);
const NO_YEAR = positional('bd', 'none');
const THE_YEAR = positional('bd', 'year');
const AFTER_YEAR = positional('bd', 'after');
const FIELDS_BEFORE_YEAR = numbered('bd', 4);
const FIELD_LENGTH = lengthClass('flen');
const FIELD_HAS_INITIAL = positional('finitial');
const FIELD_START = positional('fstart');
const NEXT_FIELD_NONE = positional('nflen', '0');
const NEXT_FIELD_LENGTH = lengthClass('nflen');
const IN_QUOTE = positional('inquote');
const IN_BRACKET = positional('inbracket');
const INDEX = numbered('idx', 3);
const INDEX_FROM_END = numbered('ridx', 2);
const FIRST = positional('bos');
const LAST = positional('eos');

function byLength(classes: ReturnType<typeof lengthClass>, length: number): number {
  return length === 1 ? classes.one : length <= 3 ? classes.three : length <= 7 ? classes.seven : classes.more;
}

/** What describePositions needs to know of a token by itself, as bits of positionFacts. */
const ENDS_FIELD = 1;
const IS_INITIAL = 2;
const IS_YEAR = 4;
const OPENS_QUOTE = 8;
const CLOSES_QUOTE = 16;
const OPENS_BRACKET = 32;
const CLOSES_BRACKET = 64;

/** The facts about one token that its place features depend on (the labeller keeps them with the token). */
export function positionFacts(token: string): number {
  let facts = 0;
  if (endsField(token)) facts |= ENDS_FIELD;
  if (INITIAL_TOKEN.test(token)) facts |= IS_INITIAL;
  if (YEAR_TOKEN.test(token)) facts |= IS_YEAR;
  const opens = /^[(\[]?[“„«"‘‚]/.test(token);
  if (opens) facts |= OPENS_QUOTE;
  if (/[”»"’“][.,:;)\]]*$/.test(token) && !(opens && token.length === 1)) facts |= CLOSES_QUOTE;
  if (token[0] === '(' || token[0] === '[') facts |= OPENS_BRACKET;
  if (/[)\]][^\p{L}\p{N}]*$/u.test(token)) facts |= CLOSES_BRACKET;
  return facts;
}

/**
 * Emits, for each token, the numbers (POSITIONAL_FEATURES) of the features of its place in the
 * reference: position, field, quotes, brackets. `facts` are the tokens' positionFacts, when known.
 */
export function describePositions(
  tokens: readonly string[],
  emit: (index: number, feature: number) => void,
  facts: ArrayLike<number> = tokens.map(positionFacts),
): void {
  const n = tokens.length;
  let inQuote = false;
  let bracketDepth = 0;
  // Fields counted from the start and from the end: in "Author, Title, Source, date" the source is
  // the last field before the date however many commas the title has.
  const fieldFromStart = new Uint16Array(n);
  let fields = 0;
  for (let i = 0; i < n; i++) {
    fieldFromStart[i] = fields;
    if (facts[i]! & ENDS_FIELD) fields++;
  }
  const total = n > 0 && facts[n - 1]! & ENDS_FIELD ? fields - 1 : fields;
  // What each field looks like as a whole: its length, whether it has an initial (people do,
  // "Russian," or "Zayavleniye Prezidenta Respubliki," do not), whether it opens with a quote.
  const fieldLength = new Uint16Array(fields + 1);
  const fieldInitial = new Uint8Array(fields + 1);
  for (let i = 0; i < n; i++) {
    const f = fieldFromStart[i]!;
    fieldLength[f]!++;
    if (facts[i]! & IS_INITIAL) fieldInitial[f] = 1;
  }
  // Fields between a token and the first year: in "Title, Site [online], 2 IV 2021" the site is the
  // field just before the date however many commas the title has; "Smith J. (2010)" puts it first.
  let firstYear = -1;
  for (let i = 0; i < n && firstYear < 0; i++) if (facts[i]! & IS_YEAR) firstYear = i;
  for (let i = 0; i < n; i++) {
    const fact = facts[i]!;
    emit(i, POSITION[n === 1 ? 0 : Math.floor((i * 8) / n)]!);
    emit(i, FIELD_FROM_START[Math.min(fieldFromStart[i]!, 6)]!);
    emit(i, FIELD_FROM_END[Math.min(total - fieldFromStart[i]!, 6)]!);
    if (firstYear < 0) emit(i, NO_YEAR);
    else if (i >= firstYear) emit(i, i === firstYear ? THE_YEAR : AFTER_YEAR);
    else emit(i, FIELDS_BEFORE_YEAR[Math.min(fieldFromStart[firstYear]! - fieldFromStart[i]!, 3)]!);
    const f = fieldFromStart[i]!;
    emit(i, byLength(FIELD_LENGTH, fieldLength[f]!));
    if (fieldInitial[f]) emit(i, FIELD_HAS_INITIAL);
    if (i === 0 || fieldFromStart[i - 1] !== f) emit(i, FIELD_START);
    // "Kowalski, Jan," is a name in two short fields; "Russian, Azerbaijani ministers discuss …" is not.
    const next = f < fields ? fieldLength[f + 1]! : 0;
    emit(i, next === 0 ? NEXT_FIELD_NONE : byLength(NEXT_FIELD_LENGTH, next));
    if (fact & OPENS_QUOTE) inQuote = true;
    if (inQuote) emit(i, IN_QUOTE);
    if (fact & CLOSES_QUOTE) inQuote = false;
    if (fact & OPENS_BRACKET) bracketDepth++;
    if (bracketDepth > 0) emit(i, IN_BRACKET);
    if (fact & CLOSES_BRACKET) bracketDepth = Math.max(0, bracketDepth - 1);
    if (i < 3) emit(i, INDEX[i]!);
    if (i >= n - 2) emit(i, INDEX_FROM_END[n - 1 - i]!);
    if (i === 0) emit(i, FIRST);
    if (i === n - 1) emit(i, LAST);
  }
}

export function featureName(kind: string, value: string): string {
  return `${kind}=${value}`;
}

/** Every feature of every token by name, as training sees them; labeller.ts sums the same weights faster. */
export function featureNames(tokens: readonly string[]): string[][] {
  const names: string[][] = tokens.map(() => []);
  const views = tokens.map((token, i) => describeToken(token, (kind, value) => names[i]!.push(featureName(kind, value))));
  describePositions(tokens, (i, feature) => names[i]!.push(featureName(...POSITIONAL_FEATURES[feature]!)));
  views.forEach((_, i) => {
    for (const offset of NEIGHBOURS) {
      const neighbour = views[i + offset];
      if (neighbour) describeNeighbour(neighbour, offset, (kind, value) => names[i]!.push(featureName(kind, value)));
    }
  });
  return names;
}
