import { describeDatabase, loadConfig } from '../config.ts';
import { migrateToLatest, pendingMigrations } from '../db/index.ts';
import { connectDatabase } from '../runtime.ts';

/** What a command may print; tests pass their own streams. */
export interface CliIO {
  out: (line: string) => void;
  err: (line: string) => void;
  env: NodeJS.ProcessEnv;
}

export interface Command {
  name: string;
  usage: string;
  summary: string;
  /** Returns the exit code. Throwing a UsageError prints the message and the usage line, exit 2. */
  run(args: string[], io: CliIO): Promise<number>;
}

export class UsageError extends Error {}

const migrate: Command = {
  name: 'migrate',
  usage: 'revista migrate [--status]',
  summary: 'bring the database schema up to date (the server also does this on start); --status only lists pending migrations',
  async run(args, io) {
    const unknown = args.filter((a) => a !== '--status');
    if (unknown.length > 0) throw new UsageError(`unknown argument: ${unknown[0]}`);
    const config = loadConfig(io.env);
    const database = await connectDatabase(config, 'revista migrate');
    try {
      io.out(`database: ${describeDatabase(config)}`);
      if (args.includes('--status')) {
        const pending = await pendingMigrations(database.db);
        io.out(pending.length === 0 ? 'schema is up to date' : `pending migrations: ${pending.join(', ')}`);
        return 0;
      }
      const applied = await migrateToLatest(database.db);
      io.out(applied.length === 0 ? 'schema is already up to date' : `applied ${applied.length} migration(s): ${applied.join(', ')}`);
      return 0;
    } finally {
      await database.close();
    }
  },
};

/** Every subcommand. Capabilities add theirs here (import, export, reindex, …). */
export const commands: Command[] = [migrate];

export function helpText(): string {
  const width = Math.max(...commands.map((c) => c.name.length), 4);
  return [
    'Revista: scholarly journal publishing platform',
    '',
    'Usage: revista <command> [options]',
    '',
    'Commands:',
    ...commands.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`),
    `  ${'help'.padEnd(width)}  show this help, or the usage of one command: revista help <command>`,
    '',
    'Configuration comes from the environment, as for the server: DATA_DIR (default ./data),',
    'DATABASE_URL (PostgreSQL; without it the embedded database in DATA_DIR/db is used).',
    'The embedded database serves one process at a time: stop the server before running a command',
    'on it, or use PostgreSQL.',
  ].join('\n');
}
