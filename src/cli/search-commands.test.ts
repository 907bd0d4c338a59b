import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, it } from 'node:test';
import { migrateToLatest, openDatabase } from '../db/index.ts';
import { initialiseSite } from '../demo/index.ts';
import { runCli } from './main.ts';

describe('revista search reindex', () => {
  it('rebuilds the index of an embedded database, with progress on standard error', async () => {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'revista-search-cli-'));
    try {
      const handle = await openDatabase({ kind: 'pglite', dataDir: path.join(dataDir, 'db') });
      await migrateToLatest(handle.db);
      await initialiseSite(handle.db, { demo: true });
      // As after a bulk load with triggers off: nothing indexed, nothing queued.
      await handle.db.deleteFrom('search_queue').execute();
      await handle.db.deleteFrom('search_documents').execute();
      await handle.close();

      const out: string[] = [];
      const err: string[] = [];
      const code = await runCli(['search', 'reindex'], { out: (l) => out.push(l), err: (l) => err.push(l), env: { DATA_DIR: dataDir } });
      assert.equal(code, 0, err.join('\n'));
      assert.deepEqual(out, ['indexed 1 article(s); 1 are visible to readers and searchable']);

      const again = await openDatabase({ kind: 'pglite', dataDir: path.join(dataDir, 'db') });
      const rows = await again.db.selectFrom('search_documents').select('article_id').execute();
      await again.close();
      assert.deepEqual(rows, [{ article_id: 1786 }]);

      const usage: string[] = [];
      assert.equal(await runCli(['search', 'rebuild'], { out: () => {}, err: (l) => usage.push(l), env: { DATA_DIR: dataDir } }), 2);
      assert.match(usage.join('\n'), /usage: revista search reindex \[--extract\]/);
    } finally {
      fs.rmSync(dataDir, { recursive: true, force: true });
    }
  });
});
