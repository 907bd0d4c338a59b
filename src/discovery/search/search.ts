import { sql, type Kysely } from 'kysely';
import type { Database } from '../../db/index.ts';
import { hasSearchTerms, type ParsedQuery } from './query.ts';

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
   * is then the database planner's estimate from its statistics (shown as "about N").
   */
  approximate: boolean;
  hits: SearchHit[];
}

/** Title > keywords and authors > abstract > full text and references (weights D, C, B, A). */
const WEIGHTS = '{0.05, 0.2, 0.4, 1.0}';
const START = '\u0001';
const STOP = '\u0002';
const HEADLINE = `MaxFragments=2, MaxWords=30, MinWords=12, ShortWord=2, FragmentDelimiter=" … ", StartSel=${START}, StopSel=${STOP}`;
export const MAX_PAGE = 100;

/** The query as a tsquery expression built from the parsed parts, which it reads as plain text. */
function tsquery(query: ParsedQuery) {
  return sql`revista_search_query(${query.words}::text[], ${query.phrases}::text[], ${query.excluded}::text[])`;
}

/**
 * The match test and the reader's filters. The text index finds the matches; the filters are then
 * tested on each match's row (`+ 0` keeps the planner from reading a whole journal through its index
 * and testing every document of it: a journal is usually the whole site).
 */
function conditions(filters: SearchFilters, query: string, forEstimate = false) {
  // For an estimate, the plain columns: the planner knows how many rows a journal or section has.
  const offset = forEstimate ? sql`` : sql` + 0`;
  const parts = [sql`d.document @@ ${query}::tsquery`];
  if (filters.journalId !== undefined) parts.push(sql`d.journal_id${offset} = ${filters.journalId}`);
  if (filters.sectionId !== undefined) parts.push(sql`d.section_id${offset} = ${filters.sectionId}`);
  if (filters.from) parts.push(sql`d.date_published >= ${filters.from}::date`);
  if (filters.to) parts.push(sql`d.date_published <= ${filters.to}::date`);
  if (filters.author) parts.push(sql`d.authors @@ plainto_tsquery('revista_simple', ${filters.author})`);
  return sql.join(parts, sql` AND `);
}

/** Up to this many expected matches, they are all ranked or sorted by date without gathering candidates first. */
const FEW_MATCHES = 1000;

/** Above this many expected matches, the total is the planner's estimate rather than a count. */
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

const SAMPLE_ROWS = 2000;

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

/** How many postings of each word are read, widening, before every match is ranked instead. */
function candidateReaches(needed: number): number[] {
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

/**
 * Published articles matching the query, best first (or newest first), one page of them. Only
 * visible articles have index rows; callers load what they show through the catalog's visibility
 * rule as well (loadPublishedArticles), so a row not yet removed is never shown.
 */
export async function searchArticles(db: Db, request: SearchRequest): Promise<SearchResult> {
  const { query } = request;
  if (!hasSearchTerms(query)) return { searchable: false, total: 0, approximate: false, hits: [] };
  const filters = request.filters ?? {};
  const pageSize = request.pageSize ?? 10;
  const page = Math.min(Math.max(1, request.page ?? 1), MAX_PAGE);
  // The tsquery is built first and then given to the searches as a constant: inside them the planner
  // may call the building function once per row, and it cannot judge how many rows a query matches.
  const made = await sql<{ query: string | null; positive: string | null; parts: string[] | null }>`
    SELECT ${tsquery(query)}::text AS query, revista_search_query(${query.words}::text[], ${query.phrases}::text[], '{}'::text[])::text AS positive,
           array(SELECT q::text FROM (SELECT revista_search_term(w, false, true) AS q FROM unnest(${query.words}::text[]) AS w
                                      UNION ALL SELECT revista_search_term(p, true, false) FROM unnest(${query.phrases}::text[]) AS p) AS x
                  WHERE q IS NOT NULL) AS parts
  `.execute(db);
  const built = made.rows[0]?.query ?? null;
  if (built === null) return { searchable: false, total: 0, approximate: false, hits: [] };
  const where = conditions(filters, built);
  const newest = sql`d.date_published DESC NULLS LAST, d.article_id DESC`;
  const offset = (page - 1) * pageSize;
  const { rows, total, approximate } = await db.transaction().execute(async (trx) => {
    // The planner prices a match test at next to nothing and so reads the whole table rather than
    // the index when many articles match; each test reads a document, which costs far more.
    await sql`SET LOCAL enable_seqscan = off`.execute(trx);
    // Disabled scans count as enormously costly, which would otherwise make PostgreSQL compile the
    // query (JIT), for longer than it takes to run.
    await sql`SET LOCAL jit = off`.execute(trx);
    const rank = sql`ts_rank(${WEIGHTS}, d.document, ${built}::tsquery)`;
    const limit = sql`LIMIT ${pageSize} OFFSET ${offset}`;
    type Row = { article_id: number; journal_id: number; rank: number };
    let chosen: Row[] | undefined;
    // Few expected matches are cheaper to sort than candidates to gather (the planner's figure is
    // rough, but rarely takes many matches for few).
    const expected = await estimatedMatches(trx, conditions(filters, built, true));
    const many = expected > FEW_MATCHES;
    const source = await documentSource(trx, made.rows[0]?.parts ?? []);
    if (request.sort === 'newest') {
      // Newest first: the page is chosen by date alone and only its rows are ranked (reading and
      // ranking every match would cost as much as ordering by relevance). A word in many articles
      // fills the page from the newest few hundred, read through the date index (articles without a
      // date come last, so they are never needed then); otherwise the matches are sorted by date.
      for (const reach of many ? candidateReaches(offset + pageSize) : []) {
        const found = await sql<Row>`
          SELECT d.article_id, d.journal_id, ${rank} AS rank
            FROM (SELECT d.* FROM search_documents d WHERE d.date_published IS NOT NULL
                   ORDER BY d.date_published DESC, d.article_id DESC LIMIT ${reach}) AS d
           WHERE ${where}
           ORDER BY ${newest} LIMIT ${offset + pageSize}`.execute(trx);
        if (found.rows.length >= offset + pageSize) {
          chosen = found.rows.slice(offset);
          break;
        }
      }
      chosen ??= (
        await sql<Row>`
          SELECT d.article_id, d.journal_id, ${rank} AS rank
            FROM (SELECT d.article_id, d.date_published FROM ${source} WHERE ${where} ORDER BY ${newest} ${limit}) AS chosen
            JOIN search_documents d ON d.article_id = chosen.article_id
           ORDER BY chosen.date_published DESC NULLS LAST, chosen.article_id DESC`.execute(trx)
      ).rows;
    } else {
      // By relevance: first only the articles with the best postings of the query's words (see the
      // 0011 migration), tested and ranked exactly; every match is ranked only when they are too few
      // to fill the page.
      const terms = queryLexemes(made.rows[0]?.positive ?? '');
      for (const reach of many && terms.length > 0 ? candidateReaches(offset + pageSize) : []) {
        const found = await sql<Row>`
          SELECT d.article_id, d.journal_id, ${rank} AS rank
            FROM (SELECT d.* FROM search_documents d
                   WHERE d.article_id IN (
                     SELECT c.article_id FROM unnest(${terms}::text[]) AS t(term)
                      CROSS JOIN LATERAL (SELECT p.article_id FROM search_postings p WHERE p.term = t.term ORDER BY p.score DESC LIMIT ${reach}) AS c)
                  OFFSET 0) AS d
           WHERE ${where}
           ORDER BY rank DESC, ${newest} LIMIT ${offset + pageSize}`.execute(trx);
        if (found.rows.length >= offset + pageSize) {
          chosen = found.rows.slice(offset);
          break;
        }
      }
      chosen ??= (
        await sql<Row>`
          SELECT d.article_id, d.journal_id, ${rank} AS rank FROM ${source} WHERE ${where}
           ORDER BY rank DESC, ${newest} ${limit}`.execute(trx)
      ).rows;
    }
    // A short first page is the whole result. Otherwise the matches are counted (from the index alone
    // when it can: no document is ranked for the count), unless the planner expects more than
    // EXACT_COUNT of them: counting 100,000 matches reads 100,000 rows, and its estimate is then said
    // to be one.
    if (page === 1 && chosen.length < pageSize) return { rows: chosen, total: chosen.length, approximate: false };
    if (expected > EXACT_COUNT) {
      // The planner's figure only says "many" (it takes a phrase for its words, and filters for
      // independent): the share of matches among a sample of about SAMPLE_ROWS documents says how many.
      const sampled = await sampledMatches(trx, where);
      if (sampled > EXACT_COUNT) return { rows: chosen, total: Math.max(roundEstimate(sampled), offset + chosen.length), approximate: true };
    }
    const count = Number((await sql<{ n: string }>`SELECT count(*) AS n FROM ${source} WHERE ${where}`.execute(trx)).rows[0]?.n ?? 0);
    return { rows: chosen, total: count, approximate: false };
  });
  const snippets = await snippetsFor(db, built, rows.map((r) => r.article_id), request.locale ?? 'en');
  return {
    searchable: true,
    total,
    approximate,
    hits: rows.map((r) => ({ articleId: r.article_id, journalId: r.journal_id, rank: Number(r.rank), ...(snippets.get(r.article_id) ?? { snippet: null, snippetLocale: null }) })),
  };
}

/**
 * A passage around the matching words for each article: the abstract in the reader's language when
 * it matches, else one in another language, else the galley full text.
 */
async function snippetsFor(db: Db, query: string, articleIds: number[], locale: string): Promise<Map<number, { snippet: string; snippetLocale: string }>> {
  const found = new Map<number, { snippet: string; snippetLocale: string }>();
  if (articleIds.length === 0) return found;
  const rows = await sql<{ article_id: number; snippet: string | null; locale: string | null }>`
    WITH q AS MATERIALIZED (SELECT ${query}::tsquery AS query)
    SELECT d.article_id, s.snippet, s.locale
      FROM search_documents d
      JOIN publications p ON p.id = d.publication_id
      CROSS JOIN q
      LEFT JOIN LATERAL (
        SELECT ts_headline(revista_search_config(x.locale), x.body, q.query, ${HEADLINE}) AS snippet, x.locale
          FROM (
            -- Abstracts are stored as HTML: the passage is cut from their text (block tags a space,
            -- inline ones nothing, so "CO<sub>2</sub>" stays "CO2"; the four entities the sanitizer
            -- writes resolved), since the view escapes what it shows.
            SELECT e.key AS locale,
                   replace(replace(replace(replace(regexp_replace(regexp_replace(regexp_replace(e.value,
                     '</?(p|div|br|li|ul|ol|h[1-6]|blockquote|pre|table|caption|tr|td|th|thead|tbody|figure|figcaption|dl|dt|dd|hr)\\M[^>]*>', ' ', 'gi'),
                     '<[^>]*>', '', 'g'), '\\s+', ' ', 'g'),
                     '&lt;', '<'), '&gt;', '>'), '&quot;', '"'), '&amp;', '&') AS body,
                   CASE WHEN e.key = ${locale} THEN 0 ELSE 1 END AS preference
              FROM jsonb_each_text(CASE WHEN jsonb_typeof(p.abstract) = 'object' THEN p.abstract ELSE '{}'::jsonb END) AS e
            UNION ALL
            SELECT g.locale, left(t.content, 100000), 2
              FROM galleys g JOIN search_file_texts t ON t.file_id = g.file_id
             WHERE g.publication_id = p.id AND t.content <> ''
          ) x
         WHERE to_tsvector(revista_search_config(x.locale), x.body) @@ q.query
         ORDER BY x.preference
         LIMIT 1
      ) s ON true
     WHERE d.article_id = ANY (${articleIds}::integer[])
  `.execute(db);
  for (const row of rows.rows) {
    if (row.snippet && row.snippet.includes(START)) found.set(row.article_id, { snippet: row.snippet, snippetLocale: row.locale ?? locale });
  }
  return found;
}

export type SnippetPart = { text: string; match: boolean };

/** A snippet from the database cut into plain and matching runs, for the view to escape and mark. */
export function snippetParts(snippet: string): SnippetPart[] {
  const parts: SnippetPart[] = [];
  let match = false;
  for (const piece of snippet.split(/([\u0001\u0002])/)) {
    if (piece === START) match = true;
    else if (piece === STOP) match = false;
    else if (piece !== '') parts.push({ text: piece.replace(/[\u0000-\u0008\u000b-\u001f\u007f]/g, ''), match });
  }
  return parts;
}
