import { sql, type Kysely } from 'kysely';

/**
 * COUNTER item metrics kept ready per article and UTC month, so that reports and charts read one row
 * per article and month instead of every event. The recorder moves them in the same statement that
 * stores the events (stats/rollup.ts). A COUNTER user-session is the session key within one UTC hour,
 * so unique counts of a month are the distinct (session key, hour) pairs that have counted events.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    CREATE TABLE usage_item_months (
      article_id integer NOT NULL,
      month date NOT NULL CHECK (extract(day FROM month) = 1),
      journal_id integer NOT NULL,
      investigations integer NOT NULL,
      unique_investigations integer NOT NULL,
      requests integer NOT NULL,
      unique_requests integer NOT NULL,
      PRIMARY KEY (article_id, month)
    ) WITH (fillfactor = 50);
    CREATE INDEX usage_item_months_journal ON usage_item_months (journal_id, month);
    -- Each batch of events rewrites the rows of the months it touches. Room left on every page lets
    -- those updates stay on the page (HOT), where old versions are pruned as pages are read, so the
    -- table does not bloat between vacuums (the embedded database has no autovacuum).

    INSERT INTO usage_item_months
    SELECT article_id, date_trunc('month', at AT TIME ZONE 'UTC')::date, min(journal_id),
      count(*), count(DISTINCT session_key || date_trunc('hour', at AT TIME ZONE 'UTC')::text),
      count(*) FILTER (WHERE kind = 'request'),
      count(DISTINCT session_key || date_trunc('hour', at AT TIME ZONE 'UTC')::text) FILTER (WHERE kind = 'request')
    FROM usage_events
    WHERE filter_reason IS NULL AND article_id IS NOT NULL AND kind IN ('investigation', 'request')
    GROUP BY 1, 2;

    -- One index serves both lookups of the recorder, the earlier click of a double click and the
    -- session's earlier events in the same hour; only counted events are ever looked up. The other
    -- indexes only slowed every insert down once reports read the monthly table.
    DROP INDEX usage_events_clicks;
    DROP INDEX usage_events_journal;
    DROP INDEX usage_events_article;
    CREATE INDEX usage_events_sessions ON usage_events (session_key, article_id, at) WHERE filter_reason IS NULL;
  `.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`
    DROP TABLE usage_item_months;
    DROP INDEX usage_events_sessions;
    CREATE INDEX usage_events_article ON usage_events (article_id, at) WHERE filter_reason IS NULL;
    CREATE INDEX usage_events_journal ON usage_events (journal_id, at);
    CREATE INDEX usage_events_clicks ON usage_events (session_key, article_id, at);
  `.execute(db);
}
