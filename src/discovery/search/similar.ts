import { sql, type Kysely } from 'kysely';
import type { Database } from '../../db/index.ts';

type Db = Kysely<Database>;

export const SIMILAR_PAGE_SIZE = 5;
/** At most this many pages of similar articles (OJS shows a handful too). */
export const SIMILAR_MAX_PAGES = 10;
/** Terms in more documents than this find candidates only among a sample: they say little. */
const RARE_TERM_LIMIT = 2000;
const RARE_CANDIDATES = 3000;
const COMMON_CANDIDATES = 300;

export interface SimilarPage {
  articleIds: number[];
  /** Similar articles in all (capped at SIMILAR_MAX_PAGES pages). */
  total: number;
}

/**
 * Articles of the same journal that share the most terms (lexemes of title and keywords) with this
 * one, each shared term weighted by how rare it is (log inverse document frequency). Candidates come
 * from the rare terms' postings in full and from a bounded sample of the common ones', so a page costs
 * the same whatever the size of the journal.
 */
export async function similarArticles(db: Db, articleId: number, page = 1, pageSize = SIMILAR_PAGE_SIZE): Promise<SimilarPage> {
  const current = Math.min(Math.max(1, page), SIMILAR_MAX_PAGES);
  const rows = await sql<{ article_id: number; total: number }>`
    WITH me AS (
      SELECT journal_id, terms FROM search_documents WHERE article_id = ${articleId}
    ), w AS (
      SELECT s.term, s.df, ln(1 + greatest(st.documents, 1)::float8 / greatest(s.df, 1)) AS weight
        FROM me, unnest(me.terms) AS t(term) JOIN search_terms s ON s.term = t.term, search_stats st
    ), candidates AS (
      (SELECT d.article_id FROM search_documents d, me
        WHERE d.terms && ARRAY(SELECT term FROM w WHERE df <= ${RARE_TERM_LIMIT}) AND d.journal_id = me.journal_id AND d.article_id <> ${articleId}
        LIMIT ${RARE_CANDIDATES})
      UNION
      (SELECT d.article_id FROM search_documents d, me
        WHERE d.terms && ARRAY(SELECT term FROM w WHERE df > ${RARE_TERM_LIMIT}) AND d.journal_id = me.journal_id AND d.article_id <> ${articleId}
        LIMIT ${COMMON_CANDIDATES})
    ), scored AS (
      SELECT d.article_id, d.date_published, (SELECT sum(w.weight) FROM unnest(d.terms) AS t(term) JOIN w ON w.term = t.term) AS score
        FROM candidates c JOIN search_documents d ON d.article_id = c.article_id
    )
    SELECT article_id, least(count(*) OVER (), ${SIMILAR_MAX_PAGES * pageSize}) AS total
      FROM scored
     ORDER BY score DESC, date_published DESC NULLS LAST, article_id DESC
     LIMIT ${pageSize} OFFSET ${(current - 1) * pageSize}
  `.execute(db);
  return { articleIds: rows.rows.map((r) => r.article_id), total: rows.rows[0] ? Number(rows.rows[0].total) : 0 };
}
