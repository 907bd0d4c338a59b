import { sql, type Kysely } from 'kysely';

/**
 * Finding people among 100,000 accounts without reading them all (issue 17): every account keeps
 * one folded search text — address, every localization of the names and affiliation, ORCID iD, in
 * lower case without diacritics — that a trigram (pg_trgm) GIN index serves for `LIKE '%x%'`; and a
 * sort name with a btree index, so that a page of the list sorted by name is read in order.
 *
 * A trigger keeps both columns, whoever writes (the app, an import, SQL).
 * Trigger kept (issue 18 audit): derived columns of the row itself, which no writer may leave stale.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  // pg_trgm, like unaccent (0008), is installed once per database, in `public` when it can be; the
  // folding function and the operator class are named with the schema each extension lives in.
  await sql`
    DO $$
    DECLARE
      trgm_home text;
      unaccent_home text;
    BEGIN
      SELECT n.nspname INTO trgm_home FROM pg_extension e JOIN pg_namespace n ON n.oid = e.extnamespace WHERE e.extname = 'pg_trgm';
      IF trgm_home IS NULL THEN
        BEGIN
          IF EXISTS (SELECT 1 FROM pg_namespace WHERE nspname = 'public') THEN
            CREATE EXTENSION IF NOT EXISTS pg_trgm SCHEMA public;
          ELSE
            CREATE EXTENSION IF NOT EXISTS pg_trgm;
          END IF;
        EXCEPTION WHEN unique_violation OR duplicate_object THEN
          NULL; -- another migration, in another schema, installed it at the same moment
        END;
        SELECT n.nspname INTO trgm_home FROM pg_extension e JOIN pg_namespace n ON n.oid = e.extnamespace WHERE e.extname = 'pg_trgm';
      END IF;
      SELECT n.nspname INTO unaccent_home FROM pg_extension e JOIN pg_namespace n ON n.oid = e.extnamespace WHERE e.extname = 'unaccent';

      -- What is searched and what is typed are folded alike: "lodz" finds "Łódź", "KOWAL" finds "Kowalska".
      EXECUTE format(
        'CREATE FUNCTION revista_fold(t text) RETURNS text LANGUAGE sql STABLE PARALLEL SAFE AS %L',
        format('SELECT lower(%I.unaccent(%L::regdictionary, coalesce(t, %L)))', unaccent_home, unaccent_home || '.unaccent', '')
      );

      ALTER TABLE users ADD COLUMN search_text text NOT NULL DEFAULT '';
      ALTER TABLE users ADD COLUMN sort_name text NOT NULL DEFAULT '';
      EXECUTE format('CREATE INDEX users_search ON users USING gin (search_text %I.gin_trgm_ops)', trgm_home);
    END
    $$;
  `.execute(db);

  await sql`
    CREATE FUNCTION revista_localized_values(names jsonb) RETURNS text LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
      SELECT coalesce(string_agg(value, ' ' ORDER BY key), '') FROM jsonb_each_text(coalesce(names, '{}'::jsonb))
    $$;

    CREATE FUNCTION revista_users_search_fields() RETURNS trigger LANGUAGE plpgsql AS $$
    DECLARE
      family text;
      given text;
    BEGIN
      NEW.search_text := revista_fold(concat_ws(' ', NEW.email, revista_localized_values(NEW.given_name), revista_localized_values(NEW.family_name),
        revista_localized_values(NEW.affiliation), NEW.orcid));
      -- Sorted by the first localization's family name, then given name; an account without a name by its address.
      SELECT value INTO family FROM jsonb_each_text(NEW.family_name) WHERE btrim(value) <> '' ORDER BY key LIMIT 1;
      SELECT value INTO given FROM jsonb_each_text(NEW.given_name) WHERE btrim(value) <> '' ORDER BY key LIMIT 1;
      NEW.sort_name := coalesce(nullif(revista_fold(btrim(concat_ws(' ', family, given))), ''), lower(NEW.email));
      RETURN NEW;
    END
    $$;

    CREATE TRIGGER users_search_fields BEFORE INSERT OR UPDATE OF email, given_name, family_name, affiliation, orcid ON users
      FOR EACH ROW EXECUTE FUNCTION revista_users_search_fields();

    UPDATE users SET email = email;

    CREATE INDEX users_sort_name ON users (sort_name, id);
    CREATE INDEX users_created ON users (created_at, id);
    CREATE INDEX role_assignments_role ON role_assignments (role, journal_id);
  `.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`
    DROP INDEX role_assignments_role;
    DROP INDEX users_created;
    DROP TRIGGER users_search_fields ON users;
    DROP FUNCTION revista_users_search_fields(), revista_localized_values(jsonb), revista_fold(text);
    ALTER TABLE users DROP COLUMN search_text, DROP COLUMN sort_name;
  `.execute(db);
}
