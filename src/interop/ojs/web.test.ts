import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { createUserWithRole } from '../../accounts/index.ts';
import { buildApp } from '../../app.ts';
import { createJournal, watchContentChanges } from '../../catalog/index.ts';
import type { DatabaseHandle } from '../../db/index.ts';
import { initialiseSite } from '../../demo/index.ts';
import { createFileStore, UPLOAD_SPOOL, type FileStore } from '../../storage/index.ts';
import { testDatabases } from '../../../test/support/databases.ts';
import { issuesXml, pdf } from '../../../test/support/ojs-native.ts';
import { Session } from '../../../test/support/session.ts';
import { visibleText } from '../../../test/support/app.ts';

/**
 * The journal manager's OJS import/export page, over HTTP through the real app: dry run, import,
 * refusals (with line and column, nothing written), downloads that validate, and who may use it.
 */

const schemaOf = (version: string) => path.resolve(`../shared/schemas/${version === 'main' ? 'ojs' : `ojs-${version}`}/plugins/importexport/native/native.xsd`);
const FIXTURES = path.resolve('test/fixtures/ojs');
const fixture = (name: string) => ({ name, type: 'application/xml', content: fs.readFileSync(path.join(FIXTURES, name)) });

for (const database of await testDatabases()) {
  describe(`OJS import/export page on ${database.name}`, () => {
    let handle: DatabaseHandle;
    let app: Awaited<ReturnType<typeof buildApp>>;
    let closeChanges: () => Promise<void>;
    let files: FileStore;
    let filesRoot: string;
    const sessions: Record<string, Session> = {};

    const counts = async () => {
      const out: Record<string, number> = {};
      for (const table of ['issues', 'articles', 'publications', 'contributors', 'citations', 'galleys', 'files', 'sections', 'ojs_ids'] as const) {
        out[table] = Number((await handle.db.selectFrom(table).select((eb) => eb.fn.countAll<string>().as('n')).executeTakeFirstOrThrow()).n);
      }
      return out;
    };
    const upload = async (who: string, action: 'dry-run' | 'import', document: { name: string; type: string; content: Buffer }) => {
      const session = sessions[who]!;
      await session.get('/sm/management/ojs?locale=en');
      return session.postMultipart(`/sm/management/ojs/${action}`, {}, { document });
    };

    before(async () => {
      handle = await database.open();
      await initialiseSite(handle.db, { demo: true });
      const changes = await watchContentChanges(handle);
      closeChanges = () => changes.close();
      filesRoot = fs.mkdtempSync(path.join(os.tmpdir(), 'revista-ojs-web-'));
      files = createFileStore(filesRoot);
      app = await buildApp({ config: { baseUrl: 'http://localhost:3000', pageCache: false }, database: handle, files, changes });
      await app.ready();
      const other = await createJournal(handle.db, { path: 'other', name: { en: 'Other' }, primaryLocale: 'en', supportedLocales: ['en'] });
      const now = new Date();
      for (const [who, role, journalId] of [['manager', 'manager', 1], ['editor', 'editor', 1], ['reader', 'reader', 1], ['other-manager', 'manager', other]] as const) {
        await createUserWithRole(handle.db, { email: `${who}@example.org`, password: 'a long enough password', role, journalId, now });
        sessions[who] = new Session(app, { 'accept-language': 'en' });
        await sessions[who]!.signIn(`${who}@example.org`, 'a long enough password');
      }
    });
    after(async () => {
      await app.close();
      await closeChanges();
      await handle.close();
      fs.rmSync(filesRoot, { recursive: true, force: true });
    });

    it('shows the page to managers, in the management menu, with forms that carry the form token', async () => {
      const response = await sessions.manager!.get('/sm/management/ojs');
      assert.equal(response.statusCode, 200);
      assert.match(response.body, /<h1>Import \/ export \(OJS Native XML\)<\/h1>/);
      assert.match(response.body, /<a href="\/sm\/management\/ojs" aria-current="page">Import \/ export \(OJS Native XML\)<\/a>/);
      assert.match(response.body, /<form action="\/sm\/management\/ojs\/import" method="post" enctype="multipart\/form-data"[^>]*>\s*<input type="hidden" name="_csrf" value="[^"]+"/);
      assert.match(response.body, /formaction="\/sm\/management\/ojs\/dry-run"/);
      // The export form: all issues or one, for the newest OJS release unless another is chosen.
      assert.match(response.body, /<form action="\/sm\/management\/ojs\/export" method="get" class="form">\s*<div class="field">\s*<label for="field-issue">Issues<\/label>\s*<select id="field-issue" name="issue">\s*<option value="" selected>All issues<\/option>/);
      assert.match(response.body, /<select id="field-version" name="version" aria-describedby="field-version-hint">\s*<option value="3.3">3.3<\/option>\s*<option value="3.4">3.4<\/option>\s*<option value="3.5" selected>3.5<\/option>\s*<option value="main">main<\/option>/);
      assert.match(response.body, /formaction="\/sm\/management\/ojs\/export\/check"/);
      const pl = await sessions.manager!.get('/sm/management/ojs?locale=pl');
      assert.match(pl.body, /<h1>Import \/ eksport \(OJS Native XML\)<\/h1>/);
      await sessions.manager!.get('/sm/management/ojs?locale=en');
    });

    it('a dry run shows the report the command line prints and writes nothing', async () => {
      const before = await counts();
      const storedFiles = () => fs.readdirSync(filesRoot, { recursive: true }).filter((name) => !String(name).startsWith(UPLOAD_SPOOL)).length;
      const stored = storedFiles();
      const response = await upload('manager', 'dry-run', fixture('three-issues.xml'));
      assert.equal(response.statusCode, 200, response.body.slice(0, 500));
      assert.match(response.body, /Dry run: what an import would do/);
      assert.match(response.body, /3 issues, 6 articles, 7 galleys, \d+ warnings/);
      const text = visibleText(response.body);
      assert.match(text, /Kind New Changed Unchanged Issues 3 0 0 Articles 6 0 0/);
      assert.match(text, /new Issue Vol\. 73 No\. 1 \(2020\) \(Revista id \d+, OJS id \d+\)/);
      assert.deepEqual(await counts(), before);
      assert.equal(storedFiles(), stored, 'no file stored');
      assert.deepEqual(fs.readdirSync(path.join(filesRoot, UPLOAD_SPOOL)), [], 'the upload’s spool file is gone');
    });

    it('writes the report in Polish on the Polish page: issues as "Tom 73 Nr 1", no English words', async () => {
      const session = sessions.manager!;
      await session.get('/sm/management/ojs?locale=pl');
      const response = await session.postMultipart('/sm/management/ojs/dry-run', {}, { document: fixture('three-issues.xml') });
      await session.get('/sm/management/ojs?locale=en');
      assert.equal(response.statusCode, 200, response.body.slice(0, 500));
      // The report only, without the parser's warnings (English, marked lang="en") and the article titles (data).
      const report = /<section aria-labelledby="ojs-report">[\s\S]*?<\/section>/.exec(response.body)?.[0] ?? '';
      const text = visibleText(report.replace(/<ul lang="en">[\s\S]*?<\/ul>/, '').replace(/„[^”]*”/g, '„…”'));
      assert.match(text, /Rodzaj Nowe Zmienione Bez zmian Numery 3 0 0 Artykuły 6 0 0/);
      assert.match(text, /nowy Numer Tom 73 Nr 1 \(2020\) \(identyfikator w Reviście: \d+, w OJS: \d+\)/);
      assert.doesNotMatch(text, /Vol\.|No\. \d|\b(new|changed|unchanged|issues|articles|galleys)\b/);
      assert.match(response.body, /<option value="\d+">Tom 74 Nr 4 \(2021\)<\/option>/, 'the export choice names the issue in Polish');
    });

    it('imports, and importing the same file again changes nothing', async () => {
      const before = await counts();
      const response = await upload('manager', 'import', fixture('three-issues.xml'));
      assert.equal(response.statusCode, 200, response.body.slice(0, 500));
      assert.match(response.body, /<h2 id="ojs-report">Imported<\/h2>/);
      const after = await counts();
      assert.deepEqual([after.issues - before.issues, after.articles - before.articles, after.publications - before.publications, after.galleys - before.galleys], [3, 6, 7, 7]);
      assert.equal((await sessions.manager!.get('/sm/article/view/201')).statusCode, 200, 'the article is public under its OJS id');
      const again = await upload('manager', 'import', fixture('three-issues.xml'));
      assert.match(visibleText(again.body), /Issues 0 0 3 Articles 0 0 6/);
      assert.deepEqual(await counts(), after);
    });

    it('takes uploads larger than the app’s 10 MB form limit, streamed to disk', async () => {
      const big = Buffer.concat([pdf('large upload'), Buffer.alloc(11 * 1024 * 1024, 3)]);
      const xml = Buffer.from(issuesXml([{ id: 777, volume: 99, number: '1', year: 2030, articles: [{ id: 7771, title: 'A large galley', galleyId: 7772, fileId: 7773, file: big }] }]));
      assert.ok(xml.length > 14 * 1024 * 1024);
      const response = await upload('manager', 'dry-run', { name: 'large.xml', type: 'application/xml', content: xml });
      assert.equal(response.statusCode, 200, response.body.slice(0, 500));
      assert.match(response.body, /1 issues, 1 articles, 1 galleys/);
    });

    it('refuses a malformed document, a wrong root, missing file data and a missing file with a clear message, writing nothing', async () => {
      const before = await counts();
      const malformed = await upload('manager', 'import', fixture('malformed.xml'));
      assert.equal(malformed.statusCode, 422);
      assert.match(malformed.body, /role="alert"/);
      assert.match(malformed.body, /line 10, column 27/);
      assert.match(malformed.body, /Nothing was written\./);
      const wrongRoot = await upload('manager', 'import', fixture('wrong-root.xml'));
      assert.equal(wrongRoot.statusCode, 422);
      assert.match(wrongRoot.body, /the root element is &lt;PKPUsers&gt;/);
      const missing = await upload('manager', 'import', fixture('missing-file-data.xml'));
      assert.equal(missing.statusCode, 422);
      assert.match(missing.body, /line \d+, column \d+: .*the file(&#39;|')s data is missing/);
      await sessions.manager!.get('/sm/management/ojs?locale=en');
      const none = await sessions.manager!.postMultipart('/sm/management/ojs/import', {});
      assert.equal(none.statusCode, 400);
      assert.match(none.body, /Choose a Native XML file to upload\./);
      assert.deepEqual(await counts(), before);
    });

    it('refuses an upload without the page’s form token, before reading it', async () => {
      const before = await counts();
      const spoolDir = path.join(filesRoot, UPLOAD_SPOOL);
      const spooled = () => (fs.existsSync(spoolDir) ? fs.readdirSync(spoolDir).length : 0);
      const session = sessions.manager!;
      await session.get('/sm/management/ojs');
      const response = await session.postMultipart('/sm/management/ojs/import', { _csrf: 'not-the-token' }, { document: fixture('sm-1786.xml') });
      assert.equal(response.statusCode, 403);
      assert.deepEqual(await counts(), before);
      assert.equal(spooled(), 0, 'nothing of the upload reached the disk');
    });

    it('downloads the journal and one issue as Native XML that validates against native.xsd', async () => {
      const all = await sessions.manager!.get('/sm/management/ojs/export');
      assert.equal(all.statusCode, 200);
      assert.match(String(all.headers['content-type']), /^application\/xml/);
      assert.equal(all.headers['content-disposition'], 'attachment; filename="sm-issues.native.xml"');
      const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'revista-ojs-download-'));
      try {
        fs.writeFileSync(path.join(dir, 'all.xml'), all.rawPayload);
        execFileSync('xmllint', ['--noout', '--nonet', '--schema', schemaOf('3.5'), path.join(dir, 'all.xml')], { stdio: 'pipe' });
        assert.equal((all.body.match(/<issue /g) ?? []).length, 4, 'the demo issue and the three imported');
        const issue = (await handle.db.selectFrom('ojs_ids').select('revista_id').where('kind', '=', 'issue').where('ojs_id', '=', 102).executeTakeFirstOrThrow()).revista_id;
        const one = await sessions.manager!.get(`/sm/management/ojs/export?issue=${issue}`);
        assert.equal(one.statusCode, 200);
        assert.equal(one.headers['content-disposition'], `attachment; filename="sm-issue-${issue}.native.xml"`);
        fs.writeFileSync(path.join(dir, 'one.xml'), one.rawPayload);
        execFileSync('xmllint', ['--noout', '--nonet', '--schema', schemaOf('3.5'), path.join(dir, 'one.xml')], { stdio: 'pipe' });
        assert.equal((one.body.match(/<issue /g) ?? []).length, 1);
        assert.match(one.body, /<id type="internal" advice="ignore">102<\/id>/);
        // The form's other choices: every release, all issues as an empty choice.
        for (const version of ['3.3', '3.4', 'main']) {
          const older = await sessions.manager!.get(`/sm/management/ojs/export?issue=&version=${version}`);
          assert.equal(older.statusCode, 200, version);
          assert.equal(older.headers['content-disposition'], `attachment; filename="sm-issues-ojs-${version}.native.xml"`);
          fs.writeFileSync(path.join(dir, `${version}.xml`), older.rawPayload);
          execFileSync('xmllint', ['--noout', '--nonet', '--schema', schemaOf(version), path.join(dir, `${version}.xml`)], { stdio: 'pipe' });
          assert.equal((older.body.match(/<issue /g) ?? []).length, 4, version);
        }
        const unknown = await sessions.manager!.get('/sm/management/ojs/export?version=3.2');
        assert.equal(unknown.statusCode, 400);
        assert.match(unknown.body, /version is one of 3\.3, 3\.4, 3\.5, main/);
        assert.equal((await sessions.manager!.get('/sm/management/ojs/export?issue=999999')).statusCode, 404);
        assert.equal((await sessions.manager!.get('/sm/management/ojs/export?issue=abc')).statusCode, 404);
      } finally {
        fs.rmSync(dir, { recursive: true, force: true });
      }
    });

    it('checks what a release can hold before the download, in the page’s language', async () => {
      const check = await sessions.manager!.get('/sm/management/ojs/export/check?issue=&version=3.3');
      assert.equal(check.statusCode, 200);
      assert.match(check.body, /<h2 id="ojs-check">Export for OJS 3\.3<\/h2>\s*<p>4 issues, \d+ articles, \d+ galleys, \d+ files<\/p>/);
      // The demo author has no name, and three-issues.xml has ROR ids and an organisation.
      assert.match(check.body, /<li>OJS 3\.3 needs every author’s given name in the article’s language: \d+ authors without one get there/);
      assert.match(check.body, /<li>OJS 3\.3 has no ROR ids for affiliations: 3 left out \(the names are kept\)\.<\/li>/);
      assert.match(check.body, /<a class="button" href="\/sm\/management\/ojs\/export\?version=3\.3">Download for OJS 3\.3<\/a>/);
      assert.match(check.body, /<option value="3.3" selected>3.3<\/option>/);
      const pl = await sessions.manager!.get('/sm/management/ojs/export/check?version=3.4&locale=pl');
      assert.match(pl.body, /<li>OJS 3\.4 nie zna identyfikatorów ROR afiliacji: pominięte: 3 \(nazwy zostają\)\.<\/li>/);
      const main = await sessions.manager!.get('/sm/management/ojs/export/check?version=main&locale=en');
      assert.match(main.body, /OJS main can hold everything in this export\./);
      assert.doesNotMatch(main.body, /<li>OJS main/);
      assert.equal((await sessions.manager!.get('/sm/management/ojs/export/check?issue=999999')).statusCode, 404);
      assert.equal((await sessions.editor!.get('/sm/management/ojs/export/check')).statusCode, 403);
    });

    it('is refused to readers, editors and another journal’s manager, and asks the anonymous to sign in', async () => {
      const before = await counts();
      for (const who of ['reader', 'editor', 'other-manager']) {
        assert.equal((await sessions[who]!.get('/sm/management/ojs')).statusCode, 403, who);
        assert.equal((await sessions[who]!.get('/sm/management/ojs/export')).statusCode, 403, who);
        const posted = await upload(who, 'import', fixture('sm-1786.xml'));
        assert.equal(posted.statusCode, 403, who);
      }
      const anonymous = new Session(app);
      assert.equal((await anonymous.get('/sm/management/ojs')).statusCode, 303);
      assert.equal((await anonymous.postMultipart('/sm/management/ojs/import', {}, { document: fixture('sm-1786.xml') })).statusCode, 401);
      assert.deepEqual(await counts(), before);
    });
  });
}
