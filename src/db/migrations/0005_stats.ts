import { sql, type Kysely } from 'kysely';

/**
 * Usage events, one row per view or download, as COUNTER R5.1 needs them: the time, what was used,
 * a privacy-preserving session key (a salted hash, never an address), and whether the event was
 * filtered (robot, double click) and why. Rows are written before the answer is sent.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    CREATE TABLE usage_events (
      id bigserial PRIMARY KEY,
      at timestamptz NOT NULL,
      journal_id integer NOT NULL,
      issue_id integer,
      article_id integer,
      galley_id integer,
      kind text NOT NULL CHECK (kind IN ('investigation', 'request', 'toc', 'home')),
      session_key text NOT NULL,
      country text,
      yop integer,
      filter_reason text CHECK (filter_reason IN ('robot', 'double-click'))
    );
    CREATE INDEX usage_events_article ON usage_events (article_id, at) WHERE filter_reason IS NULL;
    CREATE INDEX usage_events_journal ON usage_events (journal_id, at);
    CREATE INDEX usage_events_clicks ON usage_events (session_key, article_id, at);

    -- The salt of the session keys, one per day: yesterday's keys cannot be matched to today's.
    CREATE TABLE usage_salts (
      day date PRIMARY KEY,
      salt text NOT NULL
    );
  `.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`DROP TABLE usage_events, usage_salts`.execute(db);
}
