import type { UiLocale } from './locales.ts';

/**
 * Dates shown to readers. Stored dates are calendar dates or instants; both are shown in UTC so a
 * date never shifts by a day with the server's time zone.
 */
const longDate: Record<UiLocale, Intl.DateTimeFormat> = {
  pl: new Intl.DateTimeFormat('pl', { day: 'numeric', month: 'long', year: 'numeric', timeZone: 'UTC' }),
  en: new Intl.DateTimeFormat('en-US', { day: 'numeric', month: 'long', year: 'numeric', timeZone: 'UTC' }),
};

/** Numeric dates: Polish readers expect 27.12.2021, and the English UI uses ISO 8601 (2021-12-27) as OJS does. */
const numericDate: Record<UiLocale, Intl.DateTimeFormat> = {
  pl: new Intl.DateTimeFormat('pl', { day: '2-digit', month: '2-digit', year: 'numeric', timeZone: 'UTC' }),
  en: new Intl.DateTimeFormat('en-CA', { day: '2-digit', month: '2-digit', year: 'numeric', timeZone: 'UTC' }),
};

function toDate(value: Date | string): Date {
  return value instanceof Date ? value : new Date(/^\d{4}-\d{2}-\d{2}$/.test(value) ? `${value}T00:00:00Z` : value);
}

export function formatLongDate(locale: UiLocale, value: Date | string): string {
  return longDate[locale].format(toDate(value));
}

export function formatNumericDate(locale: UiLocale, value: Date | string): string {
  return numericDate[locale].format(toDate(value));
}

/** Machine-readable form for `<time datetime>`. */
export function isoDate(value: Date | string): string {
  return toDate(value).toISOString().slice(0, 10);
}

/** A count in the reader's language: "1 234" in Polish, "1,234" in English. */
export function formatNumber(locale: UiLocale, value: number): string {
  return new Intl.NumberFormat(locale).format(value);
}
