import { randomBytes } from 'node:crypto';
import { sql, type Kysely } from 'kysely';
import type { Clock } from '../clock.ts';
import type { Database, UsageKind } from '../db/index.ts';
import { DOUBLE_CLICK_WINDOW_MS, filterDoubleClicks, sessionKey, type UsageEvent } from './counter.ts';
import { isRobot } from './robots.ts';
import { storeEvents, type EventRow } from './rollup.ts';

/** Advisory lock key of usage recording (any fixed number no other part of Revista uses). */
const RECORDER_LOCK = 7_270_001;

/** A view or download as the reader site sees it, before it becomes a privacy-preserving event. */
export interface UsageHit {
  journalId: number;
  kind: UsageKind;
  issueId?: number | null;
  articleId?: number | null;
  galleyId?: number | null;
  yop?: number | null;
  ip: string;
  userAgent: string | undefined;
}

export interface UsageRecorder {
  /**
   * Resolves once the event is committed. Downloads wait for it (`urgent`: committed within
   * milliseconds); page views are written in larger batches a moment later, without holding the page.
   */
  record(hit: UsageHit, options?: { urgent?: boolean }): Promise<void>;
  close(): Promise<void>;
}

interface Pending extends EventRow {
  done: { resolve(): void; reject(error: unknown): void };
}

/**
 * Records usage in small group commits: hits arriving within a few milliseconds share one
 * transaction, so recording costs a page almost nothing and each hit is still durable before its
 * answer. COUNTER's double-click rule is applied as events arrive: when the same session uses the
 * same item the same way within 30 s, the earlier click is marked filtered and the latest counts.
 */
export function createUsageRecorder(db: Kysely<Database>, options: { clock: Clock; batchMs?: number; lazyBatchMs?: number; maxBatch?: number }): UsageRecorder {
  const batchMs = options.batchMs ?? 2;
  const lazyBatchMs = options.lazyBatchMs ?? 100;
  const maxBatch = options.maxBatch ?? 500;
  const salts = new Map<string, Promise<string>>();
  let pending: Pending[] = [];
  let timer: NodeJS.Timeout | undefined;
  let flushing: Promise<void> = Promise.resolve();

  function saltFor(day: string): Promise<string> {
    let salt = salts.get(day);
    if (!salt) {
      salt = (async () => {
        // One statement that always returns the day's salt, whichever process created it first.
        const row = await db
          .insertInto('usage_salts')
          .values({ day, salt: randomBytes(32).toString('base64url') })
          .onConflict((oc) => oc.column('day').doUpdateSet({ salt: sql<string>`usage_salts.salt` }))
          .returning('salt')
          .executeTakeFirstOrThrow();
        // Salts of past days are not needed any more: without them no key can be recomputed. The day
        // before stays, for hits still in flight across midnight.
        const dayBefore = new Date(Date.parse(`${day}T00:00:00Z`) - 86_400_000).toISOString().slice(0, 10);
        await db.deleteFrom('usage_salts').where('day', '<', dayBefore).execute();
        return row.salt;
      })();
      if (salts.size > 3) salts.clear();
      salts.set(day, salt);
      // A failed read (the database away for a moment) is not remembered: the next hit asks again.
      salt.catch(() => {
        if (salts.get(day) === salt) salts.delete(day);
      });
    }
    return salt;
  }

  // The day and salt of the latest hit, at hand without waiting for a promise (hits come by the thousand).
  let knownDay = { number: NaN, day: '', salt: '' };
  const dayNumber = (at: Date) => Math.floor(at.getTime() / 86_400_000);
  async function daySalt(at: Date): Promise<{ day: string; salt: string }> {
    const day = at.toISOString().slice(0, 10);
    const salt = await saltFor(day);
    knownDay = { number: dayNumber(at), day, salt };
    return knownDay;
  }

  async function flush(): Promise<void> {
    timer = undefined;
    queued = false;
    const batch = pending;
    pending = [];
    if (batch.length === 0) return;
    try {
      markDoubleClicksWithin(batch);
      await db.transaction().execute(async (trx) => {
        // Batches of all server processes take turns, so each sees the clicks the others stored and
        // the hourly counts are recounted by one writer at a time.
        await sql`SELECT pg_advisory_xact_lock(${RECORDER_LOCK})`.execute(trx);
        await storeEvents(trx, batch);
      });
      for (const e of batch) e.done.resolve();
    } catch (error) {
      for (const e of batch) e.done.reject(error);
    }
  }

  let due = Infinity;
  /** A flush is chained and has not yet taken the pending hits: the hits arriving meanwhile join it. */
  let queued = false;
  function schedule(urgent: boolean): void {
    if (queued) return;
    if (pending.length >= maxBatch) {
      if (timer) clearTimeout(timer);
      timer = undefined;
      due = Infinity;
      queued = true;
      flushing = flushing.then(flush);
      return;
    }
    const at = Date.now() + (urgent ? batchMs : lazyBatchMs);
    if (timer && at >= due) return;
    if (timer) clearTimeout(timer);
    due = at;
    timer = setTimeout(() => {
      due = Infinity;
      flushing = flushing.then(flush);
    }, at - Date.now());
  }

  // A reader's key is the same all day: kept for the readers seen lately rather than hashed per hit.
  const recentKeys = new Map<string, string>();
  let recentDay = '';
  function sessionKeyOf(ip: string, userAgent: string, day: string, salt: string): string {
    if (day !== recentDay || recentKeys.size >= 10_000) {
      recentKeys.clear();
      recentDay = day;
    }
    const reader = `${ip}\n${userAgent}`;
    let key = recentKeys.get(reader);
    if (key === undefined) {
      key = sessionKey(ip, userAgent, day, salt);
      recentKeys.set(reader, key);
    }
    return key;
  }

  return {
    async record(hit, recordOptions = {}) {
      const at = options.clock.now();
      const robot = isRobot(hit.userAgent);
      const { day, salt } = knownDay.number === dayNumber(at) ? knownDay : await daySalt(at);
      const key = sessionKeyOf(hit.ip, hit.userAgent ?? '', day, salt);
      await new Promise<void>((resolve, reject) => {
        pending.push({
          at,
          journal_id: hit.journalId,
          issue_id: hit.issueId ?? null,
          article_id: hit.articleId ?? null,
          galley_id: hit.galleyId ?? null,
          kind: hit.kind,
          session_key: key,
          yop: hit.yop ?? null,
          filter_reason: robot ? 'robot' : null,
          done: { resolve, reject },
        });
        schedule(recordOptions.urgent ?? false);
      });
    },
    async close() {
      if (timer) clearTimeout(timer);
      flushing = flushing.then(flush);
      await flushing;
    },
  };
}

/**
 * Double clicks inside one batch, by the COUNTER rule of counter.ts: an earlier click of the same
 * session, item and action within 30 s is filtered. (Clicks already stored are marked by the UPDATE in
 * `flush`.)
 */
function markDoubleClicksWithin(batch: Pending[]): void {
  const byEvent = new Map<UsageEvent, Pending>();
  for (const e of batch) {
    if (e.filter_reason !== null || e.article_id === null || (e.kind !== 'investigation' && e.kind !== 'request')) continue;
    byEvent.set({ at: e.at, sessionKey: e.session_key, itemId: e.article_id, titleId: e.journal_id, kind: e.kind, ...(e.galley_id !== null ? { galleyId: e.galley_id } : {}) }, e);
  }
  for (const event of filterDoubleClicks([...byEvent.keys()]).filtered) byEvent.get(event)!.filter_reason = 'double-click';
}
