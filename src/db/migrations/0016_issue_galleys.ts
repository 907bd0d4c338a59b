import { sql, type Kysely } from 'kysely';

/**
 * Issue galleys (issue 16, item 7): files that belong to a whole issue rather than an article — the
 * issue's complete PDF, a printed edition — as OJS keeps them (`<issue_galleys>` in Native XML,
 * /issue/download/{issue}/{galley} on its site). Each has its label and locale, its place among the
 * issue's galleys and its stored file; the dates are OJS's own (uploaded, modified), kept from the
 * import. A file that no galley uses any more is removed with the galley's issue, as article
 * galleys' are.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    CREATE TABLE issue_galleys (
      id serial PRIMARY KEY,
      issue_id integer NOT NULL REFERENCES issues (id) ON DELETE CASCADE,
      label text NOT NULL,
      locale text NOT NULL,
      file_id integer NOT NULL REFERENCES files (id),
      seq integer NOT NULL DEFAULT 0,
      date_uploaded date,
      date_modified date
    );
    CREATE INDEX issue_galleys_issue ON issue_galleys (issue_id, seq);
    CREATE INDEX issue_galleys_file ON issue_galleys (file_id);
    -- Trigger kept (issue 18 audit): cache invalidation, as for the catalog tables (0001).
    CREATE TRIGGER issue_galleys_content_change
      AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON issue_galleys
      FOR EACH STATEMENT EXECUTE FUNCTION revista_notify_content_change();

    -- An imported issue galley's OJS id, so OJS's /issue/download/{issue}/{galley} still leads to it.
    ALTER TABLE ojs_ids DROP CONSTRAINT ojs_ids_kind_check;
    ALTER TABLE ojs_ids ADD CONSTRAINT ojs_ids_kind_check CHECK (kind IN ('issue', 'section', 'article', 'publication', 'galley', 'submission_file', 'author', 'issue_galley'));
  `.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`
    DELETE FROM ojs_ids WHERE kind = 'issue_galley';
    ALTER TABLE ojs_ids DROP CONSTRAINT ojs_ids_kind_check;
    ALTER TABLE ojs_ids ADD CONSTRAINT ojs_ids_kind_check CHECK (kind IN ('issue', 'section', 'article', 'publication', 'galley', 'submission_file', 'author'));
    DROP TABLE issue_galleys;
  `.execute(db);
}
