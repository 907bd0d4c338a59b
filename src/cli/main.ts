import { ConfigError, processEnvironment } from '../config.ts';
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

/** Resolves once everything written to `stream` so far has left the process (or the stream is gone). */
function flushed(stream: NodeJS.WriteStream): Promise<void> {
  if (stream.destroyed || stream.writableLength === 0) return Promise.resolve();
  return new Promise((resolve) => {
    const done = () => {
      stream.off('close', done).off('error', done);
      resolve();
    };
    stream.once('close', done).once('error', done);
    stream.write('', done);
  });
}

/** Resolves when output to a slow reader (a pipe) has gone out, so memory stays flat; at once otherwise. */
function drained(): Promise<void> {
  const stdout = process.stdout;
  if (!stdout.writableNeedDrain || stdout.destroyed) return Promise.resolve();
  return new Promise((resolve) => {
    const done = () => {
      stdout.off('drain', done).off('close', done).off('error', done);
      resolve();
    };
    stdout.on('drain', done).on('close', done).on('error', done);
  });
}

/**
 * `revista …` from a shell (bin/revista.js, `npm run revista`): runs the command, then exits only
 * once its output has left the process. Writes to a pipe are asynchronous, and exiting at once lost
 * what the reader had not yet taken (`revista references parse < refs | wc -l` counted a fraction).
 */
export async function runFromCommandLine(argv: string[]): Promise<never> {
  const code = await runCli(argv, { out: (l) => console.log(l), err: (l) => console.error(l), env: processEnvironment(), drained });
  await Promise.all([flushed(process.stdout), flushed(process.stderr)]);
  process.exit(code);
}

const isEntry = process.argv[1] && import.meta.url === new URL(`file://${process.argv[1]}`).href;
if (isEntry) await runFromCommandLine(process.argv.slice(2));
