import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { DatabaseHandle } from '../db/index.ts';
import { createFileStore, sweepFileStore, UPLOAD_SPOOL, type FileStore } from './index.ts';
import { testDatabases } from '../../test/support/databases.ts';

/**
 * What a killed process leaves in the file store — an upload's spool file, a half-written file, the
 * stored files of an issue whose transaction never committed — is removed at start; a file a row
 * refers to never is, and on a store other servers may be writing to, only what is old goes.
 */
for (const database of await testDatabases()) {
  describe(`sweeping the file store on ${database.name}`, () => {
    let handle: DatabaseHandle;
    let root: string;
    let files: FileStore;
    before(async () => {
      handle = await database.open();
    });
    after(async () => handle.close());

    const leftovers = async () => {
      root = fs.mkdtempSync(path.join(os.tmpdir(), 'revista-sweep-'));
      files = createFileStore(root);
      const kept = await files.put(Buffer.from('a galley a row refers to'));
      await handle.db.insertInto('files').values({ storage_key: kept.key, mime_type: 'application/pdf', size_bytes: kept.sizeBytes, sha256: kept.sha256, original_name: 'kept.pdf' }).execute();
      const orphan = await files.put(Buffer.from('stored by an import killed before its commit'));
      fs.mkdirSync(path.join(root, UPLOAD_SPOOL));
      const spool = path.join(root, UPLOAD_SPOOL, 'upload-12345-0b0f2a36-6a43-4b0e-9d6b-6b7b8f8a9c0d');
      fs.writeFileSync(spool, 'half an upload');
      const partial = path.join(path.dirname(files.pathOf(kept.key)), '.0b0f2a36-6a43-4b0e-9d6b-6b7b8f8a9c0d.partial');
      fs.writeFileSync(partial, 'half a file');
      return { kept: files.pathOf(kept.key), orphan: files.pathOf(orphan.key), spool, partial };
    };

    it('removes every leftover at once when the process has the store to itself, and keeps what rows refer to', async () => {
      const paths = await leftovers();
      try {
        const report = await sweepFileStore(handle.db, files, { exclusive: true });
        assert.deepEqual({ spools: report.spools, partials: report.partials, orphans: report.orphans }, { spools: 1, partials: 1, orphans: 1 });
        assert.ok(fs.existsSync(paths.kept), 'the referenced file stays');
        for (const gone of [paths.orphan, paths.spool, paths.partial]) assert.ok(!fs.existsSync(gone), `${gone} is removed`);
        assert.deepEqual(await sweepFileStore(handle.db, files, { exclusive: true }), { spools: 0, partials: 0, orphans: 0, bytes: 0 }, 'a second sweep finds nothing');
      } finally {
        fs.rmSync(root, { recursive: true, force: true });
      }
    });

    it('on a shared store, leaves recent leftovers to the process that may still be writing them', async () => {
      const paths = await leftovers();
      try {
        const fresh = await sweepFileStore(handle.db, files, { exclusive: false, graceMs: 60 * 60 * 1000 });
        assert.deepEqual({ spools: fresh.spools, partials: fresh.partials, orphans: fresh.orphans }, { spools: 0, partials: 0, orphans: 0 });
        const old = new Date(Date.now() - 2 * 60 * 60 * 1000);
        for (const file of [paths.orphan, paths.spool, paths.partial, paths.kept]) fs.utimesSync(file, old, old);
        const later = await sweepFileStore(handle.db, files, { exclusive: false, graceMs: 60 * 60 * 1000 });
        assert.deepEqual({ spools: later.spools, partials: later.partials, orphans: later.orphans }, { spools: 1, partials: 1, orphans: 1 });
        assert.ok(fs.existsSync(paths.kept), 'an old file a row refers to stays');
      } finally {
        fs.rmSync(root, { recursive: true, force: true });
      }
    });
  });
}
