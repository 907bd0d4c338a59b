import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

/** The servers and helpers a benchmark starts as processes of their own, so load generator and server use different cores. */

export const ROOT = path.resolve(import.meta.dirname, '..');

/** Every process started here, so a benchmark can stop them all however it ends. */
export const children: ChildProcess[] = [];

/** `node ARGS` in the repository, its output kept (the last 8 KB of stderr) for when it fails. */
export function spawnNode(
  args: string[],
  env: Record<string, string> = {},
  options: { pin?: string[]; stdoutFile?: string } = {},
): { child: ChildProcess; output: () => string; stdout: () => string } {
  // A server's log under load goes to a file, as in a deployment, not through this process.
  const stdout = options.stdoutFile ? fs.openSync(options.stdoutFile, 'a', 0o600) : 'pipe';
  const [command, ...prefix] = [...(options.pin ?? []), process.execPath];
  const child = spawn(command!, [...prefix, ...args], { cwd: ROOT, env: { ...process.env, NODE_NO_WARNINGS: '1', ...env }, stdio: ['ignore', stdout, 'pipe'] });
  if (typeof stdout === 'number') fs.closeSync(stdout);
  children.push(child);
  let out = '';
  let stderr = '';
  child.stdout?.on('data', (d) => (out += d));
  child.stderr?.on('data', (d) => (stderr = (stderr + d).slice(-8000)));
  return { child, output: () => out + stderr, stdout: () => out };
}

/** Waits until `url` answers 200, or fails with what the process printed when it exits first or takes over 90 s. */
export async function waitFor(url: string, child: ChildProcess, output: () => string): Promise<void> {
  const deadline = Date.now() + 90_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`exited (${child.exitCode}):\n${output()}`);
    try {
      if ((await fetch(url)).status === 200) return;
    } catch {
      // not up yet
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`${url} did not answer within 90 s:\n${output()}`);
}

/** SIGTERM, then SIGKILL after 10 s. */
export async function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((r) => child.once('exit', r));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
  await exited;
  clearTimeout(timer);
}
