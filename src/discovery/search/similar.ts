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
const CANDIDATE_REACH = 600;
/** Never more candidates than this (an article whose rarest term is everywhere). */
const MAX_CANDIDATES = 1000;

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
  const candidates = await db.transaction().execute(async (trx) => {
    // The planner prices an array-overlap test at next to nothing and would rather read every
    // article than go through the terms index; the test is what costs here.
    await sql`SET LOCAL enable_seqscan = off`.execute(trx);
    // Disabled scans count as enormously costly, which would otherwise make PostgreSQL compile the
    // query (JIT), for longer than it takes to run.
    await sql`SET LOCAL jit = off`.execute(trx);
    // The article's terms, rarest first, with their weights.
    const own = await sql<{ journal_id: number; term: string; df: number; weight: number }>`
      SELECT d.journal_id, s.term, s.df, ln(1 + greatest(st.documents, 1)::float8 / greatest(s.df, 1)) AS weight
        FROM search_documents d CROSS JOIN LATERAL unnest(d.terms) AS t(term) JOIN search_terms s ON s.term = t.term, search_stats st
       WHERE d.article_id = ${articleId}
       ORDER BY s.df, s.term
    `.execute(trx);
    if (own.rows.length === 0) return { weights: new Map<string, number>(), found: [] };
    const rarest: string[] = [];
    let reach = 0;
    for (const row of own.rows) {
      if (reach >= CANDIDATE_REACH) break;
      rarest.push(row.term);
      reach += Number(row.df);
    }
    // journal_id + 0: the candidates are found through the terms index, not by reading the journal.
    const found = await sql<{ article_id: number; date_published: string | null; terms: string[] }>`
      SELECT d.article_id, d.date_published::text AS date_published, d.terms FROM search_documents d
       WHERE d.terms && ${rarest}::text[] AND d.journal_id + 0 = ${own.rows[0]!.journal_id} AND d.article_id <> ${articleId}
       LIMIT ${MAX_CANDIDATES}
    `.execute(trx);
    return { weights: new Map(own.rows.map((r) => [r.term, Number(r.weight)])), found: found.rows };
  });
  // Each candidate scored on every term it shares; ties go to the newer article.
  const scored = candidates.found.map((c) => ({ id: c.article_id, date: c.date_published, score: c.terms.reduce((sum, term) => sum + (candidates.weights.get(term) ?? 0), 0) }));
  scored.sort((a, b) => b.score - a.score || (a.date === b.date ? 0 : a.date === null ? 1 : b.date === null ? -1 : a.date < b.date ? 1 : -1) || b.id - a.id);
  const start = (current - 1) * pageSize;
  return { articleIds: scored.slice(start, start + pageSize).map((c) => c.id), total: Math.min(scored.length, SIMILAR_MAX_PAGES * pageSize) };
}
