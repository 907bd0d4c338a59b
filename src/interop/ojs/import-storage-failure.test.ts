import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { promisify } from 'node:util';
import { createScratchDatabase, postgresReachable } from '../../../test/support/databases.ts';
import { issuesXml, pdf, type IssueSpec } from '../../../test/support/ojs-native.ts';
import { filesUnder, rowCounts } from '../../../test/support/tables.ts';
import { migrateToLatest, openDatabase, type DatabaseHandle } from '../../db/index.ts';
import { initialiseSite } from '../../demo/index.ts';

/**
 * The file store failing in the middle of an issue, for real: `revista import` runs with a limit on
 * the size of the files it may write (`ulimit -f`, as a disk quota would), and one galley is larger.
 * The write fails with EFBIG; the issue being read is not imported, whole, and none of its files
 * stays. The database is PostgreSQL (the embedded one writes its own files, which the limit would stop).
 */

const run = promisify(execFile);
const CLI = new URL('../../../bin/revista.js', import.meta.url).pathname;
/** 2048 blocks: 1 MB under dash (512-byte blocks), 2 MB under bash; the large galley is 3 MB. */
const FILE_SIZE_LIMIT_BLOCKS = 2048;
const LARGE = 3 * 1024 * 1024;

describe('an import whose file store fails part-way', { skip: !(await postgresReachable()) && 'needs PostgreSQL' }, () => {
  let scratch: Awaited<ReturnType<typeof createScratchDatabase>>;
  let handle: DatabaseHandle;
  let dataDir: string;
  const stored = () => path.join(dataDir, 'files');

  const importLimited = async (xml: string) => {
    const file = path.join(dataDir, `issues-${Date.now()}.xml`);
    fs.writeFileSync(file, xml);
    try {
      const result = await run('sh', ['-c', `ulimit -f ${FILE_SIZE_LIMIT_BLOCKS} && exec "$0" "$@"`, process.execPath, CLI, 'import', 'ojs-native', file, '--journal', 'sm'], {
        env: { ...process.env, DATA_DIR: dataDir, DATABASE_URL: scratch.url },
      });
      return { code: 0, stderr: result.stderr };
    } catch (error) {
      const failed = error as { code: number; stderr: string };
      return { code: failed.code, stderr: failed.stderr };
    }
  };
  const unreferenced = async () => {
    const known = new Set((await handle.db.selectFrom('files').select('storage_key').execute()).map((f) => f.storage_key));
    return filesUnder(stored()).filter((f) => !known.has(f));
  };
  // The second of three articles carries the galley the store cannot take.
  const failing: IssueSpec = {
    id: 952,
    volume: 97,
    number: '2',
    year: 2037,
    articles: [
      { id: 9521, title: 'Stored first', galleyId: 9522, fileId: 9523, file: pdf('first') },
      { id: 9524, title: 'Too large to store', galleyId: 9525, fileId: 9526, file: Buffer.concat([pdf('large'), Buffer.alloc(LARGE, 7)]) },
      { id: 9527, title: 'Never reached', galleyId: 9528, fileId: 9529, file: pdf('third') },
    ],
  };

  before(async () => {
    scratch = await createScratchDatabase('revista_store_failure');
    handle = await openDatabase({ kind: 'postgres', url: scratch.url });
    await migrateToLatest(handle.db);
    await initialiseSite(handle.db, { demo: true });
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'revista-store-failure-'));
  });
  after(async () => {
    await handle?.close();
    await scratch?.drop();
    if (dataDir) fs.rmSync(dataDir, { recursive: true, force: true });
  });

  it('an issue whose files cannot all be stored leaves every table as it was and no file behind', { timeout: 180_000 }, async () => {
    const before = await rowCounts(handle.db);
    const files = filesUnder(stored());
    const result = await importLimited(issuesXml([failing]));
    assert.equal(result.code, 1, result.stderr);
    assert.match(result.stderr, /the import stopped \(EFBIG: file too large/);
    assert.match(result.stderr, /nothing was imported/);
    assert.deepEqual(await rowCounts(handle.db), before);
    assert.deepEqual(filesUnder(stored()), files, 'the first article’s galley, stored before the failure, was taken back');
  });

  it('the issues before it stay whole, and say so', { timeout: 180_000 }, async () => {
    const before = await rowCounts(handle.db);
    const first: IssueSpec = { id: 951, volume: 97, number: '1', year: 2037, articles: [{ id: 9511, title: 'Committed', galleyId: 9512, fileId: 9513, file: pdf('committed') }] };
    const result = await importLimited(issuesXml([first, failing]));
    assert.equal(result.code, 1, result.stderr);
    assert.match(result.stderr, /the import stopped \(EFBIG: file too large[^)]*\); the 1 issue\(s\) before were imported/);
    const after = await rowCounts(handle.db);
    const added = Object.fromEntries(Object.entries(after).filter(([table, n]) => n !== before[table]).map(([table, n]) => [table, n - before[table]!]));
    assert.deepEqual({ issues: added.issues, articles: added.articles, publications: added.publications, galleys: added.galleys, files: added.files }, { issues: 1, articles: 1, publications: 1, galleys: 1, files: 1 });
    assert.equal(await handle.db.selectFrom('articles').select('id').where('id', 'in', [9521, 9524, 9527]).executeTakeFirst(), undefined);
    assert.deepEqual(await unreferenced(), []);
  });
});
