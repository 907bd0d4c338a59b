import fsp from 'node:fs/promises';
import path from 'node:path';
import type { Kysely } from 'kysely';
import type { Database } from '../db/index.ts';

/** The store's directory for uploads being received (spool files); never a storage key. */
export const UPLOAD_SPOOL = '.uploads';

/**
 * On a shared store (several servers on one PostgreSQL), another process may be receiving an upload or
 * storing an issue's files right now: only what is older than this is taken for left over.
 */
export const SHARED_STORE_GRACE_MS = 6 * 60 * 60 * 1000;

/** Where the store is and how a key becomes a path (FileStore's, without importing the store). */
interface StoreLocation {
  readonly root: string;
  pathOf(key: string): string;
}

export interface SweepReport {
  /** Upload spool files removed. */
  spools: number;
  /** Files half-written to the store (`.partial`) removed. */
  partials: number;
  /** Stored files that no row refers to, removed. */
  orphans: number;
  bytes: number;
}

const KEY_DIRECTORY = /^[0-9a-f]{2}$/;
const STORED_NAME = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const PARTIAL_NAME = /^\.[0-9a-f-]{36}\.partial$/;

/**
 * Removes what interrupted work left in the file store: spool files of uploads (a server killed while
 * receiving one), half-written files, and stored files no `files` row refers to (an import killed
 * between storing an issue's files and committing the issue). With `exclusive` (the embedded database,
 * whose lock keeps every other process out) everything left over goes at once; otherwise only what is
 * older than `graceMs`, so a neighbour's import in progress keeps its files.
 */
export async function sweepFileStore(db: Kysely<Database>, files: StoreLocation, options: { exclusive: boolean; graceMs?: number; now?: Date }): Promise<SweepReport> {
  const report: SweepReport = { spools: 0, partials: 0, orphans: 0, bytes: 0 };
  const cutoff = options.exclusive ? Infinity : (options.now ?? new Date()).getTime() - (options.graceMs ?? SHARED_STORE_GRACE_MS);
  const removeIfOld = async (file: string): Promise<boolean> => {
    const stat = await fsp.lstat(file).catch(() => undefined);
    if (!stat || !stat.isFile() || stat.mtimeMs > cutoff) return false;
    await fsp.rm(file, { force: true });
    report.bytes += stat.size;
    return true;
  };

  for (const name of await entries(path.join(files.root, UPLOAD_SPOOL))) {
    if (await removeIfOld(path.join(files.root, UPLOAD_SPOOL, name))) report.spools++;
  }

  // Files are listed before the rows are read, so a file stored after the listing is never a candidate.
  const candidates: string[] = [];
  for (const directory of (await entries(files.root)).filter((name) => KEY_DIRECTORY.test(name))) {
    for (const name of await entries(path.join(files.root, directory))) {
      if (PARTIAL_NAME.test(name)) {
        if (await removeIfOld(path.join(files.root, directory, name))) report.partials++;
      } else if (STORED_NAME.test(name)) candidates.push(`${directory}/${name}`);
    }
  }
  if (candidates.length === 0) return report;
  const referenced = new Set<string>();
  for (let offset = 0; offset < candidates.length; offset += 5000) {
    const batch = candidates.slice(offset, offset + 5000);
    const rows = await db.selectFrom('files').select('storage_key').where('storage_key', 'in', batch).execute();
    for (const row of rows) referenced.add(row.storage_key);
  }
  for (const key of candidates) {
    if (!referenced.has(key) && (await removeIfOld(files.pathOf(key)))) report.orphans++;
  }
  return report;
}

async function entries(directory: string): Promise<string[]> {
  try {
    return await fsp.readdir(directory);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw error;
  }
}
