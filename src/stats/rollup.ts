import { sql, type Kysely, type Transaction } from 'kysely';
import { DOUBLE_CLICK_WINDOW_MS } from './counter.ts';
import type { Database, UsageKind } from '../db/index.ts';

/** A usage event ready to store: `filter_reason` already says robot, or double click within its batch. */
export interface EventRow {
  at: Date;
  journal_id: number;
  issue_id: number | null;
  article_id: number | null;
  galley_id: number | null;
  kind: UsageKind;
  session_key: string;
  yop: number | null;
  filter_reason: 'robot' | 'double-click' | null;
}

/**
 * Stores a batch of events in one statement (one round trip, the batch passed as arrays), and with
 * them moves the monthly COUNTER metrics of usage_item_months:
 * - earlier stored clicks that a click of the batch supersedes (same session, item, action and
 *   galley, at most 30 s before) are marked as double clicks — every non-robot click supersedes, even
 *   one that a later click of the batch supersedes in turn, so a chain of quick clicks counts once;
 * - totals move by the batch's counted events minus the clicks just superseded;
 * - unique counts move by the user-sessions (session key + UTC hour) of each article that gain their
 *   first counted event or lose their last one.
 *
 * Every part of the statement reads the table as it was before the statement. Callers serialise
 * batches (recorder.ts takes an advisory lock), so no two batches count the same session at once.
 * Lookups go through usage_events_sessions, one index probe per session and article of the batch,
 * whatever the table's size; both rules are then applied to what it found, in memory.
 */
export async function storeEvents(trx: Transaction<Database> | Kysely<Database>, rows: EventRow[]): Promise<void> {
  if (rows.length > 0) await storeEventsStatement(rows).execute(trx);
}

function storeEventsStatement(rows: EventRow[]) {
  const column = <K extends keyof EventRow>(key: K) => rows.map((r) => r[key]);
  const window = `${DOUBLE_CLICK_WINDOW_MS} milliseconds`;
  // Times travel as milliseconds since the epoch (numbers cost less to send and read than ISO text);
  // hours and months are UTC.
  return sql`
    WITH sent AS (
      SELECT * FROM unnest(
        ${rows.map((r) => r.at.getTime())}::float8[],
        ${column('journal_id')}::integer[], ${column('issue_id')}::integer[],
        ${column('article_id')}::integer[], ${column('galley_id')}::integer[], ${column('kind')}::text[],
        ${column('session_key')}::text[], ${column('yop')}::integer[], ${column('filter_reason')}::text[]
      ) AS b (ms, journal_id, issue_id, article_id, galley_id, kind, session_key, yop, filter_reason)
    ),
    batch AS (
      SELECT to_timestamp(ms / 1000) AS at, to_timestamp(floor(ms / 3600000) * 3600) AS hour,
        date_trunc('month', to_timestamp(ms / 1000) AT TIME ZONE 'UTC')::date AS month,
        journal_id, issue_id, article_id, galley_id, kind, session_key, yop, filter_reason
      FROM sent
    ),
    clicks AS (
      SELECT * FROM batch WHERE article_id IS NOT NULL AND filter_reason IS DISTINCT FROM 'robot' AND kind IN ('investigation', 'request')
    ),
    -- Per session and article of the batch, one index probe for the stored counted clicks both rules
    -- need: from the start of the hour of the earliest click's window to the end of the latest hour.
    probes AS (
      SELECT session_key, article_id, date_trunc('hour', min(at) - ${window}::interval, 'UTC') AS low, max(hour) + interval '1 hour' AS high
      FROM clicks GROUP BY session_key, article_id
    ),
    prior AS (
      SELECT p.session_key, p.article_id, s.id, s.at, s.kind, s.galley_id, s.journal_id
      FROM probes AS p
      CROSS JOIN LATERAL (
        SELECT s.id, s.at, s.kind, s.galley_id, s.journal_id FROM usage_events AS s
        WHERE s.session_key = p.session_key AND s.article_id = p.article_id AND s.at >= p.low AND s.at < p.high
          AND s.filter_reason IS NULL AND s.kind IN ('investigation', 'request')
        OFFSET 0 -- a fence: flattened, the planner may hash the whole table instead of probing
      ) AS s
    ),
    superseded AS (
      SELECT DISTINCT p.id, p.article_id, p.journal_id, p.session_key, p.kind,
        date_trunc('hour', p.at, 'UTC') AS hour, date_trunc('month', p.at AT TIME ZONE 'UTC')::date AS month
      FROM prior AS p
      JOIN clicks AS v ON v.session_key = p.session_key AND v.article_id = p.article_id AND v.kind = p.kind
        AND v.galley_id IS NOT DISTINCT FROM p.galley_id AND p.at >= v.at - ${window}::interval AND p.at <= v.at
    ),
    marked AS (
      UPDATE usage_events AS e SET filter_reason = 'double-click' FROM superseded AS d WHERE e.id = d.id
    ),
    stored AS (
      INSERT INTO usage_events (at, journal_id, issue_id, article_id, galley_id, kind, session_key, yop, filter_reason)
      SELECT at, journal_id, issue_id, article_id, galley_id, kind, session_key, yop, filter_reason FROM batch
    ),
    changes AS (
      SELECT article_id, journal_id, session_key, hour, month, 1 AS n, (kind = 'request')::integer AS r FROM clicks WHERE filter_reason IS NULL
      UNION ALL
      SELECT article_id, journal_id, session_key, hour, month, -1, -((kind = 'request')::integer) FROM superseded
    ),
    sessions AS (
      SELECT article_id, min(journal_id) AS journal_id, session_key, hour, month, sum(n) AS n, sum(r) AS r
      FROM changes GROUP BY article_id, session_key, hour, month
    ),
    before AS (
      SELECT session_key, article_id, date_trunc('hour', at, 'UTC') AS hour, count(*) AS n, count(*) FILTER (WHERE kind = 'request') AS r
      FROM prior GROUP BY 1, 2, 3
    ),
    counted AS (
      SELECT c.*, coalesce(b.n, 0) AS n_before, coalesce(b.r, 0) AS r_before
      FROM sessions AS c LEFT JOIN before AS b ON b.session_key = c.session_key AND b.article_id = c.article_id AND b.hour = c.hour
    ),
    delta AS (
      SELECT article_id, month, min(journal_id) AS journal_id,
        sum(n)::integer AS investigations,
        sum((n_before + n > 0)::integer - (n_before > 0)::integer)::integer AS unique_investigations,
        sum(r)::integer AS requests,
        sum((r_before + r > 0)::integer - (r_before > 0)::integer)::integer AS unique_requests
      FROM counted
      GROUP BY 1, 2
    )
    INSERT INTO usage_item_months (article_id, month, journal_id, investigations, unique_investigations, requests, unique_requests)
    SELECT * FROM delta
    WHERE investigations <> 0 OR unique_investigations <> 0 OR requests <> 0 OR unique_requests <> 0
    ON CONFLICT (article_id, month) DO UPDATE SET
      investigations = usage_item_months.investigations + excluded.investigations,
      unique_investigations = usage_item_months.unique_investigations + excluded.unique_investigations,
      requests = usage_item_months.requests + excluded.requests,
      unique_requests = usage_item_months.unique_requests + excluded.unique_requests
  `;
}

/**
 * Forgets a journal's usage (its journal is being deleted): the events and monthly totals name the
 * journal without a foreign key, so nothing else removes them. Runs in the deleting transaction.
 */
export async function forgetJournalUsage(db: Kysely<Database>, journalId: number): Promise<void> {
  await db.deleteFrom('usage_events').where('journal_id', '=', journalId).execute();
  await db.deleteFrom('usage_item_months').where('journal_id', '=', journalId).execute();
}
