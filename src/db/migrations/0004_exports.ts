import { sql, type Kysely } from 'kysely';

/**
 * DOIs and their registration with Crossref: the journal's prefix, suffix pattern and Crossref
 * account, and one deposit state per article (OJS keeps the same in submission settings).
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    ALTER TABLE journals
      ADD COLUMN doi_prefix text CHECK (doi_prefix ~ '^10\\.[0-9]{4,9}$'),
      ADD COLUMN doi_suffix_pattern text,
      ADD COLUMN crossref_username text,
      ADD COLUMN crossref_password text,
      ADD COLUMN crossref_depositor_name text,
      ADD COLUMN crossref_depositor_email text;

    -- DOIs are compared without case, as the DOI system does. Versions of one article share its DOI,
    -- so the unique index of 0001 (one published publication per DOI) would refuse a new version;
    -- uniqueness across articles is checked when a DOI is assigned (exports/doi.ts).
    DROP INDEX publications_doi;
    CREATE INDEX publications_doi_lookup ON publications (lower(doi)) WHERE doi IS NOT NULL;

    CREATE TABLE crossref_deposits (
      article_id integer PRIMARY KEY REFERENCES articles (id) ON DELETE CASCADE,
      status text NOT NULL CHECK (status IN ('queued', 'submitted', 'registered', 'failed')),
      doi text NOT NULL,
      batch_id text,
      metadata_hash text,
      message text,
      attempts integer NOT NULL DEFAULT 0,
      next_attempt_at timestamptz,
      submitted_at timestamptz,
      registered_at timestamptz,
      updated_at timestamptz NOT NULL DEFAULT now()
    );
  `.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`
    DROP TABLE crossref_deposits;
    DROP INDEX publications_doi_lookup;
    CREATE UNIQUE INDEX publications_doi ON publications (lower(doi)) WHERE doi IS NOT NULL AND status = 'published';
    ALTER TABLE journals DROP COLUMN doi_prefix, DROP COLUMN doi_suffix_pattern, DROP COLUMN crossref_username,
      DROP COLUMN crossref_password, DROP COLUMN crossref_depositor_name, DROP COLUMN crossref_depositor_email;
  `.execute(db);
}
