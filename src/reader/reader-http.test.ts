import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { addPublishedArticle, createIssue } from '../catalog/index.ts';
import { withoutTrailingSlash } from '../platform/http/index.ts';
import { startTestApp, type TestApp } from '../../test/support/app.ts';
import { testDatabases } from '../../test/support/databases.ts';

for (const database of await testDatabases()) {
  describe(`reader HTTP behaviour on ${database.name}`, () => {
    let t: TestApp;
    before(async () => {
      t = await startTestApp(database);
    });
    after(() => t.close());

    it('answers unknown journals, issues, articles, galleys and garbage ids with a 404 page in the reader language', async () => {
      for (const url of [
        '/nope',
        '/sm/issue/view/999999',
        '/sm/article/view/999999',
        '/sm/article/view/abc',
        '/sm/article/view/1e3',
        '/sm/article/view/99999999999',
        '/sm/article/view/0',
        '/sm/issue/view/-1',
        '/sm/article/download/1786/5',
        '/sm/article/download/x/y',
        '/sm/issue/archive/0',
        '/sm/issue/archive/99',
        '/Bad_Journal',
        '/sm/no/such/route',
      ]) {
        const response = await t.app.inject({ url });
        assert.equal(response.statusCode, 404, url);
        assert.match(response.headers['content-type'] as string, /^text\/html/, url);
        assert.match(response.body, /<h1>Nie znaleziono strony<\/h1>/, url);
        assert.doesNotMatch(response.body, /at .*\.ts|Error|stack/, url);
        assert.match(String(response.headers['content-security-policy']), /frame-ancestors/, url);
      }
      const english = await t.app.inject({ url: '/sm/article/view/999999', headers: { 'accept-language': 'en' } });
      assert.match(english.body, /<html lang="en">[\s\S]*<h1>Page not found<\/h1>/);
    });

    it('redirects OJS /index.php addresses permanently to the same path', async () => {
      const article = await t.app.inject({ url: '/index.php/sm/article/view/1786?locale=en' });
      assert.equal(article.statusCode, 301);
      assert.equal(article.headers.location, '/sm/article/view/1786?locale=en');
      const root = await t.app.inject({ url: '/index.php' });
      assert.equal(root.statusCode, 301);
      assert.equal(root.headers.location, '/');
      const journal = await t.app.inject({ url: '/index.php/sm' });
      assert.equal(journal.headers.location, '/sm');
    });

    it('sends an address with a final slash to the same address without it', async () => {
      for (const [url, location] of [
        ['/sm/', '/sm'],
        ['/sm/issue/current/?locale=en', '/sm/issue/current?locale=en'],
        ['/sm/article/view/1786//', '/sm/article/view/1786'],
      ]) {
        const response = await t.app.inject({ url });
        assert.equal(response.statusCode, 301, url);
        assert.equal(response.headers.location, location, url);
        assert.ok((await t.app.inject({ url: location })).statusCode < 400, location);
      }
      // Not to another host ("//evil.example" is one to a browser), and not for a form sent.
      assert.equal((await t.app.inject({ url: '//evil.example/' })).statusCode, 404);
      // (inject turns a backslash into a slash before the app sees it; a real request keeps it.)
      assert.equal(withoutTrailingSlash({ method: 'GET', url: '/\\evil.example/' }), undefined);
      const posted = await t.app.inject({ method: 'POST', url: '/sm/' });
      assert.ok(posted.statusCode >= 400 && posted.headers.location === undefined, String(posted.statusCode));
      // What is missing without the slash is still missing, one redirect later.
      assert.equal((await t.app.inject({ url: '/sm/no/such/route/' })).headers.location, '/sm/no/such/route');
    });

    it('sends security headers with no inline script allowed', async () => {
      const response = await t.app.inject({ url: '/sm/article/view/1786' });
      const csp = String(response.headers['content-security-policy']);
      assert.match(csp, /script-src 'self'/);
      assert.match(csp, /frame-ancestors 'self'/);
      assert.doesNotMatch(csp, /unsafe-inline|unsafe-eval/);
      assert.equal(response.headers['x-content-type-options'], 'nosniff');
      assert.equal(response.headers['referrer-policy'], 'strict-origin-when-cross-origin');
      assert.doesNotMatch(response.body, /<script>|style="/, 'no inline script or style attribute in the page');
      const stylesheet = /<link rel="stylesheet" href="([^"]+)"/.exec(response.body)![1]!;
      const css = await t.app.inject({ url: stylesheet });
      assert.equal(css.statusCode, 200);
      assert.match(css.headers['content-type'] as string, /^text\/css/);
      assert.match(css.headers['cache-control'] as string, /immutable/);
    });

    it('answers a conditional request for an unchanged page with 304', async () => {
      const first = await t.app.inject({ url: '/sm/article/view/1786' });
      const etag = first.headers.etag as string;
      assert.match(etag, /^"[^"]+"$/);
      assert.match(first.headers['cache-control'] as string, /must-revalidate/);
      const again = await t.app.inject({ url: '/sm/article/view/1786', headers: { 'if-none-match': etag } });
      assert.equal(again.statusCode, 304);
      assert.equal(again.body, '');
      const otherLanguage = await t.app.inject({ url: '/sm/article/view/1786?locale=en', headers: { 'if-none-match': etag } });
      assert.equal(otherLanguage.statusCode, 200, 'the English page is a different representation');
    });

    it('shows a change on the next request although the page was cached', async () => {
      const before = await t.app.inject({ url: '/sm/article/view/1786' });
      const cachedAgain = await t.app.inject({ url: '/sm/article/view/1786' });
      assert.equal(cachedAgain.headers.etag, before.headers.etag);
      await t.database.db
        .updateTable('publications')
        .set({ title: JSON.stringify({ en: 'A changed title' }) })
        .where('article_id', '=', 1786)
        .execute();
      await t.changes.sync();
      const afterChange = await t.app.inject({ url: '/sm/article/view/1786' });
      assert.notEqual(afterChange.headers.etag, before.headers.etag);
      assert.match(afterChange.body, /<h1 lang="en">A changed title<\/h1>/);
      const home = await t.app.inject({ url: '/sm' });
      assert.match(home.body, /A changed title/, 'the issue table of contents on the journal home changed too');
      const stale = await t.app.inject({ url: '/sm/article/view/1786', headers: { 'if-none-match': before.headers.etag as string } });
      assert.equal(stale.statusCode, 200);
    });

    it('escapes hostile text everywhere it appears', async () => {
      const journal = await t.database.db.selectFrom('journals').select('id').where('path', '=', 'sm').executeTakeFirstOrThrow();
      const section = await t.database.db.selectFrom('sections').select('id').where('journal_id', '=', journal.id).executeTakeFirstOrThrow();
      const issueId = await createIssue(t.database.db, { journalId: journal.id, volume: 75, number: '"><script>alert(2)</script>', year: 2022, title: { pl: '<b>issue</b>' }, published: true });
      const { articleId } = await addPublishedArticle(t.database.db, {
        journalId: journal.id,
        sectionId: section.id,
        issueId,
        locale: 'pl',
        title: { pl: '"<script>alert(1)</script>' },
        abstract: { pl: '<img src=x onerror=alert(1)>' },
        datePublished: '2022-01-01',
        contributors: [{ givenName: { pl: '<svg onload=alert(1)>' }, familyName: { pl: "O'Brien" }, affiliation: { pl: '"quoted" & <i>' } }],
        references: ['<a href="javascript:alert(1)">x</a> https://example.org/?a=1&b="2"'],
      });
      await t.changes.sync();
      for (const url of [`/sm/article/view/${articleId}`, `/sm/issue/view/${issueId}`, '/sm/issue/archive']) {
        const response = await t.app.inject({ url });
        assert.equal(response.statusCode, 200, url);
        assert.doesNotMatch(response.body, /<script>alert|<img src=x|<svg onload|<a href="javascript:|<b>issue/, url);
      }
      const page = await t.app.inject({ url: `/sm/article/view/${articleId}` });
      // A title is rich text when it has tags (OJS 3.4 writes <i>, <sup> in titles): the script is markup, gone.
      assert.match(page.body, /<h1[^>]*>&quot;<\/h1>/);
      assert.doesNotMatch(page.body, /<title>[^<]*script/);
      assert.match(page.body, /<a href="https:\/\/example\.org\/\?a=1&amp;b=">https:\/\/example\.org\/\?a=1&amp;b=<\/a>&quot;2&quot;/);
    });

    it('reports health and readiness', async () => {
      const response = await t.app.inject({ url: '/healthz' });
      assert.equal(response.statusCode, 200);
      assert.deepEqual(response.json(), { status: 'ok', database: database.name });
      const ready = await t.app.inject({ url: '/readyz' });
      assert.equal(ready.statusCode, 200);
      assert.deepEqual(ready.json(), { status: 'ok', database: database.name });
    });
  });
}
