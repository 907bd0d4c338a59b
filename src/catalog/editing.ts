import { sql } from 'kysely';
import type { Issue, LocalizedText, Publication, Section } from '../db/schema.ts';
import type { Db } from './db.ts';
import { publicationReferences } from './references.ts';
import { notADraft } from './article-list.ts';
import { findDraftVersion } from './versions.ts';
import type { ReferenceView } from './types.ts';

/**
 * What the management pages read of the catalog: sections, issues with their articles, an article
 * with its versions. The writes are the commands in ./commands/.
 */

export function listSections(db: Db, journalId: number): Promise<Section[]> {
  return db.selectFrom('sections').selectAll().where('journal_id', '=', journalId).orderBy('seq').orderBy('id').execute();
}

export function findSection(db: Db, journalId: number, id: number): Promise<Section | undefined> {
  return db.selectFrom('sections').selectAll().where('journal_id', '=', journalId).where('id', '=', id).executeTakeFirst();
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

export interface ArticleForEditing {
  articleId: number;
  journalId: number;
  /** The version the team edits: the draft version when there is one, else the current one. */
  current: Publication;
  /** The version readers see (the current one); differs from `current` while a draft version exists. */
  readerVersion: Publication;
  versions: Array<{ id: number; version: number; status: string; datePublished: string | null; createdAt: Date }>;
  /** The current version's references, each with the problems its parse found. */
  references: ReferenceView[];
}

export async function findArticleForEditing(db: Db, journalId: number, articleId: number): Promise<ArticleForEditing | undefined> {
  const article = await db.selectFrom('articles as a').selectAll('a').where('a.id', '=', articleId).where('a.journal_id', '=', journalId).where(notADraft).executeTakeFirst();
  // A draft (an author's unfinished submission) is not the journal team's to open.
  if (!article?.current_publication_id) return undefined;
  const draft = await findDraftVersion(db, articleId);
  const [readerVersion, versions, references] = await Promise.all([
    db.selectFrom('publications').selectAll().where('id', '=', article.current_publication_id).executeTakeFirstOrThrow(),
    db.selectFrom('publications').select(['id', 'version', 'status', 'date_published', 'created_at']).where('article_id', '=', articleId).orderBy('version', 'desc').execute(),
    publicationReferences(db, draft?.id ?? article.current_publication_id),
  ]);
  return {
    articleId,
    journalId,
    current: draft ?? readerVersion,
    readerVersion,
    versions: versions.map((v) => ({ id: v.id, version: v.version, status: v.status, datePublished: v.date_published, createdAt: v.created_at })),
    references,
  };
}

