import { sql, type Kysely } from 'kysely';

/**
 * The editorial dashboard's search in a big journal (issue 22). 0027 matched each typed word against
 * the trigram indexes of every publication's title and every contributor's name, then kept the
 * journal's submissions. A journal with 50,000 published articles has thousands of titles with a
 * common word ("security") and thousands of authors with a common name, all of them rechecked in
 * the wide publications and contributors tables for the few that are submissions: 120–200 ms for two
 * such words, over the 100 ms the dashboard has.
 *
 * `submission_search` holds, per submission, the folded text the dashboard searches — the title of
 * each version and each contributor's name, as 0027 folds them, one per line (a typed word holds no
 * line break, so it still matches within one title or one name) — in a narrow table of submissions
 * only, with its own trigram index: every word of a search is matched in one indexed read.
 *
 * Triggers kept (issue 22, as the issue 18 audit asks): the table must follow every writer of titles
 * and names — the workflow, the API, an OJS import, SQL by hand — as the OAI records do (0003); they
 * are statement triggers, one refresh per statement whatever the number of rows.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    CREATE TABLE submission_search (
      submission_id integer PRIMARY KEY REFERENCES submissions (id) ON DELETE CASCADE,
      journal_id integer NOT NULL,
      words text NOT NULL
    );

    -- The rows of these submissions (those that exist) made again from their publications and contributors.
    CREATE FUNCTION revista_submission_search_refresh(ids integer[]) RETURNS void LANGUAGE sql AS $$
      INSERT INTO submission_search (submission_id, journal_id, words)
      SELECT s.id, s.journal_id, concat_ws(E'\\n',
        (SELECT string_agg(revista_search_fold(p.title::text), E'\\n' ORDER BY p.id) FROM publications p WHERE p.article_id = s.id),
        (SELECT string_agg(revista_search_fold(c.given_name::text || c.family_name::text), E'\\n' ORDER BY c.id)
           FROM publications p JOIN contributors c ON c.publication_id = p.id WHERE p.article_id = s.id))
      FROM submissions s WHERE s.id = ANY (ids)
      ON CONFLICT (submission_id) DO UPDATE SET journal_id = excluded.journal_id, words = excluded.words
    $$;

    CREATE FUNCTION revista_submission_search_submissions() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      IF TG_OP = 'INSERT' THEN
        PERFORM revista_submission_search_refresh(ARRAY(SELECT id FROM new_rows));
      ELSE
        PERFORM revista_submission_search_refresh(ARRAY(SELECT n.id FROM new_rows n JOIN old_rows o ON o.id = n.id WHERE n.journal_id <> o.journal_id));
      END IF;
      RETURN NULL;
    END
    $$;
    CREATE TRIGGER submissions_search_insert AFTER INSERT ON submissions
      REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION revista_submission_search_submissions();
    CREATE TRIGGER submissions_search_update AFTER UPDATE ON submissions
      REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION revista_submission_search_submissions();

    -- Any version's title; an article that is no submission costs one probe of submissions' key.
    CREATE FUNCTION revista_submission_search_publications() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      IF TG_OP = 'INSERT' THEN
        PERFORM revista_submission_search_refresh(ARRAY(SELECT article_id FROM new_rows));
      ELSIF TG_OP = 'DELETE' THEN
        PERFORM revista_submission_search_refresh(ARRAY(SELECT article_id FROM old_rows));
      ELSE
        PERFORM revista_submission_search_refresh(ARRAY(
          SELECT n.article_id FROM new_rows n JOIN old_rows o ON o.id = n.id WHERE n.title IS DISTINCT FROM o.title OR n.article_id <> o.article_id
          UNION SELECT o.article_id FROM new_rows n JOIN old_rows o ON o.id = n.id WHERE n.article_id <> o.article_id));
      END IF;
      RETURN NULL;
    END
    $$;
    CREATE TRIGGER publications_submission_search_insert AFTER INSERT ON publications
      REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION revista_submission_search_publications();
    CREATE TRIGGER publications_submission_search_update AFTER UPDATE ON publications
      REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION revista_submission_search_publications();
    CREATE TRIGGER publications_submission_search_delete AFTER DELETE ON publications
      REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION revista_submission_search_publications();

    CREATE FUNCTION revista_submission_search_contributors() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      IF TG_OP IN ('UPDATE', 'DELETE') THEN
        PERFORM revista_submission_search_refresh(ARRAY(SELECT p.article_id FROM old_rows r JOIN publications p ON p.id = r.publication_id));
      END IF;
      IF TG_OP IN ('INSERT', 'UPDATE') THEN
        PERFORM revista_submission_search_refresh(ARRAY(SELECT p.article_id FROM new_rows r JOIN publications p ON p.id = r.publication_id));
      END IF;
      RETURN NULL;
    END
    $$;
    CREATE TRIGGER contributors_submission_search_insert AFTER INSERT ON contributors
      REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION revista_submission_search_contributors();
    CREATE TRIGGER contributors_submission_search_update AFTER UPDATE ON contributors
      REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION revista_submission_search_contributors();
    CREATE TRIGGER contributors_submission_search_delete AFTER DELETE ON contributors
      REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION revista_submission_search_contributors();

    SELECT revista_submission_search_refresh(ARRAY(SELECT id FROM submissions));
  `.execute(db);
  // The trigram operator class lives where pg_trgm was installed (as in 0027).
  await sql`
    DO $$
    DECLARE trgm_home text;
    BEGIN
      SELECT n.nspname INTO trgm_home FROM pg_extension e JOIN pg_namespace n ON n.oid = e.extnamespace WHERE e.extname = 'pg_trgm';
      EXECUTE format('CREATE INDEX submission_search_words ON submission_search USING gin (words %I.gin_trgm_ops)', trgm_home);
    END
    $$;
  `.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`
    DROP TRIGGER contributors_submission_search_delete ON contributors;
    DROP TRIGGER contributors_submission_search_update ON contributors;
    DROP TRIGGER contributors_submission_search_insert ON contributors;
    DROP TRIGGER publications_submission_search_delete ON publications;
    DROP TRIGGER publications_submission_search_update ON publications;
    DROP TRIGGER publications_submission_search_insert ON publications;
    DROP TRIGGER submissions_search_update ON submissions;
    DROP TRIGGER submissions_search_insert ON submissions;
    DROP FUNCTION revista_submission_search_contributors();
    DROP FUNCTION revista_submission_search_publications();
    DROP FUNCTION revista_submission_search_submissions();
    DROP FUNCTION revista_submission_search_refresh(integer[]);
    DROP TABLE submission_search;
  `.execute(db);
}
