import assert from 'node:assert/strict';
import path from 'node:path';
import { describe, it } from 'node:test';
import { migrateToLatest, openDatabase } from '../../src/db/index.ts';
import { initialiseSite } from '../../src/demo/index.ts';
import { importNativeXml } from '../../src/interop/ojs/index.ts';
import { createFileStore } from '../../src/storage/index.ts';
import { freePort } from '../support/ports.ts';
import { startServer, tempDir, waitForHealth } from '../support/processes.ts';

/**
 * An upgrade as an operator makes it: a data directory where an older version stored an OJS 3.3
 * PDF galley as application/octet-stream, then `npm start`. The server reads such files' types from
 * their bytes before it answers, and says so in its log.
 */
describe('file types at start', () => {
  it('the first start after the upgrade serves a galley stored as octet-stream as the PDF it is', async () => {
    const dataDir = tempDir();
    const handle = await openDatabase({ kind: 'pglite', dataDir: path.join(dataDir, 'db') });
    await migrateToLatest(handle.db);
    await initialiseSite(handle.db, { demo: true });
    await importNativeXml(handle.db, createFileStore(path.join(dataDir, 'files')), path.resolve('test/fixtures/ojs/ojs33-untyped-galleys.xml'), { journalPath: 'sm' });
    // What the older version left: no type, and (migration 0015) not yet read.
    await handle.db.updateTable('files').set({ mime_type: 'application/octet-stream', type_checked_at: null }).execute();
    await handle.close();

    const port = await freePort();
    const server = startServer({ DATA_DIR: dataDir, PORT: String(port) });
    try {
      await waitForHealth(port, server.done);
      const download = await fetch(`http://127.0.0.1:${port}/sm/article/download/1160/1120`);
      assert.equal(download.status, 200);
      assert.equal(download.headers.get('content-type'), 'application/pdf');
      await download.arrayBuffer();
      const page = await (await fetch(`http://127.0.0.1:${port}/sm/article/view/1160`)).text();
      assert.match(page, new RegExp(`<meta name="citation_pdf_url" content="http://localhost:${port}/sm/article/download/1160/1120">`));
      const log = server.stdout().split('\n').filter((line) => line.includes('read the types of stored files'));
      assert.equal(log.length, 1, server.stdout());
      assert.match(log[0]!, /"checked":5,"changed":5,"missing":0,"disarmed":0/);
    } finally {
      server.child.kill('SIGINT');
    }
    assert.equal((await server.done).code, 0);
  });
});
