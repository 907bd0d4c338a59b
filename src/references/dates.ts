import { MONTHS, ROMAN_MONTHS } from './lexicon.ts';
import { remembered } from './remembered.ts';
import { singleSpaced } from './spaces.ts';

/**
 * Dates as references write them — "2019", "(2015, Aug 6)", "28 III 2018", "12.03.2021",
 * "2021-03-12", "3 maja 2020", "May 3, 2020", "septembre 2014" — read into CSL date-parts, and the
 * ones that cannot be read ("15 V I 2021", "31.02.2020", "14 XIII 2019") reported as malformed, with
 * a likely correction when there is one.
 */
export type DateParts = [number] | [number, number] | [number, number, number];

export interface DateReading {
  parts?: DateParts;
  /** The date-like text that could not be read. */
  malformed?: string;
  /** What the malformed text probably meant ("15 VI 2021"). */
  suggestion?: string;
}

const YEAR = '((?:1[5-9]|20)\\d\\d)';
const ROMAN = '(XII|XI|X|IX|VIII|VII|VI|V|IV|III|II|I)';

function daysIn(year: number, month: number): number {
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}

function valid(year: number, month?: number, day?: number): boolean {
  if (month === undefined) return true;
  if (month < 1 || month > 12) return false;
  return day === undefined || (day >= 1 && day <= daysIn(year, month));
}

function month(word: string): number | undefined {
  return MONTHS.get(word.toLowerCase().replace(/\.$/, ''));
}

/** The patterns readDate tries, in order (compiled once: a parse reads several dates). */
const DATE = {
  splitRoman: new RegExp(`(?<![\\p{L}\\d])(\\d{1,2}) ([IVX]{1,4}) ([IVX]{1,4}) ${YEAR}(?!\\d)`, 'u'),
  roman: new RegExp(`(?<![\\p{L}\\d])(\\d{1,2})\\.? ([IVXL]{1,5})\\.? ${YEAR}(?!\\d)`, 'u'),
  isoLike: new RegExp(`(?<!\\d)${YEAR}([-./])(\\d{1,2})\\2(\\d{1,2})(?!\\d)`),
  dayFirst: new RegExp(`(?<![\\d.])(\\d{1,2})([-./])(\\d{1,2})\\2${YEAR}(?!\\d)`),
  dayMonthName: new RegExp(`(?<![\\p{L}\\d])(\\d{1,2})\\.? (\\p{L}+)\\.?,? ${YEAR}(?!\\d)`, 'u'),
  monthNameDay: new RegExp(`(?<![\\p{L}])(\\p{L}+)\\.? (\\d{1,2}),? ${YEAR}(?!\\d)`, 'u'),
  yearMonthNameDay: new RegExp(`(?<!\\d)${YEAR},? (\\p{L}+)\\.? (\\d{1,2})(?![\\d\\p{L}])`, 'u'),
  monthNameYear: new RegExp(`(?<![\\p{L}])(\\p{L}+)\\.?,? ${YEAR}(?!\\d)`, 'u'),
  yearMonthName: new RegExp(`(?<!\\d)${YEAR},? (\\p{L}+)\\.?(?![\\p{L}])`, 'u'),
  yearAlone: new RegExp(`(?<![\\p{L}\\d])${YEAR}(?:[a-z])?(?!\\d)`, 'u'),
};

/** Every pattern of readDate has a year in it; most texts it is given have none, or a year alone. */
const ANY_YEAR = /(?:1[5-9]|20)\d\d/;

/**
 * Reads the first date in the text; `malformed` is set when a date is clearly meant but broken.
 * The reading is frozen: the last 5,000 texts' readings are kept and handed out again.
 */
export const readDate: (input: string) => Readonly<DateReading> = remembered(5000, (input) => {
  const reading = Object.freeze(ANY_YEAR.test(input) ? readDateText(singleSpaced(input).trim()) : {});
  if (reading.parts) Object.freeze(reading.parts);
  return reading;
});

function readDateText(text: string): DateReading {
  let m: RegExpExecArray | null;

  // "15 V I 2021": a Roman month split by a space.
  m = DATE.splitRoman.exec(text);
  if (m) {
    const joined = `${m[2]}${m[3]}`;
    const index = ROMAN_MONTHS.indexOf(joined);
    const suggestion = index >= 0 && valid(Number(m[4]), index + 1, Number(m[1])) ? `${m[1]} ${joined} ${m[4]}` : undefined;
    return { malformed: m[0], suggestion };
  }
  // "28 III 2018", and Roman numerals that are no month ("14 XIII 2019").
  m = DATE.roman.exec(text);
  if (m) {
    const index = ROMAN_MONTHS.indexOf(m[2]!);
    const [day, year] = [Number(m[1]), Number(m[3])];
    if (index >= 0 && valid(year, index + 1, day)) return { parts: [year, index + 1, day] };
    return { malformed: m[0] };
  }
  // "2021-03-12", "2021.03.12", "2021/03/12"
  m = DATE.isoLike.exec(text);
  if (m) {
    const [year, mon, day] = [Number(m[1]), Number(m[3]), Number(m[4])];
    return valid(year, mon, day) ? { parts: [year, mon, day] } : { malformed: m[0] };
  }
  // "12.03.2021", "12/03/2021", "12-03-2021": day first, unless only month-first makes sense.
  m = DATE.dayFirst.exec(text);
  if (m) {
    const [a, b, year] = [Number(m[1]), Number(m[3]), Number(m[4])];
    if (valid(year, b, a)) return { parts: [year, b, a] };
    if (m[2] === '/' && valid(year, a, b)) return { parts: [year, a, b] };
    return { malformed: m[0] };
  }
  // "3 maja 2020", "3. Mai 2020", "3 May, 2020"
  m = DATE.dayMonthName.exec(text);
  if (m) {
    const mon = month(m[2]!);
    const [day, year] = [Number(m[1]), Number(m[3])];
    if (mon !== undefined) return valid(year, mon, day) ? { parts: [year, mon, day] } : { malformed: m[0] };
  }
  // "May 3, 2020", "Aug. 6 2015"
  m = DATE.monthNameDay.exec(text);
  if (m) {
    const mon = month(m[1]!);
    const [day, year] = [Number(m[2]), Number(m[3])];
    if (mon !== undefined) return valid(year, mon, day) ? { parts: [year, mon, day] } : { malformed: m[0] };
  }
  // "(2015, Aug 6)", "2010, January 28"
  m = DATE.yearMonthNameDay.exec(text);
  if (m) {
    const mon = month(m[2]!);
    const [year, day] = [Number(m[1]), Number(m[3])];
    if (mon !== undefined) return valid(year, mon, day) ? { parts: [year, mon, day] } : { malformed: m[0] };
  }
  // "March 2021", "septembre 2014", "marzec 2018", "III 2018"
  m = DATE.monthNameYear.exec(text);
  if (m) {
    const mon = month(m[1]!) ?? (ROMAN_MONTHS.indexOf(m[1]!) + 1 || undefined);
    if (mon !== undefined) return { parts: [Number(m[2]), mon] };
  }
  // "2021, March", "(2008, Jan)"
  m = DATE.yearMonthName.exec(text);
  if (m) {
    const mon = month(m[2]!);
    if (mon !== undefined) return { parts: [Number(m[1]), mon] };
  }
  // A year alone: "2019", "(1999a).", "[2005]", "1927/1986" (the first).
  m = DATE.yearAlone.exec(text);
  if (m) return { parts: [Number(m[1])] };
  return {};
}

/** An access date in the text: "[accessed: 15 V 2021]", "[dostęp: 12.03.2021]", "Retrieved May 29, 2013". */
const ACCESSED = new RegExp(
  '(?:accessed(?: on)?|access date|last accessed|retrieved(?: on)?|viewed(?: on)?|consulted(?: on)?|cited(?! by)|cit\\.|visited' +
    '|data dostępu|dostęp dnia|dostęp|dostep|odczyt|zugriff(?: am)?|zugegriffen(?: am)?|abgerufen(?: am)?|consulté le|consulte le|consultado(?: el)?' +
    '|дата обращения|дата доступа|просмотрено)\\s*:?\\s*([^\\]\\)<]*?\\d[^\\]\\)<]*?)\\s*(?=[\\]\\)<]|,\\s*(?:from|z|at|w|<|https?:)|[.,;:]?\\s*$|[.,;:]\\s+(?:https?:|<|URL|Available|Dostęp)|\\s+(?:from|at)\\s)',
  'iu',
);

export interface AccessedMention {
  /** The date text as written ("15 V 2021"). */
  text: string;
  reading: DateReading;
}

/** The words alone, to skip the full pattern on the many fields that have none of them. */
const ACCESSED_CUE = /access|retriev|viewed|consult|cited|cit\.|visited|dost[eę]p|odczyt|zugriff|zugegriffen|abgerufen|обращения|доступа|просмотрено/i;

/** The access date a text mentions; a mention whose text reads as no date ("Retrieved from ProQuest (UMI 3)") is none. */
export function findAccessed(text: string): AccessedMention | undefined {
  if (!ACCESSED_CUE.test(text)) return undefined;
  const m = ACCESSED.exec(text);
  if (!m) return undefined;
  const dateText = m[1]!.trim().replace(/[.,;:]$/, '');
  const reading = readDate(dateText);
  if (!reading.parts && !reading.malformed) return undefined;
  return { text: dateText, reading };
}

/** "2021-05-15" style text of date-parts, for messages. */
export function formatParts(parts: readonly number[]): string {
  return parts.map((p, i) => (i === 0 ? String(p) : String(p).padStart(2, '0'))).join('-');
}

/** Compares date-parts at the precision both have: negative when a is earlier. */
export function compareParts(a: readonly number[], b: readonly number[]): number {
  const length = Math.min(a.length, b.length);
  for (let i = 0; i < length; i++) if (a[i] !== b[i]) return a[i]! - b[i]!;
  return 0;
}
