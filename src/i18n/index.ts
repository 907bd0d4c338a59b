import { en, type MessageKey } from './messages/en.ts';
import { pl } from './messages/pl.ts';

export type { MessageKey };

import type { UiLocale } from './locales.ts';

export const catalogs: Record<UiLocale, Record<MessageKey, string>> = { en, pl };

export type Params = Record<string, string | number>;
export type Translate = (key: MessageKey, params?: Params) => string;

export function translate(locale: UiLocale, key: MessageKey, params?: Params): string {
  const template = catalogs[locale][key];
  if (!params) return template;
  return template.replace(/\{(\w+)\}/g, (whole, name: string) => (name in params ? String(params[name]) : whole));
}

export function translator(locale: UiLocale): Translate {
  return (key, params) => translate(locale, key, params);
}

export * from './locales.ts';
export * from './format.ts';
export * from './negotiate.ts';
export * from './localized.ts';
