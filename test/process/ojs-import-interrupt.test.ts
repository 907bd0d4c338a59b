import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, describe, it } from 'node:test';
import { migrateToLatest, openDatabase } from '../../src/db/index.ts';
import { initialiseSite } from '../../src/demo/index.ts';
import { createFileStore } from '../../src/storage/index.ts';
import { DOCUMENT_END, DOCUMENT_START, issueXml, pdf } from '../support/ojs-native.ts';
import { freePort } from '../support/ports.ts';
import { startServer, waitForHealth } from '../support/processes.ts';

/**
 * `revista import ojs-native` killed with SIGKILL in the middle of a large document leaves whole
 * issues only — each with all its articles, galleys and stored files — and running the same command
 * again completes the import without duplicating what was there.
 */

const root = path.resolve(import.meta.dirname, '../..');
const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'revista-ojs-interrupt-'));
after(() => fs.rmSync(dataDir, { recursive: true, force: true }));

const ISSUES = 60;
const PER_ISSUE = 20;
const sha256 = (b: Buffer) => createHash('sha256').update(b).digest('hex');
const galleyFile = (article: number) => Buffer.concat([pdf(`article ${article}`), Buffer.alloc(3000 + (article % 5) * 500, article % 253)]);

/** The document, written issue by issue; OJS ids: issues 3000+, articles 40000+. */
function generate(file: string): void {
  const fd = fs.openSync(file, 'w');
  fs.writeSync(fd, DOCUMENT_START);
  for (let i = 0; i < ISSUES; i++) {
    const articles = Array.from({ length: PER_ISSUE }, (_, j) => {
      const id = 40_000 + i * PER_ISSUE + j;
      return { id, title: `Interrupted article ${id}`, galleyId: id + 100_000, fileId: id + 200_000, file: galleyFile(id), doi: `10.5555/int.${id}` };
    });
    fs.writeSync(fd, issueXml({ id: 3000 + i, volume: 50 + Math.floor(i / 4), number: String((i % 4) + 1), year: 1990 + Math.floor(i / 4), articles }));
  }
  fs.writeSync(fd, DOCUMENT_END);
  fs.closeSync(fd);
}

function runImport(file: string, killWhen?: (stderr: string) => boolean): Promise<{ code: number | null; signal: NodeJS.Signals | null; stdout: string; stderr: string }> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', 'import', 'ojs-native', file, '--journal', 'sm'], {
    cwd: root,
    env: { ...process.env, NODE_NO_WARNINGS: '1', DATA_DIR: dataDir, DATABASE_URL: '' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
  child.stderr.on('data', (d: Buffer) => {
    stderr += d.toString();
    if (killWhen?.(stderr)) child.kill('SIGKILL');
  });
  return new Promise((resolve) => child.on('exit', (code, signal) => resolve({ code, signal, stdout, stderr })));
}

/** Per imported issue: its articles, galleys, and galley files whose stored bytes are the right ones. */
async function issuesInDatabase(): Promise<{ ojsId: number; articles: number; galleys: number; goodFiles: number }[]> {
  const handle = await openDatabase({ kind: 'pglite', dataDir: path.join(dataDir, 'db'), command: 'test' });
  const files = createFileStore(path.join(dataDir, 'files'));
  try {
    const issues = await handle.db.selectFrom('ojs_ids').innerJoin('issues', 'issues.id', 'ojs_ids.revista_id').select(['ojs_ids.ojs_id', 'issues.id']).where('ojs_ids.kind', '=', 'issue').orderBy('ojs_ids.ojs_id').execute();
    const out = [];
    for (const issue of issues) {
      const rows = await handle.db
        .selectFrom('publications as p')
        .innerJoin('articles as a', 'a.current_publication_id', 'p.id')
        .leftJoin('galleys as g', 'g.publication_id', 'p.id')
        .leftJoin('files as f', 'f.id', 'g.file_id')
        .select(['a.id as article', 'g.id as galley', 'f.storage_key', 'f.sha256'])
        .where('p.issue_id', '=', issue.id)
        .execute();
      const ojsArticle = await handle.db.selectFrom('ojs_ids').select(['ojs_id', 'revista_id']).where('kind', '=', 'article').where('revista_id', 'in', rows.length > 0 ? rows.map((r) => r.article) : [0]).execute();
      const byRevista = new Map(ojsArticle.map((r) => [r.revista_id, r.ojs_id]));
      let goodFiles = 0;
      for (const row of rows) {
        if (!row.storage_key) continue;
        const bytes = fs.readFileSync(files.pathOf(row.storage_key));
        if (sha256(bytes) === row.sha256 && row.sha256 === sha256(galleyFile(byRevista.get(row.article)!))) goodFiles++;
      }
      out.push({ ojsId: issue.ojs_id, articles: new Set(rows.map((r) => r.article)).size, galleys: rows.filter((r) => r.galley !== null).length, goodFiles });
    }
    return out;
  } finally {
    await handle.close();
  }
}

describe('an interrupted OJS import', () => {
  it('leaves whole issues only after kill -9, and a second run completes it', async () => {
    const handle = await openDatabase({ kind: 'pglite', dataDir: path.join(dataDir, 'db'), command: 'test' });
    await migrateToLatest(handle.db);
    await initialiseSite(handle.db, { demo: true });
    await handle.close();
    const file = path.join(dataDir, 'large.xml');
    generate(file);

    // Killed once the import pass (after the checking pass) is a third of the way through the file.
    const killed = await runImport(file, (stderr) => {
      const match = [...stderr.matchAll(/importing \(KB\): (\d+)\/(\d+)/g)].at(-1);
      return match !== undefined && Number(match[1]) >= Number(match[2]) * 0.3;
    });
    assert.equal(killed.signal, 'SIGKILL', `the import was killed (exit ${killed.code}; ${killed.stderr.slice(-500)})`);

    const partial = await issuesInDatabase();
    assert.ok(partial.length > 0 && partial.length < ISSUES, `killed mid-file: ${partial.length} of ${ISSUES} issues were committed`);
    for (const issue of partial) assert.deepEqual(issue, { ojsId: issue.ojsId, articles: PER_ISSUE, galleys: PER_ISSUE, goodFiles: PER_ISSUE }, `issue ${issue.ojsId} is whole`);
    // Committed issues are the first ones of the document, in order.
    assert.deepEqual(partial.map((i) => i.ojsId), Array.from({ length: partial.length }, (_, i) => 3000 + i));

    // The killed import had stored some of the next issue's files without committing it; the server's
    // start removes them (and nothing a row refers to).
    const storeRoot = path.join(dataDir, 'files');
    const storedKeys = () => (fs.readdirSync(storeRoot, { recursive: true }) as string[]).filter((name) => /^[0-9a-f]{2}\/[0-9a-f-]{36}$/.test(name)).sort();
    const referencedKeys = async () => {
      const handle = await openDatabase({ kind: 'pglite', dataDir: path.join(dataDir, 'db'), command: 'test' });
      try {
        return (await handle.db.selectFrom('files').select('storage_key').execute()).map((r) => r.storage_key).sort();
      } finally {
        await handle.close();
      }
    };
    const referenced = await referencedKeys();
    const leftBehind = storedKeys().filter((key) => !referenced.includes(key));
    assert.ok(leftBehind.length > 0, 'the killed import left stored files no row refers to (or this test no longer shows the sweep)');
    const port = await freePort();
    const server = startServer({ DATA_DIR: dataDir, PORT: String(port), REFERENCE_PARSING: 'off' });
    try {
      await waitForHealth(port, server.done);
    } finally {
      server.child.kill('SIGTERM');
    }
    assert.equal((await server.done).code, 0);
    assert.deepEqual(storedKeys(), referenced, 'after the start, the store holds exactly the files rows refer to');
    assert.match(server.stdout(), new RegExp(`"orphans":${leftBehind.length}`), 'the start says what it removed');

    const resumed = await runImport(file);
    assert.equal(resumed.code, 0, resumed.stderr);
    assert.match(resumed.stdout, new RegExp(`issues: +${ISSUES - partial.length} new, 0 changed, ${partial.length} unchanged`));
    const whole = await issuesInDatabase();
    assert.equal(whole.length, ISSUES);
    for (const issue of whole) assert.deepEqual(issue, { ojsId: issue.ojsId, articles: PER_ISSUE, galleys: PER_ISSUE, goodFiles: PER_ISSUE }, `issue ${issue.ojsId} is whole`);
    const check = await openDatabase({ kind: 'pglite', dataDir: path.join(dataDir, 'db'), command: 'test' });
    try {
      const articles = Number((await check.db.selectFrom('articles').select((eb) => eb.fn.countAll<string>().as('n')).executeTakeFirstOrThrow()).n);
      assert.equal(articles, ISSUES * PER_ISSUE + 1, 'every article once, and the demo article');
    } finally {
      await check.close();
    }
  });
});
