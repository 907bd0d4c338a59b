import { sql } from 'kysely';
import type { LocalizedList, LocalizedText } from '../../db/schema.ts';
import { toRichTextPerLocale } from '../../ui/rich-text-convert.ts';
import { inTransaction, type Db } from '../db.ts';
import { insertReferences } from '../references.ts';
import { changeArticle } from '../versions.ts';

/**
 * Articles on their way to publication (the workflow's submissions): one is started as a `queued`
 * article with a first, unpublished version, which the workflow then fills in. Readers never see a
 * queued article; its metadata changes in place (changeArticle) until it is published.
 */

export interface ManuscriptStart {
  journalId: number;
  sectionId: number;
  locale: string;
}

/** Starts a queued article with its first version; returns the article's id (the submission's). */
export async function startManuscript(db: Db, input: ManuscriptStart): Promise<{ articleId: number; publicationId: number }> {
  return inTransaction(db, async (tx) => {
    const article = await tx.insertInto('articles').values({ journal_id: input.journalId, locale: input.locale, status: 'queued', date_submitted: null }).returning('id').executeTakeFirstOrThrow();
    const publication = await tx
      .insertInto('publications')
      .values({
        article_id: article.id,
        version: 1,
        status: 'queued',
        locale: input.locale,
        prefix: '{}',
        title: '{}',
        subtitle: '{}',
        abstract: '{}',
        keywords: '{}',
        subjects: '{}',
        section_id: input.sectionId,
        issue_id: null,
        pages: null,
        doi: null,
        url_path: null,
        license_url: null,
        copyright_holder: '{}',
        copyright_year: null,
        date_published: null,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    await tx.updateTable('articles').set({ current_publication_id: publication.id }).where('id', '=', article.id).execute();
    return { articleId: article.id, publicationId: publication.id };
  });
}

/** The section and language of a manuscript not yet published (the wizard's first step, changed). */
export async function placeManuscript(db: Db, articleId: number, input: { sectionId: number; locale: string }): Promise<void> {
  await changeArticle(db, articleId, async (trx, target) => {
    await trx.updateTable('publications').set({ section_id: input.sectionId, locale: input.locale }).where('id', '=', target.publicationId).execute();
    await trx.updateTable('articles').set({ locale: input.locale }).where('id', '=', articleId).execute();
  });
}

export interface ManuscriptDetails {
  prefix: LocalizedText;
  title: LocalizedText;
  subtitle: LocalizedText;
  /** Plain text or rich text; stored as rich text. */
  abstract: LocalizedText;
  keywords: LocalizedList;
}

export async function saveManuscriptDetails(db: Db, articleId: number, details: ManuscriptDetails): Promise<void> {
  await changeArticle(db, articleId, async (trx, target) => {
    await trx
      .updateTable('publications')
      .set({
        prefix: JSON.stringify(details.prefix),
        title: JSON.stringify(details.title),
        subtitle: JSON.stringify(details.subtitle),
        abstract: JSON.stringify(toRichTextPerLocale(details.abstract)),
        keywords: JSON.stringify(details.keywords),
      })
      .where('id', '=', target.publicationId)
      .execute();
  });
}

/** Replaces the reference list (one text per reference); unchanged texts keep their parse. */
export async function saveManuscriptReferences(db: Db, articleId: number, texts: readonly string[]): Promise<void> {
  await changeArticle(db, articleId, async (trx, target) => {
    const old = await trx.selectFrom('citations').select('raw_text').where('publication_id', '=', target.publicationId).orderBy('seq').execute();
    if (old.length === texts.length && old.every((row, i) => row.raw_text === texts[i])) return;
    await trx.deleteFrom('citations').where('publication_id', '=', target.publicationId).execute();
    await insertReferences(trx, target.publicationId, texts);
  });
}

/** The article is submitted: its date of submission is set (OJS's dateSubmitted). */
export async function markManuscriptSubmitted(db: Db, articleId: number, at: Date): Promise<void> {
  await inTransaction(db, async (trx) => {
    await trx.updateTable('articles').set({ date_submitted: at }).where('id', '=', articleId).execute();
  });
}

/** A draft thrown away by its author: the article and its version go (nothing was ever public). */
export async function discardManuscript(db: Db, articleId: number): Promise<void> {
  await inTransaction(db, async (trx) => {
    const article = await trx.selectFrom('articles').select('status').where('id', '=', articleId).forUpdate().executeTakeFirst();
    if (!article || article.status !== 'queued') return;
    await trx.updateTable('articles').set({ current_publication_id: null }).where('id', '=', articleId).execute();
    await trx.deleteFrom('publications').where('article_id', '=', articleId).execute();
    await trx.deleteFrom('articles').where('id', '=', articleId).execute();
  });
}

/**
 * Every column that names a stored file. A `files` row none of them names is left over (a draft
 * thrown away, a draft's file removed): `forgetUnreferencedFiles` deletes it, and the file store's
 * sweep then removes the bytes no row names. A new column referring to `files` belongs here (a test
 * compares this list with the database's foreign keys).
 */
export const FILE_REFERENCES: ReadonlyArray<readonly [table: string, column: string]> = [
  ['galleys', 'file_id'],
  // An HTML galley's images, styles and fonts (issue 21); a new version's copy shares them.
  ['galley_assets', 'file_id'],
  ['issue_galleys', 'file_id'],
  ['issues', 'cover_file_id'],
  ['publications', 'cover_file_id'],
  ['journals', 'logo_file_id'],
  ['journals', 'favicon_file_id'],
  ['journals', 'homepage_image_file_id'],
  ['submission_files', 'file_id'],
  ['submission_file_revisions', 'file_id'],
  ['discussion_message_files', 'file_id'],
  ['review_attachments', 'file_id'],
  // A file's anonymised copy for reviewers (workflow/review/anonymize): kept while its original is.
  ['anonymized_files', 'copy_file_id'],
];

/**
 * Deletes the `files` rows of these ids that nothing refers to any more, and the anonymised copies
 * of those that went (their `anonymized_files` rows go with the original); returns how many went.
 */
export async function forgetUnreferencedFiles(db: Db, fileIds: readonly number[]): Promise<number> {
  const ids = [...new Set(fileIds)].filter((id) => Number.isSafeInteger(id));
  if (ids.length === 0) return 0;
  const copies = (await db.selectFrom('anonymized_files').select('copy_file_id').where('file_id', 'in', ids).execute()).map((r) => r.copy_file_id);
  const unreferenced = FILE_REFERENCES.map(([table, column]) => sql`NOT EXISTS (SELECT 1 FROM ${sql.table(table)} r WHERE ${sql.ref(`r.${column}`)} = f.id)`);
  const result = await sql`DELETE FROM files f WHERE f.id = ANY (${ids}::int[]) AND ${sql.join(unreferenced, sql` AND `)}`.execute(db);
  const gone = Number(result.numAffectedRows ?? 0);
  return gone + (gone > 0 && copies.length > 0 ? await forgetUnreferencedFiles(db, copies) : 0);
}
