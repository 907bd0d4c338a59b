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

/** ISO 3166-1 alpha-2 country code, upper-cased; only codes `Intl` knows a name for. */
export function normaliseCountry(input: string): string | null {
  const code = input.trim().toUpperCase();
  if (!/^[A-Z]{2}$/.test(code)) return null;
  const name = new Intl.DisplayNames(['en'], { type: 'region', fallback: 'none' }).of(code);
  return name ? code : null;
}

/** Country codes with their names in `locale`, sorted by name, for the registration form. */
export function countryOptions(locale: string): Array<{ code: string; name: string }> {
  const display = new Intl.DisplayNames([locale], { type: 'region', fallback: 'none' });
  const options: Array<{ code: string; name: string }> = [];
  for (let a = 65; a <= 90; a++) {
    for (let b = 65; b <= 90; b++) {
      const code = String.fromCharCode(a, b);
      const name = display.of(code);
      // Intl answers some non-country codes (e.g. "EU", "UN", "ZZ"); keep ISO 3166-1 assigned ones.
      if (name && name !== code && !NOT_COUNTRIES.has(code)) options.push({ code, name });
    }
  }
  return options.sort((x, y) => x.name.localeCompare(y.name, locale));
}

const NOT_COUNTRIES = new Set(['EU', 'EZ', 'UN', 'ZZ', 'QO', 'XA', 'XB', 'XK', 'AC', 'CP', 'CQ', 'DG', 'EA', 'IC', 'TA']);

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
  'admin', 'api', 'assets', 'index', 'index.php', 'login', 'logout', 'user', 'users', 'healthz', 'oai', 'search',
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
