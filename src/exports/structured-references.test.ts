import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, it } from 'node:test';
import { testDatabases } from '../../test/support/databases.ts';
import { initialiseSite } from '../demo/index.ts';
import { jatsArticle } from '../discovery/index.ts';
import { crossrefDeposit } from './crossref.ts';
import { selectArticles } from './documents.ts';

/** The demo article as exports load it from the database: its stored parses reach Crossref and JATS. */

const SCHEMAS = { crossref: path.resolve('../shared/schemas/crossref/crossref5.3.1.xsd'), jats: path.resolve('../shared/schemas/jats/JATS-journalpublishing1-3d2-mathml3.xsd') };

function validate(schema: string, file: string): void {
  const run = spawnSync('xmllint', ['--noout', '--nonet', '--schema', schema, file], { encoding: 'utf8' });
  assert.ok(run.stderr.split('\n').includes(`${file} validates`), run.stderr);
}

const xpath = (file: string, expression: string) =>
  execFileSync('xmllint', ['--nonet', '--xpath', expression.replace(/(\/\/?)([A-Za-z_][\w-]*)(?![\w-]*\()/g, "$1*[local-name()='$2']"), file], { encoding: 'utf8' }).replace(/\n$/, '');

for (const database of await testDatabases()) {
  describe(`exports of stored reference parses on ${database.name}`, () => {
    it('the demo article from the database gives a valid Crossref deposit and JATS article with structured references', async () => {
      const handle = await database.open();
      const dir = mkdtempSync(path.join(tmpdir(), 'revista-structured-'));
      try {
        await initialiseSite(handle.db, { demo: true });
        await handle.db.updateTable('publications').set({ doi: '10.5555/sm.v74i4.1786' }).where('article_id', '=', 1786).execute();
        const { items } = await selectArticles(handle.db, 'https://journals.example.org', { journalPath: 'sm', articleId: 1786 });
        const crossref = path.join(dir, 'crossref.xml');
        writeFileSync(crossref, crossrefDeposit(items, { depositor: { name: 'Test', email: 'test@example.org', registrant: 'Test' }, batchId: 'structured-1', timestamp: 1 }));
        const jats = path.join(dir, 'jats.xml');
        writeFileSync(jats, `<?xml version="1.0" encoding="UTF-8"?>\n${jatsArticle(items[0]!)}`);
        validate(SCHEMAS.crossref, crossref);
        validate(SCHEMAS.jats, jats);

        assert.equal(xpath(crossref, 'count(//citation)'), '42');
        assert.equal(xpath(crossref, "string(//citation[@key='ref1']/author)"), 'Aliyev');
        assert.equal(xpath(crossref, "string(//citation[@key='ref1']/cYear)"), '2018');
        assert.equal(xpath(crossref, "string(//citation[@key='ref1']/journal_title)"), 'Eurasia Daily Monitor');
        assert.equal(xpath(jats, "string(//ref[@id='ref1']/element-citation/person-group/name/surname)"), 'Aliyev');
        assert.equal(xpath(jats, "string(//ref[@id='ref1']/element-citation/source)"), 'Eurasia Daily Monitor');
        assert.equal(xpath(jats, "string(//ref[@id='ref1']/element-citation/year)"), '2018');
        assert.equal(xpath(jats, 'count(//ref/mixed-citation)'), '42');
      } finally {
        await handle.close();
        rmSync(dir, { recursive: true, force: true });
      }
    });
  });
}
