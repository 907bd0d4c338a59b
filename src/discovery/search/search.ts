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
function conditions(filters: SearchFilters, query: string) {
  const parts = [sql`d.document @@ ${query}::tsquery`];
  if (filters.journalId !== undefined) parts.push(sql`d.journal_id + 0 = ${filters.journalId}`);
  if (filters.sectionId !== undefined) parts.push(sql`d.section_id + 0 = ${filters.sectionId}`);
  if (filters.from) parts.push(sql`d.date_published >= ${filters.from}::date`);
  if (filters.to) parts.push(sql`d.date_published <= ${filters.to}::date`);
  if (filters.author) parts.push(sql`d.authors @@ plainto_tsquery('revista_simple', ${filters.author})`);
  return sql.join(parts, sql` AND `);
}

/**
 * Published articles matching the query, best first (or newest first), one page of them. Only
 * visible articles have index rows; callers load what they show through the catalog's visibility
 * rule as well (loadPublishedArticles), so a row not yet removed is never shown.
 */
export async function searchArticles(db: Db, request: SearchRequest): Promise<SearchResult> {
  const { query } = request;
  if (!hasSearchTerms(query)) return { searchable: false, total: 0, hits: [] };
  const filters = request.filters ?? {};
  const pageSize = request.pageSize ?? 10;
  const page = Math.min(Math.max(1, request.page ?? 1), MAX_PAGE);
  // The tsquery is built first and then given to the searches as a constant: inside them the planner
  // may call the building function once per row, and it cannot judge how many rows a query matches.
  const made = await sql<{ query: string | null }>`SELECT ${tsquery(query)}::text AS query`.execute(db);
  const built = made.rows[0]?.query ?? null;
  if (built === null) return { searchable: false, total: 0, hits: [] };
  const where = conditions(filters, built);
  const newest = sql`d.date_published DESC NULLS LAST, d.article_id DESC`;
  const { rows, total } = await db.transaction().execute(async (trx) => {
    // The planner prices a match test at next to nothing and so reads the whole table rather than
    // the index when many articles match; each test reads a document, which costs far more.
    await sql`SET LOCAL enable_seqscan = off`.execute(trx);
    // Disabled scans count as enormously costly, which would otherwise make PostgreSQL compile the
    // query (JIT), for longer than it takes to run.
    await sql`SET LOCAL jit = off`.execute(trx);
    const rank = sql`ts_rank(${WEIGHTS}, d.document, ${built}::tsquery)`;
    const limit = sql`LIMIT ${pageSize} OFFSET ${(page - 1) * pageSize}`;
    // Newest first: the page is chosen by date alone and only its rows are ranked (reading and
    // ranking every match would cost as much as ordering by relevance).
    const page_ = await (request.sort === 'newest'
      ? sql<{ article_id: number; journal_id: number; rank: number }>`
          SELECT d.article_id, d.journal_id, ${rank} AS rank
            FROM (SELECT d.article_id, d.date_published FROM search_documents d WHERE ${where} ORDER BY ${newest} ${limit}) AS chosen
            JOIN search_documents d ON d.article_id = chosen.article_id
           ORDER BY chosen.date_published DESC NULLS LAST, chosen.article_id DESC`
      : sql<{ article_id: number; journal_id: number; rank: number }>`
          SELECT d.article_id, d.journal_id, ${rank} AS rank FROM search_documents d WHERE ${where}
           ORDER BY rank DESC, ${newest} ${limit}`
    ).execute(trx);
    // A short first page is the whole result; otherwise the matches are counted (from the index alone
    // when it can: no document is ranked for the count).
    const count =
      page === 1 && page_.rows.length < pageSize
        ? page_.rows.length
        : Number((await sql<{ n: string }>`SELECT count(*) AS n FROM search_documents d WHERE ${where}`.execute(trx)).rows[0]?.n ?? 0);
    return { rows: page_.rows, total: count };
  });
  const snippets = await snippetsFor(db, built, rows.map((r) => r.article_id), request.locale ?? 'en');
  return {
    searchable: true,
    total,
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
            SELECT e.key AS locale, e.value AS body, CASE WHEN e.key = ${locale} THEN 0 ELSE 1 END AS preference
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
