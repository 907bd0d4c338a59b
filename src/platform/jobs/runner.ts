import { hostname } from 'node:os';
import { randomBytes } from 'node:crypto';
import type { Kysely } from 'kysely';
import { systemClock, type Clock } from '../../clock.ts';
import type { Database } from '../../db/index.ts';
import { backoffMs, claimJobByKey, claimJobs, extendLease, markDone, markFailed, pruneDoneJobs, release, JOBS_CHANNEL, type ClaimedJob } from './queue.ts';
import { ensureScheduled, type Schedule } from './schedules.ts';

export interface JobLog {
  info(obj: object, msg: string): void;
  warn(obj: object, msg: string): void;
  error(obj: object, msg: string): void;
}

export interface JobContext {
  db: Kysely<Database>;
  jobId: number;
  /** This try's number, from 1. */
  attempt: number;
  maxAttempts: number;
  clock: Clock;
  log: JobLog;
  /** Aborted when the runner stops: a long job may end early (it is queued again, its try not counted). */
  signal: AbortSignal;
}

/**
 * What runs the jobs of one kind. `run` must be idempotent — a job whose process died is run again —
 * and throws to fail the try (retried with backoff), or throws `PermanentJobError` when trying again
 * cannot help (bad credentials, a deleted article).
 */
export interface JobHandler<P = unknown> {
  kind: string;
  run(payload: P, ctx: JobContext): Promise<void>;
  /** How long one try may hold its job before another worker may take it (default 5 min; renewed while it runs). */
  leaseMs?: number;
  /** Wait before the next try (default: exponential backoff with jitter from 2 s). */
  retryDelayMs?(attempt: number): number;
  /** Frees what the handler keeps between jobs (a worker thread); the runner calls it when it stops. */
  close?(): Promise<void>;
}

export class PermanentJobError extends Error {}

const silent: JobLog = { info() {}, warn() {}, error() {} };
const DEFAULT_LEASE_MS = 5 * 60_000;

function handlerMap(handlers: readonly JobHandler[]): Map<string, JobHandler> {
  const map = new Map<string, JobHandler>();
  for (const h of handlers) {
    if (map.has(h.kind)) throw new Error(`two job handlers for kind ${h.kind}`);
    map.set(h.kind, h);
  }
  return map;
}

function describe(error: unknown): string {
  if (error instanceof Error) return error.message || error.name;
  return String(error);
}

/** Runs one claimed job to its end and records how it ended. */
async function runClaimed(db: Kysely<Database>, job: ClaimedJob, handler: JobHandler, options: { worker: string; clock: Clock; log: JobLog; signal: AbortSignal }): Promise<'done' | 'queued' | 'failed' | 'released'> {
  const leaseMs = handler.leaseMs ?? DEFAULT_LEASE_MS;
  const renew = setInterval(() => {
    void extendLease(db, job.id, options.worker, new Date(options.clock.now().getTime() + leaseMs)).catch(() => {});
  }, Math.max(1000, Math.floor(leaseMs / 3)));
  renew.unref();
  try {
    await handler.run(job.payload, { db, jobId: job.id, attempt: job.attempt, maxAttempts: job.maxAttempts, clock: options.clock, log: options.log, signal: options.signal });
    clearInterval(renew);
    await markDone(db, job.id, options.worker, options.clock.now());
    return 'done';
  } catch (error) {
    clearInterval(renew);
    if (options.signal.aborted) {
      await release(db, job.id, options.worker);
      return 'released';
    }
    const message = describe(error);
    const final = error instanceof PermanentJobError;
    const retryInMs = handler.retryDelayMs ? handler.retryDelayMs(job.attempt) : backoffMs(job.attempt);
    const state = await markFailed(db, job, options.worker, message, { now: options.clock.now(), retryInMs, final });
    if (state === 'failed') options.log.error({ jobId: job.id, kind: job.kind, attempts: job.attempt, error: message }, 'job failed');
    else options.log.warn({ jobId: job.id, kind: job.kind, attempt: job.attempt, error: message, retryInMs }, 'job try failed, retrying later');
    return state === 'failed' ? 'failed' : 'queued';
  }
}

export function newWorkerId(): string {
  return `${hostname()}:${process.pid}:${randomBytes(3).toString('hex')}`;
}

export interface IdleRun {
  done: number;
  failed: number;
  /** Tries that failed and were queued again for later. */
  retried: number;
}

/**
 * Tests: runs every due job of the handlers' kinds, one at a time, including the jobs those jobs
 * queue, until none is due. A retried job's next try is in the future, so it is not run again here.
 */
export async function runJobsUntilIdle(db: Kysely<Database>, handlers: readonly JobHandler[], options: { clock?: Clock; log?: JobLog; maxJobs?: number } = {}): Promise<IdleRun> {
  const map = handlerMap(handlers);
  const clock = options.clock ?? systemClock;
  const worker = newWorkerId();
  const signal = new AbortController().signal;
  const counts: IdleRun = { done: 0, failed: 0, retried: 0 };
  for (let n = 0; n < (options.maxJobs ?? 10_000); n++) {
    const [job] = await claimJobs(db, { worker, kinds: [...map.keys()], limit: 1, leaseMs: DEFAULT_LEASE_MS, now: clock.now() });
    if (!job) return counts;
    const outcome = await runClaimed(db, job, map.get(job.kind)!, { worker, clock, log: options.log ?? silent, signal });
    if (outcome === 'done') counts.done++;
    else if (outcome === 'failed') counts.failed++;
    else counts.retried++;
  }
  throw new Error(`runJobsUntilIdle: still jobs due after ${options.maxJobs ?? 10_000}; does a job queue itself?`);
}

/**
 * Runs the unfinished job with `key` here and now, unless a worker holds it (then that worker does
 * it): a request's mail is sent right after the answer, with the queue's retries when it fails.
 * Returns how the try ended, or undefined when there was no job to take.
 */
export async function runJobNow(db: Kysely<Database>, key: string, handler: JobHandler, options: { clock?: Clock; log?: JobLog } = {}): Promise<'done' | 'queued' | 'failed' | 'released' | undefined> {
  const clock = options.clock ?? systemClock;
  const worker = newWorkerId();
  const job = await claimJobByKey(db, { worker, key, leaseMs: handler.leaseMs ?? DEFAULT_LEASE_MS, now: clock.now() });
  if (!job) return undefined;
  if (job.kind !== handler.kind) {
    await release(db, job.id, worker);
    throw new Error(`the job with key ${key} is a ${job.kind} job, not ${handler.kind}`);
  }
  return runClaimed(db, job, handler, { worker, clock, log: options.log ?? silent, signal: new AbortController().signal });
}

export interface JobRunnerOptions {
  db: Kysely<Database>;
  handlers: readonly JobHandler[];
  log?: JobLog;
  /** Jobs run at the same time by this process (default 2). */
  concurrency?: number;
  clock?: Clock;
  /** How often to look for due jobs when nothing woke the runner (default 1 s). */
  pollMs?: number;
  /** Recurring jobs this runner keeps queued (each run queued once, however many runners). */
  schedules?: readonly Schedule[];
  /** Wakes the runner on `enqueue`'s notices (DatabaseHandle.listen): PostgreSQL NOTIFY, or PGlite's own. */
  listen?(channel: string, onMessage: (payload: string) => void): Promise<() => Promise<void>>;
}

export interface JobRunner {
  /** Takes no new jobs and waits for the running ones to end. */
  stop(): Promise<void>;
  /** Looks for due jobs now rather than at the next poll. */
  wake(): void;
}

/**
 * The worker's loop — the only background loop the server has: claims due jobs while fewer than
 * `concurrency` run, sleeps until a notice or the next poll, and keeps the schedules queued.
 */
export function startJobRunner(options: JobRunnerOptions): JobRunner {
  const { db } = options;
  const map = handlerMap(options.handlers);
  const kinds = [...map.keys()];
  const clock = options.clock ?? systemClock;
  const log = options.log ?? silent;
  const concurrency = Math.max(1, options.concurrency ?? 2);
  const pollMs = options.pollMs ?? 1000;
  const worker = newWorkerId();
  const aborter = new AbortController();
  const running = new Set<Promise<unknown>>();
  let stopped = false;
  let wakeUp: (() => void) | undefined;
  let lastHousekeeping = 0;
  const wake = () => wakeUp?.();
  const unlisten = options.listen?.(JOBS_CHANNEL, wake).catch((error: unknown) => {
    log.warn({ err: error }, 'job runner: no notices, polling only');
    return undefined;
  });

  const housekeeping = async () => {
    const now = clock.now();
    if (now.getTime() - lastHousekeeping < 30_000) return;
    lastHousekeeping = now.getTime();
    for (const schedule of options.schedules ?? []) await ensureScheduled(db, schedule, now);
    await pruneDoneJobs(db, now);
  };

  const loop = async () => {
    while (!stopped) {
      let claimed: ClaimedJob[] = [];
      try {
        await housekeeping();
        if (running.size < concurrency) claimed = await claimJobs(db, { worker, kinds, limit: concurrency - running.size, leaseMs: DEFAULT_LEASE_MS, now: clock.now() });
      } catch (error) {
        if (!stopped) log.error({ err: error }, 'job runner: claiming failed, trying again');
      }
      for (const job of claimed) {
        const handler = map.get(job.kind)!;
        if (handler.leaseMs !== undefined && handler.leaseMs !== DEFAULT_LEASE_MS) await extendLease(db, job.id, worker, new Date(clock.now().getTime() + handler.leaseMs)).catch(() => {});
        const task: Promise<unknown> = runClaimed(db, job, handler, { worker, clock, log, signal: aborter.signal })
          .catch((error: unknown) => log.error({ err: error, jobId: job.id }, 'job runner: could not record a job\u2019s outcome'))
          .finally(() => {
            running.delete(task);
            wake();
          });
        running.add(task);
      }
      // A full batch may mean more are due: look again at once, unless every slot is busy.
      if (claimed.length > 0 && running.size < concurrency) continue;
      await new Promise<void>((resolve) => {
        const timer = setTimeout(done, pollMs);
        function done() {
          clearTimeout(timer);
          wakeUp = undefined;
          resolve();
        }
        wakeUp = done;
      });
    }
  };
  const looping = loop();

  return {
    wake,
    async stop() {
      if (stopped) return looping;
      stopped = true;
      wake();
      await looping;
      await Promise.allSettled([...running]);
      await Promise.allSettled(options.handlers.map((h) => h.close?.()));
      const close = await unlisten;
      await close?.().catch(() => {});
    },
  };
}
