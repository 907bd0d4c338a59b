import { sql, type Insertable, type Updateable } from 'kysely';
import type { ArticleTable, CitationTable, ContributorTable, GalleyTable, IssueGalleyTable, IssueTable, PublicationTable, SectionTable } from '../../db/schema.ts';
import type { Db } from '../db.ts';
import { deleteUnreferencedFiles } from '../lifecycle.ts';
import { markCurrent, unmarkCurrent } from './current-issue.ts';

/**
 * Bulk writes for importing a whole catalog (the OJS Native XML import, interop/ojs/store*.ts): the
 * importer decides what each row holds (ids kept from earlier imports or taken over from OJS,
 * statuses, digests), the catalog writes it, a few multi-row statements per table rather than a
 * dozen statements per article. They run in the caller's transaction (one per issue), and keep the
 * catalog's own rules: the current issue is marked through markCurrent, files go only when nothing
 * refers to them.
 */

const CHUNK = 400;

async function inChunks<T>(rows: T[], write: (chunk: T[]) => Promise<unknown>): Promise<void> {
  for (let i = 0; i < rows.length; i += CHUNK) await write(rows.slice(i, i + CHUNK));
}

/** A section as imported: made (id undefined) or updated in place; returns its id. */
export async function importSection(db: Db, journalId: number, id: number | undefined, section: Pick<Insertable<SectionTable>, 'title' | 'abbreviation' | 'policy' | 'settings'> & { seq: number }): Promise<number> {
  const { seq, ...values } = section;
  if (id !== undefined) {
    await db.updateTable('sections').set(values).where('id', '=', id).where('journal_id', '=', journalId).execute();
    return id;
  }
  return (await db.insertInto('sections').values({ journal_id: journalId, seq, ...values }).returning('id').executeTakeFirstOrThrow()).id;
}

export type ImportedIssueValues = Omit<Updateable<IssueTable>, 'id' | 'journal_id' | 'is_current'> & { updated_at?: Date };

/**
 * An issue as imported: a new one under the id the importer drew (`id`), or an existing one
 * (`existingId`) updated in place. A current issue becomes the journal's only current one.
 */
export async function importIssue(db: Db, journalId: number, issue: { id?: number; existingId?: number; values: ImportedIssueValues; current: boolean }): Promise<number> {
  let issueId = issue.existingId;
  if (issueId === undefined) {
    if (issue.current) await unmarkCurrent(db, journalId);
    const values = { ...(issue.id !== undefined ? { id: issue.id } : {}), journal_id: journalId, ...issue.values, is_current: issue.current };
    return (await db.insertInto('issues').values(values as Insertable<IssueTable>).returning('id').executeTakeFirstOrThrow()).id;
  } else {
    const { updated_at: _kept, ...values } = issue.values;
    await db.updateTable('issues').set({ ...values, is_current: false }).where('id', '=', issueId).where('journal_id', '=', journalId).execute();
  }
  if (issue.current) await markCurrent(db, journalId, issueId);
  return issueId;
}

/** Removes an issue's galleys (an import replaces them); returns what they were, to keep ids and drop files. */
export async function removeIssueGalleys(db: Db, issueId: number): Promise<Array<{ id: number; file_id: number }>> {
  return db.deleteFrom('issue_galleys').where('issue_id', '=', issueId).returning(['id', 'file_id']).execute();
}

export async function addIssueGalley(db: Db, galley: Insertable<IssueGalleyTable>): Promise<number> {
  return (await db.insertInto('issue_galleys').values(galley).returning('id').executeTakeFirstOrThrow()).id;
}

/**
 * The versions of articles an import replaces go: the articles stay (and keep their ids), without
 * a current version until importArticles gives them their new ones.
 */
export async function dropArticleVersions(db: Db, articleIds: number[]): Promise<void> {
  if (articleIds.length === 0) return;
  await db.updateTable('articles').set({ current_publication_id: null }).where('id', 'in', articleIds).execute();
  await db.deleteFrom('publications').where('article_id', 'in', articleIds).execute();
}

export interface ImportedArticles {
  /** New articles, with the ids the importer drew. */
  created: Insertable<ArticleTable>[];
  /** Articles imported before, their own fields updated. */
  updated: Array<{ id: number; values: Pick<Updateable<ArticleTable>, 'locale' | 'status' | 'date_submitted'> }>;
  /** Every version of these articles, with their ids; their files are recorded already (recordFiles). */
  publications: Insertable<PublicationTable>[];
  contributors: Insertable<ContributorTable>[];
  citations: Insertable<CitationTable>[];
  galleys: Insertable<GalleyTable>[];
  /** Which version readers see, per article. */
  current: Array<{ articleId: number; publicationId: number }>;
}

/** Writes imported articles with all their versions; returns the contributors' ids in the order given. */
export async function importArticles(db: Db, a: ImportedArticles): Promise<{ contributorIds: number[] }> {
  await inChunks(a.created, (chunk) => db.insertInto('articles').values(chunk).execute());
  for (const { id, values } of a.updated) await db.updateTable('articles').set(values).where('id', '=', id).execute();
  await inChunks(a.publications, (chunk) => db.insertInto('publications').values(chunk).execute());
  const contributorIds: number[] = [];
  await inChunks(a.contributors, async (chunk) => {
    const rows = await db.insertInto('contributors').values(chunk).returning('id').execute();
    contributorIds.push(...rows.map((r) => r.id));
  });
  await inChunks(a.citations, (chunk) => db.insertInto('citations').values(chunk).execute());
  await inChunks(a.galleys, (chunk) => db.insertInto('galleys').values(chunk).execute());
  if (a.current.length > 0) {
    await sql`
      UPDATE articles AS a SET current_publication_id = c.publication
      FROM unnest(${a.current.map((c) => c.articleId)}::integer[], ${a.current.map((c) => c.publicationId)}::integer[]) AS c (article, publication)
      WHERE a.id = c.article
    `.execute(db);
  }
  return { contributorIds };
}

/** Files among `fileIds` that no row refers to any more: their rows go; returns their storage keys, to remove after the commit. */
export async function forgetUnusedFiles(db: Db, fileIds: number[]): Promise<string[]> {
  return deleteUnreferencedFiles(db, fileIds);
}
