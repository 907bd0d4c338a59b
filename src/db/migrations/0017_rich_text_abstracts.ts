import { sql, type Kysely } from 'kysely';

/**
 * Abstracts are stored as rich text (HTML through the allow-list of ui/sanitize.ts), as OJS stores
 * them and as every output now derives its own form from (ui/rich-text-convert.ts). Until now the
 * demo seed and the management form stored plain text, paragraphs split by blank lines; those values
 * become escaped `<p>` paragraphs here. A value is plain when it has no tag (a `<` with a letter or
 * `/` and a letter, and a `>` after it), the test the pages used to choose between the two.
 *
 * The text a reader or a harvester gets is the same before and after, so neither the date modified
 * nor the OAI-PMH datestamp moves: those two triggers are held for this statement.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`ALTER TABLE publications DISABLE TRIGGER publications_touch_updated_at`.execute(db);
  await sql`ALTER TABLE publications DISABLE TRIGGER publications_oai`.execute(db);
  await sql`
    UPDATE publications p
       SET abstract = (
         SELECT coalesce(jsonb_object_agg(e.key, CASE WHEN e.value ~ '</?[A-Za-z].*>' THEN e.value ELSE (
                  SELECT string_agg(
                           '<p>' || replace(replace(replace(replace(btrim(t.part, E' \t\r\n'), '&', '&amp;'), '<', '&lt;'), '>', '&gt;'), '"', '&quot;') || '</p>',
                           '' ORDER BY t.n)
                    FROM regexp_split_to_table(e.value, E'\n[ \t\r]*\n') WITH ORDINALITY AS t(part, n)
                   WHERE btrim(t.part, E' \t\r\n') <> ''
                ) END), '{}'::jsonb)
           FROM jsonb_each_text(p.abstract) AS e
          -- A value with nothing but whitespace was no abstract: it goes, as forms drop empty locales.
          WHERE e.value ~ '</?[A-Za-z].*>' OR btrim(e.value, E' \t\r\n') <> ''
       )
     WHERE jsonb_typeof(p.abstract) = 'object'
       AND EXISTS (SELECT 1 FROM jsonb_each_text(p.abstract) AS e WHERE e.value !~ '</?[A-Za-z].*>')
  `.execute(db);
  await sql`ALTER TABLE publications ENABLE TRIGGER publications_oai`.execute(db);
  await sql`ALTER TABLE publications ENABLE TRIGGER publications_touch_updated_at`.execute(db);
}

/** Nothing to undo: rich text is what every version of the code reads (plain text was shown escaped). */
export async function down(): Promise<void> {}
