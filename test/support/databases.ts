import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { openDatabase, migrateToLatest, type DatabaseHandle } from '../../src/db/index.ts';

/**
 * The databases every database test runs on: embedded PGlite always, and the PostgreSQL server at
 * TEST_DATABASE_URL (default postgres://postgres@127.0.0.1:5432/test) when it answers. Each opened
 * database is private to its test: PGlite in memory, PostgreSQL in a schema of its own, dropped by
 * `close()`.
 */
export const TEST_DATABASE_URL = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

export interface TestDatabase {
  name: 'pglite' | 'postgres';
  /** A fresh, migrated, empty database. */
  open(): Promise<DatabaseHandle>;
}

let reachable: Promise<boolean> | undefined;

export function postgresReachable(): Promise<boolean> {
  reachable ??= (async () => {
    if (process.env.TEST_POSTGRES === 'off') return false;
    const client = new pg.Client({ connectionString: TEST_DATABASE_URL, connectionTimeoutMillis: 2000 });
    try {
      await client.connect();
      await client.query('SELECT 1');
      return true;
    } catch {
      if (process.env.CI) throw new Error(`CI expects PostgreSQL at ${TEST_DATABASE_URL}, and it does not answer`);
      return false;
    } finally {
      await client.end().catch(() => {});
    }
  })();
  return reachable;
}

async function dropSchema(schema: string): Promise<void> {
  const client = new pg.Client({ connectionString: TEST_DATABASE_URL });
  await client.connect();
  try {
    await client.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
  } finally {
    await client.end();
  }
}

const pglite: TestDatabase = {
  name: 'pglite',
  async open() {
    const handle = await openDatabase({ kind: 'pglite', dataDir: 'memory://' });
    await migrateToLatest(handle.db);
    return handle;
  },
};

const postgres: TestDatabase = {
  name: 'postgres',
  async open() {
    const schema = `revista_test_${randomBytes(6).toString('hex')}`;
    const handle = await openDatabase({ kind: 'postgres', url: TEST_DATABASE_URL, schema });
    await migrateToLatest(handle.db);
    return {
      ...handle,
      async close() {
        await handle.close();
        await dropSchema(schema);
      },
    };
  },
};

/** PGlite, plus PostgreSQL when reachable. Use in `for (const database of await testDatabases())`. */
export async function testDatabases(): Promise<TestDatabase[]> {
  return (await postgresReachable()) ? [pglite, postgres] : [pglite];
}

/**
 * A whole new database on the PostgreSQL server of `adminUrl`, for a server process to own (tests of
 * `npm start` with DATABASE_URL, benchmarks). Returns its URL and a function that drops it.
 */
export async function createScratchDatabase(prefix: string, adminUrl = TEST_DATABASE_URL): Promise<{ url: string; drop(): Promise<void> }> {
  const name = `${prefix}_${randomBytes(5).toString('hex')}`;
  const admin = new pg.Client({ connectionString: adminUrl, connectionTimeoutMillis: 3000 });
  await admin.connect();
  try {
    await admin.query(`CREATE DATABASE ${name}`);
  } finally {
    await admin.end();
  }
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    async drop() {
      const client = new pg.Client({ connectionString: adminUrl });
      await client.connect();
      try {
        await client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      } finally {
        await client.end();
      }
    },
  };
}
