import { loadConfig } from '../config.ts';
import { connectDatabase } from '../runtime.ts';
import { UsageError, type CliIO } from './command.ts';

type Db = Awaited<ReturnType<typeof connectDatabase>>['db'];

/** Runs `work` on the configured database (DATABASE_URL or the embedded one) and closes it after. */
export async function withDatabase<T>(io: CliIO, command: string, work: (db: Db) => Promise<T>): Promise<T> {
  const database = await connectDatabase(loadConfig(io.env), command);
  try {
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
