import { sql, type Kysely } from 'kysely';

/**
 * The job queue (src/platform/jobs, issue 18): work that may wait — Crossref deposits, mail, reference
 * parsing — is a row here, written in the same transaction as the change that asks for it, and claimed
 * by one worker process at a time (`FOR UPDATE SKIP LOCKED`). A running job holds a lease
 * (`locked_until`): when its process dies the lease runs out and another worker takes the job again.
 * An idempotency key is unique only among jobs not yet finished, so "deposit article 7" is queued once
 * however many processes ask, and may be queued again after it ran.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    CREATE TABLE jobs (
      id bigserial PRIMARY KEY,
      kind text NOT NULL CHECK (length(kind) BETWEEN 1 AND 100),
      payload jsonb NOT NULL DEFAULT '{}'::jsonb,
      state text NOT NULL DEFAULT 'queued' CHECK (state IN ('queued', 'running', 'failed', 'done')),
      run_at timestamptz NOT NULL DEFAULT now(),
      attempts integer NOT NULL DEFAULT 0 CHECK (attempts >= 0),
      max_attempts integer NOT NULL DEFAULT 5 CHECK (max_attempts BETWEEN 1 AND 100),
      last_error text,
      key text CHECK (key IS NULL OR length(key) BETWEEN 1 AND 300),
      locked_by text,
      locked_until timestamptz,
      created_at timestamptz NOT NULL DEFAULT now(),
      finished_at timestamptz,
      CHECK ((state = 'running') = (locked_until IS NOT NULL))
    );
    CREATE UNIQUE INDEX jobs_key_unfinished ON jobs (key) WHERE key IS NOT NULL AND state IN ('queued', 'running');
    CREATE INDEX jobs_due ON jobs (run_at, id) WHERE state = 'queued';
    CREATE INDEX jobs_leased ON jobs (locked_until) WHERE state = 'running';
    CREATE INDEX jobs_finished ON jobs (state, finished_at) WHERE state IN ('failed', 'done');
  `.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`DROP TABLE jobs`.execute(db);
}
