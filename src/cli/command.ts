/** What a command may print; tests pass their own streams. */
export interface CliIO {
  out: (line: string) => void;
  err: (line: string) => void;
  env: Readonly<Record<string, string | undefined>>;
  /**
   * Resolves once what `out` was given has left the process (a pipe whose reader is slower than the
   * command holds it in memory until then): commands with long output wait on it, so memory stays flat.
   */
  drained?: () => Promise<void>;
}

export interface Command {
  name: string;
  usage: string;
  summary: string;
  /** Returns the exit code. Throwing a UsageError prints the message and the usage line, exit 2. */
  run(args: string[], io: CliIO): Promise<number>;
}

export class UsageError extends Error {}

/** `--name value` options; anything else is a usage error. */
export function parseOptions(args: string[], allowed: readonly string[]): Record<string, string> {
  const options: Record<string, string> = {};
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    const match = /^--([a-z-]+)(?:=(.*))?$/.exec(arg);
    if (!match || !allowed.includes(match[1]!)) throw new UsageError(`unknown argument: ${arg}`);
    const value = match[2] ?? args[++i];
    if (value === undefined || value.startsWith('--')) throw new UsageError(`--${match[1]} needs a value`);
    options[match[1]!] = value;
  }
  return options;
}
