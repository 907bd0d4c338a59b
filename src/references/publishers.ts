import { remembered } from './remembered.ts';

/**
 * Names of publishers and research institutes that references in Revista's journals cite often,
 * for the misspelling check: a word one letter (or one swap of neighbouring letters) away from one
 * of these is probably that name misspelled — "Routlege" for "Routledge" — and an acronym with two
 * neighbouring letters swapped is one too: "SIRPI" for "SIPRI".
 */
export const KNOWN_ACRONYMS = [
  'SIPRI', 'PISM', 'NATO', 'OSCE', 'OBSE', 'UNESCO', 'UNICEF', 'UNHCR', 'OECD', 'IISS', 'CSIS', 'ECFR', 'RAND', 'OPEC',
  'IAEA', 'WTO', 'IMF', 'OSW', 'PWN', 'PAN', 'PAP', 'TASS', 'RIAC', 'CEPA', 'GMF', 'SWP', 'DGAP', 'IFRI', 'CSCE',
];

export const KNOWN_NAMES = [
  'Routledge', 'Springer', 'Elsevier', 'Palgrave', 'Macmillan', 'Blackwell', 'Brookings', 'Carnegie', 'Chatham',
  'Cambridge', 'Oxford', 'Princeton', 'Harvard', 'Columbia', 'Cornell', 'Stanford', 'Scholar', 'Difin', 'Elipsa',
  'Wydawnictwo', 'Wydawnictwa', 'Uniwersytetu', 'Marszałek', 'Bloomsbury', 'Ashgate', 'Lexington', 'Rowman',
  'Littlefield', 'Polity', 'Penguin', 'Verlag', 'Nomos', 'Suhrkamp', 'Gallimard', 'Presses', 'Universitaires',
  'Jamestown', 'Eurasianet', 'Kommersant', 'Novosti', 'Interfax', 'Reuters', 'Bloomberg',
];

/**
 * Whether two different words are one edit apart: one letter changed, added or dropped, or two
 * neighbouring letters swapped. Linear, with no table: it runs on every capitalised word of every reference.
 */
export function oneEditApart(a: string, b: string): boolean {
  if (a === b) return false;
  const [short, long] = a.length <= b.length ? [a, b] : [b, a];
  if (long.length - short.length > 1) return false;
  let i = 0;
  while (i < short.length && short[i] === long[i]) i++;
  if (short.length === long.length) {
    // Changed letter, or swapped neighbours.
    if (short.slice(i + 1) === long.slice(i + 1)) return true;
    return short[i] === long[i + 1] && short[i + 1] === long[i] && short.slice(i + 2) === long.slice(i + 2);
  }
  return short.slice(i) === long.slice(i + 1);
}

const ACRONYMS = new Set(KNOWN_ACRONYMS);
const LOWER_NAMES = KNOWN_NAMES.map((n) => n.toLowerCase());
const NAMES = new Set(LOWER_NAMES);
/** Real words one edit from a known name: not misspellings. */
const ORDINARY_WORDS = new Set(['colombia', 'scholars', 'verlags', 'oxfords', 'policy', 'polite', 'connell', 'cornwell', 'harvardi']);

/** The known name a word seems to misspell, or undefined (the last 10,000 words' answers are kept). */
export const misspelledName: (word: string) => string | undefined = remembered(10_000, (word) => {
  if (/^\p{Lu}{4,6}$/u.test(word)) {
    if (ACRONYMS.has(word)) return undefined;
    // Two neighbouring letters swapped: SIRPI → SIPRI. (One letter changed is too often another
    // organisation: ASCE is not OSCE, ECPR is not ECFR.)
    return KNOWN_ACRONYMS.find((known) => known.length === word.length && [...word].sort().join('') === [...known].sort().join('') && oneEditApart(word, known));
  }
  if (/^\p{Lu}\p{Ll}{5,}$/u.test(word)) {
    const lower = word.toLowerCase();
    if (NAMES.has(lower)) return undefined;
    if (ORDINARY_WORDS.has(lower)) return undefined;
    const index = LOWER_NAMES.findIndex((known) => oneEditApart(lower, known) && lower !== `${known}s`);
    return index < 0 ? undefined : KNOWN_NAMES[index];
  }
  return undefined;
});
