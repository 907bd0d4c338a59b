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

/** Letters that settle the question by themselves: a script, or letters only one language uses. */
const TELLING = /[\u0370-\u04FFąęłńśźżĄĘŁŃŚŹŻəƏığşİĞŞ]/;

function byLetters(text: string): string | undefined {
  if (/[\u0400-\u04FF]/.test(text)) {
    if (/[іїєґІЇЄҐ]/.test(text)) return /[ўЎ]/.test(text) ? 'be' : 'uk';
    return 'ru';
  }
  if (/[\u0370-\u03FF]/.test(text)) return 'el';
  if (/[ąęłńśźżĄĘŁŃŚŹŻ]/.test(text)) return 'pl';
  if (/[əƏ]/.test(text)) return 'az';
  return 'tr';
}

export function guessLanguage(text: string | undefined): string | undefined {
  if (!text) return undefined;
  if (TELLING.test(text)) return byLetters(text);
  const words = text.toLowerCase().split(/[\s,.;:!?()[\]"“”„«»–—/-]+/);
  if (words.length - (words[0] === '' ? 1 : 0) - (words.at(-1) === '' ? 1 : 0) < 3) return undefined;
  const scores: Record<string, number> = {};
  for (const word of words) {
    if (word === '') continue;
    const languages = LANGUAGES_OF.get(word);
    if (languages) for (const language of languages) scores[language] = (scores[language] ?? 0) + 1;
    if (word.length > 3 && RUSSIAN_LATIN.test(word)) scores.ru = (scores.ru ?? 0) + 1;
  }
  let best: string | undefined;
  let top = 0;
  let second = 0;
  for (const language in scores) {
    const score = scores[language]!;
    if (score > top) {
      second = top;
      top = score;
      best = language;
    } else if (score > second) second = score;
  }
  if (!best || top < 2 || top < second * 2) return undefined;
  return best;
}
