import type { Kysely } from 'kysely';
import type { Database } from '../db/index.ts';

/**
 * Sign-in throttling (OWASP authentication guidance): after a few wrong passwords for one account,
 * or many from one address, further attempts wait. The wait grows with the failures and is capped,
 * so the owner gets in after it; attempts during a wait are refused without checking the password
 * and do not lengthen it. Accounts that do not exist are throttled the same way (no enumeration).
 */
export const ACCOUNT_FREE_FAILURES = 5;
export const ADDRESS_FREE_FAILURES = 30;
export const MAX_WAIT_MS = 15 * 60 * 1000;
/** Failures older than this are forgotten. */
export const FAILURE_MEMORY_MS = 60 * 60 * 1000;

/** Wait after `failures` consecutive failures for an account: 1 min after the 5th, doubling, at most 15 min. */
export function accountWaitMs(failures: number): number {
  if (failures < ACCOUNT_FREE_FAILURES) return 0;
  return Math.min(60_000 * 2 ** (failures - ACCOUNT_FREE_FAILURES), MAX_WAIT_MS);
}

export function addressWaitMs(failures: number): number {
  return failures < ADDRESS_FREE_FAILURES ? 0 : MAX_WAIT_MS;
}

export function accountKey(email: string): string {
  return `account:${email.trim().toLowerCase()}`;
}

export function addressKey(ip: string): string {
  return `ip:${ip}`;
}

/** The moment the longest current wait among `keys` ends, or null when none applies. */
export async function waitUntil(db: Kysely<Database>, keys: string[], now: Date): Promise<Date | null> {
  const rows = await db.selectFrom('login_failures').select('locked_until').where('key', 'in', keys).where('locked_until', '>', now).execute();
  const times = rows.map((r) => r.locked_until!.getTime());
  return times.length > 0 ? new Date(Math.max(...times)) : null;
}

export async function recordFailure(db: Kysely<Database>, key: string, now: Date, waitFor: (failures: number) => number): Promise<void> {
  await db.transaction().execute(async (trx) => {
    const row = await trx.selectFrom('login_failures').selectAll().where('key', '=', key).forUpdate().executeTakeFirst();
    const fresh = !row || now.getTime() - row.last_failure_at.getTime() > FAILURE_MEMORY_MS;
    const failures = fresh ? 1 : row.failures + 1;
    const wait = waitFor(failures);
    const values = { failures, last_failure_at: now, locked_until: wait > 0 ? new Date(now.getTime() + wait) : null };
    if (row) await trx.updateTable('login_failures').set(values).where('key', '=', key).execute();
    else await trx.insertInto('login_failures').values({ key, ...values }).execute();
  });
}

export async function clearFailures(db: Kysely<Database>, key: string): Promise<void> {
  await db.deleteFrom('login_failures').where('key', '=', key).execute();
}
