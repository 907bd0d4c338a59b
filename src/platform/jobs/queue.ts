import { sql, type Kysely, type Transaction } from 'kysely';
import type { Clock } from '../../clock.ts';
import type { Database, JobState } from '../../db/index.ts';

/**
 * The queue's rows and the statements that move them: enqueue (in the caller's transaction), claim
 * (one short statement, `FOR UPDATE SKIP LOCKED`), finish, fail with a retry later, retry by hand.
 *
 * Why a queue of our own and not pg-boss or graphile-worker: both need a PostgreSQL server. They
 * install their own schema with PL/pgSQL functions, take advisory locks, and expect a pool of
 * connections (graphile-worker holds a LISTEN connection and claims through its own functions;
 * pg-boss runs its maintenance and cron on separate connections). Revista's default database is
 * embedded PGlite: one connection, one query at a time, where a worker waiting on a lock or a second
 * connection would stall every page. PGlite does accept `FOR UPDATE SKIP LOCKED` (it is PostgreSQL's
 * own parser and executor; queue.test.ts runs the claim on it), so the ~200 lines here run
 * unchanged on both databases, in the same transaction as the change that asks for the work, and a
 * job is an ordinary table the admin page and tests can read.
 */
export type Db = Kysely<Database> | Transaction<Database>;

export interface NewJob {
  kind: string;
  /** Anything JSON can carry; the handler of `kind` reads it. */
  payload: unknown;
  /** Not before this time (default: now). */
  runAt?: Date;
  /**
   * Idempotency: while a job with this key is queued or running, enqueueing another with the same
   * key adds nothing. Once it finished (done or failed) the key is free again.
   */
  key?: string;
  /** Tries before the job stays failed (default 5). */
  maxAttempts?: number;
}

export const DEFAULT_MAX_ATTEMPTS = 5;

/** The channel `enqueue` notifies on, so a waiting runner wakes without waiting for its next poll. */
export const JOBS_CHANNEL = 'revista_jobs';

export class JobInputError extends Error {}

/**
 * Queues a job in `db` — pass the transaction of the change that asks for it, and the job exists
 * exactly when the change does. Returns the new job's id, or undefined when an unfinished job with
 * the same key already exists.
 */
export async function enqueue(db: Db, job: NewJob): Promise<number | undefined> {
  if (!/^[a-z][a-z0-9.:-]{0,99}$/.test(job.kind)) throw new JobInputError(`job kind must be lower-case letters, digits, dots, colons or dashes, got "${job.kind}"`);
  const maxAttempts = job.maxAttempts ?? DEFAULT_MAX_ATTEMPTS;
  if (!Number.isInteger(maxAttempts) || maxAttempts < 1 || maxAttempts > 100) throw new JobInputError(`maxAttempts must be a whole number from 1 to 100, got ${maxAttempts}`);
  if (job.key !== undefined && (job.key.length < 1 || job.key.length > 300)) throw new JobInputError('a job key must be 1 to 300 characters long');
  const payload = JSON.stringify(job.payload ?? null);
  const runAt = job.runAt ?? new Date();
  // ON CONFLICT names the partial index's predicate, so only an unfinished job with the key counts.
  const { rows } = await sql<{ id: number }>`
    INSERT INTO jobs (kind, payload, run_at, key, max_attempts)
    VALUES (${job.kind}, ${payload}::jsonb, ${runAt}, ${job.key ?? null}, ${maxAttempts})
    ON CONFLICT (key) WHERE key IS NOT NULL AND state IN ('queued', 'running') DO NOTHING
    RETURNING id`.execute(db);
  const id = rows[0]?.id;
  // Delivered when the transaction commits (never, if it rolls back); on PGlite it reaches the same process.
  if (id !== undefined && runAt.getTime() <= Date.now() + 1000) await sql`SELECT pg_notify(${JOBS_CHANNEL}, ${job.kind})`.execute(db);
  return id;
}

export interface ClaimedJob {
  id: number;
  kind: string;
  payload: unknown;
  /** This try's number, from 1. */
  attempt: number;
  maxAttempts: number;
  runAt: Date;
}

/**
 * Takes up to `limit` due jobs of the given kinds for `worker`, until `leaseMs` from now. A job whose
 * lease ran out (its process died) is due again. One statement: on PGlite, whose single connection
 * every page shares, nothing holds a transaction open while a job runs.
 */
export async function claimJobs(db: Kysely<Database>, options: { worker: string; kinds: readonly string[]; limit: number; leaseMs: number; now: Date }): Promise<ClaimedJob[]> {
  if (options.kinds.length === 0 || options.limit < 1) return [];
  const { now } = options;
  const until = new Date(now.getTime() + options.leaseMs);
  // A job whose process died on its last try is not run once more than it may be.
  await sql`
    UPDATE jobs SET state = 'failed', finished_at = ${now}, locked_by = NULL, locked_until = NULL,
      last_error = coalesce(last_error || E'\n', '') || 'the process running it stopped before it finished (lease ran out)'
    WHERE state = 'running' AND locked_until < ${now} AND attempts >= max_attempts`.execute(db);
  const { rows } = await sql<{ id: number; kind: string; payload: unknown; attempts: number; max_attempts: number; run_at: Date }>`
    UPDATE jobs SET state = 'running', locked_by = ${options.worker}, locked_until = ${until}, attempts = attempts + 1
    WHERE id IN (
      SELECT id FROM jobs
      WHERE kind = ANY(${[...options.kinds]}::text[])
        AND ((state = 'queued' AND run_at <= ${now}) OR (state = 'running' AND locked_until < ${now}))
      ORDER BY run_at, id
      LIMIT ${options.limit}
      FOR UPDATE SKIP LOCKED)
    RETURNING id, kind, payload, attempts, max_attempts, run_at`.execute(db);
  return rows
    .map((r) => ({ id: r.id, kind: r.kind, payload: r.payload, attempt: r.attempts, maxAttempts: r.max_attempts, runAt: new Date(r.run_at) }))
    .sort((a, b) => a.runAt.getTime() - b.runAt.getTime() || a.id - b.id);
}

/** Keeps a long job's lease (false when the lease is no longer this worker's). */
export async function extendLease(db: Kysely<Database>, id: number, worker: string, until: Date): Promise<boolean> {
  const result = await db.updateTable('jobs').set({ locked_until: until }).where('id', '=', id).where('locked_by', '=', worker).where('state', '=', 'running').executeTakeFirst();
  return result.numUpdatedRows > 0n;
}

export async function markDone(db: Kysely<Database>, id: number, worker: string, now: Date): Promise<void> {
  await db.updateTable('jobs').set({ state: 'done', finished_at: now, locked_by: null, locked_until: null }).where('id', '=', id).where('locked_by', '=', worker).where('state', '=', 'running').execute();
}

/**
 * A try failed: queued again after `retryInMs`, or failed for good (error kept) when it was the last
 * try or `final`. Returns the state the job is left in.
 */
export async function markFailed(db: Kysely<Database>, job: ClaimedJob, worker: string, error: string, options: { now: Date; retryInMs: number; final: boolean }): Promise<JobState> {
  const last = options.final || job.attempt >= job.maxAttempts;
  const state: JobState = last ? 'failed' : 'queued';
  await db
    .updateTable('jobs')
    .set({
      state,
      last_error: error.slice(0, 4000),
      locked_by: null,
      locked_until: null,
      ...(last ? { finished_at: options.now } : { run_at: new Date(options.now.getTime() + options.retryInMs) }),
    })
    .where('id', '=', job.id)
    .where('locked_by', '=', worker)
    .where('state', '=', 'running')
    .execute();
  return state;
}

/** A job a stopping runner did not finish goes back to the queue, its try not counted. */
export async function release(db: Kysely<Database>, id: number, worker: string): Promise<void> {
  await sql`UPDATE jobs SET state = 'queued', locked_by = NULL, locked_until = NULL, attempts = greatest(attempts - 1, 0)
    WHERE id = ${id} AND locked_by = ${worker} AND state = 'running'`.execute(db);
}

/**
 * Exponential backoff with jitter: about 2 s, 4 s, 8 s … doubling per try, capped at an hour, each
 * wait drawn between half and all of it, so jobs that failed together do not all come back together.
 */
export function backoffMs(attempt: number, random: () => number = Math.random, baseMs = 2000, capMs = 3600_000): number {
  const full = Math.min(capMs, baseMs * 2 ** Math.max(0, attempt - 1));
  return Math.round(full / 2 + (full / 2) * random());
}

export type RetryOutcome = 'queued' | 'not-failed' | 'already-queued';

/**
 * The admin's retry: a failed job is queued again now, with its tries counted afresh. Refused when
 * it is not failed, or when a job with its key is already waiting (that one will do the work).
 */
export async function retryFailedJob(db: Kysely<Database>, id: number, clock: Clock): Promise<RetryOutcome> {
  const job = await db.selectFrom('jobs').select(['state', 'key', 'kind']).where('id', '=', id).executeTakeFirst();
  if (!job || job.state !== 'failed') return 'not-failed';
  try {
    const result = await db.updateTable('jobs').set({ state: 'queued', attempts: 0, run_at: clock.now(), finished_at: null }).where('id', '=', id).where('state', '=', 'failed').executeTakeFirst();
    if (result.numUpdatedRows === 0n) return 'not-failed';
  } catch (error) {
    if ((error as { code?: string }).code === '23505') return 'already-queued';
    throw error;
  }
  await sql`SELECT pg_notify(${JOBS_CHANNEL}, ${job.kind})`.execute(db);
  return 'queued';
}

export interface FailedJob {
  id: number;
  kind: string;
  lastError: string | null;
  attempts: number;
  createdAt: Date;
  finishedAt: Date | null;
}

/** The newest failed jobs first, for the admin page. */
export async function listFailedJobs(db: Kysely<Database>, limit = 100): Promise<FailedJob[]> {
  const rows = await db.selectFrom('jobs').select(['id', 'kind', 'last_error', 'attempts', 'created_at', 'finished_at']).where('state', '=', 'failed').orderBy('finished_at', 'desc').orderBy('id', 'desc').limit(limit).execute();
  return rows.map((r) => ({ id: r.id, kind: r.kind, lastError: r.last_error, attempts: r.attempts, createdAt: r.created_at, finishedAt: r.finished_at }));
}

/** Done jobs are kept a week (a schedule reads its last run from them), then removed a bounded batch at a time. */
export async function pruneDoneJobs(db: Kysely<Database>, now: Date, keepMs = 7 * 24 * 3600_000): Promise<number> {
  const before = new Date(now.getTime() - keepMs);
  const result = await sql`DELETE FROM jobs WHERE id IN (SELECT id FROM jobs WHERE state = 'done' AND finished_at < ${before} LIMIT 1000)`.execute(db);
  return Number(result.numAffectedRows ?? 0n);
}
