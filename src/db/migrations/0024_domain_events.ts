import { sql, type Kysely } from 'kysely';

/**
 * The outbox of domain events (src/platform/events, issue 18): a command writes what happened here in
 * its own transaction, so the event exists exactly when the change committed. A job
 * (`events.dispatch`) then queues one delivery job per subscriber and marks the event dispatched in
 * the same transaction, so each subscriber is queued once whatever retries or processes there are.
 * Dispatched events are kept a while for looking into what happened, then removed.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    CREATE TABLE domain_events (
      id bigserial PRIMARY KEY,
      type text NOT NULL CHECK (type ~ '^[A-Z][A-Za-z]{1,99}$'),
      payload jsonb NOT NULL,
      occurred_at timestamptz NOT NULL DEFAULT now(),
      dispatched_at timestamptz
    );
    CREATE INDEX domain_events_undispatched ON domain_events (id) WHERE dispatched_at IS NULL;
    CREATE INDEX domain_events_dispatched ON domain_events (dispatched_at) WHERE dispatched_at IS NOT NULL;
  `.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`DROP TABLE domain_events`.execute(db);
}
