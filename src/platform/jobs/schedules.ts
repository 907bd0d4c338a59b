import { sql, type Kysely } from 'kysely';
import type { Database } from '../../db/index.ts';
import { enqueue } from './queue.ts';

/**
 * A recurring job: every `everyMs` (slots counted from 1970, so every process agrees on them), or
 * daily at `dailyAt` ('HH:MM', UTC). Each run is an ordinary job queued for its slot under the key
 * `schedule:<name>`: while one is queued or running no runner queues another, and the next slot is
 * taken after the last run that finished, so N processes run each slot once.
 */
export type Schedule = { name: string; kind: string; payload?: unknown; maxAttempts?: number } & ({ everyMs: number } | { dailyAt: string });

export function scheduleKey(name: string): string {
  return `schedule:${name}`;
}

/** The first slot of `schedule` strictly after `after`. */
export function nextSlot(schedule: Schedule, after: Date): Date {
  if ('everyMs' in schedule) {
    if (!(schedule.everyMs >= 1000)) throw new Error(`schedule ${schedule.name}: everyMs must be at least 1000`);
    return new Date((Math.floor(after.getTime() / schedule.everyMs) + 1) * schedule.everyMs);
  }
  const match = /^([01]\d|2[0-3]):([0-5]\d)$/.exec(schedule.dailyAt);
  if (!match) throw new Error(`schedule ${schedule.name}: dailyAt must be HH:MM (UTC), got "${schedule.dailyAt}"`);
  const slot = new Date(Date.UTC(after.getUTCFullYear(), after.getUTCMonth(), after.getUTCDate(), Number(match[1]), Number(match[2])));
  if (slot.getTime() <= after.getTime()) slot.setUTCDate(slot.getUTCDate() + 1);
  return slot;
}

/** Queues the schedule's next run unless one is waiting. Returns its id when this call queued it. */
export async function ensureScheduled(db: Kysely<Database>, schedule: Schedule, now: Date): Promise<number | undefined> {
  const key = scheduleKey(schedule.name);
  // The last finished run, so a process whose clock lags another's does not queue that slot again.
  const { rows } = await sql<{ last: Date | null }>`SELECT max(run_at) AS last FROM jobs WHERE key = ${key} AND state IN ('done', 'failed')`.execute(db);
  const last = rows[0]?.last ? new Date(rows[0].last) : undefined;
  const after = last && last.getTime() > now.getTime() ? last : now;
  return enqueue(db, { kind: schedule.kind, payload: schedule.payload ?? {}, runAt: nextSlot(schedule, after), key, ...(schedule.maxAttempts ? { maxAttempts: schedule.maxAttempts } : {}) });
}
