import { countryOptions, currentCountryCode } from './countries.ts';

/**
 * Identifiers people type into forms, checked the way their registries define them. Pure functions:
 * each returns the normalised value, or null when the input is not a valid identifier.
 */

/** ORCID iD (ISO 7064 MOD 11-2 check digit), given bare or as an orcid.org URL; returns the https URL form. */
export function normaliseOrcid(input: string): string | null {
  const match = /^\s*(?:https?:\/\/(?:www\.)?orcid\.org\/)?(\d{4})-?(\d{4})-?(\d{4})-?(\d{3}[\dXx])\s*$/.exec(input);
  if (!match) return null;
  const digits = match.slice(1, 5).join('').toUpperCase();
  let total = 0;
  for (const digit of digits.slice(0, 15)) total = (total + Number(digit)) * 2;
  const remainder = (12 - (total % 11)) % 11;
  const check = remainder === 10 ? 'X' : String(remainder);
  if (check !== digits[15]) return null;
  return `https://orcid.org/${digits.slice(0, 4)}-${digits.slice(4, 8)}-${digits.slice(8, 12)}-${digits.slice(12)}`;
}

/** ISSN (ISO 3297, MOD 11 check digit); returns the `NNNN-NNNC` form. */
export function normaliseIssn(input: string): string | null {
  const match = /^\s*(\d{4})[-\s]?(\d{3}[\dXx])\s*$/.exec(input);
  if (!match) return null;
  const digits = `${match[1]}${match[2]}`.toUpperCase();
  let total = 0;
  for (let i = 0; i < 7; i++) total += Number(digits[i]) * (8 - i);
  const remainder = (11 - (total % 11)) % 11;
  const check = remainder === 10 ? 'X' : String(remainder);
  if (check !== digits[7]) return null;
  return `${digits.slice(0, 4)}-${digits.slice(4)}`;
}

/**
 * An email address as people use them: one @, a dotted domain, no spaces or angle brackets. The
 * domain is lower-cased; the local part is kept as typed (addresses are compared case-insensitively).
 */
export function normaliseEmail(input: string): string | null {
  const value = input.trim();
  if (value.length > 254) return null;
  const match = /^([^\s@<>()[\],;:"]{1,64})@([a-zA-Z0-9](?:[a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?(?:\.[a-zA-Z0-9](?:[a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?)+)$/.exec(value);
  if (!match) return null;
  return `${match[1]}@${match[2]!.toLowerCase()}`;
}

/** ISO 3166-1 alpha-2 country code assigned today, upper-cased; a withdrawn code (UK) becomes its successor (GB). */
export function normaliseCountry(input: string): string | null {
  if (!/^\s*[A-Za-z]{2}\s*$/.test(input)) return null;
  return currentCountryCode(input);
}

export { countryOptions };

export const PASSWORD_MIN_LENGTH = 10;
export const PASSWORD_MAX_LENGTH = 256;

export type PasswordProblem = 'too-short' | 'too-long' | 'same-as-email';

/** NIST SP 800-63B: length matters, composition rules do not. */
export function passwordProblem(password: string, email?: string): PasswordProblem | null {
  if ([...password].length < PASSWORD_MIN_LENGTH) return 'too-short';
  if (password.length > PASSWORD_MAX_LENGTH) return 'too-long';
  if (email && password.trim().toLowerCase() === email.trim().toLowerCase()) return 'same-as-email';
  return null;
}

/** Words a journal's path may not be, because site-wide pages live there. */
export const RESERVED_JOURNAL_PATHS = new Set([
  'admin', 'api', 'assets', 'index', 'index.php', 'login', 'logout', 'user', 'users', 'healthz', 'readyz', 'metrics', 'oai', 'search',
  'sitemap', 'feed', 'static', 'public', 'management', 'manager', 'about', 'help', 'register', 'favicon.ico',
  'robots.txt', 'revista', 'site', 'journal', 'journals', 'files', 'download', 'uploads',
]);

export type JournalPathProblem = 'empty' | 'format' | 'reserved' | 'too-long';

/** A journal's URL path: lowercase letters, digits and hyphens, starting with a letter or digit. */
export function journalPathProblem(path: string): JournalPathProblem | null {
  if (path === '') return 'empty';
  if (path.length > 64) return 'too-long';
  if (!/^[a-z0-9][a-z0-9-]*$/.test(path)) return 'format';
  if (RESERVED_JOURNAL_PATHS.has(path)) return 'reserved';
  return null;
}
