import fs from 'node:fs';
import path from 'node:path';
import type { Config } from './config.ts';
import { openDatabase, type DatabaseHandle } from './db/index.ts';
import { makePrivate, PRIVATE_UMASK } from './private-files.ts';

/** A problem at start that the person starting Revista must fix: printed as one line, exit code 1. */
export class StartupError extends Error {}

// Prepared once per process: the server's start and connectDatabase both ask.
const prepared = new Set<string>();

/**
 * Makes sure DATA_DIR exists, can be written and is private to this user, before anything is stored
 * there. The server (main.ts) and every CLI command that opens the database come through here. The
 * process umask makes whatever is written later private too (stored files, spool files, the lock);
 * the walk fixes what an earlier version or another tool left open, and says how much it fixed.
 */
export function prepareDataDir(dataDir: string, report: (line: string) => void = (line) => process.stderr.write(`revista: ${line}\n`)): void {
  process.umask(PRIVATE_UMASK);
  const resolved = path.resolve(dataDir);
  if (prepared.has(resolved)) return;
  try {
    fs.mkdirSync(resolved, { recursive: true, mode: 0o700 });
    const probe = path.join(resolved, `.write-test-${process.pid}`);
    fs.writeFileSync(probe, 'ok');
    fs.rmSync(probe);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? 'error';
    throw new StartupError(`DATA_DIR ${dataDir} is not a writable directory (${code}); set DATA_DIR to a directory Revista may write to`);
  }
  const walk = makePrivate(resolved);
  if (walk.fixed > 0) report(`made ${walk.fixed} file(s) and folder(s) in DATA_DIR ${dataDir} readable by their owner only (other users could read or change them)`);
  if (walk.failed > 0) report(`could not make ${walk.failed} file(s) in DATA_DIR ${dataDir} private (owned by another user?): other users may read them`);
  prepared.add(resolved);
}

/** Opens the database the configuration names: PostgreSQL when DATABASE_URL is set, else embedded PGlite. */
export async function connectDatabase(config: Pick<Config, 'databaseUrl' | 'dataDir'>, command: string): Promise<DatabaseHandle> {
  // On PostgreSQL too: CLI commands store files under DATA_DIR (an import's galleys).
  process.umask(PRIVATE_UMASK);
  if (config.databaseUrl) return openDatabase({ kind: 'postgres', url: config.databaseUrl });
  prepareDataDir(config.dataDir);
  return openDatabase({ kind: 'pglite', dataDir: path.join(config.dataDir, 'db'), command });
}

/**
 * The Node.js release lines Revista is tested on (README, Requirements; `engines` in package.json):
 * the long-term-support lines still maintained. Node 20 reached its end of life on 2026-04-30.
 */
export const SUPPORTED_NODE_MAJORS = [22, 24] as const;

/** A warning for a Node.js version outside the supported lines, or undefined. Revista still starts. */
export function unsupportedNode(version: string): string | undefined {
  const [major = 0, minor = 0] = version.split('.').map(Number);
  // 22.13: the first 22 that every dependency accepts (pdfjs-dist).
  if (major > 22 || (major === 22 && minor >= 13)) return undefined;
  return `Node.js ${version} is past its end of life and not supported: Revista is tested on Node.js ${SUPPORTED_NODE_MAJORS.join(' and ')}; upgrade before a security fix needs it`;
}
