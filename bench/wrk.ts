import { execFileSync } from 'node:child_process';
import os from 'node:os';

/**
 * wrk (Debian's package; C, one thread) as the benchmarks' load generator: a Node.js generator
 * (autocannon) saturates near 9,000 requests/s on these machines, below a bare node:http server, so
 * it measured itself rather than the server. Each run can be pinned to a core of its own (taskset),
 * the server being pinned to another, so the two do not take turns on one core.
 */
export interface WrkResult {
  requestsPerSecond: number;
  latencyMs: { p50: number; p90: number; p99: number };
  requests: number;
  non2xx: number;
  socketErrors: number;
}

/** Fails with how to install wrk when it is missing. */
export function requireWrk(): void {
  try {
    execFileSync('wrk', ['--version'], { stdio: 'ignore' });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') throw new Error('wrk is not installed (Debian: apt-get install wrk)');
  }
}

/** The cores `taskset` may pin a server and its load generator to, when there are two or more and taskset exists. */
export function pinning(): { server: string[]; generator: string[] } {
  const cores = os.cpus().length;
  if (cores < 2) return { server: [], generator: [] };
  try {
    execFileSync('taskset', ['-c', '0', 'true'], { stdio: 'ignore' });
  } catch {
    return { server: [], generator: [] };
  }
  return { server: ['taskset', '-c', '0'], generator: ['taskset', '-c', String(cores - 1)] };
}

/** One wrk run: `connections` keep-alive connections for `seconds`, latency percentiles included. */
export function wrk(url: string, options: { seconds: number; connections: number; pin?: string[] }): WrkResult {
  const pin = options.pin ?? [];
  const command = [...pin, 'wrk', '-t1', `-c${options.connections}`, `-d${options.seconds}s`, '--latency', url];
  const out = execFileSync(command[0]!, command.slice(1), { encoding: 'utf8', maxBuffer: 1 << 20 });
  const ms = (label: string) => {
    const match = new RegExp(`^\\s*${label}%\\s+([\\d.]+)(us|ms|s)`, 'm').exec(out);
    if (!match) throw new Error(`wrk printed no ${label}th percentile:\n${out}`);
    const value = Number(match[1]);
    return match[2] === 'us' ? value / 1000 : match[2] === 's' ? value * 1000 : value;
  };
  const errors = /Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)/.exec(out);
  return {
    requestsPerSecond: Number(/Requests\/sec:\s+([\d.]+)/.exec(out)?.[1] ?? 0),
    latencyMs: { p50: ms('50'), p90: ms('90'), p99: ms('99') },
    requests: Number(/(\d+) requests in/.exec(out)?.[1] ?? 0),
    non2xx: Number(/Non-2xx or 3xx responses: (\d+)/.exec(out)?.[1] ?? 0),
    socketErrors: errors ? errors.slice(1).map(Number).reduce((a, b) => a + b, 0) : 0,
  };
}
