import { sql } from 'kysely';
import type { Db } from './db.ts';
import type { NoticeLink } from './types.ts';

const visible = sql<boolean>`p.status = 'published' AND a.status = 'published' AND (p.issue_id IS NULL OR EXISTS (SELECT 1 FROM issues i WHERE i.id = p.issue_id AND i.is_published))`;

const visibleAs = (a: string, p: string) =>
  sql.raw(`${p}.status = 'published' AND ${a}.status = 'published' AND (${p}.issue_id IS NULL OR EXISTS (SELECT 1 FROM issues vi WHERE vi.id = ${p}.issue_id AND vi.is_published))`);

/**
 * For loadPublishedArticles' query (articles `a`, publications `p`): the published notices about the
 * article as a JSON list (null when none), and the article a notice updates as a JSON object (null
 * for an article that is no notice); dates as `YYYY-MM-DD`, the notice's on both.
 */
export const noticesOfArticle = sql<NoticeLink[] | null>`(
  SELECT json_agg(json_build_object('kind', n.kind, 'articleId', na.id, 'title', np.title, 'doi', np.doi, 'datePublished', np.date_published) ORDER BY np.date_published, n.id)
  FROM article_notices n JOIN articles na ON na.id = n.notice_article_id JOIN publications np ON np.id = na.current_publication_id
  WHERE n.article_id = a.id AND ${visibleAs('na', 'np')})`;

export const articleOfNotice = sql<NoticeLink | null>`(
  SELECT json_build_object('kind', n.kind, 'articleId', ua.id, 'title', up.title, 'doi', up.doi, 'datePublished', p.date_published)
  FROM article_notices n JOIN articles ua ON ua.id = n.article_id JOIN publications up ON up.id = ua.current_publication_id
  WHERE n.notice_article_id = a.id AND ${visibleAs('ua', 'up')}
  LIMIT 1)`;

/** The published notices about these articles (readers see them), oldest first, by article. */
export async function noticesAbout(db: Db, articleIds: readonly number[]): Promise<Map<number, NoticeLink[]>> {
  const out = new Map<number, NoticeLink[]>();
  if (articleIds.length === 0) return out;
  const rows = await db
    .selectFrom('article_notices as n')
    .innerJoin('articles as a', 'a.id', 'n.notice_article_id')
    .innerJoin('publications as p', 'p.id', 'a.current_publication_id')
    .select(['n.article_id as about', 'n.kind', 'a.id as articleId', 'p.title', 'p.doi', 'p.date_published as datePublished'])
    .where('n.article_id', 'in', articleIds)
    .where(visible)
    .orderBy('p.date_published')
    .orderBy('n.id')
    .execute();
  for (const { about, ...link } of rows) out.set(about, [...(out.get(about) ?? []), link]);
  return out;
}

/** The article each of these notices updates (when readers can open it), by notice article. */
export async function noticeTargets(db: Db, noticeArticleIds: readonly number[]): Promise<Map<number, NoticeLink>> {
  const out = new Map<number, NoticeLink>();
  if (noticeArticleIds.length === 0) return out;
  const rows = await db
    .selectFrom('article_notices as n')
    .innerJoin('articles as a', 'a.id', 'n.article_id')
    .innerJoin('publications as p', 'p.id', 'a.current_publication_id')
    .innerJoin('articles as na', 'na.id', 'n.notice_article_id')
    .innerJoin('publications as np', 'np.id', 'na.current_publication_id')
    .select(['n.notice_article_id as notice', 'n.kind', 'a.id as articleId', 'p.title', 'p.doi', 'np.date_published as datePublished'])
    .where('n.notice_article_id', 'in', noticeArticleIds)
    .where(visible)
    .execute();
  for (const { notice, ...link } of rows) out.set(notice, link);
  return out;
}
