import { ConfigError } from '../config.ts';
import { DatabaseConnectError, DatabaseInUseError, MigrationError } from '../db/index.ts';
import { StartupError } from '../runtime.ts';
import { findCommand, helpText, UsageError, type CliIO } from './commands.ts';

/** `revista <command>`: runs one subcommand and returns its exit code. */
export async function runCli(argv: string[], io: CliIO): Promise<number> {
  const [name, ...args] = argv;
  if (name === undefined || name === 'help' || name === '--help' || name === '-h') {
    const topic = args[0] ? await findCommand(args[0]) : undefined;
    io.out(topic ? `${topic.usage}\n  ${topic.summary}` : await helpText());
    return 0;
  }
  const command = await findCommand(name);
  if (!command) {
    io.err(`revista: unknown command "${name}". Run "revista help" to see the commands.`);
    return 2;
  }
  try {
    return await command.run(args, io);
  } catch (error) {
    if (error instanceof UsageError) {
      io.err(`revista ${command.name}: ${error.message}\nusage: ${command.usage}`);
      return 2;
    }
    const known = [ConfigError, StartupError, DatabaseConnectError, DatabaseInUseError, MigrationError].some((type) => error instanceof type);
    io.err(`revista ${command.name}: ${known ? (error as Error).message : String((error as Error).stack ?? error)}`);
    return 1;
  }
}

const isEntry = process.argv[1] && import.meta.url === new URL(`file://${process.argv[1]}`).href;
if (isEntry) {
  const code = await runCli(process.argv.slice(2), { out: (l) => console.log(l), err: (l) => console.error(l), env: process.env });
  process.exit(code);
}
