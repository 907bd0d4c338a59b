import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { runCli } from '../../cli/main.ts';
import { migrateToLatest, openDatabase } from '../../db/index.ts';
import { initialiseSite } from '../../demo/index.ts';
import { issuesXml, pdf } from '../../../test/support/ojs-native.ts';

describe('revista import ojs-native', () => {
  let dataDir: string;
  const lines = { out: [] as string[], err: [] as string[] };
  const run = async (...argv: string[]) => {
    lines.out = [];
    lines.err = [];
    return runCli(argv, { out: (l) => lines.out.push(l), err: (l) => lines.err.push(l), env: { ...process.env, DATA_DIR: dataDir, DATABASE_URL: '' } });
  };
  const rows = async () => {
    const handle = await openDatabase({ kind: 'pglite', dataDir: path.join(dataDir, 'db') });
    try {
      const n = async (table: 'issues' | 'articles' | 'galleys' | 'files') => Number((await handle.db.selectFrom(table).select((eb) => eb.fn.countAll<string>().as('n')).executeTakeFirstOrThrow()).n);
      return { issues: await n('issues'), articles: await n('articles'), galleys: await n('galleys'), files: await n('files') };
    } finally {
      await handle.close();
    }
  };
  const doc = issuesXml([{ id: 601, volume: 81, number: '1', year: 2025, articles: [{ id: 9101, title: 'An article', galleyId: 9102, fileId: 9103, file: pdf('cli') }] }]);

  before(async () => {
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'revista-import-cli-'));
    const handle = await openDatabase({ kind: 'pglite', dataDir: path.join(dataDir, 'db') });
    await migrateToLatest(handle.db);
    await initialiseSite(handle.db, { demo: true });
    await handle.close();
    fs.writeFileSync(path.join(dataDir, 'issue.xml'), doc);
  });
  after(() => fs.rmSync(dataDir, { recursive: true, force: true }));

  it('a dry run reports what an import would do and writes nothing', async () => {
    const before = await rows();
    assert.equal(await run('import', 'ojs-native', path.join(dataDir, 'issue.xml'), '--journal', 'sm', '--dry-run'), 0, lines.err.join('\n'));
    assert.equal(lines.out[0], 'dry run: nothing was written; an import would do this:');
    assert.ok(lines.out.includes('  issues:   1 new, 0 changed, 0 unchanged'), lines.out.join('\n'));
    assert.ok(lines.out.includes('  articles: 1 new, 0 changed, 0 unchanged'));
    assert.deepEqual(await rows(), before);
  });

  it('imports with a summary, and a second import changes nothing', async () => {
    const before = await rows();
    assert.equal(await run('import', 'ojs-native', path.join(dataDir, 'issue.xml'), '--journal', 'sm'), 0, lines.err.join('\n'));
    assert.equal(lines.out[0], 'imported:');
    assert.ok(lines.out.some((l) => /^ {2}new {7}issue Vol\. 81 No\. 1 \(2025\) \(Revista id 601, OJS id 601\): An article \[new\]$/.test(l)), lines.out.join('\n'));
    const afterFirst = await rows();
    assert.deepEqual([afterFirst.issues - before.issues, afterFirst.articles - before.articles, afterFirst.galleys - before.galleys], [1, 1, 1]);
    assert.equal(await run('import', 'ojs-native', path.join(dataDir, 'issue.xml'), '--journal', 'sm'), 0);
    assert.ok(lines.out.includes('  articles: 0 new, 0 changed, 1 unchanged'));
    assert.deepEqual(await rows(), afterFirst);
  });

  it('bad input: a clear message, exit 1, nothing written', async () => {
    const before = await rows();
    const file = (name: string, xml: string) => {
      fs.writeFileSync(path.join(dataDir, name), xml);
      return path.join(dataDir, name);
    };
    assert.equal(await run('import', 'ojs-native', file('malformed.xml', '<issues xmlns="http://pkp.sfu.ca">\n  <issue>\n</issues>'), '--journal', 'sm'), 1);
    assert.match(lines.err[0]!, /malformed\.xml: line 3, column \d+: unexpected close tag: an element opened before it is not closed, or closed twice$/);
    assert.equal(lines.err[1], 'nothing was imported');
    assert.equal(await run('import', 'ojs-native', file('users.xml', '<PKPUsers xmlns="http://pkp.sfu.ca"/>'), '--journal', 'sm'), 1);
    assert.match(lines.err[0]!, /root element is <PKPUsers>; an OJS Native XML import takes <issues>, <issue>, <articles> or <article>/);
    assert.equal(await run('import', 'ojs-native', path.join(dataDir, 'issue.xml'), '--journal', 'nope'), 1);
    assert.match(lines.err[0]!, /no journal with the path nope/);
    const noData = doc.replace(/<embed encoding="base64">[^<]*<\/embed>/, '');
    assert.equal(await run('import', 'ojs-native', file('nodata.xml', noData), '--journal', 'sm'), 1);
    assert.match(lines.err[0]!, /submission file 9103 has neither <embed> nor <href>: the file's data is missing/);
    assert.equal(await run('import', 'ojs-native', path.join(dataDir, 'missing.xml'), '--journal', 'sm'), 1);
    assert.match(lines.err[0]!, /no such file/);
    assert.equal(await run('import', 'ojs-native', path.join(dataDir, 'issue.xml')), 2, 'a usage error without --journal');
    assert.equal(await run('import', 'ojs-native', path.join(dataDir, 'issue.xml'), '--journal', 'sm', '--time-limit', 'soon'), 2);
    assert.match(lines.err[0]!, /--time-limit takes a number of minutes/);
    assert.deepEqual(await rows(), before);
  });

  it('reads <href> files from beside the document only, never through a symbolic link', async () => {
    const before = await rows();
    const exportDir = path.join(dataDir, 'export');
    fs.mkdirSync(path.join(exportDir, 'sub'), { recursive: true });
    fs.symlinkSync('/etc', path.join(exportDir, 'sub', 'etcdir'));
    const linked = doc.replace(/<embed encoding="base64">[^<]*<\/embed>/, '<href src="sub/etcdir/passwd" mime_type="text/plain"/>');
    fs.writeFileSync(path.join(exportDir, 'issue.xml'), linked);
    assert.equal(await run('import', 'ojs-native', path.join(exportDir, 'issue.xml'), '--journal', 'sm'), 1);
    assert.match(lines.err[0]!, /submission file 9103 points at "sub\/etcdir\/passwd", which leads out of the directory of the XML document \(through a symbolic link\)/);
    assert.equal(lines.err[1], 'nothing was imported');
    assert.deepEqual(await rows(), before);
  });
});
