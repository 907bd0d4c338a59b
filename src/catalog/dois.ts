/**
 * DOIs as OJS makes them: the journal's prefix, and a suffix from a pattern (default
 * `{journalInitials}.v{volume}i{issue}.{articleId}`) or typed by hand. Pure rules; the writes are
 * commands/dois.ts.
 */
export const DEFAULT_SUFFIX_PATTERN = '%j.v%vi%i.%a';

export interface SuffixValues {
  journalInitials: string;
  volume: number | null;
  issue: string | null;
  year: number | null;
  articleId: number;
  pages: string | null;
}

/**
 * Fills an OJS suffix pattern: %j journal initials (lower case), %v volume, %i issue number, %Y year,
 * %a article id, %p first page. A token without a value is left empty.
 */
export function suffixFromPattern(pattern: string, values: SuffixValues): string {
  const firstPage = values.pages?.split(/[-–]/)[0]?.trim() ?? '';
  return pattern.replace(/%([jviYap])/g, (_m, token: string) => {
    switch (token) {
      case 'j':
        return values.journalInitials.toLowerCase();
      case 'v':
        return values.volume === null ? '' : String(values.volume);
      case 'i':
        return values.issue ?? '';
      case 'Y':
        return values.year === null ? '' : String(values.year);
      case 'a':
        return String(values.articleId);
      default:
        return firstPage;
    }
  });
}

export type DoiProblem = 'prefix' | 'suffix' | 'characters';

/** DOI syntax (ANSI/NISO Z39.84, and what Crossref accepts): `10.NNNN/suffix`, printable, no spaces. */
export function doiProblem(doi: string): DoiProblem | null {
  const match = /^10\.(\d{4,9})\/(.+)$/.exec(doi);
  if (!match) return /^10\.\d{4,9}/.test(doi) ? 'suffix' : 'prefix';
  if (!/^[-._;()/:A-Za-z0-9<>[\]]+$/.test(match[2]!)) return 'characters';
  return null;
}

export function prefixIsValid(prefix: string): boolean {
  return /^10\.\d{4,9}$/.test(prefix);
}

/** Journal initials for the default pattern: the acronym, else the initials of the name's words. */
export function journalInitials(acronym: string | undefined, name: string, path: string): string {
  if (acronym && acronym.trim()) return acronym.trim().replace(/[^A-Za-z0-9]/g, '');
  const initials = name
    .split(/\s+/)
    .map((w) => w.normalize('NFD').replace(/[^A-Za-z]/g, '')[0] ?? '')
    .join('');
  return initials || path;
}

