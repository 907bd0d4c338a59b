import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { openDatabase } from '../../src/db/index.ts';
import { freePort } from '../support/ports.ts';
import { runCli, startServer, tempDir, waitForHealth } from '../support/processes.ts';

/** What the server and the CLI leave in DATA_DIR, and how they read galley files there. */

function openToOthers(dir: string): string[] {
  const found: string[] = [];
  const visit = (file: string) => {
    const stat = fs.lstatSync(file);
    if (stat.isSymbolicLink()) return;
    if ((stat.mode & 0o077) !== 0) found.push(`${(stat.mode & 0o777).toString(8)} ${path.relative(dir, file) || '.'}`);
    if (stat.isDirectory()) for (const name of fs.readdirSync(file)) visit(path.join(file, name));
  };
  visit(dir);
  return found;
}

function countFiles(dir: string): number {
  return fs.readdirSync(dir, { recursive: true, withFileTypes: true }).filter((entry) => entry.isFile()).length;
}

describe('the data directory is private to the user running Revista', () => {
  it('a new DATA_DIR: the database the server made and the galleys an import stored are for the owner only', async () => {
    const dataDir = path.join(tempDir(), 'data');
    const port = await freePort();
    const server = startServer({ DATA_DIR: dataDir, PORT: String(port) });
    try {
      await waitForHealth(port, server.done);
      assert.deepEqual(openToOthers(dataDir), [], 'while the server runs');
    } finally {
      server.child.kill('SIGTERM');
    }
    assert.equal((await server.done).code, 0);
    const imported = await runCli(['import', 'ojs-native', 'test/fixtures/ojs/three-issues.xml', '--journal', 'sm'], { DATA_DIR: dataDir });
    assert.equal(imported.code, 0, imported.stderr);
    assert.ok(countFiles(path.join(dataDir, 'files')) > 0, 'the import stored galley files');
    assert.ok(countFiles(path.join(dataDir, 'db')) > 500, 'the embedded database is there');
    assert.deepEqual(openToOthers(dataDir), []);
    assert.equal(fs.statSync(dataDir).mode & 0o777, 0o700);
  });

  it('an existing DATA_DIR whose files others could read or change is fixed at start, saying how many', async () => {
    const dataDir = tempDir();
    const created = await runCli(['migrate'], { DATA_DIR: dataDir });
    assert.equal(created.code, 0, created.stderr);
    // As an earlier version left it: PGlite's 0666 files, world-readable folders, a stored galley 0644.
    fs.mkdirSync(path.join(dataDir, 'files', 'ab'), { recursive: true });
    fs.writeFileSync(path.join(dataDir, 'files', 'ab', 'ab0c5b1e-0000-4000-8000-000000000000'), '%PDF-1.4 unpublished');
    const loosened: string[] = [];
    const loosen = (file: string) => {
      const stat = fs.statSync(file);
      fs.chmodSync(file, stat.isDirectory() ? 0o777 : 0o666);
      loosened.push(file);
      if (stat.isDirectory()) for (const name of fs.readdirSync(file)) loosen(path.join(file, name));
    };
    loosen(dataDir);
    assert.equal(openToOthers(dataDir).length, loosened.length);

    const port = await freePort();
    const server = startServer({ DATA_DIR: dataDir, PORT: String(port) });
    try {
      await waitForHealth(port, server.done);
      assert.deepEqual(openToOthers(dataDir), []);
    } finally {
      server.child.kill('SIGTERM');
    }
    const run = await server.done;
    assert.equal(run.code, 0, run.stderr);
    assert.deepEqual(openToOthers(dataDir), [], 'after it stopped');
    assert.match(run.stderr, new RegExp(`^revista: made ${loosened.length} file\\(s\\) and folder\\(s\\) in DATA_DIR .* readable by their owner only`, 'm'));
  });
});

describe('galley text is read in a worker thread', () => {
  it('under the server and under the CLI (bin/revista.js)', async () => {
    const dataDir = tempDir();
    const port = await freePort();
    const first = startServer({ DATA_DIR: dataDir, PORT: String(port) });
    await waitForHealth(port, first.done);
    first.child.kill('SIGTERM');
    assert.equal((await first.done).code, 0);
    const imported = await runCli(['import', 'ojs-native', 'test/fixtures/ojs/three-issues.xml', '--journal', 'sm'], { DATA_DIR: dataDir });
    assert.equal(imported.code, 0, imported.stderr);

    // "bidirectional" is only in the text of the imported HTML galley: the server's indexer must read it.
    const server = startServer({ DATA_DIR: dataDir, PORT: String(port) });
    try {
      await waitForHealth(port, server.done);
      const deadline = Date.now() + 60_000;
      let page = '';
      while (Date.now() < deadline && !/Gas interconnectors/.test(page)) {
        page = await (await fetch(`http://127.0.0.1:${port}/sm/search/search?query=bidirectional&locale=en`)).text();
        await new Promise((resolve) => setTimeout(resolve, 250));
      }
      assert.match(page, /Gas interconnectors/, 'the galley text was indexed by the server');
    } finally {
      server.child.kill('SIGTERM');
    }
    assert.equal((await server.done).code, 0);

    const reindex = await runCli(['search', 'reindex', '--extract'], { DATA_DIR: dataDir });
    assert.equal(reindex.code, 0, reindex.stderr);
    const database = await openDatabase({ kind: 'pglite', dataDir: path.join(dataDir, 'db'), command: 'test' });
    try {
      const texts = await database.db.selectFrom('search_file_texts as t').innerJoin('files as f', 'f.id', 't.file_id').select(['f.mime_type', 't.content', 't.problem']).execute();
      // The galleys of the current versions: five (the first version's PDF of article 203 is superseded).
      assert.equal(texts.length, 5);
      assert.deepEqual(texts.filter((t) => t.problem !== null), []);
      assert.ok(texts.some((t) => t.mime_type === 'text/html' && /bidirectional gas interconnectors/.test(t.content)));
      assert.ok(texts.some((t) => t.mime_type === 'application/pdf' && /Eastern Partnership after a decade/.test(t.content)));
    } finally {
      await database.close();
    }
  });
});
