import fs from 'node:fs';
import path from 'node:path';
import type { PGlite } from '@electric-sql/pglite';
import { Kysely, PostgresDialect, sql } from 'kysely';
import pg from 'pg';
import type { Database } from './schema.ts';
import { makePrivate } from '../private-files.ts';
import { lockDirectory, type DirectoryLock } from './lock.ts';

// DATE columns stay 'YYYY-MM-DD' strings (no time zone shift); bigint counts fit in a JS number here.
pg.types.setTypeParser(pg.types.builtins.DATE, (value) => value);
pg.types.setTypeParser(pg.types.builtins.INT8, (value) => Number(value));

export type DatabaseKind = 'pglite' | 'postgres';

export interface DatabaseHandle {
  db: Kysely<Database>;
  kind: DatabaseKind;
  /** The schema the tables live in ('public' unless a PostgreSQL schema was given). */
  schema: string;
  /** Calls `onMessage` for every NOTIFY on `channel`, delivered after the sending transaction commits. */
  listen(channel: string, onMessage: (payload: string) => void): Promise<() => Promise<void>>;
  close(): Promise<void>;
}

export type DatabaseTarget =
  /** Embedded PGlite: a directory, or `memory://` for a throwaway database (tests). */
  | { kind: 'pglite'; dataDir: string; command?: string }
  /** PostgreSQL server; `schema`, when given, is created if missing and used as the search path. */
  | { kind: 'postgres'; url: string; schema?: string };

export class DatabaseConnectError extends Error {}

/**
 * The planner's cost of reading a page out of order, relative to reading the next one (PostgreSQL's
 * default, 4, is for spinning disks). Revista's tables are read from memory or SSD, where an index
 * probe costs little more than a sequential read: with the default, the planner scanned a big
 * journal's whole tables (60,000 galleys and 70,000 files for one issue's 600 galleys: 30 ms instead
 * of 1.5 ms, issue 22). 1.1 is the value usually recommended for SSD.
 */
export const RANDOM_PAGE_COST = 1.1;

/** Payload passed to a listener when its notification connection is gone. */
export const CONNECTION_LOST = '\u0000connection-lost';

export async function openDatabase(target: DatabaseTarget): Promise<DatabaseHandle> {
  return target.kind === 'pglite' ? openPglite(target.dataDir, target.command ?? 'revista') : openPostgres(target.url, target.schema);
}

async function openPglite(dataDir: string, command: string): Promise<DatabaseHandle> {
  // Loaded only for the embedded database: a process on PostgreSQL does not pay its ~40 MB.
  const [{ PGlite }, { createPgConfig }, { unaccent }, { pg_trgm }] = await Promise.all([
    import('@electric-sql/pglite'),
    import('@electric-sql/pglite/node-postgres'),
    import('@electric-sql/pglite/contrib/unaccent'),
    import('@electric-sql/pglite/contrib/pg_trgm'),
  ]);
  let lock: DirectoryLock | undefined;
  if (!dataDir.startsWith('memory://')) {
    fs.mkdirSync(path.dirname(dataDir), { recursive: true, mode: 0o700 });
    lock = await lockDirectory(dataDir, command);
  }
  let pglite: PGlite;
  try {
    // unaccent: search folds diacritics (discovery/search); pg_trgm: substring search of people
    // (accounts/user-list.ts). PostgreSQL servers ship both as contrib extensions.
    pglite = await PGlite.create({ ...(dataDir.startsWith('memory://') ? {} : { dataDir }), extensions: { unaccent, pg_trgm } });
  } catch (error) {
    lock?.release();
    throw new DatabaseConnectError(`cannot open the embedded database in ${dataDir}: ${(error as Error).message}`);
  }
  // PGlite writes the files of a new database with the modes its template gives them (0666, whatever
  // the umask: it chmods each one), and some later files 0644: only the owner may read them.
  if (lock) makePrivate(dataDir);
  await pglite.exec(`SET random_page_cost = ${RANDOM_PAGE_COST}`);
  // One connection: PGlite runs one query at a time, and a transaction must own it until it ends.
  const pool = new pg.Pool(createPgConfig(pglite) as unknown as pg.PoolConfig);
  const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
  return {
    db,
    kind: 'pglite',
    schema: 'public',
    async listen(channel, onMessage) {
      return pglite.listen(channel, onMessage);
    },
    async close() {
      // After a failed statement the adapter still owes PGlite the rest of that exchange (its Sync);
      // closing PGlite first left it writing to a closed database, and the process never ended.
      // One statement more waits until the connection is idle again.
      await sql`SELECT 1`.execute(db).catch(() => {});
      await db.destroy();
      await pglite.close();
      lock?.release();
    },
  };
}

function describeServer(url: string): string {
  const parsed = new URL(url);
  return `${parsed.hostname}:${parsed.port || 5432}${parsed.pathname}`;
}

async function openPostgres(url: string, schema: string | undefined): Promise<DatabaseHandle> {
  if (schema !== undefined && !/^[a-z_][a-z0-9_]*$/.test(schema)) throw new Error(`invalid schema name ${schema}`);
  const poolConfig: pg.PoolConfig = {
    connectionString: url,
    max: 10,
    connectionTimeoutMillis: 5000,
    // Timestamps are stored and compared in UTC whatever the server's default time zone is.
    options: `-c TimeZone=UTC${schema ? ` -c search_path=${schema}` : ''}`,
  };
  const pool = new pg.Pool(poolConfig);
  // Queued before anything else the new connection is asked; a server whose administrator chose a
  // value keeps it.
  pool.on('connect', (client) => {
    client.query(`SELECT set_config('random_page_cost', '${RANDOM_PAGE_COST}', false) FROM pg_settings WHERE name = 'random_page_cost' AND source = 'default'`).catch(() => {});
  });
  // An idle client losing its server must not crash the process; the next query reports it.
  pool.on('error', () => {});
  let current: string;
  try {
    const client = await pool.connect();
    try {
      if (schema) await client.query(`CREATE SCHEMA IF NOT EXISTS ${schema}`);
      current = (await client.query<{ schema: string }>('SELECT current_schema() AS schema')).rows[0]?.schema ?? 'public';
    } finally {
      client.release();
    }
  } catch (error) {
    await pool.end().catch(() => {});
    const reason = (error as NodeJS.ErrnoException).code ?? (error as Error).message;
    throw new DatabaseConnectError(`cannot connect to PostgreSQL at ${describeServer(url)} (${reason})`);
  }
  const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
  const listeners: pg.Client[] = [];
  return {
    db,
    kind: 'postgres',
    schema: current,
    async listen(channel, onMessage) {
      // Keep-alive probes notice a server that vanished without closing the connection.
      const client = new pg.Client({ connectionString: url, keepAlive: true, keepAliveInitialDelayMillis: 10_000 });
      let closing = false;
      // Losing the listening connection means changes could go unseen: tell the listener so it can
      // stop trusting what it cached.
      const lost = () => {
        if (!closing) onMessage(CONNECTION_LOST);
      };
      client.on('error', lost);
      client.on('end', lost);
      client.on('notification', (message) => {
        if (message.channel === channel) onMessage(message.payload ?? '');
      });
      try {
        await client.connect();
        await client.query(`LISTEN ${sql.id(channel).compile(db).sql}`);
      } catch (error) {
        closing = true;
        await client.end().catch(() => {});
        throw error;
      }
      listeners.push(client);
      return async () => {
        closing = true;
        listeners.splice(listeners.indexOf(client), 1);
        await client.end();
      };
    },
    async close() {
      await Promise.all(listeners.splice(0).map((client) => client.end().catch(() => {})));
      await db.destroy();
    },
  };
}
