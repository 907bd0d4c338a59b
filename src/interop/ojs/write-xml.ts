import type { Localized, NativeId } from './model.ts';
import type { Losses, OjsVersion } from './versions.ts';

/** The pieces every part of the Native XML writer shares: escaping, indentation, localized elements, the release written for. */

/** The release written for, how it spells locales, and what it could not hold so far. */
export interface Dialect {
  version: OjsVersion;
  locale: (locale: string) => string;
  losses: Losses;
}

export function lose(w: Dialect, key: keyof Losses, count = 1): void {
  w.losses[key] = (w.losses[key] ?? 0) + count;
}

// Characters XML 1.0 cannot carry at all; dropping them keeps the document well-formed.
const NOT_XML = /[^\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/gu;

export function text(value: string): string {
  return value.replace(NOT_XML, '').replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/\r/g, '&#13;');
}

export function attr(value: string | number | boolean): string {
  return text(String(value)).replace(/"/g, '&quot;').replace(/\t/g, '&#9;').replace(/\n/g, '&#10;');
}

/** ` name="value"` for each defined, non-empty attribute, in the order given. */
export function attrs(pairs: Array<[string, string | number | boolean | undefined]>): string {
  return pairs.filter(([, value]) => value !== undefined && value !== '').map(([name, value]) => ` ${name}="${attr(value!)}"`).join('');
}

export function indent(depth: number): string {
  return '  '.repeat(depth);
}

/** One element per locale with text; `required` writes an empty one in `fallbackLocale` when there is none. */
export function localizedLines(w: Dialect, depth: number, name: string, values: Localized, options: { required?: boolean; fallbackLocale?: string } = {}): string {
  const lines = Object.entries(values)
    .filter(([, value]) => value.trim() !== '')
    .map(([locale, value]) => `${indent(depth)}<${name} locale="${attr(w.locale(locale))}">${text(value)}</${name}>\n`);
  if (lines.length === 0 && options.required) return `${indent(depth)}<${name}${options.fallbackLocale ? ` locale="${attr(w.locale(options.fallbackLocale))}"` : ''}></${name}>\n`;
  return lines.join('');
}

export function idLines(depth: number, ids: NativeId[]): string {
  return ids
    .filter((id) => id.value.trim() !== '')
    .map((id) => `${indent(depth)}<id type="${attr(id.type)}" advice="${id.type === 'internal' ? 'ignore' : 'update'}">${text(id.value)}</id>\n`)
    .join('');
}

