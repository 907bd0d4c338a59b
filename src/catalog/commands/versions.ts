import { sql } from 'kysely';
import { inTransaction, type Db } from '../db.ts';
import { copyCurrentVersion, findDraftVersion, isVisibleToReaders } from '../versions.ts';
import { emit } from '../../platform/events/index.ts';

/**
 * Versions the OJS 3.2+ way: "Create a new version" of a published article makes a draft — a copy of
 * the version readers see, not yet published and not current — which the team edits (every edit of
 * the article goes to the draft while there is one: see changeArticle and publishNewVersion);
 * "Publish this version" makes it the one readers see, dated that day, under the article's DOI; the
 * earlier versions stay readable at their own addresses. A draft can be thrown away.
 */

export class VersionError extends Error {
  constructor(readonly reason: 'not-published' | 'draft-exists' | 'no-draft') {
    super(reason);
  }
}

/** Makes a draft version of a published article; returns its publication id. */
export async function createDraftVersion(db: Db, articleId: number): Promise<{ publicationId: number; version: number }> {
  return inTransaction(db, async (trx) => {
    const article = await trx.selectFrom('articles').select(['current_publication_id', 'status']).where('id', '=', articleId).forUpdate().executeTakeFirstOrThrow();
    const current = await trx.selectFrom('publications').selectAll().where('id', '=', article.current_publication_id!).executeTakeFirstOrThrow();
    if (article.status !== 'published' || !(await isVisibleToReaders(trx, current))) throw new VersionError('not-published');
    if (await findDraftVersion(trx, articleId)) throw new VersionError('draft-exists');
    const copied = await copyCurrentVersion(trx, articleId);
    // Its own date comes when it is published; until then readers see the current version.
    const row = await trx.updateTable('publications').set({ status: 'queued', date_published: null }).where('id', '=', copied.publicationId).returning('version').executeTakeFirstOrThrow();
    return { publicationId: copied.publicationId, version: row.version };
  });
}

/**
 * Publishes the article's draft version: it becomes current and published, dated `today`, with the
 * article's DOI; one transaction, announced as PublicationPublished (via 'version').
 */
export async function publishDraftVersion(db: Db, articleId: number, publicationId: number, today: string): Promise<void> {
  await inTransaction(db, async (trx) => {
    const article = await trx.selectFrom('articles').select(['current_publication_id', 'journal_id']).where('id', '=', articleId).forUpdate().executeTakeFirstOrThrow();
    const draft = await findDraftVersion(trx, articleId);
    if (!draft || draft.id !== publicationId) throw new VersionError('no-draft');
    const current = await trx.selectFrom('publications').select(['doi']).where('id', '=', article.current_publication_id!).executeTakeFirstOrThrow();
    await trx
      .updateTable('publications')
      .set({ status: 'published', date_published: sql<string>`${today}::date`, doi: current.doi })
      .where('id', '=', publicationId)
      .execute();
    await trx.updateTable('articles').set({ current_publication_id: publicationId }).where('id', '=', articleId).execute();
    await emit(trx, { type: 'PublicationChanged', journalId: article.journal_id, articleId, publicationId, newVersion: true });
    await emit(trx, { type: 'PublicationPublished', journalId: article.journal_id, articleId, publicationId, via: 'version' });
  });
}

/** Throws the draft version away (its contributors, references and galleys with it). */
export async function discardDraftVersion(db: Db, articleId: number, publicationId: number): Promise<void> {
  await inTransaction(db, async (trx) => {
    await trx.selectFrom('articles').select('id').where('id', '=', articleId).forUpdate().executeTakeFirstOrThrow();
    const draft = await findDraftVersion(trx, articleId);
    if (!draft || draft.id !== publicationId) throw new VersionError('no-draft');
    await trx.deleteFrom('publications').where('id', '=', publicationId).execute();
  });
}
