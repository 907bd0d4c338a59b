import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { createUserWithRole } from '../accounts/index.ts';
import { createJournal } from '../catalog/index.ts';
import { startTestApp, visibleText, type TestApp } from '../../test/support/app.ts';
import { testDatabases } from '../../test/support/databases.ts';
import { Session, signedInAs } from '../../test/support/session.ts';

const link = (html: string, pattern: RegExp) => [...html.matchAll(/<link rel="stylesheet" href="([^"]+)"/g)].map((m) => m[1]!).find((href) => pattern.test(href));
const currentItems = (html: string) => [...html.matchAll(/<nav class="app-sidebar"[\s\S]*?<\/nav>/g)].flatMap((nav) => [...nav[0].matchAll(/<a href="([^"]+)" aria-current="(page|true)"/g)].map((m) => `${m[1]} ${m[2]}`));

/**
 * The management application's frame and start pages: its own stylesheet and never the journal's
 * theme, the sidebar marking where a page belongs, the overview's counts and first steps, and the
 * statistics chart. Screens themselves are looked at in test/e2e/screenshots.test.ts.
 */
for (const database of await testDatabases()) {
  describe(`the management application on ${database.name}`, () => {
    let t: TestApp;
    let manager: Session;
    let admin: Session;

    before(async () => {
      t = await startTestApp(database, { pageCache: false });
      manager = await signedInAs(t.app, t.database.db, { email: 'manager@example.org', role: 'manager', journalId: 1 });
      admin = await signedInAs(t.app, t.database.db, { email: 'admin@example.org', role: 'admin' });
    });
    after(() => t.close());

    it('dresses management in its own stylesheet, never in the journal’s theme, even with custom CSS', async () => {
      await t.database.db.updateTable('journals').set({ custom_css: '.site-footer { border-top: 4px solid #123456 }' }).where('path', '=', 'sm').execute();
      await t.changes.sync();
      const reader = (await manager.get('/sm')).body;
      assert.ok(link(reader, /\/sm\/theme\.css/), 'the reader site wears the theme');
      assert.equal(link(reader, /manage\./), undefined, 'the reader site does not load the management stylesheet');
      for (const url of ['/sm/management', '/sm/management/appearance', '/sm/management/stats', '/admin']) {
        const page = await (url.startsWith('/admin') ? admin : manager).get(url);
        assert.equal(page.statusCode, 200, url);
        assert.equal(link(page.body, /theme\.css/), undefined, `${url} loads the journal's CSS`);
        const manageCss = link(page.body, /^\/assets\/manage\.[0-9a-f]{12}\.css$/);
        assert.ok(manageCss, `${url} loads the management stylesheet`);
        const script = /<script src="(\/assets\/confirm-dialog\.[0-9a-f]{12}\.js)" defer>/.exec(page.body)?.[1];
        assert.ok(script, `${url} loads the confirmation dialog`);
        for (const asset of [manageCss, script]) {
          const served = await t.app.inject({ url: asset });
          assert.equal(served.statusCode, 200, asset);
          assert.match(served.headers['cache-control'] as string, /immutable/);
        }
      }
      // The page's own policy lets the script run: scripts from the site itself.
      const csp = (await manager.get('/sm/management')).headers['content-security-policy'] as string;
      assert.match(csp, /script-src 'self'/);
    });

    it('marks in the sidebar the area a page belongs to', async () => {
      assert.deepEqual(currentItems((await manager.get('/sm/management')).body), ['/sm/management page']);
      assert.deepEqual(currentItems((await manager.get('/sm/management/issues')).body), ['/sm/management/issues page']);
      const issue = await t.database.db.selectFrom('issues').select('id').where('journal_id', '=', 1).executeTakeFirstOrThrow();
      assert.deepEqual(currentItems((await manager.get(`/sm/management/issues/${issue.id}`)).body), ['/sm/management/issues true']);
      assert.deepEqual(currentItems((await admin.get('/admin/journals/1')).body), ['/admin/journals true']);
    });

    it('counts the journal’s content and people on the overview, each card opening its area', async () => {
      const page = await manager.get('/sm/management');
      const text = visibleText(page.body);
      assert.match(text, /Articles 1 1 published, 0 waiting for publication/);
      assert.match(text, /Issues 1 0 future, 1 published/);
      assert.match(text, /People 1 With a role in the journal/);
      for (const area of ['articles', 'issues', 'sections', 'users']) assert.match(page.body, new RegExp(`<p class="card__title"><a href="/sm/management/${area}">`), area);
      assert.doesNotMatch(text, /Create the first issue/);
    });

    it('tells a new journal’s manager to create the first issue and section', async () => {
      const journalId = await createJournal(t.database.db, { path: 'fresh', name: { en: 'Fresh Journal' }, primaryLocale: 'en', supportedLocales: ['en', 'pl'] });
      await createUserWithRole(t.database.db, { email: 'fresh@example.org', password: 'a long enough password', role: 'manager', journalId, now: new Date() });
      const fresh = new Session(t.app, { 'accept-language': 'en' });
      await fresh.signIn('fresh@example.org', 'a long enough password');
      const page = await fresh.get('/fresh/management');
      assert.equal(page.statusCode, 200);
      assert.match(page.body, /<a class="button button--primary" href="\/fresh\/management\/issues\/new">Create the first issue<\/a>/);
      assert.match(page.body, /href="\/fresh\/management\/sections\/new">Create the first section</);
      assert.match(visibleText(page.body), /Issues 0 No issues yet\./);
      const polish = await fresh.get('/fresh/management?locale=pl');
      assert.match(visibleText(polish.body), /Utwórz pierwszy numer/);
    });

    it('shows a section editor the articles of their sections, not an empty page', async () => {
      const section = await t.database.db.selectFrom('sections').select('id').where('journal_id', '=', 1).executeTakeFirstOrThrow();
      const { userId } = await createUserWithRole(t.database.db, { email: 'section@example.org', password: 'a long enough password', role: 'section-editor', journalId: 1, now: new Date() });
      await t.database.db.insertInto('section_editor_sections').values({ user_id: userId, section_id: section.id }).execute();
      const editor = new Session(t.app, { 'accept-language': 'en' });
      await editor.signIn('section@example.org', 'a long enough password');
      const page = await editor.get('/sm/management');
      assert.equal(page.statusCode, 200);
      const text = visibleText(page.body);
      assert.match(text, /Articles 1 In the sections you edit/);
      assert.doesNotMatch(text, /Issues \d/, 'no card for what they may not open');
      assert.doesNotMatch(page.body, /href="\/sm\/management\/settings"/, 'no menu item for what they may not open');
    });

    it('draws the usage per month as a chart, months named in the page’s language, beside a table', async () => {
      await t.database.db
        .insertInto('usage_item_months')
        .values([
          { article_id: 1786, journal_id: 1, month: '2026-01-01', investigations: 12, unique_investigations: 10, requests: 7, unique_requests: 5 },
          { article_id: 1786, journal_id: 1, month: '2026-03-01', investigations: 20, unique_investigations: 15, requests: 9, unique_requests: 8 },
        ])
        .execute();
      const page = await manager.get('/sm/management/stats?from=2026-01&to=2026-03');
      assert.equal(page.statusCode, 200);
      assert.match(page.body, /<svg viewBox="[^"]+" role="img" aria-labelledby="stats-chart-title"/);
      assert.match(page.body, /<title id="stats-chart-title">Downloads by month, January 2026 – March 2026: 16 in all<\/title>/);
      // February had no usage: a bar of zero, so the months on the axis are the months of the range.
      assert.equal([...page.body.matchAll(/class="usage-chart__bar"/g)].length, 3);
      assert.match(page.body, /<th scope="row">March 2026<\/th>/);
      const polish = await manager.get('/sm/management/stats?from=2026-01&to=2026-03&locale=pl');
      assert.match(polish.body, /<th scope="row">styczeń 2026<\/th>/);
      const none = await manager.get('/sm/management/stats?from=2025-01&to=2025-06&locale=en');
      assert.match(visibleText(none.body), /No usage was recorded in this period\./);
      assert.doesNotMatch(none.body, /stats-chart-title/);
    });

    it('counts journals, people and mail on the site administration overview', async () => {
      const page = await admin.get('/admin');
      assert.equal(page.statusCode, 200);
      assert.match(page.body, /<p class="card__title"><a href="\/admin\/journals">Journals<\/a><\/p>/);
      assert.match(page.body, /<p class="card__title"><a href="\/admin\/users">Users<\/a><\/p>/);
    });
  });
}
