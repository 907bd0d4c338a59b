/** Locales Revista has a UI for. A journal may publish content in others; its pages fall back. */
export const UI_LOCALES = ['pl', 'en'] as const;
export type UiLocale = (typeof UI_LOCALES)[number];

/** Each language named in itself, as a language switcher should show it. */
export const LANGUAGE_NAMES: Record<UiLocale, string> = { pl: 'Polski', en: 'English' };

export function isUiLocale(value: unknown): value is UiLocale {
  return typeof value === 'string' && (UI_LOCALES as readonly string[]).includes(value);
}
