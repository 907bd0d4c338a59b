import { sql, type Kysely } from 'kysely';
import type { Database } from '../../db/index.ts';
import { hasSearchTerms, type ParsedQuery } from './query.ts';
import { BELOW_PROMINENT, bestMatches, notProminent, postingScore, prominentScore, type RankedRow, type ScoredPart } from './relevance.ts';
import { snippetsFor } from './snippets.ts';

export { snippetParts, type SnippetPart } from './snippets.ts';

type Db = Kysely<Database>;

export type SearchSort = 'relevance' | 'newest';

export interface SearchFilters {
  journalId?: number;
  sectionId?: number;
  /** Words of a contributor's name. */
  author?: string;
  /** Published on or after / on or before, `YYYY-MM-DD`. */
  from?: string;
  to?: string;
}

export interface SearchRequest {
  query: ParsedQuery;
  filters?: SearchFilters;
  sort?: SearchSort;
  /** 1-based. */
  page?: number;
  pageSize?: number;
  /** The reader's language: snippets come from the abstract in it when it matches. */
  locale?: string;
}

export interface SearchHit {
  articleId: number;
  journalId: number;
  rank: number;
  /** A passage with the matching words between \u0001 and \u0002 (see snippetParts), or null. */
  snippet: string | null;
  snippetLocale: string | null;
}

export interface SearchResult {
  /** False when nothing in the query can be searched for (only punctuation or stop words). */
  searchable: boolean;
  total: number;
  /**
   * True when so many articles match that counting them would cost more than the search: the total
   * is then estimated from a sample of the documents (shown as "about N").
   */
  approximate: boolean;
  hits: SearchHit[];
}

export const MAX_PAGE = 100;

/** The query as a tsquery expression built from the parsed parts, which it reads as plain text. */
function tsquery(query: ParsedQuery) {
  return sql`revista_search_query(${query.words}::text[], ${query.phrases}::text[], ${query.excluded}::text[])`;
}

/**
 * The reader's filters on a document's row (not its text). `+ 0` keeps the planner from reading a
 * whole journal through its index and testing every document of it (a journal is usually the
 * whole site); for an estimate, the plain columns, whose row counts the planner knows.
 */
function filterConditions(filters: SearchFilters, forEstimate = false) {
  const offset = forEstimate ? sql`` : sql` + 0`;
  const parts = [sql`true`];
  if (filters.journalId !== undefined) parts.push(sql`d.journal_id${offset} = ${filters.journalId}`);
  if (filters.sectionId !== undefined) parts.push(sql`d.section_id${offset} = ${filters.sectionId}`);
  if (filters.from) parts.push(sql`d.date_published >= ${filters.from}::date`);
  if (filters.to) parts.push(sql`d.date_published <= ${filters.to}::date`);
  if (filters.author) parts.push(sql`d.authors @@ plainto_tsquery('revista_simple', ${filters.author})`);
  return sql.join(parts, sql` AND `);
}

/** The match test and the reader's filters: the text index finds the matches, the filters are tested on each. */
function conditions(filters: SearchFilters, query: string, forEstimate = false) {
  return sql`d.document @@ ${query}::tsquery AND ${filterConditions(filters, forEstimate)}`;
}

/** Up to this many expected matches, they are all ranked or sorted by date without gathering candidates first. */
const FEW_MATCHES = 1000;

/** Above this many expected matches, the total is estimated from a sample rather than counted. */
const EXACT_COUNT = 3000;

/** The planner's estimate of the rows a condition on search_documents matches. */
async function estimatedMatches(db: Db, where: ReturnType<typeof conditions>): Promise<number> {
  const plan = await sql<{ 'QUERY PLAN': unknown }>`EXPLAIN (FORMAT JSON) SELECT 1 FROM search_documents d WHERE ${where}`.execute(db);
  const raw = plan.rows[0]?.['QUERY PLAN'];
  const parsed = (typeof raw === 'string' ? JSON.parse(raw) : raw) as Array<{ Plan?: { 'Plan Rows'?: number } }> | undefined;
  const rows = Number(parsed?.[0]?.Plan?.['Plan Rows']);
  // Unreadable: 0, so that the matches are counted.
  return Number.isFinite(rows) ? rows : 0;
}

/**
 * Documents in the sample an estimated total is taken from. Each is read whole (its full text
 * included) to test the query; 600 give the share of matches within a few percent, which the
 * total, rounded to two figures and said to be "about", does not claim to beat.
 */
const SAMPLE_ROWS = 600;

/** Matches among a sample of the documents' pages, scaled to all of them; 0 when there are too few. */
async function sampledMatches(db: Db, where: ReturnType<typeof conditions>): Promise<number> {
  const documents = Number((await db.selectFrom('search_stats').select('documents').executeTakeFirst())?.documents ?? 0);
  if (documents < SAMPLE_ROWS * 5) return 0;
  const percent = (100 * SAMPLE_ROWS) / documents;
  const counted = await sql<{ rows: string; matches: string }>`
    SELECT count(*) AS rows, count(*) FILTER (WHERE ${where}) AS matches
      FROM search_documents d TABLESAMPLE SYSTEM (${percent}) REPEATABLE (7)`.execute(db);
  const rows = Number(counted.rows[0]?.rows ?? 0);
  return rows < SAMPLE_ROWS / 4 ? 0 : (Number(counted.rows[0]?.matches ?? 0) / rows) * documents;
}

/** An estimate to two significant digits (12,345 → 12,000): no more precise than it is. */
function roundEstimate(n: number): number {
  const step = 10 ** Math.max(0, Math.floor(Math.log10(Math.max(n, 1))) - 1);
  return Math.round(n / step) * step;
}

/**
 * A query of several parts (words, phrases: all must match) whose rarest part the planner expects
 * in at most this many documents finds its matches among that part's documents: the text index is
 * asked only for the rare parts, not for a word in nearly every article (whose whole posting list,
 * and its prefix variant's, it would otherwise read to intersect), and the whole query, exclusions
 * and filters are then tested on each of those documents. Every match is among them, so nothing is
 * missed.
 */
const RARE_PART = 5000;

/** Parts expected in more than this many times the rarest part's documents are left to that test. */
const COMMON_FACTOR = 10;

/**
 * The documents to search: all of them, or, for a query whose rarest part is rare (RARE_PART), those
 * matching its parts that are not much more common than that one.
 */
async function documentSource(db: Db, parts: string[]) {
  const whole = sql`search_documents d`;
  if (parts.length < 2) return whole;
  const estimated: Array<{ part: string; rows: number }> = [];
  for (const part of parts) estimated.push({ part, rows: await estimatedMatches(db, sql`d.document @@ ${part}::tsquery`) });
  estimated.sort((a, b) => a.rows - b.rows);
  const rarest = estimated[0]!.rows;
  const kept = estimated.filter((e) => e.rows <= Math.max(rarest, 1) * COMMON_FACTOR);
  if (rarest > RARE_PART || kept.length === estimated.length) return whole;
  const narrow = sql.join(kept.map((e) => sql`d.document @@ ${e.part}::tsquery`), sql` AND `);
  // OFFSET 0: the whole query is tested on these rows, not given to the text index with them.
  return sql`(SELECT d.* FROM search_documents d WHERE ${narrow} OFFSET 0) AS d`;
}

/** How many of the newest documents are read, widening, before every match is sorted by date instead. */
function newestReaches(needed: number): number[] {
  const first = Math.max(200, needed * 4);
  return [first, first * 8];
}

/**
 * The lexemes of a tsquery's text (not prefixes: those have no posting of their own), as written by
 * PostgreSQL: each between single quotes, quotes and backslashes doubled.
 */
export function queryLexemes(text: string): string[] {
  const found = new Set<string>();
  for (const match of text.matchAll(/'((?:[^'\\]|''|\\\\)*)'(:[*A-D]+)?/g)) {
    if (match[2]?.includes('*')) continue;
    found.add(match[1]!.replace(/''/g, "'").replace(/\\\\/g, '\\'));
  }
  return [...found].slice(0, 48);
}

/** How a search finds its page; tests compare the ways. */
export interface SearchTuning {
  /** Expected matches up to which every match is ranked, without gathering candidates first. */
  fewMatches: number;
  /** Expected matches above which the total is estimated. */
  exactCount: number;
  /** Expected matches up to which every match is ranked when the first reach of postings did not show the page. */
  manyMatches?: number;
}

const TUNING: SearchTuning = { fewMatches: FEW_MATCHES, exactCount: EXACT_COUNT };

/**
 * Published articles matching the query, best first (or newest first), one page of them. Only
 * visible articles have index rows; callers load what they show through the catalog's visibility
 * rule as well (loadPublishedArticles), so a row not yet removed is never shown.
 */
export async function searchArticles(db: Db, request: SearchRequest, tuning: SearchTuning = TUNING): Promise<SearchResult> {
  const { query } = request;
  if (!hasSearchTerms(query)) return { searchable: false, total: 0, approximate: false, hits: [] };
  const filters = request.filters ?? {};
  const pageSize = request.pageSize ?? 10;
  const page = Math.min(Math.max(1, request.page ?? 1), MAX_PAGE);
  // The tsquery is built first and then given to the searches as a constant: inside them the planner
  // may call the building function once per row, and it cannot judge how many rows a query matches.
  // Each part alone (for the rare-part source), and each word, a phrase's one by one: what scores.
  const made = await sql<{ query: string | null; parts: string[] | null; words: string[] | null }>`
    SELECT ${tsquery(query)}::text AS query,
           array(SELECT q::text FROM (SELECT revista_search_term(w, false, true) AS q FROM unnest(${query.words}::text[]) AS w
                                      UNION ALL SELECT revista_search_term(p, true, false) FROM unnest(${query.phrases}::text[]) AS p) AS x
                  WHERE q IS NOT NULL) AS parts,
           array(SELECT q::text FROM (SELECT revista_search_term(w, false, false) AS q
                                        FROM (SELECT w FROM unnest(${query.words}::text[]) AS w
                                              UNION ALL SELECT regexp_split_to_table(p, '\\s+') FROM unnest(${query.phrases}::text[]) AS p) AS y) AS x
                  WHERE q IS NOT NULL) AS words
  `.execute(db);
  const built = made.rows[0]?.query ?? null;
  if (built === null) return { searchable: false, total: 0, approximate: false, hits: [] };
  const partQueries = made.rows[0]?.parts ?? [];
  const scored: ScoredPart[] = (made.rows[0]?.words ?? []).map((word) => ({ lexemes: queryLexemes(word) })).filter((p) => p.lexemes.length > 0);
  const where = conditions(filters, built);
  const newest = sql`d.date_published DESC NULLS LAST, d.article_id DESC`;
  const offset = (page - 1) * pageSize;
  const needed = offset + pageSize;
  const { rows, total, approximate } = await db.transaction().execute(async (trx) => {
    // The planner prices a match test at next to nothing and so reads the whole table rather than
    // the index when many articles match; each test reads a document, which costs far more.
    await sql`SET LOCAL enable_seqscan = off`.execute(trx);
    // Disabled scans count as enormously costly, which would otherwise make PostgreSQL compile the
    // query (JIT), for longer than it takes to run.
    await sql`SET LOCAL jit = off`.execute(trx);
    const score = postingScore(scored, sql.ref('d.article_id'));
    let chosen: RankedRow[] | undefined;
    // Few expected matches are cheaper to sort than candidates to gather (the planner's figure is
    // rough, but rarely takes many matches for few).
    const expected = await estimatedMatches(trx, conditions(filters, built, true));
    const many = expected > tuning.fewMatches;
    const wordsOnly = query.phrases.length === 0 && query.excluded.length === 0;
    if (request.sort === 'newest') {
      // Newest first: the page is chosen by date alone and only its rows are scored. A query matching
      // many articles fills the page from the newest few hundred, read through the date index and
      // tested in date order until the page is full (articles without a date come last, so they are
      // never needed then); otherwise the matches are sorted by date.
      for (const reach of many ? newestReaches(needed) : []) {
        // The outer order is the inner one, so the rows are tested in date order and no further than needed.
        const found = await sql<RankedRow>`
          SELECT d.article_id, d.journal_id, s.score AS rank
            FROM (SELECT d.* FROM search_documents d WHERE d.date_published IS NOT NULL
                   ORDER BY d.date_published DESC, d.article_id DESC LIMIT ${reach}) AS d
            CROSS JOIN LATERAL ${score} AS s
           WHERE ${where}
           ORDER BY d.date_published DESC, d.article_id DESC LIMIT ${needed}`.execute(trx);
        if (found.rows.length >= needed) {
          chosen = found.rows.slice(offset);
          break;
        }
      }
      chosen ??= (
        await sql<RankedRow>`
          SELECT d.article_id, d.journal_id, s.score AS rank
            FROM (SELECT d.article_id, d.date_published FROM ${await documentSource(trx, partQueries)} WHERE ${where} ORDER BY ${newest} LIMIT ${pageSize} OFFSET ${offset}) AS chosen
            JOIN search_documents d ON d.article_id = chosen.article_id
            CROSS JOIN LATERAL ${score} AS s
           ORDER BY chosen.date_published DESC NULLS LAST, chosen.article_id DESC`.execute(trx)
      ).rows;
    } else {
      // By relevance (relevance.ts): a query matching many articles ranks only the best candidates
      // of its postings, when their bound shows no other article could come before them; otherwise,
      // and for few matches, every match is scored.
      if (many) {
        const best = await bestMatches(trx, {
          parts: scored,
          filters: filterConditions(filters),
          match: sql`m.document @@ ${built}::tsquery`,
          wordsOnly,
          needed,
          expected,
          ...(tuning.manyMatches === undefined ? {} : { manyMatches: tuning.manyMatches }),
        });
        chosen = best?.slice(offset);
      }
      if (!chosen) {
        // Every match ranked: an article with every part among its prominent lexemes has its score
        // in its row; for the others the row gives a floor (each part not there scores below
        // BELOW_PROMINENT), and their postings are looked up only where that could reach the page.
        // The matches are counted on the way.
        const floor = scored.length > 0 ? prominentScore(scored) : sql`0`;
        const unknown = scored.length > 0 ? notProminent(scored) : sql`0`;
        const ranked = await sql<RankedRow & { total: string }>`
          WITH m AS MATERIALIZED (
            SELECT d.article_id, d.journal_id, d.date_published, (${floor})::float8 AS floor, ${unknown} AS unknown
              FROM ${wordsOnly ? sql`search_documents d` : await documentSource(trx, partQueries)} WHERE ${where}),
          theta AS (SELECT floor FROM m ORDER BY floor DESC OFFSET ${needed - 1} LIMIT 1)
          SELECT m.article_id, m.journal_id, (SELECT count(*) FROM m) AS total,
                 CASE WHEN m.unknown = 0 THEN m.floor ELSE (SELECT s.score FROM ${postingScore(scored, sql.ref('m.article_id'))} AS s) END AS rank
            FROM m
           WHERE m.floor + ${BELOW_PROMINENT}::float8 * m.unknown >= coalesce((SELECT floor FROM theta), 0)
           ORDER BY rank DESC, m.date_published DESC NULLS LAST, m.article_id DESC
           LIMIT ${pageSize} OFFSET ${offset}`.execute(trx);
        chosen = ranked.rows;
        if (ranked.rows.length > 0) return { rows: chosen, total: Number(ranked.rows[0]!.total), approximate: false };
      }
    }
    // A short first page is the whole result. Otherwise the matches are counted (from the index alone
    // when it can), unless the planner expects more than EXACT_COUNT of them: counting 100,000
    // matches reads 100,000 rows, and an estimate from a sample is then said to be one.
    if (page === 1 && chosen.length < pageSize) return { rows: chosen, total: chosen.length, approximate: false };
    if (expected > tuning.exactCount) {
      // The planner's figure only says "many" (it takes a phrase for its words, and filters for
      // independent): the share of matches among a sample of documents says how many.
      const sampled = await sampledMatches(trx, where);
      if (sampled > tuning.exactCount) return { rows: chosen, total: Math.max(roundEstimate(sampled), offset + chosen.length), approximate: true };
    }
    const source = await documentSource(trx, partQueries);
    const count = Number((await sql<{ n: string }>`SELECT count(*) AS n FROM ${source} WHERE ${where}`.execute(trx)).rows[0]?.n ?? 0);
    return { rows: chosen, total: count, approximate: false };
  });
  // Where a galley's passage is looked for: the words as typed and as stemmed.
  const typed = [...query.words, ...query.phrases.flatMap((p) => p.split(/\s+/)), ...scored.flatMap((p) => p.lexemes)];
  const snippets = await snippetsFor(db, built, typed, rows.map((r) => r.article_id), request.locale ?? 'en');
  return {
    searchable: true,
    total,
    approximate,
    hits: rows.map((r) => ({ articleId: r.article_id, journalId: r.journal_id, rank: Number(r.rank), ...(snippets.get(r.article_id) ?? { snippet: null, snippetLocale: null }) })),
  };
}
