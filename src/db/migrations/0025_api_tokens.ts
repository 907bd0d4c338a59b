import { sql, type Kysely } from 'kysely';

/**
 * Personal API tokens (issue 18): a person's key for `/api/v1/…`, named by them, limited to some of
 * their roles and optionally one journal. Only the token's SHA-256 is kept (the token itself is shown
 * once); a revoked token stays on record with the time it was revoked. `last_used_at` is updated at
 * most once a minute, so a busy script does not write on every request.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    CREATE TABLE api_tokens (
      id serial PRIMARY KEY,
      user_id integer NOT NULL REFERENCES users(id) ON DELETE CASCADE,
      name text NOT NULL CHECK (length(btrim(name)) > 0 AND length(name) <= 100),
      token_hash text NOT NULL UNIQUE,
      roles text[] NOT NULL,
      journal_id integer REFERENCES journals(id) ON DELETE CASCADE,
      created_at timestamptz NOT NULL DEFAULT now(),
      last_used_at timestamptz,
      revoked_at timestamptz
    );
    CREATE INDEX api_tokens_user ON api_tokens (user_id, created_at);
  `.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`DROP TABLE api_tokens`.execute(db);
}
