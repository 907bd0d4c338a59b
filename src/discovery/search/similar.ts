import { sql, type Kysely } from 'kysely';
import type { Database } from '../../db/index.ts';

type Db = Kysely<Database>;

export const SIMILAR_PAGE_SIZE = 5;
/** At most this many pages of similar articles (OJS shows a handful too). */
export const SIMILAR_MAX_PAGES = 10;
/**
 * Candidates come from the article's rarest terms, as many as share about this many documents in
 * all: sharing a rare term says most, and the work stays the same whatever the size of the journal.
 */
const CANDIDATE_REACH = 300;
/** Never more candidates than this (an article whose rarest term is everywhere). */
const MAX_CANDIDATES = 500;

export interface SimilarPage {
  articleIds: number[];
  /** Similar articles in all (capped at SIMILAR_MAX_PAGES pages). */
  total: number;
}

/**
 * Articles of the same journal that share the most terms (lexemes of title and keywords) with this
 * one, each shared term weighted by how rare it is (log inverse document frequency). Candidates are
 * the articles with one of its rarest terms (CANDIDATE_REACH), each scored on all shared terms, so a
 * page costs the same whatever the size of the journal.
 */
export async function similarArticles(db: Db, articleId: number, page = 1, pageSize = SIMILAR_PAGE_SIZE): Promise<SimilarPage> {
  const current = Math.min(Math.max(1, page), SIMILAR_MAX_PAGES);
  // One statement: the article's terms with their weights (rarest first), the candidates that share
  // one of the rarest (found through the terms index; journal_id + 0 so that the journal's index is
  // not read instead), each scored on every term it shares; ties go to the newer article.
  const result = await sql<{ article_id: number; total: string }>`
    WITH own AS MATERIALIZED (
      SELECT d.journal_id, s.term, ln(1 + greatest(st.documents, 1)::float8 / greatest(s.df, 1)) AS weight,
             coalesce(sum(s.df) OVER (ORDER BY s.df, s.term ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING), 0) AS reach
        FROM search_documents d CROSS JOIN LATERAL unnest(d.terms) AS t(term) JOIN search_terms s ON s.term = t.term CROSS JOIN search_stats st
       WHERE d.article_id = ${articleId}
    ),
    rarest AS MATERIALIZED (SELECT array_agg(term) AS terms, min(journal_id) AS journal_id FROM own WHERE reach < ${CANDIDATE_REACH}),
    found AS MATERIALIZED (
      SELECT c.article_id, c.date_published, c.terms FROM search_documents c, rarest r
       WHERE c.terms && r.terms AND c.journal_id + 0 = r.journal_id AND c.article_id <> ${articleId}
       LIMIT ${MAX_CANDIDATES}
    ),
    scored AS (
      SELECT f.article_id, f.date_published, (SELECT sum(o.weight) FROM unnest(f.terms) AS x(term) JOIN own o ON o.term = x.term) AS score FROM found f
    )
    SELECT article_id, count(*) OVER () AS total FROM scored
     ORDER BY score DESC, date_published DESC NULLS LAST, article_id DESC
     LIMIT ${pageSize} OFFSET ${(current - 1) * pageSize}
  `.execute(db);
  const total = Number(result.rows[0]?.total ?? 0);
  return { articleIds: result.rows.map((r) => r.article_id), total: Math.min(total, SIMILAR_MAX_PAGES * pageSize) };
}
