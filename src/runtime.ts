import fs from 'node:fs';
import path from 'node:path';
import type { Config } from './config.ts';
import { openDatabase, type DatabaseHandle } from './db/index.ts';

/** A problem at start that the person starting Revista must fix: printed as one line, exit code 1. */
export class StartupError extends Error {}

/** Makes sure DATA_DIR exists and can be written, before anything is stored there. */
export function prepareDataDir(dataDir: string): void {
  try {
    fs.mkdirSync(dataDir, { recursive: true });
    const probe = path.join(dataDir, `.write-test-${process.pid}`);
    fs.writeFileSync(probe, 'ok');
    fs.rmSync(probe);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? 'error';
    throw new StartupError(`DATA_DIR ${dataDir} is not a writable directory (${code}); set DATA_DIR to a directory Revista may write to`);
  }
}

/** Opens the database the configuration names: PostgreSQL when DATABASE_URL is set, else embedded PGlite. */
export async function connectDatabase(config: Pick<Config, 'databaseUrl' | 'dataDir'>, command: string): Promise<DatabaseHandle> {
  if (config.databaseUrl) return openDatabase({ kind: 'postgres', url: config.databaseUrl });
  prepareDataDir(config.dataDir);
  return openDatabase({ kind: 'pglite', dataDir: path.join(config.dataDir, 'db'), command });
}
