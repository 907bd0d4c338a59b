import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import { CONNECTION_LOST, type DatabaseHandle } from '../db/index.ts';

/**
 * A generation number that moves whenever catalog data changes, in this process or any other that
 * shares the database. Database triggers NOTIFY `revista_content_{schema}` when a changing transaction
 * commits (one channel per schema: installations sharing a PostgreSQL database leave each other's
 * caches alone); caches keep what they rendered together with the generation it was rendered at and
 * use it only while the generation is unchanged.
 *
 * The listening connection can drop (a server restart, a failover, pg_terminate_backend). While it
 * is down nothing says what changed, so `reliable()` is false and caches are bypassed; it is opened
 * again with growing waits, and once it listens again the generation moves, so whatever was cached
 * before (and may have changed while nobody listened) is not used again.
 */
export interface ContentChanges {
  generation(): number;
  /** False while change notifications cannot be trusted (the listening connection is down). */
  reliable(): boolean;
  /**
   * Resolves once every change committed before the call has moved the generation. PGlite delivers
   * notifications before a write returns; PostgreSQL delivers them on another connection a moment
   * later, so a writer that shows its own change next (read-your-writes) awaits this first.
   */
  sync(): Promise<void>;
  close(): Promise<void>;
}

export interface WatchOptions {
  /** Waits between attempts to listen again: the first, doubled up to the longest. */
  retry?: { firstMs: number; maxMs: number };
  /** A marker not back within this long means the connection died silently: it is opened again. */
  syncTimeoutMs?: number;
  /** Told when listening stops and starts again (the server logs it). */
  onStatus?(status: { listening: boolean; error?: unknown; retryInMs?: number }): void;
}

/** The channel that carries the catalog changes of the tables in `schema` (see migration 0012). */
export function contentChannel(schema: string): string {
  return `revista_content_${schema}`;
}
const SYNC_PREFIX = 'sync:';
const DEFAULT_RETRY = { firstMs: 500, maxMs: 30_000 };

export async function watchContentChanges(handle: DatabaseHandle, options: WatchOptions = {}): Promise<ContentChanges> {
  const retry = options.retry ?? DEFAULT_RETRY;
  const syncTimeoutMs = options.syncTimeoutMs ?? 10_000;
  const channel = contentChannel(handle.schema);
  const waiting = new Map<string, () => void>();
  let generation = 0;
  let reliable = false;
  let closed = false;
  // Each attempt to listen has a number; only the current one's messages and losses count, so a
  // dead connection's late 'end' cannot take down the one that replaced it.
  let attempts = 0;
  let current = 0;
  let unlisten: (() => Promise<void>) | undefined;
  let delay = retry.firstMs;
  let timer: NodeJS.Timeout | undefined;

  const lose = (attempt: number, error?: unknown) => {
    if (attempt !== current || closed) return;
    current = 0;
    reliable = false;
    generation++;
    for (const resolve of waiting.values()) resolve();
    waiting.clear();
    const gone = unlisten;
    unlisten = undefined;
    void gone?.().catch(() => {});
    const wait = delay;
    delay = Math.min(delay * 2, retry.maxMs);
    options.onStatus?.({ listening: false, error, retryInMs: wait });
    timer = setTimeout(() => void listen(), wait);
    timer.unref();
  };

  const listen = async (): Promise<void> => {
    timer = undefined;
    if (closed) return;
    const attempt = ++attempts;
    current = attempt;
    try {
      const stop = await handle.listen(channel, (payload) => {
        if (attempt !== current) return;
        if (payload === CONNECTION_LOST) return lose(attempt);
        generation++;
        if (payload.startsWith(SYNC_PREFIX)) {
          waiting.get(payload)?.();
          waiting.delete(payload);
        }
      });
      if (attempt !== current || closed) {
        await stop().catch(() => {});
        return;
      }
      unlisten = stop;
      // Listening from here on; whatever committed while nobody listened is unknown, so everything
      // cached before is retired.
      generation++;
      reliable = true;
      if (attempts > 1) options.onStatus?.({ listening: true });
      delay = retry.firstMs;
    } catch (error) {
      if (attempts === 1) throw error;
      lose(attempt, error);
    }
  };

  await listen();

  return {
    generation: () => generation,
    reliable: () => reliable,
    async sync() {
      if (!reliable) return;
      // Notifications reach a listener in commit order: once our own marker arrives, every change
      // committed before it has arrived too.
      const attempt = current;
      const token = `${SYNC_PREFIX}${randomUUID()}`;
      const arrived = new Promise<boolean>((resolve) => waiting.set(token, () => resolve(true)));
      let timeout: NodeJS.Timeout | undefined;
      const late = new Promise<boolean>((resolve) => {
        timeout = setTimeout(() => resolve(false), syncTimeoutMs);
        timeout.unref();
      });
      try {
        await sql`SELECT pg_notify(${channel}, ${token})`.execute(handle.db);
        if (!(await Promise.race([arrived, late]))) lose(attempt, new Error(`no notification came back within ${syncTimeoutMs} ms`));
      } finally {
        clearTimeout(timeout);
        waiting.delete(token);
      }
    },
    async close() {
      closed = true;
      reliable = false;
      if (timer) clearTimeout(timer);
      for (const resolve of waiting.values()) resolve();
      waiting.clear();
      await unlisten?.();
      unlisten = undefined;
    },
  };
}
