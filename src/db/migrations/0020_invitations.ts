import { sql, type Kysely } from 'kysely';

/**
 * Invitations (issue 17): someone with no account is invited by address to roles in a journal; the
 * mailed link (its token kept only as a hash, like account tokens) lets them set a password and
 * accept, which creates the account. `purpose` says what accepting does: today the journal roles
 * listed; reviewer invitations will be another purpose of the same row.
 *
 * At most one open invitation per address and journal: a second one for the same person adds roles
 * to it and sends it again.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    CREATE TABLE invitations (
      id serial PRIMARY KEY,
      token_hash text NOT NULL UNIQUE,
      purpose text NOT NULL DEFAULT 'journal-roles' CHECK (purpose IN ('journal-roles')),
      journal_id integer NOT NULL REFERENCES journals (id) ON DELETE CASCADE,
      email text NOT NULL,
      given_name jsonb NOT NULL DEFAULT '{}',
      family_name jsonb NOT NULL DEFAULT '{}',
      roles text[] NOT NULL CHECK (cardinality(roles) BETWEEN 1 AND 10
        AND roles <@ ARRAY['manager', 'editor', 'section-editor', 'copyeditor', 'layout-editor', 'reviewer', 'author', 'reader']),
      locale text,
      invited_by integer REFERENCES users (id) ON DELETE SET NULL,
      created_at timestamptz NOT NULL DEFAULT now(),
      sent_at timestamptz NOT NULL,
      expires_at timestamptz NOT NULL,
      accepted_at timestamptz,
      accepted_by integer REFERENCES users (id) ON DELETE SET NULL,
      revoked_at timestamptz
    );
    CREATE UNIQUE INDEX invitations_open ON invitations (journal_id, lower(email)) WHERE accepted_at IS NULL AND revoked_at IS NULL;
    CREATE INDEX invitations_journal ON invitations (journal_id, created_at);
  `.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`DROP TABLE invitations`.execute(db);
}
