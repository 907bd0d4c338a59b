import { sql, type Kysely } from 'kysely';
import type { Database } from '../../db/index.ts';

type Db = Kysely<Database>;

export const START = '\u0001';
export const STOP = '\u0002';
const HEADLINE = `MaxFragments=2, MaxWords=30, MinWords=12, ShortWord=2, FragmentDelimiter=" … ", StartSel=${START}, StopSel=${STOP}`;
/** Of a galley text where none of the words is found as written, the passage is looked for in this many first characters. */
const FIRST_CHARACTERS = 20_000;

/** A regular expression (PostgreSQL's) finding where one of the words begins a word; '' for none. */
export function locator(words: string[]): string {
  const alternatives = [...new Set(words.map((w) => w.trim().toLowerCase()).filter((w) => w.length >= 2))].map((w) => w.replace(/[\\^$.|?*+()[\]{}]/g, '\\$&'));
  return alternatives.length === 0 ? '' : `\\m(${alternatives.join('|')})`;
}

/**
 * A passage around the matching words for each article: the abstract in the reader's language when
 * it matches, else one in another language, else the galley full text. A galley's text (often tens
 * of thousands of words) is read only for an article whose abstracts do not match: coalesce asks
 * for its passage only then.
 */
export async function snippetsFor(db: Db, query: string, words: string[], articleIds: number[], locale: string): Promise<Map<number, { snippet: string; snippetLocale: string }>> {
  const found = new Map<number, { snippet: string; snippetLocale: string }>();
  if (articleIds.length === 0) return found;
  const pattern = locator(words);
  const rows = await sql<{ article_id: number; passage: [string | null, string | null] | null }>`
    WITH q AS MATERIALIZED (SELECT ${query}::tsquery AS query)
    SELECT d.article_id, coalesce(
      (SELECT ARRAY[ts_headline(revista_search_config(x.locale), x.body, q.query, ${HEADLINE}), x.locale]
         FROM (
           -- Abstracts are stored as HTML: the passage is cut from their text (block tags a space,
           -- inline ones nothing, so "CO<sub>2</sub>" stays "CO2"; the four entities the sanitizer
           -- writes resolved), since the view escapes what it shows.
           SELECT e.key AS locale,
                  replace(replace(replace(replace(regexp_replace(regexp_replace(regexp_replace(e.value,
                    '</?(p|div|br|li|ul|ol|h[1-6]|blockquote|pre|table|caption|tr|td|th|thead|tbody|figure|figcaption|dl|dt|dd|hr)\\M[^>]*>', ' ', 'gi'),
                    '<[^>]*>', '', 'g'), '\\s+', ' ', 'g'),
                    '&lt;', '<'), '&gt;', '>'), '&quot;', '"'), '&amp;', '&') AS body
             FROM jsonb_each_text(CASE WHEN jsonb_typeof(p.abstract) = 'object' THEN p.abstract ELSE '{}'::jsonb END) AS e
         ) x
        WHERE to_tsvector(revista_search_config(x.locale), x.body) @@ q.query
        ORDER BY x.locale = ${locale} DESC
        LIMIT 1),
      -- A galley's text is long: the passage is cut from about a thousand characters around the
      -- first place where one of the words (as typed, or as stemmed) begins a word, and from the
      -- start of the text when none is found.
      (SELECT ARRAY[h.passage, h.locale]
         FROM (SELECT ts_headline(revista_search_config(x.locale),
                        CASE WHEN x.at > 0 THEN substr(x.body, greatest(1, x.at - 400), 1200) ELSE left(x.body, ${FIRST_CHARACTERS}) END,
                        q.query, ${HEADLINE}) AS passage, x.locale
                 FROM (SELECT g.locale, t.content AS body, CASE WHEN ${pattern}::text = '' THEN 0 ELSE regexp_instr(t.content, ${pattern}::text, 1, 1, 0, 'i') END AS at
                         FROM galleys g JOIN search_file_texts t ON t.file_id = g.file_id
                        WHERE g.publication_id = p.id AND t.content <> ''
                        ORDER BY g.seq, g.id
                       OFFSET 0) AS x) AS h
        WHERE strpos(h.passage, ${START}) > 0
        LIMIT 1)) AS passage
      FROM search_documents d
      JOIN publications p ON p.id = d.publication_id
      CROSS JOIN q
     WHERE d.article_id = ANY (${articleIds}::integer[])
  `.execute(db);
  for (const row of rows.rows) {
    const [snippet, snippetLocale] = row.passage ?? [null, null];
    if (snippet && snippet.includes(START)) found.set(row.article_id, { snippet, snippetLocale: snippetLocale ?? locale });
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
