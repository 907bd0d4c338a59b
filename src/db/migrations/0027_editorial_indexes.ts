import { sql, type Kysely } from 'kysely';

/**
 * The editorial dashboard's search over a journal's submissions (issue 19): titles in any language and
 * contributors' names, folded (lower case, no diacritics: "lodz" finds "Łódź"), served by trigram
 * (pg_trgm) GIN indexes for `LIKE '%word%'`, so a search reads the rows that match instead of folding
 * every title of every submission on each request.
 *
 * An index expression must be IMMUTABLE; `revista_fold` (0019) is STABLE because unaccent looks its
 * dictionary up by name. `revista_search_fold` names the dictionary with its schema, which makes the
 * result depend on the dictionary's rules alone (PostgreSQL's documented way of indexing unaccent).
 * Should those rules change, REINDEX the two indexes. Both extensions exist since 0008 and 0019.
 *
 * The text indexed is the localized value's JSON text (`{"en": "…", "pl": "…"}`), not its values
 * joined by a function: a GIN trigram match is rechecked on every candidate row, and a cast costs a
 * fraction of a set-returning function there. The keys (locale codes) and quotes in it match no
 * search, which skips words under three letters and matches words within one value.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    DO $$
    DECLARE
      trgm_home text;
      unaccent_home text;
    BEGIN
      SELECT n.nspname INTO trgm_home FROM pg_extension e JOIN pg_namespace n ON n.oid = e.extnamespace WHERE e.extname = 'pg_trgm';
      SELECT n.nspname INTO unaccent_home FROM pg_extension e JOIN pg_namespace n ON n.oid = e.extnamespace WHERE e.extname = 'unaccent';
      EXECUTE format(
        'CREATE FUNCTION revista_search_fold(t text) RETURNS text LANGUAGE sql IMMUTABLE PARALLEL SAFE AS %L',
        format('SELECT lower(%I.unaccent(%L::regdictionary, coalesce(t, %L)))', unaccent_home, unaccent_home || '.unaccent', '')
      );
      EXECUTE format('CREATE INDEX publications_title_search ON publications USING gin (revista_search_fold(title::text) %I.gin_trgm_ops)', trgm_home);
      EXECUTE format('CREATE INDEX contributors_name_search ON contributors USING gin (revista_search_fold(given_name::text || family_name::text) %I.gin_trgm_ops)', trgm_home);
    END
    $$;
    CREATE INDEX submission_participants_editors ON submission_participants (submission_id, user_id) WHERE role IN ('editor', 'section-editor');
  `.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`
    DROP INDEX submission_participants_editors;
    DROP INDEX contributors_name_search;
    DROP INDEX publications_title_search;
    DROP FUNCTION revista_search_fold(text);
  `.execute(db);
}
