import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, it } from 'node:test';
import { migrateToLatest, openDatabase } from '../db/index.ts';
import { createFileStore } from '../storage/index.ts';
import { runCli } from './main.ts';

describe('revista files retype', () => {
  it('records the types stored files’ bytes show, those not yet read or --all, and says what it did', async () => {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'revista-files-cli-'));
    try {
      const handle = await openDatabase({ kind: 'pglite', dataDir: path.join(dataDir, 'db') });
      await migrateToLatest(handle.db);
      const files = createFileStore(path.join(dataDir, 'files'));
      const stored = await files.put(fs.readFileSync(path.resolve('test/fixtures/ojs/sm-1786.pdf')));
      // A PDF an older version stored with no type, not yet read.
      const row = await handle.db
        .insertInto('files')
        .values({ storage_key: stored.key, mime_type: 'application/octet-stream', size_bytes: stored.sizeBytes, sha256: stored.sha256, original_name: 'article', type_checked_at: null })
        .returning('id')
        .executeTakeFirstOrThrow();
      await handle.close();

      const run = async (...args: string[]) => {
        const out: string[] = [];
        const err: string[] = [];
        const code = await runCli(['files', ...args], { out: (l) => out.push(l), err: (l) => err.push(l), env: { DATA_DIR: dataDir } });
        return { code, out, err };
      };
      const first = await run('retype');
      assert.equal(first.code, 0, first.err.join('\n'));
      assert.deepEqual(first.out, ['read 1 file(s): 1 got a new type, 0 are scripts, style sheets or SVG and are only downloaded as bytes, 0 are missing from the store']);
      assert.match((await run('retype')).out[0]!, /^read 0 file\(s\)/, 'each file is read once');
      const all = await run('retype', '--all');
      assert.match(all.out[0]!, /^read \d+ file\(s\): 0 got a new type/, '--all reads every file again, and finds nothing to change');

      const again = await openDatabase({ kind: 'pglite', dataDir: path.join(dataDir, 'db') });
      const type = await again.db.selectFrom('files').select('mime_type').where('id', '=', row.id).executeTakeFirstOrThrow();
      await again.close();
      assert.equal(type.mime_type, 'application/pdf');

      const usage = await run('retype', '--everything');
      assert.equal(usage.code, 2);
      assert.match(usage.err.join('\n'), /usage: revista files retype \[--all\]/);
    } finally {
      fs.rmSync(dataDir, { recursive: true, force: true });
    }
  });
});
