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

function conditions(filters: SearchFilters) {
  const parts = [sql`d.document @@ q.query`];
  if (filters.journalId !== undefined) parts.push(sql`d.journal_id = ${filters.journalId}`);
  if (filters.sectionId !== undefined) parts.push(sql`d.section_id = ${filters.sectionId}`);
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
  const order =
    request.sort === 'newest'
      ? sql`d.date_published DESC NULLS LAST, d.article_id DESC`
      : sql`rank DESC, d.date_published DESC NULLS LAST, d.article_id DESC`;
  const rows = await sql<{ article_id: number; journal_id: number; rank: number; total: number; searchable: boolean }>`
    WITH q AS (SELECT ${tsquery(query)} AS query)
    SELECT d.article_id, d.journal_id, ts_rank(${WEIGHTS}, d.document, q.query) AS rank, count(*) OVER () AS total
      FROM search_documents d, q
     WHERE ${conditions(filters)}
     ORDER BY ${order}
     LIMIT ${pageSize} OFFSET ${(page - 1) * pageSize}
  `.execute(db);
  let total = rows.rows[0] ? Number(rows.rows[0].total) : 0;
  if (rows.rows.length === 0) {
    const check = await sql<{ searchable: boolean; total: number }>`
      WITH q AS (SELECT ${tsquery(query)} AS query)
      SELECT q.query IS NOT NULL AS searchable,
             CASE WHEN q.query IS NULL OR ${page} = 1 THEN 0 ELSE (SELECT count(*) FROM search_documents d WHERE ${conditions(filters)}) END AS total
        FROM q
    `.execute(db);
    const row = check.rows[0];
    if (!row?.searchable) return { searchable: false, total: 0, hits: [] };
    total = Number(row.total);
  }
  const snippets = await snippetsFor(db, query, rows.rows.map((r) => r.article_id), request.locale ?? 'en');
  return {
    searchable: true,
    total,
    hits: rows.rows.map((r) => ({ articleId: r.article_id, journalId: r.journal_id, rank: Number(r.rank), ...(snippets.get(r.article_id) ?? { snippet: null, snippetLocale: null }) })),
  };
}

/**
 * A passage around the matching words for each article: the abstract in the reader's language when
 * it matches, else one in another language, else the galley full text.
 */
async function snippetsFor(db: Db, query: ParsedQuery, articleIds: number[], locale: string): Promise<Map<number, { snippet: string; snippetLocale: string }>> {
  const found = new Map<number, { snippet: string; snippetLocale: string }>();
  if (articleIds.length === 0) return found;
  const rows = await sql<{ article_id: number; snippet: string | null; locale: string | null }>`
    WITH q AS (SELECT ${tsquery(query)} AS query)
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
