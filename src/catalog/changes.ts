import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import { CONNECTION_LOST, type DatabaseHandle } from '../db/index.ts';

/**
 * A generation number that moves whenever catalog data changes, in this process or any other that
 * shares the database. Database triggers NOTIFY `revista_content_{schema}` when a changing transaction
 * commits (one channel per schema: installations sharing a PostgreSQL database leave each other's caches alone); caches keep what they rendered together with the generation it was rendered at and use
 * it only while the generation is unchanged.
 */
export interface ContentChanges {
  generation(): number;
  /** False once change notifications can no longer be trusted (listening connection lost). */
  reliable(): boolean;
  /**
   * Resolves once every change committed before the call has moved the generation. PGlite delivers
   * notifications before a write returns; PostgreSQL delivers them on another connection a moment
   * later, so a writer that shows its own change next (read-your-writes) awaits this first.
   */
  sync(): Promise<void>;
  close(): Promise<void>;
}

/** The channel that carries the catalog changes of the tables in `schema` (see migration 0012). */
export function contentChannel(schema: string): string {
  return `revista_content_${schema}`;
}
const SYNC_PREFIX = 'sync:';

export async function watchContentChanges(handle: DatabaseHandle): Promise<ContentChanges> {
  let generation = 0;
  let reliable = true;
  const waiting = new Map<string, () => void>();
  const channel = contentChannel(handle.schema);
  const unlisten = await handle.listen(channel, (payload) => {
    generation++;
    if (payload === CONNECTION_LOST) {
      reliable = false;
      for (const resolve of waiting.values()) resolve();
      waiting.clear();
    }
    if (payload.startsWith(SYNC_PREFIX)) {
      waiting.get(payload)?.();
      waiting.delete(payload);
    }
  });
  return {
    generation: () => generation,
    reliable: () => reliable,
    async sync() {
      if (!reliable) return;
      // Notifications reach a listener in commit order: once our own marker arrives, every change
      // committed before it has arrived too.
      const token = `${SYNC_PREFIX}${randomUUID()}`;
      const arrived = new Promise<void>((resolve) => waiting.set(token, resolve));
      await sql`SELECT pg_notify(${channel}, ${token})`.execute(handle.db);
      await arrived;
    },
    close: unlisten,
  };
}
