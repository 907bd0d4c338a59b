import { loadConfig } from '../config.ts';
import { migrateToLatest } from '../db/index.ts';
import { connectDatabase } from '../runtime.ts';
import { UsageError, type CliIO } from './command.ts';

type Db = Awaited<ReturnType<typeof connectDatabase>>['db'];

/**
 * Runs `work` on the configured database (DATABASE_URL or the embedded one) and closes it after.
 * The schema is brought up to date first, as the server does at start: a command on a new or older
 * data directory works on what it finds (an empty site answers "no journal …") instead of failing on
 * a missing table. The migrations applied are told on stderr.
 */
export async function withDatabase<T>(io: CliIO, command: string, work: (db: Db) => Promise<T>): Promise<T> {
  const database = await connectDatabase(loadConfig(io.env), command);
  try {
    const applied = await migrateToLatest(database.db);
    if (applied.length > 0) io.err(`${command}: brought the database schema up to date (${applied.length} migration(s) applied)`);
    return await work(database.db);
  } finally {
    await database.close();
  }
}

/** An `--issue` / `--article` option's value as an id. */
export function parseId(value: string | undefined, name: string): number | undefined {
  if (value === undefined) return undefined;
  if (!/^[1-9]\d{0,9}$/.test(value)) throw new UsageError(`--${name} must be an ${name} id (a whole number), not ${value}`);
  return Number(value);
}
