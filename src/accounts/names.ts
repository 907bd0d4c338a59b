import { localize } from '../i18n/index.ts';
import type { LocalizedText } from '../db/index.ts';

/** "Given Family" in `locale` (falling back to any locale given), or undefined when no name was given. */
export function personName(person: { given_name: LocalizedText; family_name: LocalizedText }, locale: string): string | undefined {
  const given = localize(person.given_name, locale, locale)?.text ?? '';
  const family = localize(person.family_name, locale, locale)?.text ?? '';
  const name = `${given} ${family}`.trim();
  return name === '' ? undefined : name;
}

export function viewerName(user: { givenName: LocalizedText; familyName: LocalizedText; email: string }, locale: string): string {
  return personName({ given_name: user.givenName, family_name: user.familyName }, locale) ?? user.email;
}
