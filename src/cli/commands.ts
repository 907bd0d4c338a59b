import { parseOptions, UsageError, type Command } from './command.ts';

export { parseOptions, UsageError, type CliIO, type Command } from './command.ts';

/*
 * A command's modules are loaded only when it runs: `revista import` does not pay for the accounts,
 * search, statistics and reference parsing code (some 55 MB of memory and most of a second of start-up
 * before any work, when every command was imported up front).
 */

const migrate: Command = {
  name: 'migrate',
  usage: 'revista migrate [--status]',
  summary: 'bring the database schema up to date (the server also does this on start); --status only lists pending migrations',
  async run(args, io) {
    const unknown = args.filter((a) => a !== '--status');
    if (unknown.length > 0) throw new UsageError(`unknown argument: ${unknown[0]}`);
    const [{ describeDatabase, loadConfig }, { migrateToLatest, pendingMigrations }, { connectDatabase }] = await Promise.all([import('../config.ts'), import('../db/index.ts'), import('../runtime.ts')]);
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


const ROLES = ['admin', 'manager', 'editor', 'section-editor', 'copyeditor', 'layout-editor', 'reviewer', 'author', 'reader'] as const;

const user: Command = {
  name: 'user',
  usage: 'revista user create --email EMAIL --role ROLE [--journal PATH] [--password PASSWORD] | revista user reset-password --email EMAIL [--password PASSWORD]',
  summary: 'create an account with a role (or add the role to an existing one), or set a new password; a generated password is printed once',
  async run(args, io) {
    const [action, ...rest] = args;
    if (action !== 'create' && action !== 'reset-password') throw new UsageError(action ? `unknown action: ${action}` : 'say create or reset-password');
    const [{ createUserWithRole, findUserByEmail, generatePassword, normaliseEmail, passwordProblem, setPassword }, { loadConfig }, { systemClock }, { migrateToLatest }, { connectDatabase }] = await Promise.all([
      import('../accounts/index.ts'),
      import('../config.ts'),
      import('../clock.ts'),
      import('../db/index.ts'),
      import('../runtime.ts'),
    ]);
    const options = parseOptions(rest, action === 'create' ? ['email', 'role', 'journal', 'password', 'name'] : ['email', 'password']);
    const email = normaliseEmail(options.email ?? '');
    if (!email) throw new UsageError(options.email ? `not an email address: ${options.email}` : '--email is required');
    const password = options.password ?? generatePassword();
    const problem = passwordProblem(password, email);
    if (problem) {
      io.err(`revista user: the password is not acceptable (${problem}); use at least 10 characters`);
      return 1;
    }
    const config = loadConfig(io.env);
    const database = await connectDatabase(config, 'revista user');
    try {
      await migrateToLatest(database.db);
      if (action === 'reset-password') {
        const existing = await findUserByEmail(database.db, email);
        if (!existing) {
          io.err(`revista user: no account has the email ${email}`);
          return 1;
        }
        await setPassword(database.db, existing.id, password);
        io.out(`password of ${email} is set; every session of the account was ended`);
      } else {
        const role = options.role as (typeof ROLES)[number] | undefined;
        if (!role || !ROLES.includes(role)) throw new UsageError(`--role must be one of ${ROLES.join(', ')}`);
        let journalId: number | null = null;
        if (role !== 'admin') {
          if (!options.journal) throw new UsageError(`--journal is required for the role ${role}`);
          const journal = await database.db.selectFrom('journals').select('id').where('path', '=', options.journal).executeTakeFirst();
          if (!journal) {
            io.err(`revista user: no journal with the path ${options.journal}`);
            return 1;
          }
          journalId = journal.id;
        }
        const result = await createUserWithRole(database.db, { email, password, role, journalId, givenName: options.name, now: systemClock.now() });
        io.out(result.created ? `created ${email} with the role ${role}` : `${email} already had an account; the role ${role} is added and the password is unchanged`);
        if (!result.created) return 0;
      }
      if (!options.password) io.out(`password: ${password}   (shown only now)`);
      return 0;
    } finally {
      await database.close();
    }
  },
};

/** Every subcommand, by name; its module is loaded when it is asked for. Capabilities add theirs here. */
const registry: { name: string; load: () => Promise<Command> }[] = [
  { name: 'migrate', load: async () => migrate },
  { name: 'user', load: async () => user },
  { name: 'journal', load: async () => (await import('./journal-commands.ts')).journalCommand },
  { name: 'issue', load: async () => (await import('./journal-commands.ts')).issueCommand },
  { name: 'doi', load: async () => (await import('./export-commands.ts')).doiCommand },
  { name: 'export', load: async () => (await import('./export-commands.ts')).exportCommand },
  { name: 'import', load: async () => (await import('./import-commands.ts')).importCommand },
  { name: 'stats', load: async () => (await import('./stats-commands.ts')).statsCommand },
  { name: 'search', load: async () => (await import('./search-commands.ts')).searchCommand },
  { name: 'references', load: async () => (await import('./references-commands.ts')).referencesCommand },
  { name: 'files', load: async () => (await import('./files-commands.ts')).filesCommand },
];

/** The command called `name`, loaded; undefined for a name no command has. */
export async function findCommand(name: string): Promise<Command | undefined> {
  const entry = registry.find((c) => c.name === name);
  if (!entry) return undefined;
  const command = await entry.load();
  if (command.name !== name) throw new Error(`the command registered as ${name} calls itself ${command.name}`);
  return command;
}

/** Every command, loaded (for the help text). */
export async function allCommands(): Promise<Command[]> {
  return Promise.all(registry.map((c) => findCommand(c.name) as Promise<Command>));
}

export async function helpText(): Promise<string> {
  const commands = await allCommands();
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
