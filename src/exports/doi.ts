import { sql, type Kysely } from 'kysely';
import type { Database } from '../db/index.ts';

/**
 * DOIs as OJS makes them: the journal's prefix, and a suffix from a pattern (default
 * `{journalInitials}.v{volume}i{issue}.{articleId}`) or typed by hand. Pure rules first, then the
 * database writes.
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

/** True when another article already has this DOI (case-insensitive). */
export async function doiTaken(db: Kysely<Database>, doi: string, articleId: number): Promise<boolean> {
  const row = await db
    .selectFrom('publications')
    .select('article_id')
    .where(sql`lower(doi)`, '=', doi.toLowerCase())
    .where('article_id', '<>', articleId)
    .limit(1)
    .executeTakeFirst();
  return row !== undefined;
}

export interface AssignResult {
  assigned: Array<{ articleId: number; doi: string }>;
  skipped: Array<{ articleId: number; reason: string }>;
}

/**
 * Gives every published article of the journal (or of one issue) that lacks a DOI one from the
 * pattern, as OJS's "Assign DOIs" does; every version of the article carries it. Needs the prefix.
 */
export async function assignMissingDois(db: Kysely<Database>, journalId: number, options: { issueId?: number } = {}): Promise<AssignResult> {
  const journal = await db.selectFrom('journals').select(['path', 'name', 'acronym', 'primary_locale', 'doi_prefix', 'doi_suffix_pattern']).where('id', '=', journalId).executeTakeFirstOrThrow();
  if (!journal.doi_prefix) throw new Error(`the journal ${journal.path} has no DOI prefix`);
  let query = db
    .selectFrom('articles as a')
    .innerJoin('publications as p', 'p.id', 'a.current_publication_id')
    .leftJoin('issues as i', 'i.id', 'p.issue_id')
    .select(['a.id', 'p.doi', 'p.pages', 'i.volume', 'i.number', 'i.year'])
    .where('a.journal_id', '=', journalId)
    .where('p.status', '=', 'published')
    .where((eb) => eb.or([eb('p.doi', 'is', null), eb('p.doi', '=', '')]))
    .orderBy('a.id');
  if (options.issueId !== undefined) query = query.where('p.issue_id', '=', options.issueId);
  const rows = await query.execute();
  const name = journal.name[journal.primary_locale] ?? Object.values(journal.name)[0] ?? journal.path;
  const initials = journalInitials(journal.acronym[journal.primary_locale] ?? Object.values(journal.acronym)[0], name, journal.path);
  const result: AssignResult = { assigned: [], skipped: [] };
  for (const row of rows) {
    const suffix = suffixFromPattern(journal.doi_suffix_pattern ?? DEFAULT_SUFFIX_PATTERN, { journalInitials: initials, volume: row.volume, issue: row.number, year: row.year, articleId: row.id, pages: row.pages });
    const doi = `${journal.doi_prefix}/${suffix}`;
    const problem = doiProblem(doi);
    if (problem) {
      result.skipped.push({ articleId: row.id, reason: `${doi} is not a valid DOI (${problem})` });
      continue;
    }
    if (await doiTaken(db, doi, row.id)) {
      result.skipped.push({ articleId: row.id, reason: `${doi} is already used by another article` });
      continue;
    }
    await db.updateTable('publications').set({ doi }).where('article_id', '=', row.id).execute();
    result.assigned.push({ articleId: row.id, doi });
  }
  return result;
}
