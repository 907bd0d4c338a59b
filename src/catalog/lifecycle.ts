import { inTransaction, type Db } from './db.ts';
import { sql, type Kysely, type Transaction } from 'kysely';
import type { Database } from '../db/schema.ts';
import { FILE_REFERENCES } from './commands/manuscripts.ts';

/**
 * The two deletions of the catalog: an issue nobody has read, and a whole journal. Rows go in one
 * transaction; the stored files they leave unreferenced are named so the caller removes them from
 * the file store after the commit (a file removed before a rollback could not come back).
 */

/** Publications of any version placed in the issue: while there are any, the issue stays. */
export async function issueArticleCount(db: Db, issueId: number): Promise<number> {
  const row = await db
    .selectFrom('publications')
    .select((eb) => eb.fn.count<string>('article_id').distinct().as('n'))
    .where('issue_id', '=', issueId)
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

export type IssueDeletion = { deleted: true; storageKeys: string[] } | { deleted: false; reason: 'published' | 'has-articles' | 'missing'; articles: number };

/**
 * Deletes an unpublished issue that holds no article (OJS moves such articles back to unscheduled;
 * here the editor moves or removes them first, so nothing leaves a table of contents unseen), with
 * its cover, its issue galleys and their files.
 */
export async function deleteIssue(db: Db, journalId: number, issueId: number): Promise<IssueDeletion> {
  return inTransaction(db, async (trx) => {
    const issue = await trx.selectFrom('issues').select(['id', 'is_published', 'cover_file_id']).where('id', '=', issueId).where('journal_id', '=', journalId).forUpdate().executeTakeFirst();
    if (!issue) return { deleted: false, reason: 'missing', articles: 0 };
    if (issue.is_published) return { deleted: false, reason: 'published', articles: 0 };
    const articles = await issueArticleCount(trx, issueId);
    if (articles > 0) return { deleted: false, reason: 'has-articles', articles };
    const galleyFiles = await trx.selectFrom('issue_galleys').select('file_id').where('issue_id', '=', issueId).execute();
    const fileIds = [...galleyFiles.map((g) => g.file_id), ...(issue.cover_file_id !== null ? [issue.cover_file_id] : [])];
    await trx.deleteFrom('ojs_ids').where('journal_id', '=', journalId).where('kind', '=', 'issue').where('revista_id', '=', issueId).execute();
    await trx.deleteFrom('issues').where('id', '=', issueId).execute();
    return { deleted: true, storageKeys: await deleteUnreferencedFiles(trx, fileIds) };
  });
}

/** What deleting a journal takes with it, as the confirmation page lists it. */
export interface JournalDeletionSummary {
  issues: number;
  articles: number;
  files: number;
  fileBytes: number;
  /** Role assignments in the journal, and how many people hold them (their accounts stay). */
  roles: number;
  people: number;
  pages: number;
  announcements: number;
  /** Usage events recorded and monthly totals kept (COUNTER statistics). */
  usageEvents: number;
  usageMonths: number;
}

const count = (n: { n: string | number | bigint } | undefined) => Number(n?.n ?? 0);

/** Every stored file the journal's rows refer to: images, covers, galleys, issue galleys. */
function journalFileIds(db: Db | Transaction<Database>, journalId: number) {
  return sql<{ id: number }>`
    SELECT logo_file_id AS id FROM journals WHERE id = ${journalId} AND logo_file_id IS NOT NULL
    UNION SELECT favicon_file_id FROM journals WHERE id = ${journalId} AND favicon_file_id IS NOT NULL
    UNION SELECT homepage_image_file_id FROM journals WHERE id = ${journalId} AND homepage_image_file_id IS NOT NULL
    UNION SELECT cover_file_id FROM issues WHERE journal_id = ${journalId} AND cover_file_id IS NOT NULL
    UNION SELECT g.file_id FROM issue_galleys g JOIN issues i ON i.id = g.issue_id WHERE i.journal_id = ${journalId}
    UNION SELECT p.cover_file_id FROM publications p JOIN articles a ON a.id = p.article_id WHERE a.journal_id = ${journalId} AND p.cover_file_id IS NOT NULL
    UNION SELECT g.file_id FROM galleys g JOIN publications p ON p.id = g.publication_id JOIN articles a ON a.id = p.article_id WHERE a.journal_id = ${journalId} AND g.file_id IS NOT NULL
  `.execute(db);
}

export async function journalDeletionSummary(db: Db, journalId: number): Promise<JournalDeletionSummary> {
  const n = (table: 'issues' | 'articles' | 'journal_pages' | 'announcements' | 'usage_events' | 'usage_item_months') =>
    db.selectFrom(table).select((eb) => eb.fn.countAll<string>().as('n')).where('journal_id', '=', journalId).executeTakeFirst().then(count);
  const fileIds = (await journalFileIds(db, journalId)).rows.map((r) => r.id);
  const files = fileIds.length > 0 ? await db.selectFrom('files').select((eb) => [eb.fn.countAll<string>().as('n'), eb.fn.coalesce(eb.fn.sum<string>('size_bytes'), sql<string>`0`).as('bytes')]).where('id', 'in', fileIds).executeTakeFirst() : undefined;
  const roles = await db
    .selectFrom('role_assignments')
    .select((eb) => [eb.fn.countAll<string>().as('n'), eb.fn.count<string>('user_id').distinct().as('people')])
    .where('journal_id', '=', journalId)
    .executeTakeFirst();
  return {
    issues: await n('issues'),
    articles: await n('articles'),
    files: count(files),
    fileBytes: Number(files?.bytes ?? 0),
    roles: count(roles),
    people: Number(roles?.people ?? 0),
    pages: await n('journal_pages'),
    announcements: await n('announcements'),
    usageEvents: await n('usage_events'),
    usageMonths: await n('usage_item_months'),
  };
}

/**
 * Deletes a journal and everything in it: sections, issues, articles with every version, pages,
 * menu, announcements, roles in it (the people's accounts stay), SUSHI keys, what `forget` clears
 * of other capabilities' tables (OAI records, usage statistics: admin/commands.ts deleteJournalEverywhere),
 * and the stored files only it refers to (its search entries follow through the indexer's queue).
 * Returns the storage keys to remove once committed, or undefined when there is no such journal.
 */
export async function deleteJournal(db: Db, journalId: number, forget: (trx: Transaction<Database>) => Promise<void>): Promise<{ storageKeys: string[] } | undefined> {
  return inTransaction(db, async (trx) => {
    // The row lock waits for an import's unit of work in progress (its rows hold a key-share lock on
    // the journal); the import's next unit then fails on the missing journal and writes nothing.
    const journal = await trx.selectFrom('journals').select('id').where('id', '=', journalId).forUpdate().executeTakeFirst();
    if (!journal) return undefined;
    const fileIds = (await journalFileIds(trx, journalId)).rows.map((r) => r.id);
    // Usage statistics and OAI records name the journal without a foreign key: their capabilities
    // forget them through `forget` (stats, discovery), in this transaction, before the articles go.
    // Search entries are not cleared: deleting the articles queues them, and the indexer removes each
    // entry with its share of the term statistics. Articles go before the journal so their triggers
    // find what they look up.
    await forget(trx);
    await trx.deleteFrom('articles').where('journal_id', '=', journalId).execute();
    await trx.deleteFrom('journals').where('id', '=', journalId).execute();
    return { storageKeys: await deleteUnreferencedFiles(trx, fileIds) };
  });
}

/** Deletes the `files` rows among `ids` that nothing refers to any more, and returns their storage keys. */
export async function deleteUnreferencedFiles(trx: Db, ids: number[]): Promise<string[]> {
  if (ids.length === 0) return [];
  // The same list of referring columns as forgetUnreferencedFiles (catalog FILE_REFERENCES), workflow tables and galley assets included.
  const unreferenced = FILE_REFERENCES.map(([table, column]) => sql`NOT EXISTS (SELECT 1 FROM ${sql.table(table)} r WHERE ${sql.ref(`r.${column}`)} = f.id)`);
  const rows = await sql<{ storage_key: string }>`DELETE FROM files f WHERE f.id = ANY (${sql.val(ids)}::int[]) AND ${sql.join(unreferenced, sql` AND `)} RETURNING f.storage_key`.execute(trx);
  return rows.rows.map((r) => r.storage_key);
}
