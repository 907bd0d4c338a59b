import type { Kysely } from 'kysely';
import { contributorsOf, galleysOf, visibleCurrentPublications, type ContributorView, type GalleyView } from '../../../catalog/index.ts';
import type { Article, Database, Publication } from '../../../db/index.ts';

/**
 * What the API reads of articles: for readers the one rule of visibility the catalog keeps
 * (`visibleCurrentPublications`: published, current, in a published issue or none); for the journal's
 * managers and editors every article that has a version, and every version of it.
 */

type Db = Kysely<Database>;
export type ListedArticle = Article & { current_publication_id: number };

export interface ArticleFilter {
  journalId: number;
  /** Editors see unpublished articles and every version; readers the visible current version only. */
  editor: boolean;
  articleIds?: number[];
  issueIds?: number[];
  sectionIds?: number[];
  /** Drafts are their authors' alone: left out unless the caller was found to be one (workflow routes). */
  withDrafts?: boolean;
}

function articleQuery(db: Db, filter: ArticleFilter) {
  let query = filter.editor
    ? db
        .selectFrom('articles as a')
        .innerJoin('publications as p', 'p.id', 'a.current_publication_id')
        .where('a.journal_id', '=', filter.journalId)
    : visibleCurrentPublications(db).where('a.journal_id', '=', filter.journalId);
  if (filter.editor && !filter.withDrafts) query = query.where(({ not, exists, selectFrom }) => not(exists(selectFrom('submissions as s').select('s.id').whereRef('s.id', '=', 'a.id').where('s.status', '=', 'draft'))));
  if (filter.articleIds) query = query.where('a.id', 'in', filter.articleIds);
  if (filter.issueIds) query = query.where('p.issue_id', 'in', filter.issueIds);
  if (filter.sectionIds) query = query.where('p.section_id', 'in', filter.sectionIds);
  return query;
}

/** A page of articles, newest publication first, and how many there are in all. */
export async function listArticles(db: Db, filter: ArticleFilter, page: { limit: number; offset: number }): Promise<{ articles: ListedArticle[]; total: number }> {
  const query = articleQuery(db, filter);
  const [rows, count] = await Promise.all([
    query.selectAll('a').orderBy('p.date_published', (ob) => ob.desc().nullsFirst()).orderBy('a.id', 'desc').limit(page.limit).offset(page.offset).execute(),
    query.select((eb) => eb.fn.countAll<number>().as('total')).executeTakeFirstOrThrow(),
  ]);
  return { articles: rows as ListedArticle[], total: Number(count.total) };
}

export interface LoadedPublications {
  byArticle: Map<number, Publication[]>;
  parts: Map<number, { contributors: ContributorView[]; galleys: GalleyView[] }>;
}

/** The versions a caller may see of these articles, newest first, with contributors and galleys: four queries in all. */
export async function loadPublications(db: Db, articles: ListedArticle[], editor: boolean): Promise<LoadedPublications> {
  const byArticle = new Map<number, Publication[]>();
  const parts: LoadedPublications['parts'] = new Map();
  if (articles.length === 0) return { byArticle, parts };
  const rows = editor
    ? await db.selectFrom('publications').selectAll().where('article_id', 'in', articles.map((a) => a.id)).orderBy('article_id').orderBy('version', 'desc').execute()
    : await db.selectFrom('publications').selectAll().where('id', 'in', articles.map((a) => a.current_publication_id)).execute();
  const ids = rows.map((r) => r.id);
  const [contributors, galleys] = await Promise.all([contributorsOf(db, ids), galleysOf(db, ids)]);
  for (const row of rows) {
    byArticle.set(row.article_id, [...(byArticle.get(row.article_id) ?? []), row]);
    parts.set(row.id, { contributors: contributors.get(row.id) ?? [], galleys: galleys.get(row.id) ?? [] });
  }
  return { byArticle, parts };
}
