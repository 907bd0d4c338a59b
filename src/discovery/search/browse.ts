import { sql, type Kysely } from 'kysely';
import type { Database } from '../../db/index.ts';

/**
 * Browsing a journal by author, keyword and section, read from the search index (visible articles
 * only, one row each), newest first within a list.
 */

type Db = Kysely<Database>;

export const BROWSE_PAGE_SIZE = 50;
export const ARTICLES_PAGE_SIZE = 20;

export interface Paged<T> {
  items: T[];
  total: number;
}

export interface AuthorEntry {
  givenName: string;
  familyName: string;
  articles: number;
}

// A contributor's name in the publication's language, else in any language given.
const nameIn = (column: 'given_name' | 'family_name') =>
  sql<string>`coalesce(nullif(btrim(c.${sql.raw(column)} ->> p.locale), ''), (SELECT btrim(e.value) FROM jsonb_each_text(c.${sql.raw(column)}) AS e WHERE btrim(e.value) <> '' ORDER BY e.key LIMIT 1), '')`;

function contributorNames(db: Db, journalId: number) {
  return sql`
    SELECT d.article_id, d.date_published, ${nameIn('given_name')} AS given, ${nameIn('family_name')} AS family
      FROM search_documents d
      JOIN publications p ON p.id = d.publication_id
      JOIN contributors c ON c.publication_id = d.publication_id AND c.include_in_browse
     WHERE d.journal_id = ${journalId}
  `;
}

/** Everyone who wrote for the journal, by family name, with how many articles each. */
export async function listAuthors(db: Db, journalId: number, page: number): Promise<Paged<AuthorEntry>> {
  const rows = await sql<{ given: string; family: string; articles: number; total: number }>`
    WITH names AS (${contributorNames(db, journalId)})
    SELECT min(given) AS given, min(family) AS family, count(DISTINCT article_id) AS articles, count(*) OVER () AS total
      FROM names
     WHERE family <> '' OR given <> ''
     GROUP BY lower(family), lower(given)
     ORDER BY lower(min(family)), lower(min(given))
     LIMIT ${BROWSE_PAGE_SIZE} OFFSET ${(page - 1) * BROWSE_PAGE_SIZE}
  `.execute(db);
  return { items: rows.rows.map((r) => ({ givenName: r.given, familyName: r.family, articles: Number(r.articles) })), total: Number(rows.rows[0]?.total ?? 0) };
}

export async function articlesByAuthor(db: Db, journalId: number, name: { givenName: string; familyName: string }, page: number): Promise<Paged<number>> {
  const rows = await sql<{ article_id: number; total: number }>`
    WITH names AS (${contributorNames(db, journalId)})
    SELECT article_id, count(*) OVER () AS total
      FROM (SELECT DISTINCT article_id, date_published FROM names WHERE lower(family) = lower(${name.familyName}) AND lower(given) = lower(${name.givenName})) n
     ORDER BY date_published DESC NULLS LAST, article_id DESC
     LIMIT ${ARTICLES_PAGE_SIZE} OFFSET ${(page - 1) * ARTICLES_PAGE_SIZE}
  `.execute(db);
  return { items: rows.rows.map((r) => r.article_id), total: Number(rows.rows[0]?.total ?? 0) };
}

/**
 * The journal's keywords, alphabetically, with how many articles have each. Keywords that differ
 * only in case are one entry (the index matches them so), labelled as authors most often wrote it:
 * "NATO" stays "NATO" even if one article wrote "nato". Read from the publications, because the
 * index keeps keywords lower-cased for matching.
 */
export async function listKeywords(db: Db, journalId: number, page: number): Promise<Paged<{ keyword: string; articles: number }>> {
  const rows = await sql<{ keyword: string; articles: number; total: number }>`
    WITH written AS (
      SELECT d.article_id, btrim(k.value) AS form
        FROM search_documents d
        JOIN publications p ON p.id = d.publication_id,
             jsonb_each(CASE WHEN jsonb_typeof(p.keywords) = 'object' THEN p.keywords ELSE '{}'::jsonb END) AS e,
             jsonb_array_elements_text(CASE WHEN jsonb_typeof(e.value) = 'array' THEN e.value ELSE '[]'::jsonb END) AS k
       WHERE d.journal_id = ${journalId} AND btrim(k.value) <> ''
    )
    -- mode() takes the first of equally common forms in sort order: "Lng" before "lng".
    SELECT mode() WITHIN GROUP (ORDER BY form) AS keyword, count(DISTINCT article_id) AS articles, count(*) OVER () AS total
      FROM written
     GROUP BY lower(form)
     ORDER BY lower(form)
     LIMIT ${BROWSE_PAGE_SIZE} OFFSET ${(page - 1) * BROWSE_PAGE_SIZE}
  `.execute(db);
  return { items: rows.rows.map((r) => ({ keyword: r.keyword, articles: Number(r.articles) })), total: Number(rows.rows[0]?.total ?? 0) };
}

export async function articlesByKeyword(db: Db, journalId: number, keyword: string, page: number): Promise<Paged<number>> {
  const rows = await sql<{ article_id: number; total: number }>`
    SELECT article_id, count(*) OVER () AS total
      FROM search_documents
     WHERE journal_id = ${journalId} AND keywords @> ARRAY[lower(btrim(${keyword}))]
     ORDER BY date_published DESC NULLS LAST, article_id DESC
     LIMIT ${ARTICLES_PAGE_SIZE} OFFSET ${(page - 1) * ARTICLES_PAGE_SIZE}
  `.execute(db);
  return { items: rows.rows.map((r) => r.article_id), total: Number(rows.rows[0]?.total ?? 0) };
}

/** How many visible articles each section of the journal has. */
export async function sectionCounts(db: Db, journalId: number): Promise<Map<number, number>> {
  const rows = await db
    .selectFrom('search_documents')
    .select(['section_id', (eb) => eb.fn.countAll<number>().as('n')])
    .where('journal_id', '=', journalId)
    .groupBy('section_id')
    .execute();
  return new Map(rows.map((r) => [r.section_id, Number(r.n)]));
}

export async function articlesBySection(db: Db, journalId: number, sectionId: number, page: number): Promise<Paged<number>> {
  const rows = await sql<{ article_id: number; total: number }>`
    SELECT article_id, count(*) OVER () AS total
      FROM search_documents
     WHERE journal_id = ${journalId} AND section_id = ${sectionId}
     ORDER BY date_published DESC NULLS LAST, article_id DESC
     LIMIT ${ARTICLES_PAGE_SIZE} OFFSET ${(page - 1) * ARTICLES_PAGE_SIZE}
  `.execute(db);
  return { items: rows.rows.map((r) => r.article_id), total: Number(rows.rows[0]?.total ?? 0) };
}
