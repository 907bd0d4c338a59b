import { sql, type Kysely } from 'kysely';

/**
 * What an OJS Native XML import needs beyond the catalog: the OJS ids of imported objects (so a
 * re-import updates instead of duplicating, and old OJS links find their article, issue or galley),
 * and the metadata OJS exports that Revista had no place for, so an export gives back what came in.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    CREATE TABLE ojs_ids (
      journal_id integer NOT NULL REFERENCES journals (id) ON DELETE CASCADE,
      kind text NOT NULL CHECK (kind IN ('issue', 'section', 'article', 'publication', 'galley', 'submission_file', 'author')),
      ojs_id integer NOT NULL,
      revista_id integer NOT NULL,
      -- What was imported last (a hash of the object as read), so a re-import of the same file
      -- changes nothing and a dry run can say what would change.
      digest text,
      PRIMARY KEY (journal_id, kind, ojs_id)
    );
    CREATE INDEX ojs_ids_revista ON ojs_ids (kind, revista_id);
    -- An imported file that is already stored (same bytes) is not stored twice.
    CREATE INDEX files_sha256 ON files (sha256);

    ALTER TABLE publications
      ADD COLUMN coverage jsonb NOT NULL DEFAULT '{}',
      ADD COLUMN type jsonb NOT NULL DEFAULT '{}',
      ADD COLUMN source jsonb NOT NULL DEFAULT '{}',
      ADD COLUMN rights jsonb NOT NULL DEFAULT '{}',
      ADD COLUMN disciplines jsonb NOT NULL DEFAULT '{}',
      ADD COLUMN agencies jsonb NOT NULL DEFAULT '{}',
      ADD COLUMN languages jsonb NOT NULL DEFAULT '{}',
      ADD COLUMN access_status integer,
      ADD COLUMN cover_file_id integer REFERENCES files (id),
      ADD COLUMN cover_name text,
      ADD COLUMN cover_alt_text text;

    ALTER TABLE issues
      ADD COLUMN access_status integer,
      ADD COLUMN cover_name text,
      ADD COLUMN cover_alt_text text;

    ALTER TABLE contributors
      ADD COLUMN affiliations jsonb NOT NULL DEFAULT '[]',
      ADD COLUMN biography jsonb NOT NULL DEFAULT '{}',
      ADD COLUMN url text,
      ADD COLUMN user_group text,
      ADD COLUMN contributor_type text,
      ADD COLUMN contributor_roles integer[] NOT NULL DEFAULT '{}';

    ALTER TABLE sections
      ADD COLUMN settings jsonb NOT NULL DEFAULT '{}';

    ALTER TABLE galleys
      ADD COLUMN doi text;
  `.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`
    DROP TABLE ojs_ids;
    DROP INDEX files_sha256;
    ALTER TABLE publications DROP COLUMN coverage, DROP COLUMN type, DROP COLUMN source, DROP COLUMN rights,
      DROP COLUMN disciplines, DROP COLUMN agencies, DROP COLUMN languages, DROP COLUMN access_status,
      DROP COLUMN cover_file_id, DROP COLUMN cover_name, DROP COLUMN cover_alt_text;
    ALTER TABLE issues DROP COLUMN access_status, DROP COLUMN cover_name, DROP COLUMN cover_alt_text;
    ALTER TABLE contributors DROP COLUMN affiliations, DROP COLUMN biography, DROP COLUMN url,
      DROP COLUMN user_group, DROP COLUMN contributor_type, DROP COLUMN contributor_roles;
    ALTER TABLE sections DROP COLUMN settings;
    ALTER TABLE galleys DROP COLUMN doi;
  `.execute(db);
}
