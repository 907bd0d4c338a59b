import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Writable } from 'node:stream';
import { describe, it } from 'node:test';
import { buildApp } from '../../app.ts';
import { watchContentChanges } from '../../catalog/index.ts';
import { initialiseSite } from '../../demo/index.ts';
import { createFileStore } from '../../storage/index.ts';
import { testDatabases } from '../../../test/support/databases.ts';

const [pglite] = await testDatabases();

describe('a fault while answering', () => {
  it('is a plain 500 page with the request id, logged with that id, and shows no stack trace', async () => {
    const database = await pglite!.open();
    await initialiseSite(database.db, { demo: true });
    const changes = await watchContentChanges(database);
    const logLines: string[] = [];
    const stream = new Writable({
      write(chunk, _encoding, callback) {
        logLines.push(String(chunk));
        callback();
      },
    });
    const filesRoot = fs.mkdtempSync(path.join(os.tmpdir(), 'revista-files-'));
    const app = await buildApp({
      config: { baseUrl: 'http://localhost:3000', pageCache: false },
      database,
      files: createFileStore(filesRoot),
      changes,
      logger: { level: 'error', stream },
    });
    try {
      // The database goes away under the running app.
      await changes.close();
      await database.close();
      const response = await app.inject({ url: '/sm/article/view/1786', headers: { accept: 'text/html' } });
      assert.equal(response.statusCode, 500);
      const requestId = response.headers['x-request-id'] as string;
      assert.match(requestId, /^[0-9a-f-]{36}$/);
      assert.match(response.body, /<h1>Wystąpił błąd<\/h1>/);
      assert.ok(response.body.includes(requestId), 'the page tells the reader the request id');
      assert.doesNotMatch(response.body, /at .*\.ts:\d+|Error:|stack/i);
      assert.match(String(response.headers['content-security-policy']), /script-src 'self'/);
      const logged = logLines.map((line) => JSON.parse(line) as { level: number; requestId?: string; msg: string });
      assert.ok(logged.some((entry) => entry.level >= 50 && entry.requestId === requestId), 'the failure is logged with the same request id');

      // Alive (the process answers), not ready (its database is gone).
      assert.equal((await app.inject({ url: '/healthz' })).statusCode, 200);
      const ready = await app.inject({ url: '/readyz' });
      assert.equal(ready.statusCode, 503);
      assert.equal(ready.json().reason, 'database unavailable');
    } finally {
      await app.close();
      fs.rmSync(filesRoot, { recursive: true, force: true });
    }
  });
});
