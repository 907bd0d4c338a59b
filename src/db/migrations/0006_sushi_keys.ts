import { sql, type Kysely } from 'kysely';

/**
 * SUSHI credentials. Usage of an open-access journal is public (as in OJS), so SUSHI answers anyone
 * unless the journal asks for credentials; then harvesters send the requestor_id and api_key a
 * manager gave them. Keys are stored as SHA-256 hashes and shown once, when made.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    ALTER TABLE journals ADD COLUMN sushi_requires_key boolean NOT NULL DEFAULT false;
    CREATE TABLE sushi_keys (
      id serial PRIMARY KEY,
      journal_id integer NOT NULL REFERENCES journals (id) ON DELETE CASCADE,
      requestor_id text NOT NULL,
      label text NOT NULL,
      key_hash text NOT NULL,
      created_at timestamptz NOT NULL DEFAULT now(),
      revoked_at timestamptz,
      UNIQUE (journal_id, requestor_id)
    );
  `.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`DROP TABLE sushi_keys; ALTER TABLE journals DROP COLUMN sushi_requires_key;`.execute(db);
}
