/**
 * A guess at the language of a reference's title, given only when the evidence is clear: the
 * script (Cyrillic, Greek), letters only one language uses (ą ę ł ń ś ź ż, ə, ı ş ğ, ß, ñ),
 * and common short words (English "the, of", Polish "w, i, oraz", transliterated Russian "v, na,
 * dlya", German "der, und", French "le, des").
 */

const WORDS: Record<string, string> = {
  en: 'the of and in to for on with by from is are as at an a its their towards between after why how what',
  pl: 'w i z na do dla oraz się jako wobec przez po od nad pod jest czy problem polityka polski polska',
  ru: 'v i na s po dlya ob o k ot pri iz za kak chto ne eto ili rossii rossiya',
  de: 'der die das und für von mit im zum zur ein eine den des über',
  fr: 'le la les des et pour du dans une un sur au aux par en',
};

/** Word → the languages it is a common word of. */
const LANGUAGES_OF = new Map<string, string[]>();
for (const [language, words] of Object.entries(WORDS)) {
  for (const word of words.split(' ')) LANGUAGES_OF.set(word, [...(LANGUAGES_OF.get(word) ?? []), language]);
}

/** Word endings typical of transliterated Russian: -iya, -skiy, -ogo, -nyy, kh/zh/shch. */
const RUSSIAN_LATIN = /(?:iy|yy|iya|iye|iyu|ogo|ovo|nyy|skoy|skiy|ykh|ikh|shch|zh|kh)$|^(?:zh|kh|shch)/;

export function guessLanguage(text: string | undefined): string | undefined {
  if (!text) return undefined;
  if (/[\u0400-\u04FF]/.test(text)) {
    if (/[іїєґ]/i.test(text)) return 'uk';
    if (/[ўі]/i.test(text)) return 'be';
    return 'ru';
  }
  if (/[\u0370-\u03FF]/.test(text)) return 'el';
  if (/[ąęłńśźż]/i.test(text)) return 'pl';
  if (/ə/i.test(text)) return 'az';
  if (/[ığş]/.test(text)) return 'tr';
  const words = text.toLowerCase().split(/[^\p{L}']+/u);
  if (words.filter(Boolean).length < 3) return undefined;
  const scores: Record<string, number> = {};
  for (const word of words) {
    if (word === '') continue;
    const languages = LANGUAGES_OF.get(word);
    if (languages) for (const language of languages) scores[language] = (scores[language] ?? 0) + 1;
    if (word.length > 3 && RUSSIAN_LATIN.test(word)) scores.ru = (scores.ru ?? 0) + 1;
  }
  const ranked = Object.entries(scores).sort((a, b) => b[1] - a[1]);
  const [best, second] = ranked;
  if (!best || best[1] < 2 || (second && best[1] < second[1] * 2)) return undefined;
  return best[0];
}
