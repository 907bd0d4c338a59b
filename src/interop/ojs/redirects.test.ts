import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { startTestApp, type TestApp } from '../../../test/support/app.ts';
import { testDatabases } from '../../../test/support/databases.ts';
import { issuesXml, pdf } from '../../../test/support/ojs-native.ts';
import { addPublishedArticle, createIssue, createJournal, createSection } from '../../catalog/index.ts';
import { importNativeXml } from './import.ts';

/**
 * Old OJS links of imported content. The OJS ids 5555 (article), 5556 (galley) and 7000 (issue) are
 * taken in Revista by another journal's article, galley and issue, so the imported ones get new ids
 * and the old addresses must answer 301 with the new ones; ids that were free are kept as they were.
 */
for (const database of await testDatabases()) {
  describe(`old OJS addresses on ${database.name}`, () => {
    let t: TestApp;
    let dir: string;
    let article = 0;
    let galley = 0;
    let issue = 0;
    const get = (url: string) => t.app.inject({ url });

    before(async () => {
      t = await startTestApp(database, { demo: true });
      const db = t.database.db;
      const other = await createJournal(db, { path: 'other', name: { en: 'Other journal' }, primaryLocale: 'en', supportedLocales: ['en'] });
      const section = await createSection(db, { journalId: other, title: { en: 'Articles' } });
      const otherIssue = await createIssue(db, { journalId: other, volume: 1, year: 2020, published: true, datePublished: '2020-01-01' });
      await db.updateTable('issues').set({ id: 7000 }).where('id', '=', otherIssue).execute();
      const stored = await t.files.put(pdf('other'));
      await addPublishedArticle(db, { id: 5555, journalId: other, sectionId: section, issueId: 7000, locale: 'en', title: { en: 'Elsewhere' }, datePublished: '2020-01-01', galleys: [{ label: 'PDF', locale: 'en', file: { storageKey: stored.key, mimeType: 'application/pdf', sizeBytes: stored.sizeBytes, sha256: stored.sha256, originalName: 'x.pdf' } }] });
      const otherGalley = await db.selectFrom('galleys').innerJoin('publications', 'publications.id', 'galleys.publication_id').select('galleys.id').where('publications.article_id', '=', 5555).executeTakeFirstOrThrow();
      await db.updateTable('galleys').set({ id: 5556 }).where('id', '=', otherGalley.id).execute();

      dir = fs.mkdtempSync(path.join(os.tmpdir(), 'revista-ojs-links-'));
      const xml = issuesXml([
        { id: 7000, volume: 90, number: '1', year: 2025, articles: [{ id: 5555, title: 'Moved article', galleyId: 5556, fileId: 77, file: pdf('moved') }] },
        { id: 7001, volume: 90, number: '2', year: 2025, articles: [{ id: 6001, title: 'Kept article', galleyId: 6002, fileId: 78, file: pdf('kept') }] },
      ]).replace('url_path="" seq="0" date_published="2021-03-15" section_ref="ART" access_status="0" id="10555"', 'url_path="moved-article" seq="0" date_published="2021-03-15" section_ref="ART" access_status="0" id="10555"');
      fs.writeFileSync(path.join(dir, 'links.xml'), xml);
      const summary = await importNativeXml(db, t.files, path.join(dir, 'links.xml'), { journalPath: 'sm' });
      article = summary.units[0]!.articles[0]!.id;
      issue = summary.units[0]!.id;
      galley = (await db.selectFrom('galleys').innerJoin('publications', 'publications.id', 'galleys.publication_id').select('galleys.id').where('publications.article_id', '=', article).executeTakeFirstOrThrow()).id;
      await t.changes.sync();
    });
    after(async () => {
      await t.close();
      fs.rmSync(dir, { recursive: true, force: true });
    });

    it('gave the imported objects new ids where the OJS ids were taken, and kept free ones', async () => {
      assert.notEqual(article, 5555);
      assert.notEqual(galley, 5556);
      assert.notEqual(issue, 7000);
      assert.equal((await get('/sm/article/view/6001')).statusCode, 200, 'a free OJS id is the Revista id: no redirect');
      assert.equal((await get('/sm/article/view/6001/6002')).statusCode, 200, 'its galley viewer too (OJS viewer address, Revista viewer)');
    });

    const cases: [string, () => string][] = [
      ['/sm/article/view/5555', () => `/sm/article/view/${article}`],
      ['/sm/article/view/5555/5556', () => `/sm/article/view/${article}/${galley}`],
      ['/sm/article/download/5555/5556', () => `/sm/article/download/${article}/${galley}`],
      ['/sm/article/download/5555/5556/77', () => `/sm/article/download/${article}/${galley}`],
      ['/sm/issue/view/7000', () => `/sm/issue/view/${issue}`],
      ['/sm/issue/view/7000/12', () => `/sm/issue/view/${issue}`],
      ['/sm/article/view/moved-article', () => `/sm/article/view/${article}`],
      
      ['/sm/article/view/5555?locale=en', () => `/sm/article/view/${article}?locale=en`],
    ];
    for (const [from, to] of cases) {
      it(`${from} answers 301 with the new address`, async () => {
        const answer = await get(from);
        assert.equal(answer.statusCode, 301);
        assert.equal(answer.headers.location, to());
        assert.equal((await get(to())).statusCode, 200);
      });
    }

    it('with index.php too, and never redirects what is unknown', async () => {
      const first = await get('/index.php/sm/article/view/5555');
      assert.equal(first.statusCode, 301);
      assert.equal(first.headers.location, '/sm/article/view/5555');
      assert.equal((await get('/sm/article/view/5555')).headers.location, `/sm/article/view/${article}`);
      assert.equal((await get('/sm/article/view/424242')).statusCode, 404);
      assert.equal((await get('/sm/article/view/no-such-path')).statusCode, 404);
      assert.equal((await get('/other/article/view/5555')).statusCode, 200, 'the other journal keeps its own article 5555');
    });
  });
}
