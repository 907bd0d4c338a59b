import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { openDatabase, type DatabaseHandle } from '../src/db/index.ts';
import { createScratchDatabase, postgresReachable } from '../test/support/databases.ts';

/** What the in-process benchmarks share: percentiles, and one run on each database. */

/** The p-th percentile (nearest rank) of timings, for the benchmarks' reports. */
export function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? 0;
}

/**
 * `run` on a fresh PGlite database in a temporary directory, then, unless `skipPostgres` or the server
 * does not answer, on a scratch PostgreSQL database (dropped after); the results in that order.
 */
export async function onEachDatabase<T>(prefix: string, skipPostgres: boolean, run: (name: 'pglite' | 'postgres', handle: DatabaseHandle) => Promise<T>): Promise<T[]> {
  const results: T[] = [];
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), `revista-${prefix}-`));
  try {
    const handle = await openDatabase({ kind: 'pglite', dataDir: path.join(dataDir, 'db'), command: 'bench' });
    try {
      results.push(await run('pglite', handle));
    } finally {
      await handle.close();
    }
  } finally {
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
  if (!skipPostgres && (await postgresReachable().catch(() => false))) {
    const scratch = await createScratchDatabase(`revista_${prefix.replace(/-/g, '_')}_bench`);
    try {
      const handle = await openDatabase({ kind: 'postgres', url: scratch.url });
      try {
        results.push(await run('postgres', handle));
      } finally {
        await handle.close();
      }
    } finally {
      await scratch.drop();
    }
  }
  return results;
}
