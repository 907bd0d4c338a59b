import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { createUserWithRole } from '../accounts/index.ts';
import { addPublishedArticle } from '../catalog/index.ts';
import { startTestApp, visibleText, type TestApp } from '../../test/support/app.ts';
import { testDatabases } from '../../test/support/databases.ts';
import { Session } from '../../test/support/session.ts';

const PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==', 'base64');
const SVG = Buffer.from('<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>');
const HOSTILE = '<p>Welcome</p><script>alert(1)</script><img src=x onerror=alert(2)><a href="javascript:alert(3)">x</a>';

function xmlWellFormed(xml: string): void {
  const file = path.join(os.tmpdir(), `revista-feed-${process.pid}-${Date.now()}.xml`);
  fs.writeFileSync(file, xml);
  try {
    execFileSync('xmllint', ['--nonet', '--noout', file], { stdio: 'pipe' });
  } finally {
    fs.rmSync(file, { force: true });
  }
}

for (const database of await testDatabases()) {
  describe(`site administration and journal management on ${database.name}`, () => {
    let t: TestApp;
    let admin: Session;
    let manager: Session;

    before(async () => {
      t = await startTestApp(database);
      const now = new Date();
      await createUserWithRole(t.database.db, { email: 'admin@example.org', password: 'administrator password', role: 'admin', now });
      await createUserWithRole(t.database.db, { email: 'manager@example.org', password: 'manager password', role: 'manager', journalId: 1, now });
      admin = new Session(t.app, { 'accept-language': 'en' });
      await admin.signIn('admin@example.org', 'administrator password');
      manager = new Session(t.app, { 'accept-language': 'en' });
      await manager.signIn('manager@example.org', 'manager password');
    });
    after(() => t.close());

    /** A reader's request, after the server has seen every change committed so far (PostgreSQL notifies asynchronously). */
    const read = async (request: { url: string; headers?: Record<string, string> }) => {
      await t.changes.sync();
      return t.app.inject(request);
    };

    it('creates a journal with a checked path, and disabling hides it from readers', async () => {
      await admin.get('/admin/journals/new');
      const fields = { 'name.en': 'Acta Testica', primaryLocale: 'en', supportedLocales: ['en', 'pl'] };
      for (const [bad, message] of [['Acta', /lowercase letters/], ['admin', /used by the site itself/], ['sm', /already in use/]] as const) {
        const response = await admin.post('/admin/journals/new', { ...fields, path: bad });
        assert.equal(response.statusCode, 400, bad);
        assert.match(visibleText(response.body), message);
      }
      const created = await admin.post('/admin/journals/new', { ...fields, path: 'acta' });
      assert.equal(created.statusCode, 303);
      assert.match(visibleText((await read({ url: '/', headers: { 'accept-language': 'en' } })).body), /Acta Testica/);
      assert.equal((await read({ url: '/acta' })).statusCode, 200);
      const id = (await t.database.db.selectFrom('journals').select('id').where('path', '=', 'acta').executeTakeFirstOrThrow()).id;
      await admin.get(`/admin/journals/${id}`);
      await admin.post(`/admin/journals/${id}`, { ...fields, path: 'acta' });
      assert.equal((await read({ url: '/acta' })).statusCode, 200, 'saving the form leaves the journal enabled');
      const confirmation = await admin.get(`/admin/journals/${id}/disable`);
      assert.match(visibleText(confirmation.body), /Readers get “not found” on every page of the journal/);
      assert.equal((await read({ url: '/acta' })).statusCode, 200, 'the confirmation page changes nothing');
      await admin.post(`/admin/journals/${id}/disable`);
      assert.equal((await read({ url: '/acta' })).statusCode, 404, 'a disabled journal is hidden from readers');
      assert.doesNotMatch(visibleText((await read({ url: '/', headers: { 'accept-language': 'en' } })).body), /Acta Testica/);
    });

    it('changes the site name and languages', async () => {
      await admin.get('/admin/settings');
      const bad = await admin.post('/admin/settings', { 'title.en': 'Open Press', primaryLocale: 'pl', supportedLocales: 'en' });
      assert.equal(bad.statusCode, 400);
      assert.match(visibleText(bad.body), /primary language must be one of the chosen languages/);
      await admin.post('/admin/settings', { 'title.en': 'Open Press', 'title.pl': 'Otwarta Prasa', primaryLocale: 'pl', supportedLocales: ['pl', 'en'] });
      assert.match(visibleText((await read({ url: '/?locale=en' })).body), /Open Press/);
    });

    it('finds users, assigns and removes roles, disables and merges accounts', async () => {
      await createUserWithRole(t.database.db, { email: 'dup.one@example.org', password: 'duplicate password', role: 'reviewer', journalId: 1, now: new Date() });
      await createUserWithRole(t.database.db, { email: 'dup.two@example.org', password: 'duplicate password', role: 'author', journalId: 1, now: new Date() });
      const found = await admin.get('/admin/users?search=dup.');
      assert.match(visibleText(found.body), /2 found/);
      const one = await t.database.db.selectFrom('users').select('id').where('email', '=', 'dup.one@example.org').executeTakeFirstOrThrow();
      const two = await t.database.db.selectFrom('users').select('id').where('email', '=', 'dup.two@example.org').executeTakeFirstOrThrow();
      await admin.get(`/admin/users/${one.id}`);
      assert.equal((await admin.post(`/admin/users/${one.id}/roles`, { journal: '0', role: 'editor' })).statusCode, 400, 'journal roles need a journal');
      await admin.post(`/admin/users/${one.id}/roles`, { journal: '1', role: 'editor' });
      // Journals are named, not shown by their path (issue 17).
      assert.match(visibleText((await admin.get(`/admin/users/${one.id}`)).body), /Sprawy Międzynarodowe\s*Editor/);

      const person = new Session(t.app, { 'accept-language': 'en' });
      await person.signIn('dup.one@example.org', 'duplicate password');
      await admin.get(`/admin/users/${one.id}`);
      await admin.post(`/admin/users/${one.id}/disable`, { reason: 'Duplicate account.' });
      assert.equal((await person.get('/user/profile')).statusCode, 303, 'a disabled account is signed out');
      await person.get('/login');
      const refused = await person.post('/login/signIn', { email: 'dup.one@example.org', password: 'duplicate password' });
      assert.equal(refused.statusCode, 403);
      assert.match(visibleText(refused.body), /disabled\. Duplicate account\./);

      await admin.get(`/admin/users/${one.id}`);
      assert.equal((await admin.post(`/admin/users/${one.id}/merge`, { into: 'dup.two@example.org' })).statusCode, 400, 'merging needs the confirmation');
      assert.equal((await admin.post(`/admin/users/${one.id}/merge`, { into: 'dup.two@example.org', confirm: 'on' })).statusCode, 303);
      const roles = await t.database.db.selectFrom('role_assignments').select('role').where('user_id', '=', two.id).orderBy('role').execute();
      assert.deepEqual(roles.map((r) => r.role), ['author', 'editor', 'reviewer']);
      assert.equal(await t.database.db.selectFrom('users').select('id').where('id', '=', one.id).executeTakeFirst(), undefined);
    });

    it('keeps mail in the outbox without SMTP, and the administrator reads it there', async () => {
      const visitor = new Session(t.app, { 'accept-language': 'en' });
      await visitor.get('/login/lostPassword');
      await visitor.post('/login/lostPassword', { email: 'manager@example.org' });
      const outbox = await admin.get('/admin/outbox?search=manager%40example.org');
      assert.match(visibleText(outbox.body), /No SMTP server is configured/);
      const id = /href="\/admin\/outbox\/(\d+)"/.exec(outbox.body)?.[1];
      assert.ok(id, 'the mail is listed');
      const mail = await admin.get(`/admin/outbox/${id}`);
      assert.match(visibleText(mail.body), /http:\/\/localhost:3000\/login\/resetPassword\?token=/);
      assert.equal((await manager.get(`/admin/outbox/${id}`)).statusCode, 403);
    });

    it('saves journal settings with checked ISSNs and shows them on the About page', async () => {
      await manager.get('/sm/management/settings');
      const base = { 'name.pl': 'Sprawy Międzynarodowe', 'name.en': 'International Affairs', license: 'https://creativecommons.org/licenses/by/4.0/', copyrightHolderType: 'author' };
      const bad = await manager.post('/sm/management/settings', { ...base, onlineIssn: '0378-5954' });
      assert.equal(bad.statusCode, 400);
      assert.match(visibleText(bad.body), /not a valid ISSN/);
      const saved = await manager.post('/sm/management/settings', { ...base, onlineIssn: '2049 3630', printIssn: '0378-5955', publisher: 'PISM', 'description.en': HOSTILE });
      assert.equal(saved.statusCode, 303, visibleText(saved.body).slice(-600));
      const about = await read({ url: '/sm/about?locale=en' });
      const text = visibleText(about.body);
      assert.match(text, /Online ISSN 2049-3630/);
      assert.match(text, /Print ISSN 0378-5955/);
      assert.match(about.body, /href="https:\/\/creativecommons\.org\/licenses\/by\/4\.0\/" rel="license"/);
      assert.match(about.body, /<p>Welcome<\/p>/);
      assert.doesNotMatch(about.body, /<script>alert|onerror|javascript:/);
    });

    it('publishes sanitized pages and a menu that leads to them', async () => {
      await manager.get('/sm/management/pages');
      await manager.post('/sm/management/pages', { path: 'ethics' });
      await manager.get('/sm/management/pages/ethics');
      await manager.post('/sm/management/pages/ethics', { 'title.en': 'Publication ethics', 'content.en': HOSTILE });
      await manager.get('/sm/management/pages/editorial-team');
      await manager.post('/sm/management/pages/editorial-team', { 'content.en': '<h2>Editor in chief</h2><p onclick="x()">Jan Kowalski</p>' });
      const stored = await t.database.db.selectFrom('journal_pages').select('content').where('path', '=', 'ethics').executeTakeFirstOrThrow();
      assert.doesNotMatch(stored.content.en!, /script|onerror|javascript/, 'stored sanitized');
      const team = await read({ url: '/sm/about/editorialTeam?locale=en' });
      assert.match(team.body, /<h2>Editor in chief<\/h2><p>Jan Kowalski<\/p>/);

      await manager.get('/sm/management/navigation');
      await manager.post('/sm/management/navigation', { 'label.en': 'Archive', 'label.pl': 'Archiwum', target: 'builtin:archive' });
      await manager.post('/sm/management/navigation', { 'label.en': 'Ethics', 'label.pl': 'Etyka', target: 'page:ethics' });
      assert.equal((await manager.post('/sm/management/navigation', { 'label.en': 'Bad', target: 'url', url: 'javascript:alert(1)' })).statusCode, 400);
      const home = await read({ url: '/sm?locale=en' });
      const nav = /<nav id="main-navigation"[\s\S]*?<\/nav>/.exec(home.body)![0];
      assert.match(nav, /<a href="\/sm\/issue\/archive">Archive<\/a><\/li><li><a href="\/sm\/page\/ethics">Ethics<\/a>/);
      const page = await read({ url: '/sm/page/ethics?locale=en' });
      assert.equal(page.statusCode, 200);
      assert.match(visibleText(page.body), /Publication ethics Welcome/);
    });

    it('posts announcements on the journal home, their page and an Atom feed', async () => {
      await manager.get('/sm/management/announcements/new');
      await manager.post('/sm/management/announcements/new', { 'title.en': 'Call for papers "<b>2027</b>"', 'summary.en': '<p>Send your <strong>papers</strong>.</p><script>x</script>' });
      await manager.post('/sm/management/announcements/new', { 'title.en': 'Old news', expiresOn: '2000-01-01' });
      const home = await read({ url: '/sm?locale=en' });
      const text = visibleText(home.body);
      assert.match(text, /Call for papers "<b>2027<\/b>"/, 'the title is text, not markup');
      assert.doesNotMatch(text, /Old news/, 'expired announcements are not shown');
      const feed = await read({ url: '/sm/announcement/feed' });
      assert.match(feed.headers['content-type'] as string, /application\/atom\+xml/);
      xmlWellFormed(feed.body);
      assert.match(feed.body, /<feed xmlns="http:\/\/www\.w3\.org\/2005\/Atom"/);
      assert.match(feed.body, /<title>Call for papers "&lt;b&gt;2027&lt;\/b&gt;"<\/title>/);
      assert.match(feed.body, /<summary>Send your papers\.<\/summary>/);
    });

    it('checks the theme colour, removes dangerous CSS, and serves the uploaded logo', async () => {
      await manager.get('/sm/management/appearance');
      const pale = await manager.postMultipart('/sm/management/appearance', { colour: '#ffff00' });
      assert.equal(pale.statusCode, 400);
      assert.match(visibleText(pale.body), /contrast of only 1\.07:1/);
      const svg = await manager.postMultipart('/sm/management/appearance', { colour: '#7b1fa2' }, { logo: { name: 'logo.svg', type: 'image/svg+xml', content: SVG } });
      assert.equal(svg.statusCode, 400);
      const css = '@import url(https://evil.example/x.css);\n.site-header { background: url(javascript:alert(1)); border-top: 4px solid #000 }';
      const saved = await manager.postMultipart('/sm/management/appearance', { colour: '#7b1fa2', customCss: css }, { logo: { name: 'logo.png', type: 'image/png', content: PNG } });
      assert.equal(saved.statusCode, 200);
      assert.match(visibleText(saved.body), /were removed because they could load or run code/);
      const home = await read({ url: '/sm' });
      const themeHref = /<link rel="stylesheet" href="(\/sm\/theme\.css\?v=[^"]+)"/.exec(home.body)?.[1];
      assert.ok(themeHref, 'the theme stylesheet is linked');
      const theme = await read({ url: themeHref! });
      assert.match(theme.body, /--accent: #7b1fa2/);
      assert.match(theme.body, /border-top: 4px solid #000/);
      assert.doesNotMatch(theme.body, /@import|javascript/);
      const logoHref = /<img class="site-logo" src="([^"]+)"/.exec(home.body)?.[1];
      const logo = await read({ url: logoHref! });
      assert.equal(logo.headers['content-type'], 'image/png');
      assert.deepEqual(logo.rawPayload, PNG);
    });

    it('creates, publishes, orders and unpublishes issues as readers then see them', async () => {
      await manager.get('/sm/management/issues/new');
      assert.equal((await manager.postMultipart('/sm/management/issues/new', { volume: 'seventy' })).statusCode, 400);
      const created = await manager.postMultipart('/sm/management/issues/new', { volume: '75', number: '1', year: '2022', 'title.pl': 'Nowy numer', showVolume: 'on', showNumber: 'on', showYear: 'on', showTitle: 'on' }, { cover: { name: 'cover.png', type: 'image/png', content: PNG } });
      assert.equal(created.statusCode, 303);
      const issueUrl = (created.headers.location as string).replace(/\?.*/, '');
      const issueId = Number(issueUrl.split('/').pop());
      assert.equal((await read({ url: `/sm/issue/view/${issueId}` })).statusCode, 404, 'not public before publishing');
      const section = await t.database.db.selectFrom('sections').select('id').where('journal_id', '=', 1).executeTakeFirstOrThrow();
      const first = await addPublishedArticle(t.database.db, { journalId: 1, sectionId: section.id, issueId, locale: 'pl', title: { pl: 'Pierwszy artykuł' }, datePublished: '2022-03-01', seq: 1 });
      await addPublishedArticle(t.database.db, { journalId: 1, sectionId: section.id, issueId, locale: 'pl', title: { pl: 'Drugi artykuł' }, datePublished: '2022-03-01', seq: 2 });
      await manager.get(issueUrl);
      const published = await manager.post(`${issueUrl}/publish`, { datePublished: '2022-03-01', current: 'on' });
      assert.equal(published.statusCode, 303);
      const home = visibleText((await read({ url: '/sm' })).body);
      assert.match(home, /Tom 75 Nr 1 \(2022\): Nowy numer/);
      assert.ok(home.indexOf('Pierwszy artykuł') < home.indexOf('Drugi artykuł'));
      await manager.get(issueUrl);
      await manager.post(`${issueUrl}/articles/${first.articleId}/move`, { direction: 'down' });
      const reordered = visibleText((await read({ url: `/sm/issue/view/${issueId}` })).body);
      assert.ok(reordered.indexOf('Drugi artykuł') < reordered.indexOf('Pierwszy artykuł'), 'the new order shows on the reader site');
      const issuePage = await read({ url: `/sm/issue/view/${issueId}` });
      assert.match(issuePage.body, new RegExp(`<img class="issue-cover" src="/sm/issue/cover/${issueId}" alt="Okładka: Tom 75 Nr 1 \\(2022\\): Nowy numer"`));
      assert.deepEqual((await read({ url: `/sm/issue/cover/${issueId}` })).rawPayload, PNG);
      await manager.post(`${issueUrl}/unpublish`);
      assert.equal((await read({ url: `/sm/issue/view/${issueId}` })).statusCode, 404);
      assert.equal((await read({ url: `/sm/issue/cover/${issueId}` })).statusCode, 404, 'an unpublished issue shows no cover');
      assert.doesNotMatch(visibleText((await read({ url: '/sm/issue/archive' })).body), /Nowy numer/);
    });

    it('edits a published article as a new version and keeps the old one', async () => {
      await manager.get('/sm/management/articles/1786');
      const response = await manager.post('/sm/management/articles/1786', { 'title.en': 'Russia’s approaches (corrected)', 'keywords.en': 'Russia; Caucasus', sectionId: '1' });
      assert.equal(response.statusCode, 303);
      const page = visibleText((await read({ url: '/sm/article/view/1786?locale=en' })).body);
      assert.match(page, /Russia’s approaches \(corrected\)/);
      assert.match(page, /42\. Zayavleniye/, 'the references came along to the new version');
      const versions = await t.database.db.selectFrom('publications').select(['version', 'status']).where('article_id', '=', 1786).orderBy('version').execute();
      assert.deepEqual(versions.map((v) => v.version), [1, 2]);
      assert.match(visibleText((await manager.get('/sm/management/articles/1786')).body), /Version 1: published, December 27, 2021/);
    });

    it('lets a manager reword a mail template, refusing unknown variables', async () => {
      await manager.get('/sm/management/mail-templates/reset-password/en');
      const bad = await manager.post('/sm/management/mail-templates/reset-password/en', { subject: 'Reset', body: 'Hello {{nmae}}: {{link}}' });
      assert.equal(bad.statusCode, 400);
      assert.match(visibleText(bad.body), /\{\{nmae\}\} is not a variable of this template/);
      await manager.post('/sm/management/mail-templates/reset-password/en', { subject: 'SM: new password', body: 'Hi {{name}}, go to {{link}}' });
      const visitor = new Session(t.app, { 'accept-language': 'en' });
      await visitor.get('/sm/login/lostPassword');
      await visitor.post('/sm/login/lostPassword', { email: 'admin@example.org' });
      const mail = await t.database.db.selectFrom('mail_outbox').selectAll().orderBy('id', 'desc').limit(1).executeTakeFirstOrThrow();
      assert.equal(mail.subject, 'SM: new password');
      assert.match(mail.text_body, /^Hi Administrator, go to http:\/\/localhost:3000\/sm\/login\/resetPassword\?token=/);
      await manager.post('/sm/management/mail-templates/reset-password/en/reset');
      const restored = await manager.get('/sm/management/mail-templates/reset-password/en');
      assert.match(restored.body, /value="Set a new password for \{\{siteName\}\}"/);
    });

    it('refuses to delete a section that has articles', async () => {
      await manager.get('/sm/management/sections');
      const response = await manager.post('/sm/management/sections/1/delete');
      assert.equal(response.statusCode, 409);
      assert.match(visibleText(response.body), /has articles/);
    });
  });
}
