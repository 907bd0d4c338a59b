import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, describe, it } from 'node:test';
import { migrateToLatest, openDatabase } from '../../src/db/index.ts';
import { initialiseSite } from '../../src/demo/index.ts';
import { createFileStore } from '../../src/storage/index.ts';
import { freePort } from '../support/ports.ts';

const root = path.resolve(import.meta.dirname, '../..');
const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'revista-usage-'));
after(() => fs.rmSync(dataDir, { recursive: true, force: true }));

/** The demo journal with a PDF galley on article 1786, in DATA_DIR; returns the galley id. */
async function prepare(): Promise<number> {
  const handle = await openDatabase({ kind: 'pglite', dataDir: path.join(dataDir, 'db'), command: 'test' });
  try {
    await migrateToLatest(handle.db);
    await initialiseSite(handle.db, { demo: true });
    const stored = await createFileStore(path.join(dataDir, 'files')).put(Buffer.from('%PDF-1.4\n% durable\n'));
    const file = await handle.db.insertInto('files').values({ storage_key: stored.key, mime_type: 'application/pdf', size_bytes: stored.sizeBytes, sha256: stored.sha256, original_name: 'a.pdf' }).returning('id').executeTakeFirstOrThrow();
    const publication = await handle.db.selectFrom('publications').select('id').where('article_id', '=', 1786).executeTakeFirstOrThrow();
    return (await handle.db.insertInto('galleys').values({ publication_id: publication.id, label: 'PDF', locale: 'en', file_id: file.id }).returning('id').executeTakeFirstOrThrow()).id;
  } finally {
    await handle.close();
  }
}

describe('usage events survive a crash', () => {
  it('keeps every acknowledged download after kill -9, and counts none twice', async () => {
    const galleyId = await prepare();
    const port = await freePort();
    const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
      cwd: root,
      env: { ...process.env, NODE_NO_WARNINGS: '1', DATA_DIR: dataDir, PORT: String(port), LOG_LEVEL: 'warn', ADMIN_EMAIL: '', ADMIN_PASSWORD: '' },
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    const exited = new Promise((resolve) => child.on('exit', resolve));
    for (let i = 0; ; i++) {
      try {
        if ((await fetch(`http://127.0.0.1:${port}/healthz`)).ok) break;
      } catch {
        if (i > 300) throw new Error('server did not start');
      }
      await new Promise((r) => setTimeout(r, 100));
    }
    // 200 readers, each a different browser: every answered download must be on disk.
    let acknowledged = 0;
    await Promise.all(
      Array.from({ length: 200 }, async (_, i) => {
        const response = await fetch(`http://127.0.0.1:${port}/sm/article/download/1786/${galleyId}`, { headers: { 'user-agent': `Mozilla/5.0 (reader ${i}) Firefox/128.0` } });
        await response.arrayBuffer();
        if (response.status === 200) acknowledged++;
      }),
    );
    child.kill('SIGKILL');
    await exited;
    assert.equal(acknowledged, 200);
    const handle = await openDatabase({ kind: 'pglite', dataDir: path.join(dataDir, 'db'), command: 'test' });
    try {
      const row = await handle.db.selectFrom('usage_events').select((eb) => eb.fn.countAll<string>().as('n')).where('kind', '=', 'request').where('filter_reason', 'is', null).executeTakeFirstOrThrow();
      assert.equal(Number(row.n), 200);
    } finally {
      await handle.close();
    }
  });
});
