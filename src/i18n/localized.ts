import type { LocalizedText } from '../db/schema.ts';

export interface LocalizedValue {
  text: string;
  /** The locale the text is really in; it differs from the page's when a fallback was used. */
  locale: string;
}

/**
 * Picks the text for a page's locale from a localized field, falling back to the given locales in
 * order and then to any text there is. Empty strings count as missing.
 */
export function localize(field: LocalizedText | null | undefined, locale: string, ...fallbacks: string[]): LocalizedValue | undefined {
  if (!field) return undefined;
  for (const candidate of [locale, ...fallbacks]) {
    const text = field[candidate];
    if (text && text.trim() !== '') return { text, locale: candidate };
  }
  for (const [candidate, text] of Object.entries(field)) {
    if (text && text.trim() !== '') return { text, locale: candidate };
  }
  return undefined;
}

export function localizeText(field: LocalizedText | null | undefined, locale: string, ...fallbacks: string[]): string {
  return localize(field, locale, ...fallbacks)?.text ?? '';
}
