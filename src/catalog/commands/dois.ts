import { sql } from 'kysely';
import { inTransaction, type Db } from '../db.ts';
import { DEFAULT_SUFFIX_PATTERN, doiProblem, journalInitials, suffixFromPattern } from '../dois.ts';

/**
 * DOIs given to published articles (OJS's "Assign DOIs"): by the DOI page, `revista doi assign`, and
 * by publishIssue when the journal has a prefix, so every way of publishing gives the same DOIs.
 */

/** True when another article already has this DOI (case-insensitive). */
export async function doiTaken(db: Db, doi: string, articleId: number): Promise<boolean> {
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
export async function assignMissingDois(db: Db, journalId: number, options: { issueId?: number; articleIds?: readonly number[] } = {}): Promise<AssignResult> {
  // One transaction: a DOI is taken once, by the first article that asks, even with two editors at once.
  return inTransaction(db, (trx) => assignInTransaction(trx, journalId, options));
}

async function assignInTransaction(db: Db, journalId: number, options: { issueId?: number; articleIds?: readonly number[] }): Promise<AssignResult> {
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
  // The articles a publication step just made public (the workflow's publish, a notice): only those.
  if (options.articleIds !== undefined) {
    if (options.articleIds.length === 0) return { assigned: [], skipped: [] };
    query = query.where('a.id', 'in', [...options.articleIds]);
  }
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
