import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { createJournal } from '../../catalog/index.ts';
import { retypeStoredFiles } from '../../storage/index.ts';
import { assertValidOai } from '../../../test/support/answers.ts';
import { startTestApp, type TestApp } from '../../../test/support/app.ts';
import { testDatabases } from '../../../test/support/databases.ts';
import { metaValues } from '../../../test/support/html.ts';
import { Session } from '../../../test/support/session.ts';
import { importNativeXml } from './import.ts';

/**
 * OJS 3.3 and later export files with an extension and no MIME type. Their galleys must still be
 * served as what they are — a PDF as application/pdf (Google Scholar's citation_pdf_url, Zotero's
 * attachment), an EPUB as EPUB — and described so in OAI-PMH: imported from the command line,
 * uploaded through the management form, and fixed where an older version stored them as
 * application/octet-stream. The fixture validates against OJS 3.3's native.xsd.
 */

const FIXTURE = path.resolve('test/fixtures/ojs/ojs33-untyped-galleys.xml');
const BASE = 'http://localhost:3000';
const mediaType = (header: unknown) => String(header).split(';')[0]!.trim();
const dcFormats = (xml: string) => [...xml.matchAll(/<dc:format>([^<]*)<\/dc:format>/g)].map((m) => m[1]!);

for (const database of await testDatabases()) {
  describe(`galley types of an OJS 3.3+ export on ${database.name}`, () => {
    let t: TestApp;
    let manager: Session;
    const get = (url: string) => t.app.inject({ method: 'GET', url });
    const galleysOf = async (articleId: number) =>
      t.database.db
        .selectFrom('galleys as g')
        .innerJoin('articles as a', 'a.current_publication_id', 'g.publication_id')
        .innerJoin('files as f', 'f.id', 'g.file_id')
        .select(['g.id', 'g.label', 'f.id as fileId', 'f.mime_type'])
        .where('a.id', '=', articleId)
        .orderBy('g.seq')
        .execute();

    before(async () => {
      t = await startTestApp(database);
      const other = await createJournal(t.database.db, { path: 'other', name: { en: 'Other' }, primaryLocale: 'en', supportedLocales: ['en'] });
      const { createUserWithRole } = await import('../../accounts/index.ts');
      await createUserWithRole(t.database.db, { email: 'manager@example.org', password: 'a long enough password', role: 'manager', journalId: other, now: new Date() });
      manager = new Session(t.app, { 'accept-language': 'en' });
      await manager.signIn('manager@example.org', 'a long enough password');
    });
    after(async () => {
      await t.close();
    });

    it('imported from the command line, PDF, HTML, JPEG and EPUB galleys are served and described as what they are', async () => {
      const summary = await importNativeXml(t.database.db, t.files, FIXTURE, { journalPath: 'sm' });
      assert.deepEqual(summary.articles, { new: 2, changed: 0, unchanged: 0 });

      const expected = [
        [1120, 'application/pdf'],
        [1121, 'text/html'],
        [1122, 'image/jpeg'],
        [1123, 'application/epub+zip'],
      ] as const;
      for (const [galleyId, type] of expected) {
        const download = await get(`/sm/article/download/1160/${galleyId}`);
        assert.equal(download.statusCode, 200, `galley ${galleyId}`);
        assert.equal(mediaType(download.headers['content-type']), type, `galley ${galleyId}`);
        assert.match(String(download.headers['content-disposition']), /^attachment;/, 'still a download, never shown as the site');
      }
      // Declared application/pdf, but the bytes are HTML: the bytes win.
      assert.equal(mediaType((await get('/sm/article/download/1161/1124')).headers['content-type']), 'text/html');

      const page = await get('/sm/article/view/1160');
      assert.deepEqual(metaValues(page.body, 'citation_pdf_url'), [`${BASE}/sm/article/download/1160/1120`]);
      assert.deepEqual(metaValues(page.body, 'DC.Format'), ['application/pdf', 'text/html', 'image/jpeg', 'application/epub+zip']);
      assert.deepEqual(metaValues((await get('/sm/article/view/1161')).body, 'citation_pdf_url'), [], 'an HTML file called PDF is not offered to Scholar as a PDF');

      const record = await get('/oai?verb=GetRecord&metadataPrefix=oai_dc&identifier=oai:localhost:article/1160');
      assert.deepEqual(dcFormats(record.body), ['application/pdf', 'text/html', 'image/jpeg', 'application/epub+zip']);
      await assertValidOai([record.body]);
    });

    it('refuses a script, and an SVG declared as a PDF, with their galleys', async () => {
      // The import of the test above: its warnings name both, and neither galley exists.
      const summary = await importNativeXml(t.database.db, t.files, FIXTURE, { journalPath: 'sm', dryRun: true });
      assert.ok(summary.warnings.some((w) => /submission file 3325 \("tracker\.js"\).*text\/javascript/.test(w)), summary.warnings.join('\n'));
      assert.ok(summary.warnings.some((w) => /submission file 3326 \("map\.pdf"\).*image\/svg\+xml/.test(w)), summary.warnings.join('\n'));
      assert.deepEqual((await galleysOf(1161)).map((g) => [g.label, g.mime_type]), [['PDF', 'text/html']]);
      assert.equal((await get('/sm/article/download/1161/1125')).statusCode, 404);
      assert.equal((await get('/sm/article/download/1161/1126')).statusCode, 404);
    });

    it('uploaded through the management form, the galleys get the same types', async () => {
      await manager.get('/other/management/ojs?locale=en');
      const response = await manager.postMultipart('/other/management/ojs/import', {}, { document: { name: 'export.xml', type: 'application/xml', content: fs.readFileSync(FIXTURE) } });
      assert.equal(response.statusCode, 200, response.body.slice(0, 500));
      assert.match(response.body, /<h2 id="ojs-report">Imported<\/h2>/);
      const articles = await t.database.db
        .selectFrom('articles as a')
        .innerJoin('journals as j', 'j.id', 'a.journal_id')
        .select('a.id')
        .where('j.path', '=', 'other')
        .orderBy('a.id')
        .execute();
      assert.equal(articles.length, 2);
      const [first, second] = [articles[0]!.id, articles[1]!.id];
      const galleys = await galleysOf(first);
      assert.deepEqual(galleys.map((g) => g.label), ['PDF', 'HTML', 'Figure 1', 'EPUB']);
      const served: string[] = [];
      for (const galley of galleys) served.push(mediaType((await get(`/other/article/download/${first}/${galley.id}`)).headers['content-type']));
      assert.deepEqual(served, ['application/pdf', 'text/html', 'image/jpeg', 'application/epub+zip']);
      assert.deepEqual(metaValues((await get(`/other/article/view/${first}`)).body, 'citation_pdf_url'), [`${BASE}/other/article/download/${first}/${galleys[0]!.id}`]);
      assert.deepEqual((await galleysOf(second)).map((g) => [g.label, g.mime_type]), [['PDF', 'text/html']]);
    });

    it('a galley an older version stored as application/octet-stream gets its type once, and readers, harvesters and search follow', async () => {
      const galleys = await galleysOf(1160);
      const pdf = galleys.find((g) => g.label === 'PDF')!;
      const epub = galleys.find((g) => g.label === 'EPUB')!;
      // What the import stored before this version (OJS gave no type), and migration 0015 left unread.
      await t.database.db.updateTable('files').set({ mime_type: 'application/octet-stream', type_checked_at: null }).where('id', 'in', [pdf.fileId, epub.fileId]).execute();
      await t.database.db.deleteFrom('search_file_texts').where('file_id', '=', pdf.fileId).execute();
      await t.database.db.insertInto('search_file_texts').values({ file_id: pdf.fileId, content: '', problem: 'no text is read from application/octet-stream' }).execute();
      const stamp = async () => (await t.database.db.selectFrom('oai_records').select('datestamp').where('article_id', '=', 1160).executeTakeFirstOrThrow()).datestamp;
      const stampBefore = await stamp();
      assert.equal(mediaType((await get(`/sm/article/download/1160/${pdf.id}`)).headers['content-type']), 'application/octet-stream');
      assert.deepEqual(metaValues((await get('/sm/article/view/1160')).body, 'citation_pdf_url'), [], 'the broken state, as readers saw it (and the page is now cached)');
      await new Promise((resolve) => setTimeout(resolve, 1100)); // OAI datestamps are by the second.

      // What the server does at start.
      const report = await retypeStoredFiles(t.database.db, t.files);
      assert.deepEqual(report, { checked: 2, changed: 2, missing: 0, disarmed: 0 });

      assert.equal(mediaType((await get(`/sm/article/download/1160/${pdf.id}`)).headers['content-type']), 'application/pdf');
      assert.equal(mediaType((await get(`/sm/article/download/1160/${epub.id}`)).headers['content-type']), 'application/epub+zip');
      // The cached page is dropped by the change itself (no restart).
      await t.changes.sync();
      assert.deepEqual(metaValues((await get('/sm/article/view/1160')).body, 'citation_pdf_url'), [`${BASE}/sm/article/download/1160/${pdf.id}`]);
      const record = await get('/oai?verb=GetRecord&metadataPrefix=oai_dc&identifier=oai:localhost:article/1160');
      assert.deepEqual(dcFormats(record.body), ['application/pdf', 'text/html', 'image/jpeg', 'application/epub+zip']);
      assert.ok((await stamp()).getTime() > stampBefore.getTime(), 'the OAI record has a new datestamp, so harvesters fetch the new dc:format');
      // The search index reads the PDF's text now that it is known to be a PDF (in the background: waited for, up to 30 s).
      let text: { content: string; problem: string | null } | undefined;
      for (let waited = 0; waited < 30_000; waited += 100) {
        text = await t.database.db.selectFrom('search_file_texts').select(['content', 'problem']).where('file_id', '=', pdf.fileId).executeTakeFirst();
        if (text && text.problem === null) break;
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
      assert.equal(text?.problem, null, 'the PDF’s text was read');
      assert.ok(text!.content.length > 0);

      // Once: the next start reads nothing.
      assert.deepEqual(await retypeStoredFiles(t.database.db, t.files), { checked: 0, changed: 0, missing: 0, disarmed: 0 });
    });
  });
}
