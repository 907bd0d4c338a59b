import { sql, type Kysely } from 'kysely';
import type { Database, Issue, LocalizedList, LocalizedText, Publication, Section } from '../db/schema.ts';
import { insertReferences, publicationReferences } from './references.ts';
import { toRichTextPerLocale } from '../ui/rich-text-convert.ts';
import type { ReferenceView } from './types.ts';
import { copyCurrentVersion } from './versions.ts';
import { emit } from '../platform/events/index.ts';

/**
 * The journal's own edits of its catalog, as managers and editors make them: sections, issues and
 * their order, publishing, and new versions of published articles. Each write is one transaction.
 */

type Db = Kysely<Database>;

export function listSections(db: Db, journalId: number): Promise<Section[]> {
  return db.selectFrom('sections').selectAll().where('journal_id', '=', journalId).orderBy('seq').orderBy('id').execute();
}

export function findSection(db: Db, journalId: number, id: number): Promise<Section | undefined> {
  return db.selectFrom('sections').selectAll().where('journal_id', '=', journalId).where('id', '=', id).executeTakeFirst();
}

export interface SectionFields {
  title: LocalizedText;
  abbreviation: LocalizedText;
  policy: LocalizedText;
}

export async function saveSection(db: Db, journalId: number, id: number | null, fields: SectionFields): Promise<number> {
  const values = { title: JSON.stringify(fields.title), abbreviation: JSON.stringify(fields.abbreviation), policy: JSON.stringify(fields.policy) };
  if (id !== null) {
    await db.updateTable('sections').set(values).where('id', '=', id).where('journal_id', '=', journalId).execute();
    return id;
  }
  const last = await db.selectFrom('sections').select((eb) => eb.fn.max('seq').as('seq')).where('journal_id', '=', journalId).executeTakeFirst();
  const row = await db.insertInto('sections').values({ journal_id: journalId, ...values, seq: Number(last?.seq ?? 0) + 1 }).returning('id').executeTakeFirstOrThrow();
  return row.id;
}

/** True when the section holds no article, so deleting it loses nothing. */
export async function sectionIsEmpty(db: Db, sectionId: number): Promise<boolean> {
  const row = await db.selectFrom('publications').select('id').where('section_id', '=', sectionId).limit(1).executeTakeFirst();
  return row === undefined;
}

/**
 * Moves one item up or down a list ordered by `seq`: renumbers the whole list 1…n in its current
 * order with the item swapped, so equal or missing positions end up well defined.
 */
export function reorder<T extends { id: number }>(items: T[], id: number, direction: 'up' | 'down'): Array<{ id: number; seq: number }> {
  const ids = items.map((i) => i.id);
  const index = ids.indexOf(id);
  const target = direction === 'up' ? index - 1 : index + 1;
  if (index >= 0 && target >= 0 && target < ids.length) [ids[index], ids[target]] = [ids[target]!, ids[index]!];
  return ids.map((itemId, i) => ({ id: itemId, seq: i + 1 }));
}

export async function moveSection(db: Db, journalId: number, sectionId: number, direction: 'up' | 'down'): Promise<void> {
  await db.transaction().execute(async (trx) => {
    const order = reorder(await listSections(trx, journalId), sectionId, direction);
    for (const { id, seq } of order) await trx.updateTable('sections').set({ seq }).where('id', '=', id).execute();
  });
}

export interface IssueListEntry extends Issue {
  articles: number;
}

/** Every issue of the journal, unpublished ones first (future issues), then back issues newest first. */
export async function listAllIssues(db: Db, journalId: number): Promise<IssueListEntry[]> {
  const rows = await db
    .selectFrom('issues as i')
    .selectAll('i')
    .select((eb) =>
      eb
        .selectFrom('publications as p')
        .innerJoin('articles as a', (join) => join.onRef('a.current_publication_id', '=', 'p.id'))
        .select((e) => e.fn.countAll<string>().as('n'))
        .whereRef('p.issue_id', '=', 'i.id')
        .as('articles'),
    )
    .where('i.journal_id', '=', journalId)
    .orderBy('i.is_published')
    .orderBy(sql`i.date_published DESC NULLS LAST`)
    .orderBy(sql`i.year DESC NULLS LAST`)
    .orderBy(sql`i.volume DESC NULLS LAST`)
    .orderBy('i.id', 'desc')
    .execute();
  return rows.map((r) => ({ ...r, articles: Number(r.articles ?? 0) }));
}

export function findIssue(db: Db, journalId: number, id: number): Promise<Issue | undefined> {
  return db.selectFrom('issues').selectAll().where('journal_id', '=', journalId).where('id', '=', id).executeTakeFirst();
}

export interface IssueFields {
  volume: number | null;
  number: string | null;
  year: number | null;
  title: LocalizedText;
  description: LocalizedText;
  showVolume: boolean;
  showNumber: boolean;
  showYear: boolean;
  showTitle: boolean;
  urlPath: string | null;
}

export async function saveIssue(db: Db, journalId: number, id: number | null, fields: IssueFields): Promise<number> {
  const values = {
    volume: fields.volume,
    number: fields.number,
    year: fields.year,
    title: JSON.stringify(fields.title),
    description: JSON.stringify(fields.description),
    show_volume: fields.showVolume,
    show_number: fields.showNumber,
    show_year: fields.showYear,
    show_title: fields.showTitle,
    url_path: fields.urlPath,
  };
  if (id !== null) {
    await db.updateTable('issues').set(values).where('id', '=', id).where('journal_id', '=', journalId).execute();
    return id;
  }
  const row = await db.insertInto('issues').values({ journal_id: journalId, ...values }).returning('id').executeTakeFirstOrThrow();
  return row.id;
}

export async function setIssueCover(db: Db, issueId: number, fileId: number | null): Promise<void> {
  await db.updateTable('issues').set({ cover_file_id: fileId }).where('id', '=', issueId).execute();
}

/**
 * Publishes an issue (OJS: "Publish issue"): the issue and the current versions of its articles
 * become public, dated `date` unless they already have a date; optionally it becomes current.
 */
export async function publishIssue(db: Db, journalId: number, issueId: number, date: string, makeCurrent: boolean): Promise<void> {
  await db.transaction().execute(async (trx) => {
    if (makeCurrent) await trx.updateTable('issues').set({ is_current: false }).where('journal_id', '=', journalId).where('is_current', '=', true).execute();
    await trx
      .updateTable('issues')
      .set({ is_published: true, date_published: sql`coalesce(date_published, ${date}::date)`, ...(makeCurrent ? { is_current: true } : {}) })
      .where('id', '=', issueId)
      .where('journal_id', '=', journalId)
      .execute();
    const current = trx.selectFrom('articles').select('current_publication_id').where('journal_id', '=', journalId);
    await trx
      .updateTable('publications')
      .set({ status: 'published', date_published: sql`coalesce(date_published, ${date}::date)` })
      .where('issue_id', '=', issueId)
      .where('id', 'in', current as never)
      .execute();
    await trx
      .updateTable('articles')
      .set({ status: 'published' })
      .where('journal_id', '=', journalId)
      .where('current_publication_id', 'in', trx.selectFrom('publications').select('id').where('issue_id', '=', issueId))
      .execute();
    await emit(trx, { type: 'IssuePublished', journalId, issueId });
  });
}

/** Takes an issue off the reader site (OJS: "Unpublish"); its articles stay with it, unpublished. */
export async function unpublishIssue(db: Db, journalId: number, issueId: number): Promise<void> {
  await db.transaction().execute(async (trx) => {
    const taken = await trx.updateTable('issues').set({ is_published: false, is_current: false }).where('id', '=', issueId).where('journal_id', '=', journalId).where('is_published', '=', true).executeTakeFirst();
    if (taken.numUpdatedRows > 0n) await emit(trx, { type: 'IssueUnpublished', journalId, issueId });
  });
}

export async function setCurrentIssue(db: Db, journalId: number, issueId: number): Promise<boolean> {
  return db.transaction().execute(async (trx) => {
    const issue = await trx.selectFrom('issues').select('is_published').where('id', '=', issueId).where('journal_id', '=', journalId).executeTakeFirst();
    if (!issue?.is_published) return false;
    await trx.updateTable('issues').set({ is_current: false }).where('journal_id', '=', journalId).where('is_current', '=', true).execute();
    await trx.updateTable('issues').set({ is_current: true }).where('id', '=', issueId).execute();
    return true;
  });
}

export interface IssueArticle {
  articleId: number;
  publicationId: number;
  title: LocalizedText;
  sectionId: number;
  status: string;
  seq: number;
}

/** Articles (their current versions) assigned to an issue, in the issue's order. */
export async function listIssueArticles(db: Db, journalId: number, issueId: number): Promise<IssueArticle[]> {
  const rows = await db
    .selectFrom('publications as p')
    .innerJoin('articles as a', (join) => join.onRef('a.current_publication_id', '=', 'p.id'))
    .innerJoin('sections as s', 's.id', 'p.section_id')
    .leftJoin('issue_section_order as o', (join) => join.onRef('o.section_id', '=', 's.id').on('o.issue_id', '=', issueId))
    .select(['a.id as articleId', 'p.id as publicationId', 'p.title', 'p.section_id as sectionId', 'p.status', 'p.seq'])
    .where('a.journal_id', '=', journalId)
    .where('p.issue_id', '=', issueId)
    .orderBy(sql`o.seq NULLS LAST`)
    .orderBy('s.seq')
    .orderBy('s.id')
    .orderBy('p.seq')
    .orderBy('a.id')
    .execute();
  return rows;
}

/** Moves an article up or down within its section in the issue. */
export async function moveArticleInIssue(db: Db, journalId: number, issueId: number, articleId: number, direction: 'up' | 'down'): Promise<void> {
  await db.transaction().execute(async (trx) => {
    const all = await listIssueArticles(trx, journalId, issueId);
    const moving = all.find((a) => a.articleId === articleId);
    if (!moving) return;
    const inSection = all.filter((a) => a.sectionId === moving.sectionId).map((a) => ({ ...a, id: a.articleId }));
    for (const { id, seq } of reorder(inSection, articleId, direction)) {
      const publicationId = inSection.find((a) => a.id === id)!.publicationId;
      await trx.updateTable('publications').set({ seq }).where('id', '=', publicationId).execute();
    }
  });
}

/** Moves a section up or down in this issue's table of contents only. */
export async function moveSectionInIssue(db: Db, journalId: number, issueId: number, sectionId: number, direction: 'up' | 'down'): Promise<void> {
  await db.transaction().execute(async (trx) => {
    const sectionIds = [...new Set((await listIssueArticles(trx, journalId, issueId)).map((a) => a.sectionId))];
    const order = reorder(sectionIds.map((id) => ({ id })), sectionId, direction);
    await trx.deleteFrom('issue_section_order').where('issue_id', '=', issueId).execute();
    if (order.length > 0) await trx.insertInto('issue_section_order').values(order.map(({ id, seq }) => ({ issue_id: issueId, section_id: id, seq }))).execute();
  });
}

export interface ArticleForEditing {
  articleId: number;
  journalId: number;
  current: Publication;
  versions: Array<{ id: number; version: number; status: string; datePublished: string | null; createdAt: Date }>;
  /** The current version's references, each with the problems its parse found. */
  references: ReferenceView[];
}

export async function findArticleForEditing(db: Db, journalId: number, articleId: number): Promise<ArticleForEditing | undefined> {
  const article = await db.selectFrom('articles').selectAll().where('id', '=', articleId).where('journal_id', '=', journalId).executeTakeFirst();
  if (!article?.current_publication_id) return undefined;
  const [current, versions, references] = await Promise.all([
    db.selectFrom('publications').selectAll().where('id', '=', article.current_publication_id).executeTakeFirstOrThrow(),
    db.selectFrom('publications').select(['id', 'version', 'status', 'date_published', 'created_at']).where('article_id', '=', articleId).orderBy('version', 'desc').execute(),
    publicationReferences(db, article.current_publication_id),
  ]);
  return {
    articleId,
    journalId,
    current,
    versions: versions.map((v) => ({ id: v.id, version: v.version, status: v.status, datePublished: v.date_published, createdAt: v.created_at })),
    references,
  };
}

export interface PublicationMetadata {
  title: LocalizedText;
  subtitle: LocalizedText;
  abstract: LocalizedText;
  keywords: LocalizedList;
  pages: string | null;
  sectionId: number;
  licenseUrl: string | null;
  /** The article's DOI; every version carries the same one. */
  doi: string | null;
  /** The new reference list, one text per reference; absent: the current version's, unchanged. */
  references?: string[];
}

/**
 * Changes a published article's metadata the way OJS does: a new version (publication) copied from
 * the current one, with its contributors, references and galleys, carrying the changes; it becomes
 * the version readers see, and the old one stays on record.
 */
export async function publishNewVersion(db: Db, articleId: number, changes: PublicationMetadata): Promise<number> {
  return db.transaction().execute(async (trx) => {
    const { publicationId, previous } = await copyCurrentVersion(trx, articleId);
    await trx
      .updateTable('publications')
      .set({
        title: JSON.stringify(changes.title),
        subtitle: JSON.stringify(changes.subtitle),
        // Stored as rich text whatever it came as: plain text becomes escaped paragraphs.
        abstract: JSON.stringify(toRichTextPerLocale(changes.abstract)),
        keywords: JSON.stringify(changes.keywords),
        pages: changes.pages,
        section_id: changes.sectionId,
        license_url: changes.licenseUrl,
      })
      .where('id', '=', publicationId)
      .execute();
    const oldReferences = await trx.selectFrom('citations').select('raw_text').where('publication_id', '=', previous.id).orderBy('seq').execute();
    const same = changes.references === undefined || (changes.references.length === oldReferences.length && changes.references.every((text, i) => text === oldReferences[i]!.raw_text));
    if (!same) {
      await trx.deleteFrom('citations').where('publication_id', '=', publicationId).execute();
      await insertReferences(trx, publicationId, changes.references!);
    }
    await trx.updateTable('articles').set({ current_publication_id: publicationId }).where('id', '=', articleId).execute();
    await trx.updateTable('publications').set({ doi: changes.doi }).where('article_id', '=', articleId).execute();
    const { journal_id: journalId } = await trx.selectFrom('articles').select('journal_id').where('id', '=', articleId).executeTakeFirstOrThrow();
    await emit(trx, { type: 'PublicationChanged', journalId, articleId, publicationId, newVersion: true });
    return publicationId;
  });
}
