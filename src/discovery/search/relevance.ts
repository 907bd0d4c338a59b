import { sql, type Kysely, type RawBuilder } from 'kysely';
import type { Database } from '../../db/index.ts';

/**
 * Relevance, and the best-matching page found without ranking every match.
 *
 * An article's score for a query is, for each word the reader typed (a phrase's words one by one),
 * the best score among that word's lexemes in the article, summed over the words. A lexeme's score
 * is its one-word ts_rank over the title and subtitle (weight A), keywords and author names (B),
 * abstract and affiliations (C), as search_postings keeps it (migration 0011): a word in the title
 * scores at least 0.6, in keywords or authors at least 0.24, in the abstract alone less than 0.2, in
 * the full text or references alone 0. The order is title > keywords > abstract > full text, more
 * mentions ranking higher, then newest first. Scores come from the postings or from the row's
 * prominent lexemes (migration 0031), never from the document, which with a galley's full text is
 * tens of kilobytes to read.
 *
 * A word in most articles matches tens of thousands of them; ranking a page reads a few hundred or
 * thousand postings, and a bound proves that no article left unread could rank higher:
 *  - one word: its first postings in result order (the postings' index orders equal scores newest
 *    first); the articles not read come after the last one read;
 *  - several: the articles with every word that is somewhere prominent among their own prominent
 *    lexemes (one GIN lookup); any other article has such a word below 0.2, so it scores less than
 *    0.2 plus the best scores the other words reach anywhere;
 *  - failing that, each lexeme's best postings down to a cut: an article read for every word has
 *    its score, one read for some looked up when it could still make the page, one not read scores
 *    no more than the sum of the cuts.
 * A page whose last article scores above the bound is exact; otherwise the reach widens, and past the
 * last reach the caller ranks every match.
 */

type Db = Kysely<Database>;

export interface ScoredPart {
  /** The word's lexemes (English stem and the form as written; no prefixes). */
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
  /** Only words, nothing excluded: an article with a posting for every word matches without its document being read. */
  wordsOnly: boolean;
  /** How many of the best (offset + page size). */
  needed: number;
  /** The planner's estimate of the matches: up to `manyMatches`, ranking them all costs less than reading further. */
  expected: number;
  manyMatches?: number;
}

/** A lexeme only in the abstract or affiliations (weight C) scores less than this… */
export const BELOW_PROMINENT = 0.2;
/** …and one in the title, keywords or authors (A, B) at least this (0.4 / 1.645). */
const PROMINENT_LEAST = 0.24;

/**
 * Below this many expected matches, ranking every match (their rows give most scores) costs less
 * than reading postings further than the first reach.
 */
const MANY_MATCHES = 20_000;

/** Best postings read per lexeme, widening, before the caller ranks every match. */
function reaches(needed: number): number[] {
  const first = Math.max(64, needed * 2);
  return [first, first * 8, first * 64].filter((r, i) => i === 0 || r <= 20_000);
}

/** Where a lexeme's reading stops: its reach-th posting in result order (score, then newest, then id). */
interface ReadTo {
  top: number;
  cut: number | null;
  date: string | null;
  id: number | null;
}

/** Per lexeme of the query: its best score anywhere, and its reach-th best posting (cut null when it has fewer). */
async function lexemeReach(db: Db, lexemes: string[], reach: number): Promise<Map<string, ReadTo>> {
  const rows = await sql<{ term: string; top: number | null; cut: number | null; date: string | null; id: number | null }>`
    SELECT t.term,
           (SELECT p.score FROM search_postings p WHERE p.term = t.term ORDER BY p.score DESC LIMIT 1) AS top,
           c.score AS cut, c.date_published::text AS date, c.article_id AS id
      FROM unnest(${lexemes}::text[]) AS t(term)
      LEFT JOIN LATERAL (SELECT p.score, p.date_published, p.article_id FROM search_postings p WHERE p.term = t.term
                          ORDER BY p.score DESC, p.date_published DESC NULLS LAST, p.article_id DESC OFFSET ${reach - 1} LIMIT 1) AS c ON true`.execute(db);
  return new Map(rows.rows.map((r) => [r.term, { top: Number(r.top ?? 0), cut: r.cut === null ? null : Number(r.cut), date: r.date, id: r.id }]));
}

type ResultKey = { score: number; date: string | null; id: number };

/** True when a comes before b in result order: higher score, then newer (undated last), then higher id. */
function before(a: ResultKey, b: ResultKey): boolean {
  if (a.score !== b.score) return a.score > b.score;
  if (a.date !== b.date) return b.date === null || (a.date !== null && a.date > b.date);
  return a.id > b.id;
}

/**
 * An article's score for these parts from its postings, and how many of them have one: one index
 * scan over (article, lexeme), each part's best taken by a filtered aggregate.
 */
export function postingScore(parts: ScoredPart[], articleId: RawBuilder<unknown>) {
  if (parts.length === 0) return sql`(SELECT 0::float8 AS score, 0 AS parts)`;
  const all = [...new Set(parts.flatMap((p) => p.lexemes))];
  const best = parts.map((p, i) => sql`max(p.score) FILTER (WHERE p.term = ANY (${p.lexemes}::text[]))::float8 AS ${sql.ref(`s${i}`)}`);
  const score = sql.join(parts.map((_, i) => sql`coalesce(${sql.ref(`v.s${i}`)}, 0)`), sql` + `);
  const count = sql.join(parts.map((_, i) => sql`(${sql.ref(`v.s${i}`)} IS NOT NULL)::int`), sql` + `);
  return sql`(SELECT ${score} AS score, ${count} AS parts
      FROM (SELECT ${sql.join(best)} FROM search_postings p WHERE p.article_id = ${articleId} AND p.term = ANY (${all}::text[])) AS v)`;
}

/** The score of the parts among `d`'s prominent lexemes (title, keywords, authors), from the row; 0 for each that is not. */
export function prominentScore(parts: ScoredPart[]) {
  const rowScore = (lexeme: string) => sql`d.prominent_scores[array_position(d.prominent_terms, ${lexeme}::text)]`;
  return sql.join(parts.map((p) => sql`coalesce(greatest(${sql.join(p.lexemes.map(rowScore))}), 0)`), sql` + `);
}

/** How many of the parts are not among `d`'s prominent lexemes: each scores below BELOW_PROMINENT. */
export function notProminent(parts: ScoredPart[]) {
  return sql.join(parts.map((p) => sql`(NOT d.prominent_terms && ${p.lexemes}::text[])::int`), sql` + `);
}

/**
 * The first `needed` of the candidates that pass the filters and match, best first: the document of
 * each is read only when needed, in rank order, until enough matched. `candidates` has article_id,
 * score and parts (how many parts have a posting); `with` names what it reads; `theta` is returned
 * with each row.
 */
async function firstMatches(
  db: Db,
  request: BestMatchesRequest,
  from: { candidates: RawBuilder<unknown>; with?: RawBuilder<unknown>; theta?: RawBuilder<unknown> },
): Promise<Array<RankedRow & { theta: number | null; date: string | null }>> {
  const rows = await sql<RankedRow & { theta: number | null; date: string | null }>`
    ${from.with ? sql`WITH ${from.with}` : sql``}
    SELECT r.article_id, r.journal_id, r.score AS rank, r.date_published::text AS date, ${from.theta ?? sql`NULL::float8`} AS theta
      FROM (SELECT c.article_id, c.score, c.parts, d.journal_id, d.date_published
              FROM ${from.candidates} JOIN search_documents d ON d.article_id = c.article_id
             WHERE ${request.filters}
             ORDER BY c.score DESC, d.date_published DESC NULLS LAST, c.article_id DESC
            OFFSET 0) AS r
     WHERE (${request.wordsOnly} AND r.parts = ${request.parts.length})
        OR EXISTS (SELECT 1 FROM search_documents m WHERE m.article_id = r.article_id AND ${request.match})
     LIMIT ${request.needed}`.execute(db);
  return rows.rows.map((r) => ({ ...r, rank: Number(r.rank), theta: r.theta === null ? null : Number(r.theta) }));
}

/**
 * Several parts: the articles with every part that is prominent somewhere among their prominent
 * lexemes, scored from the row (the other parts, never prominent, from their postings).
 */
async function prominentMatches(db: Db, request: BestMatchesRequest, top: Map<string, ReadTo>): Promise<RankedRow[] | undefined> {
  const best = request.parts.map((p) => Math.max(0, ...p.lexemes.map((l) => top.get(l)?.top ?? 0)));
  const capable = request.parts.filter((_, i) => best[i]! >= PROMINENT_LEAST);
  const others = request.parts.filter((_, i) => best[i]! < PROMINENT_LEAST);
  if (capable.length === 0) return undefined;
  const total = best.reduce((a, b) => a + b, 0);
  // An article outside has some capable part below 0.2: at most that plus every other part's best.
  const bound = BELOW_PROMINENT + total - Math.min(...best.filter((b) => b >= PROMINENT_LEAST));
  const every = sql.join(capable.map((p) => sql`d.prominent_terms && ${p.lexemes}::text[]`), sql` AND `);
  const rows = await firstMatches(db, request, {
    candidates:
      others.length === 0
        ? sql`(SELECT d.article_id, (${prominentScore(capable)})::float8 AS score, ${request.parts.length}::int AS parts FROM search_documents d WHERE ${every}) AS c`
        : sql`(SELECT d.article_id, (${prominentScore(capable)})::float8 + s.score AS score, ${capable.length}::int + s.parts AS parts
                 FROM search_documents d CROSS JOIN LATERAL ${postingScore(others, sql.ref('d.article_id'))} AS s WHERE ${every}) AS c`,
  });
  const last = rows[rows.length - 1];
  return rows.length === request.needed && last !== undefined && last.rank >= bound ? rows : undefined;
}

/**
 * One part: each of its lexemes' first postings in result order (score, then newest), as far as the
 * reach. An article not read comes after the last posting read of its best lexeme, so the page is
 * exact when its last article comes before every such last posting.
 */
async function onePartMatches(db: Db, request: BestMatchesRequest, reach: number, readTo: Map<string, ReadTo>): Promise<RankedRow[] | undefined> {
  const lexemes = request.parts[0]!.lexemes;
  const rows = await firstMatches(db, request, {
    candidates: sql`(SELECT x.article_id, max(x.score)::float8 AS score, 1 AS parts
        FROM unnest(${lexemes}::text[]) AS t(term)
        CROSS JOIN LATERAL (SELECT p.article_id, p.score FROM search_postings p WHERE p.term = t.term
                             ORDER BY p.score DESC, p.date_published DESC NULLS LAST, p.article_id DESC LIMIT ${reach}) AS x
       GROUP BY x.article_id) AS c`,
  });
  const last = rows[rows.length - 1];
  if (rows.length < request.needed || last === undefined) return undefined;
  const lastKey = { score: last.rank, date: last.date, id: last.article_id };
  const unreadBefore = lexemes.some((l) => {
    const r = readTo.get(l);
    return r !== undefined && r.cut !== null && !before(lastKey, { score: r.cut, date: r.date, id: r.id ?? 0 });
  });
  return unreadBefore ? undefined : rows;
}

/**
 * Several parts: each lexeme's best postings above its part's cut. An article read for every part
 * whose cut is above 0 has its exact score; one read for some is looked up whole when it could pass
 * the needed-th of those; one not read scores no more than the sum of the cuts.
 */
async function postingMatches(db: Db, request: BestMatchesRequest, reach: Map<string, ReadTo>): Promise<RankedRow[] | undefined> {
  const cuts = request.parts.map((p) => Math.max(0, ...p.lexemes.map((l) => reach.get(l)?.cut ?? 0)));
  const unread = cuts.reduce((a, b) => a + b, 0);
  const open = cuts.filter((c) => c > 0).length;
  const terms = request.parts.flatMap((p) => p.lexemes);
  const partOf = request.parts.flatMap((p, i) => p.lexemes.map(() => i));
  const needed = request.needed;
  const rows = await firstMatches(db, request, {
    with: sql`k AS (SELECT * FROM unnest(${cuts}::float8[]) WITH ORDINALITY AS k(cut, part)),
      seen AS MATERIALIZED (
        SELECT p.article_id, t.part, max(p.score)::float8 AS score
          FROM unnest(${terms}::text[], ${partOf}::int[]) AS t(term, part)
          JOIN k ON k.part = t.part + 1
          JOIN search_postings p ON p.term = t.term AND (p.score > k.cut OR k.cut = 0)
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
         WHERE d.seen_open < ${open} AND d.known + d.missing >= (SELECT known FROM theta) - 1e-9) AS c`,
    theta: sql`(SELECT known FROM theta)`,
  });
  const last = rows[rows.length - 1];
  // Articles read for some parts only were looked up down to theta: the page must end above it too.
  return rows.length === needed && last !== undefined && last.rank > unread && last.theta !== null && last.rank > last.theta - 1e-9 ? rows : undefined;
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
    const found = request.parts.length === 1 ? await onePartMatches(db, request, reach, stats) : await postingMatches(db, request, stats);
    if (found) return found;
    // Every posting read and still too few: the rest score 0 (full text or references only).
    if ([...stats.values()].every((s) => s.cut === null)) return undefined;
    if (request.expected <= (request.manyMatches ?? MANY_MATCHES)) return undefined;
  }
  return undefined;
}
