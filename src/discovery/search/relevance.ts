import { sql, type Kysely, type RawBuilder } from 'kysely';
import type { Database } from '../../db/index.ts';

/**
 * Relevance, and the best-matching page found without ranking every match.
 *
 * An article's score for a query is, for each part the reader typed (a word, a phrase), the best
 * score among that part's lexemes in the article, summed over the parts. A lexeme's score is its
 * one-word ts_rank over the title, subtitle (weight A), keywords and author names (B), abstract and
 * affiliations (C), as search_postings keeps it (migration 0011): a part in the title scores at least
 * 0.6, in keywords or authors at least 0.24, in the abstract alone less than 0.2, in the full text or
 * references alone 0. The order is title > keywords > abstract > full text, more mentions ranking
 * higher, then newest first. Scores come from the postings (or the row's prominent lexemes), never
 * from the document, which with a galley's full text is tens of kilobytes to read.
 *
 * A word in most articles matches tens of thousands of them; ranking a page reads only a few hundred
 * or thousand postings, and a bound proves that no article left unread could rank higher:
 *  - one part: its best postings, down to a cut; every article not read scores below the cut;
 *  - several parts: first the articles with every part among their prominent lexemes (one GIN
 *    lookup, scores read from the row); any other article has some part below 0.2, so it scores
 *    less than 0.2 plus the best scores the other parts reach anywhere;
 *  - failing that, each lexeme's best postings down to a cut, the articles read scored whole; an
 *    article not read scores below the sum of the cuts.
 * The first page whose last article scores at least the bound is exact; otherwise the reach widens,
 * and past the last reach the caller ranks every match.
 */

type Db = Kysely<Database>;

export interface ScoredPart {
  /** The part's lexemes (English stem and the form as written; no prefixes). */
  lexemes: string[];
}

export interface RankedRow {
  article_id: number;
  journal_id: number;
  rank: number;
}

export interface BestMatchesRequest {
  parts: ScoredPart[];
  /** The reader's filters on `d` (search_documents), cheap to test: no document read. */
  filters: RawBuilder<unknown>;
  /** The whole query on `m.document` (search_documents m). */
  match: RawBuilder<unknown>;
  /** Only words, nothing excluded: an article with a posting for every part matches without its document being read. */
  wordsOnly: boolean;
  /** How many of the best (offset + page size). */
  needed: number;
}

/** A lexeme found only in the abstract or affiliations (weight C) scores less than this; in keywords or authors, more. */
const BELOW_PROMINENT = 0.2;
const PROMINENT_LEAST = 0.24;

/** Best postings read per lexeme, widening, before the caller ranks every match. */
function reaches(needed: number): number[] {
  const first = Math.max(64, needed * 2);
  return [first, first * 8, first * 64].filter((r, i) => i === 0 || r <= 20_000);
}

/** Per lexeme of the query: its best score anywhere, and the score at its reach-th best posting (null when it has fewer). */
async function lexemeReach(db: Db, lexemes: string[], reach: number): Promise<Map<string, { top: number; cut: number | null }>> {
  const rows = await sql<{ term: string; top: number | null; cut: number | null }>`
    SELECT t.term,
           (SELECT p.score FROM search_postings p WHERE p.term = t.term ORDER BY p.score DESC LIMIT 1) AS top,
           (SELECT p.score FROM search_postings p WHERE p.term = t.term ORDER BY p.score DESC OFFSET ${reach - 1} LIMIT 1) AS cut
      FROM unnest(${lexemes}::text[]) AS t(term)`.execute(db);
  return new Map(rows.rows.map((r) => [r.term, { top: Number(r.top ?? 0), cut: r.cut === null ? null : Number(r.cut) }]));
}

/**
 * The query's lexemes and, for each, the index of its part: one row per (lexeme, part), so a
 * lexeme in two parts counts for both.
 */
function lexemeParts(parts: ScoredPart[]): { terms: string[]; partOf: number[] } {
  return { terms: parts.flatMap((p) => p.lexemes), partOf: parts.flatMap((p, i) => p.lexemes.map(() => i)) };
}

/**
 * An article's score for the query from its postings, and how many parts have one: one index
 * lookup per part (a join and grouping per article cost several times more).
 */
export function postingScore(parts: ScoredPart[], articleId: RawBuilder<unknown>) {
  const best = parts.map((p, i) => sql`(SELECT max(p.score) FROM search_postings p WHERE p.article_id = ${articleId} AND p.term = ANY (${p.lexemes}::text[]))::float8 AS ${sql.ref(`s${i}`)}`);
  const score = sql.join(parts.map((_, i) => sql`coalesce(${sql.ref(`v.s${i}`)}, 0)`), sql` + `);
  const count = sql.join(parts.map((_, i) => sql`(${sql.ref(`v.s${i}`)} IS NOT NULL)::int`), sql` + `);
  // OFFSET 0: each lookup is made once, not once per use.
  return sql`(SELECT ${score} AS score, ${count} AS parts FROM (SELECT ${sql.join(best)} OFFSET 0) AS v)`;
}

/**
 * The first `needed` of the candidates that pass the filters and match, best first: the document of
 * each is read only when needed, in rank order, until enough matched. `candidates` has article_id,
 * score and parts (how many parts have a posting).
 */
async function firstMatches(
  db: Db,
  request: BestMatchesRequest,
  from: { candidates: RawBuilder<unknown>; with?: RawBuilder<unknown>; theta?: RawBuilder<unknown> },
): Promise<Array<RankedRow & { theta: number | null }>> {
  const partCount = request.parts.length;
  const candidates = from.candidates;
  const rows = await sql<RankedRow & { theta: number | null }>`
    ${from.with ? sql`WITH ${from.with}` : sql``}
    SELECT r.article_id, r.journal_id, r.score AS rank, ${from.theta ?? sql`NULL::float8`} AS theta
      FROM (SELECT c.article_id, c.score, c.parts, d.journal_id, d.date_published
              FROM ${candidates} JOIN search_documents d ON d.article_id = c.article_id
             WHERE ${request.filters}
             ORDER BY c.score DESC, d.date_published DESC NULLS LAST, c.article_id DESC
            OFFSET 0) AS r
     WHERE (${request.wordsOnly} AND r.parts = ${partCount})
        OR EXISTS (SELECT 1 FROM search_documents m WHERE m.article_id = r.article_id AND ${request.match})
     LIMIT ${request.needed}`.execute(db);
  return rows.rows.map((r) => ({ ...r, rank: Number(r.rank), theta: r.theta === null ? null : Number(r.theta) }));
}

/** Several parts: the articles with every part among their prominent lexemes, scored from the row. */
async function prominentMatches(db: Db, request: BestMatchesRequest, top: Map<string, { top: number }>): Promise<RankedRow[] | undefined> {
  const best = request.parts.map((p) => Math.max(0, ...p.lexemes.map((l) => top.get(l)?.top ?? 0)));
  // A part that is nowhere prominent: no article has every part there.
  if (best.some((b) => b < PROMINENT_LEAST)) return undefined;
  const total = best.reduce((a, b) => a + b, 0);
  const bound = BELOW_PROMINENT + total - Math.min(...best);
  const rowScore = (lexeme: string) => sql`d.prominent_scores[array_position(d.prominent_terms, ${lexeme}::text)]`;
  const score = sql.join(request.parts.map((p) => sql`coalesce(greatest(${sql.join(p.lexemes.map(rowScore))}), 0)`), sql` + `);
  const every = sql.join(request.parts.map((p) => sql`d.prominent_terms && ${p.lexemes}::text[]`), sql` AND `);
  const rows = await firstMatches(db, request, { candidates: sql`(SELECT d.article_id, (${score})::float8 AS score, ${request.parts.length}::int AS parts FROM search_documents d WHERE ${every}) AS c` });
  return rows.length === request.needed && rows[rows.length - 1]!.rank >= bound ? rows : undefined;
}

/**
 * Each lexeme's best postings down to its reach (a cut per part). An article read for every part
 * (or whose unread parts had every posting read, so score 0) has its exact score; one read for some
 * parts only is looked up whole when what it could score passes the needed-th exact score; an
 * article not read scores less than the sum of the cuts.
 */
async function postingMatches(db: Db, request: BestMatchesRequest, reach: Map<string, { cut: number | null }>): Promise<RankedRow[] | undefined> {
  const cuts = request.parts.map((p) => Math.max(0, ...p.lexemes.map((l) => reach.get(l)?.cut ?? 0)));
  const unread = cuts.reduce((a, b) => a + b, 0);
  const open = cuts.filter((c) => c > 0).length;
  const { terms, partOf } = lexemeParts(request.parts);
  const needed = request.needed;
  const rows = await firstMatches(db, request, {
    with: sql`k AS (SELECT * FROM unnest(${cuts}::float8[]) WITH ORDINALITY AS k(cut, part)),
      seen AS MATERIALIZED (
        SELECT p.article_id, t.part, max(p.score)::float8 AS score
          FROM unnest(${terms}::text[], ${partOf}::int[]) AS t(term, part)
          JOIN k ON k.part = t.part + 1
          JOIN search_postings p ON p.term = t.term AND p.score >= k.cut
         GROUP BY p.article_id, t.part),
      docs AS MATERIALIZED (
        SELECT s.article_id, sum(s.score) AS known, count(*)::int AS parts, count(*) FILTER (WHERE k.cut > 0) AS seen_open,
               ${unread}::float8 - sum(k.cut) AS missing
          FROM seen s JOIN k ON k.part = s.part + 1
         GROUP BY s.article_id),
      theta AS MATERIALIZED (SELECT known FROM docs WHERE seen_open = ${open} ORDER BY known DESC OFFSET ${needed - 1} LIMIT 1)`,
    candidates: sql`(SELECT article_id, known AS score, parts FROM docs WHERE seen_open = ${open}
        UNION ALL
        SELECT d.article_id, s.score, s.parts
          FROM docs d CROSS JOIN LATERAL ${postingScore(request.parts, sql.ref('d.article_id'))} AS s
         WHERE d.seen_open < ${open} AND d.known + d.missing > (SELECT known FROM theta) - 1e-9) AS c`,
    theta: sql`(SELECT known FROM theta)`,
  });
  const last = rows[rows.length - 1];
  // Articles read for some parts only were looked up down to theta: the page must reach it too.
  return rows.length === needed && last !== undefined && last.rank > 0 && last.rank >= unread && (last.theta === null || last.rank >= last.theta - 1e-9) ? rows : undefined;
}

/** One part: its best postings down to a cut; the articles not read score below it. */
async function onePartMatches(db: Db, request: BestMatchesRequest, reach: Map<string, { cut: number | null }>): Promise<RankedRow[] | undefined> {
  const lexemes = request.parts[0]!.lexemes;
  const cut = Math.max(0, ...lexemes.map((l) => reach.get(l)?.cut ?? 0));
  const rows = await firstMatches(db, request, {
    candidates: sql`(SELECT p.article_id, max(p.score)::float8 AS score, 1 AS parts
        FROM search_postings p WHERE p.term = ANY (${lexemes}::text[]) AND p.score >= ${cut}::float8
       GROUP BY p.article_id) AS c`,
  });
  const last = rows[rows.length - 1];
  return rows.length === request.needed && last !== undefined && last.rank > 0 && last.rank >= cut ? rows : undefined;
}

/**
 * The best `needed` matches by relevance, exact, or undefined when the bounds cannot show it within
 * the widest reach (the caller then ranks every match).
 */
export async function bestMatches(db: Db, request: BestMatchesRequest): Promise<RankedRow[] | undefined> {
  const lexemes = [...new Set(request.parts.flatMap((p) => p.lexemes))];
  if (lexemes.length === 0 || request.parts.some((p) => p.lexemes.length === 0)) return undefined;
  for (const [i, reach] of reaches(request.needed).entries()) {
    const stats = await lexemeReach(db, lexemes, reach);
    if (i === 0 && request.parts.length > 1) {
      const found = await prominentMatches(db, request, stats);
      if (found) return found;
    }
    const found = request.parts.length === 1 ? await onePartMatches(db, request, stats) : await postingMatches(db, request, stats);
    if (found) return found;
    // Every posting read and still too few: the rest score 0 (full text or references only).
    if ([...stats.values()].every((s) => s.cut === null)) return undefined;
  }
  return undefined;
}
