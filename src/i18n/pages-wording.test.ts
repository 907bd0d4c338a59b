import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { createUserWithRole } from '../accounts/index.ts';
import { startTestApp, visibleText, type TestApp } from '../../test/support/app.ts';
import { testDatabases } from '../../test/support/databases.ts';
import { Session } from '../../test/support/session.ts';

/** Wording readers and the journal team see, in both languages, on the demo journal. */
for (const database of await testDatabases()) {
  describe(`wording of pages on ${database.name}`, () => {
    let t: TestApp;
    let editor: Session;
    before(async () => {
      t = await startTestApp(database);
      await createUserWithRole(t.database.db, { email: 'editor@example.org', password: 'editor password', role: 'editor', journalId: 1, now: new Date() });
      // The demo article's PDF is not in a fresh data folder: a galley on another site stands for it.
      const article = await t.database.db.selectFrom('articles').select('current_publication_id').where('id', '=', 1786).executeTakeFirstOrThrow();
      await t.database.db.insertInto('galleys').values({ publication_id: article.current_publication_id!, label: 'PDF', locale: 'pl', file_id: null, remote_url: 'https://example.org/article.pdf', url_path: null }).execute();
      editor = new Session(t.app);
      await editor.signIn('editor@example.org', 'editor password');
    });
    after(async () => t.close());

    const headings = (html: string) => [...html.matchAll(/<h2[^>]*>([^<]*)<\/h2>/g)].map((m) => m[1]);

    it('names the article page’s galleys and its download statistics differently, and writes both dates alike', async () => {
      const expected = {
        pl: { galleys: 'Pliki do pobrania', usage: 'Statystyki pobrań', dates: /Przesłane: 27 grudnia 2021 Opublikowane: 27 grudnia 2021/ },
        en: { galleys: 'Downloads', usage: 'Download statistics', dates: /Submitted: December 27, 2021 Published: December 27, 2021/ },
      };
      for (const [locale, want] of Object.entries(expected)) {
        const page = await t.app.inject({ method: 'GET', url: `/sm/article/view/1786?locale=${locale}` });
        assert.equal(page.statusCode, 200);
        const h2 = headings(page.body);
        assert.ok(h2.includes(want.galleys) && h2.includes(want.usage), `${locale}: ${h2.join(' | ')}`);
        assert.equal(new Set(h2).size, h2.length, `${locale}: no two headings alike`);
        assert.match(visibleText(page.body), want.dates);
      }
    });

    it('promises nothing on the register page that an account cannot do yet', async () => {
      for (const locale of ['pl', 'en']) {
        const text = visibleText((await t.app.inject({ method: 'GET', url: `/sm/user/register?locale=${locale}` })).body);
        assert.doesNotMatch(text, /submit|zgłasza|recenzow|review|powiadomie|notification/i, locale);
        assert.match(text, locale === 'pl' ? /Konto przechowuje Twój profil/ : /An account keeps your profile/);
      }
      const pl = (await t.app.inject({ method: 'GET', url: '/sm/user/register?locale=pl' })).body;
      assert.match(pl, /<option value="DE">Niemcy<\/option>/);
      assert.equal((pl.match(/>Niemcy</g) ?? []).length, 1, 'Germany once (not again as DD)');
    });

    it('serves Revista’s icon at /favicon.ico, cacheable, and keeps it when unchanged', async () => {
      const icon = await t.app.inject({ method: 'GET', url: '/favicon.ico' });
      assert.equal(icon.statusCode, 200);
      assert.equal(icon.headers['content-type'], 'image/x-icon');
      assert.match(String(icon.headers['cache-control']), /public, max-age=\d+/);
      assert.deepEqual([...icon.rawPayload.subarray(0, 4)], [0, 0, 1, 0], 'an ICO file');
      const again = await t.app.inject({ method: 'GET', url: '/favicon.ico', headers: { 'if-none-match': String(icon.headers.etag) } });
      assert.equal(again.statusCode, 304);
    });

    it('writes the statistics page in Polish: metric labels, the COUNTER name beside them, a Polish month hint', async () => {
      await editor.get('/sm/management/stats?locale=pl');
      const text = visibleText((await editor.get('/sm/management/stats?from=2026-03&to=2026-04')).body);
      assert.match(text, /Pobrania COUNTER: Total_Item_Requests/);
      assert.match(text, /Wyświetlenia COUNTER: Total_Item_Investigations/);
      assert.match(text, /Rok i miesiąc w formacie RRRR-MM, np\. 2026-04\./);
      assert.doesNotMatch(text, /YYYY/);
    });

    it('writes the version list in the page’s language', async () => {
      await editor.get('/sm/management/articles/1786?locale=pl');
      assert.match(visibleText((await editor.get('/sm/management/articles/1786')).body), /Wersja 1: opublikowana, 27 grudnia 2021/);
      await editor.get('/sm/management/articles/1786?locale=en');
      assert.match(visibleText((await editor.get('/sm/management/articles/1786')).body), /Version 1: published, December 27, 2021/);
    });
  });
}
