import { inTransaction, type Db } from './db.ts';
import { sql, type Kysely, type Transaction } from 'kysely';
import type { Database, Publication } from '../db/schema.ts';
import { emit } from '../platform/events/index.ts';

/**
 * The one way an article's version is made: the current publication copied whole (contributors with
 * every field, references with their parses, galleys), numbered after the latest. The caller changes
 * the copy and makes it current; the old version stays as it was, for readers who open it.
 */

type Trx = Transaction<Database>;

export interface CopiedVersion {
  publicationId: number;
  previous: Publication;
  /** The copy of each contributor and galley of the previous version, by the old id. */
  contributorIds: Map<number, number>;
  galleyIds: Map<number, number>;
}

export async function copyCurrentVersion(trx: Trx, articleId: number): Promise<CopiedVersion> {
  const article = await trx.selectFrom('articles').select('current_publication_id').where('id', '=', articleId).forUpdate().executeTakeFirstOrThrow();
  const old = await trx.selectFrom('publications').selectAll().where('id', '=', article.current_publication_id!).executeTakeFirstOrThrow();
  const latest = await trx.selectFrom('publications').select((eb) => eb.fn.max('version').as('v')).where('article_id', '=', articleId).executeTakeFirstOrThrow();
  const { id: _id, created_at: _c, updated_at: _u, ...copy } = old;
  const json = (value: unknown) => JSON.stringify(value);
  const created = await trx
    .insertInto('publications')
    .values({
      ...copy,
      version: Number(latest.v ?? old.version) + 1,
      prefix: json(copy.prefix),
      title: json(copy.title),
      subtitle: json(copy.subtitle),
      abstract: json(copy.abstract),
      keywords: json(copy.keywords),
      subjects: json(copy.subjects),
      copyright_holder: json(copy.copyright_holder),
      coverage: json(copy.coverage),
      type: json(copy.type),
      source: json(copy.source),
      rights: json(copy.rights),
      disciplines: json(copy.disciplines),
      agencies: json(copy.agencies),
      languages: json(copy.languages),
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  const contributorIds = new Map<number, number>();
  const contributors = await trx.selectFrom('contributors').selectAll().where('publication_id', '=', old.id).orderBy('seq').orderBy('id').execute();
  for (const [seq, c] of contributors.entries()) {
    const { id, publication_id: _p, ...rest } = c;
    const row = await trx
      .insertInto('contributors')
      .values({
        ...rest,
        publication_id: created.id,
        seq,
        given_name: json(rest.given_name),
        family_name: json(rest.family_name),
        affiliation: json(rest.affiliation),
        affiliations: json(rest.affiliations),
        biography: json(rest.biography),
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    contributorIds.set(id, row.id);
  }
  // Unchanged texts keep their parses (the guard trigger drops any that no longer match).
  await sql`
    INSERT INTO citations (publication_id, seq, raw_text, parsed, parsed_text_sha256, parser_version)
    SELECT ${created.id}, seq, raw_text, parsed, parsed_text_sha256, parser_version FROM citations WHERE publication_id = ${old.id} ORDER BY seq
  `.execute(trx);
  const galleyIds = new Map<number, number>();
  const galleys = await trx.selectFrom('galleys').selectAll().where('publication_id', '=', old.id).orderBy('seq').orderBy('id').execute();
  for (const [seq, g] of galleys.entries()) {
    const { id, publication_id: _p, ...rest } = g;
    const row = await trx.insertInto('galleys').values({ ...rest, publication_id: created.id, seq }).returning('id').executeTakeFirstOrThrow();
    galleyIds.set(id, row.id);
    // An HTML galley's images and styles go with it (the same stored files, under the same names).
    await sql`INSERT INTO galley_assets (galley_id, name, file_id) SELECT ${row.id}, name, file_id FROM galley_assets WHERE galley_id = ${id} ORDER BY id`.execute(trx);
  }
  return { publicationId: created.id, previous: old, contributorIds, galleyIds };
}

/**
 * The draft version of a published article (OJS: "Create a new version"): a version after the current
 * one that is not published yet. Undefined when there is none, or the article is not published.
 */
export async function findDraftVersion(db: Kysely<Database>, articleId: number): Promise<Publication | undefined> {
  return db
    .selectFrom('publications as p')
    .innerJoin('articles as a', 'a.id', 'p.article_id')
    .innerJoin('publications as c', 'c.id', 'a.current_publication_id')
    .selectAll('p')
    .where('p.article_id', '=', articleId)
    .where('a.status', '=', 'published')
    .where('c.status', '=', 'published')
    .where('p.status', '=', 'queued')
    .whereRef('p.version', '>', 'c.version')
    .orderBy('p.version', 'desc')
    .executeTakeFirst();
}

/** True when readers see this version: published, and outside any issue or in a published one. */
export async function isVisibleToReaders(trx: Trx, publication: Pick<Publication, 'status' | 'issue_id'>): Promise<boolean> {
  if (publication.status !== 'published') return false;
  if (publication.issue_id === null) return true;
  const issue = await trx.selectFrom('issues').select('is_published').where('id', '=', publication.issue_id).executeTakeFirst();
  return issue?.is_published ?? false;
}

export interface ChangeTarget {
  articleId: number;
  /** The publication to change: a new version when readers see the article, else the current one. */
  publicationId: number;
  /** True when the change makes a new version. */
  newVersion: boolean;
  /** The id in the target publication of a contributor or galley of the current one (undefined: not there). */
  contributor(id: number): number | undefined;
  galley(id: number): number | undefined;
}

/**
 * Runs one change of an article in one transaction. A change to what readers see becomes a new
 * version (OJS keeps published versions as they were); an article readers do not see yet (or any
 * more) is changed in place, as OJS edits an unpublished version.
 */
export async function changeArticle<T>(db: Db, articleId: number, apply: (trx: Trx, target: ChangeTarget) => Promise<T>): Promise<T> {
  return inTransaction(db, async (trx) => {
    const article = await trx.selectFrom('articles').select(['current_publication_id', 'journal_id']).where('id', '=', articleId).forUpdate().executeTakeFirstOrThrow();
    const draft = await findDraftVersion(trx, articleId);
    const current = draft ?? (await trx.selectFrom('publications').selectAll().where('id', '=', article.current_publication_id!).executeTakeFirstOrThrow());
    // A draft version is edited in place, as an article readers do not see yet.
    if (draft || !(await isVisibleToReaders(trx, current))) {
      const contributorIds = new Set((await trx.selectFrom('contributors').select('id').where('publication_id', '=', current.id).execute()).map((r) => r.id));
      const galleyIds = new Set((await trx.selectFrom('galleys').select('id').where('publication_id', '=', current.id).execute()).map((r) => r.id));
      const result = await apply(trx, {
        articleId,
        publicationId: current.id,
        newVersion: false,
        contributor: (id) => (contributorIds.has(id) ? id : undefined),
        galley: (id) => (galleyIds.has(id) ? id : undefined),
      });
      await emit(trx, { type: 'PublicationChanged', journalId: article.journal_id, articleId, publicationId: current.id, newVersion: false });
      return result;
    }
    const copied = await copyCurrentVersion(trx, articleId);
    const result = await apply(trx, {
      articleId,
      publicationId: copied.publicationId,
      newVersion: true,
      contributor: (id) => copied.contributorIds.get(id),
      galley: (id) => copied.galleyIds.get(id),
    });
    await trx.updateTable('articles').set({ current_publication_id: copied.publicationId }).where('id', '=', articleId).execute();
    await emit(trx, { type: 'PublicationChanged', journalId: article.journal_id, articleId, publicationId: copied.publicationId, newVersion: true });
    return result;
  });
}
