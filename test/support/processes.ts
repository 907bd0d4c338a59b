import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after } from 'node:test';

/**
 * The server and the CLI as a person runs them, for the tests under test/process: real processes,
 * real ports, real data directories.
 */
export const root = path.resolve(import.meta.dirname, '../..');
const temporary: string[] = [];
after(() => {
  for (const dir of temporary) fs.rmSync(dir, { recursive: true, force: true });
});

export function tempDir(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'revista-start-'));
  temporary.push(dir);
  return dir;
}

export interface Run {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

function collect(child: ChildProcess): Promise<Run> {
  let stdout = '';
  let stderr = '';
  child.stdout?.on('data', (d) => (stdout += d));
  child.stderr?.on('data', (d) => (stderr += d));
  return new Promise((resolve) => child.on('exit', (code, signal) => resolve({ code, signal, stdout, stderr })));
}

export function startServer(env: Record<string, string>): { child: ChildProcess; done: Promise<Run>; stdout(): string } {
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
    cwd: root,
    env: { ...process.env, LOG_LEVEL: 'info', NODE_NO_WARNINGS: '1', ADMIN_EMAIL: '', ADMIN_PASSWORD: '', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  child.stdout?.on('data', (d) => (stdout += d));
  return { child, done: collect(child), stdout: () => stdout };
}

/** `revista ARGS` as a shell runs it; killed after `timeoutMs` (then `signal` is SIGKILL). */
export function runCli(args: string[], env: Record<string, string>, timeoutMs = 10 * 60_000): Promise<Run> {
  const child = spawn(process.execPath, ['bin/revista.js', ...args], {
    cwd: root,
    env: { ...process.env, NODE_NO_WARNINGS: '1', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
  return collect(child).finally(() => clearTimeout(timer));
}

export async function waitForHealth(port: number, done: Promise<Run>): Promise<void> {
  const deadline = Date.now() + 60_000;
  let exited: Run | undefined;
  void done.then((run) => (exited = run));
  while (Date.now() < deadline) {
    if (exited) throw new Error(`server exited early (${exited.code}): ${exited.stderr}${exited.stdout}`);
    try {
      const response = await fetch(`http://127.0.0.1:${port}/healthz`);
      if (response.status === 200) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error('server did not become healthy within 60 s');
}
