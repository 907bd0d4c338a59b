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

const HOUR_MS = 3_600_000;

/** The UTC hour an instant falls in: with the session key, COUNTER's user-session. */
export function hourOf(at: Date): string {
  return new Date(Math.floor(at.getTime() / HOUR_MS) * HOUR_MS).toISOString();
}

/** The first day of the UTC month an instant falls in, `YYYY-MM-01`. */
export function monthDayOf(at: Date): string {
  return `${at.toISOString().slice(0, 7)}-01`;
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
 * Lookups go through usage_events_sessions, one index probe per click, whatever the table's size.
 */
export async function storeEvents(trx: Transaction<Database> | Kysely<Database>, rows: EventRow[]): Promise<void> {
  if (rows.length > 0) await storeEventsStatement(rows).execute(trx);
}

function storeEventsStatement(rows: EventRow[]) {
  const column = <K extends keyof EventRow>(key: K) => rows.map((r) => r[key]);
  return sql`
    WITH batch AS (
      SELECT * FROM unnest(
        ${rows.map((r) => r.at.toISOString())}::timestamptz[], ${rows.map((r) => hourOf(r.at))}::timestamptz[], ${rows.map((r) => monthDayOf(r.at))}::date[],
        ${column('journal_id')}::integer[], ${column('issue_id')}::integer[],
        ${column('article_id')}::integer[], ${column('galley_id')}::integer[], ${column('kind')}::text[],
        ${column('session_key')}::text[], ${column('yop')}::integer[], ${column('filter_reason')}::text[]
      ) AS b (at, hour, month, journal_id, issue_id, article_id, galley_id, kind, session_key, yop, filter_reason)
    ),
    superseded AS (
      UPDATE usage_events AS e SET filter_reason = 'double-click'
      FROM (
        SELECT earlier.id
        FROM batch AS v
        CROSS JOIN LATERAL (
          SELECT s.id FROM usage_events AS s
          WHERE s.session_key = v.session_key AND s.article_id = v.article_id
            AND s.at >= v.at - ${`${DOUBLE_CLICK_WINDOW_MS} milliseconds`}::interval AND s.at <= v.at
            AND s.filter_reason IS NULL AND s.kind = v.kind AND s.galley_id IS NOT DISTINCT FROM v.galley_id
          OFFSET 0 -- a fence: flattened, the planner may hash the whole table instead of probing
        ) AS earlier
        WHERE v.article_id IS NOT NULL AND v.filter_reason IS DISTINCT FROM 'robot'
      ) AS hit
      WHERE e.id = hit.id AND e.kind IN ('investigation', 'request')
      RETURNING e.article_id, e.journal_id, e.session_key, e.kind,
        date_trunc('hour', e.at AT TIME ZONE 'UTC') AT TIME ZONE 'UTC' AS hour, date_trunc('month', e.at AT TIME ZONE 'UTC')::date AS month
    ),
    stored AS (
      INSERT INTO usage_events (at, journal_id, issue_id, article_id, galley_id, kind, session_key, yop, filter_reason)
      SELECT at, journal_id, issue_id, article_id, galley_id, kind, session_key, yop, filter_reason FROM batch
    ),
    changes AS (
      SELECT article_id, journal_id, session_key, hour, month, 1 AS n, (kind = 'request')::integer AS r FROM batch
      WHERE filter_reason IS NULL AND article_id IS NOT NULL AND kind IN ('investigation', 'request')
      UNION ALL
      SELECT article_id, journal_id, session_key, hour, month, -1, -((kind = 'request')::integer) FROM superseded
    ),
    sessions AS (
      SELECT article_id, min(journal_id) AS journal_id, session_key, hour, month, sum(n) AS n, sum(r) AS r
      FROM changes GROUP BY article_id, session_key, hour, month
    ),
    counted AS (
      SELECT c.*, before.n AS n_before, before.r AS r_before
      FROM sessions AS c
      CROSS JOIN LATERAL (
        SELECT count(*) AS n, count(*) FILTER (WHERE s.kind = 'request') AS r FROM usage_events AS s
        WHERE s.session_key = c.session_key AND s.article_id = c.article_id
          AND s.at >= c.hour AND s.at < c.hour + interval '1 hour'
          AND s.filter_reason IS NULL AND s.kind IN ('investigation', 'request')
        OFFSET 0
      ) AS before
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
