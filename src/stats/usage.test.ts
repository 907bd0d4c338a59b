import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startTestApp, visibleText, type TestApp } from '../../test/support/app.ts';
import { testDatabases } from '../../test/support/databases.ts';
import { manualClock, Session } from '../../test/support/session.ts';
import { createUserWithRole } from '../accounts/index.ts';

const BROWSER = 'Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0';

for (const database of await testDatabases()) {
  describe(`usage counting on ${database.name}`, () => {
    let t: TestApp;
    let galleyId = 0;
    const clock = manualClock(new Date('2026-03-10T12:00:00Z'));
    const download = (ip: string, userAgent = BROWSER, headers: Record<string, string> = {}) =>
      t.app.inject({ url: `/sm/article/download/1786/${galleyId}`, remoteAddress: ip, headers: { 'user-agent': userAgent, ...headers } });
    /** Page views are written in the next background batch (about 100 ms); downloads before their answer. */
    const settle = () => new Promise((r) => setTimeout(r, 600));
    const counted = async (kind: 'request' | 'investigation') =>
      Number((await t.database.db.selectFrom('usage_events').select((eb) => eb.fn.countAll<string>().as('n')).where('article_id', '=', 1786).where('kind', '=', kind).where('filter_reason', 'is', null).executeTakeFirstOrThrow()).n);

    before(async () => {
      t = await startTestApp(database, { clock });
      const stored = await t.files.put(Buffer.from('%PDF-1.4\n% demo galley for usage tests\n'));
      const file = await t.database.db.insertInto('files').values({ storage_key: stored.key, mime_type: 'application/pdf', size_bytes: stored.sizeBytes, sha256: stored.sha256, original_name: 'article.pdf' }).returning('id').executeTakeFirstOrThrow();
      const publication = await t.database.db.selectFrom('publications').select('id').where('article_id', '=', 1786).executeTakeFirstOrThrow();
      galleyId = (await t.database.db.insertInto('galleys').values({ publication_id: publication.id, label: 'PDF', locale: 'en', file_id: file.id }).returning('id').executeTakeFirstOrThrow()).id;
      await t.changes.sync();
    });
    after(() => t.close());

    it('shows the placeholder while there are no downloads', async () => {
      const page = await t.app.inject({ url: '/sm/article/view/1786?locale=en', remoteAddress: '192.0.2.200', headers: { 'user-agent': BROWSER } });
      assert.match(visibleText(page.body), /Download statistics Download data is not yet available\./);
      await settle();
      assert.equal(await counted('investigation'), 1, 'the page view is an Investigation');
    });

    it('counts a double click inside 30 s once, and a click after 30 s again', async () => {
      assert.equal((await download('192.0.2.1')).statusCode, 200);
      clock.advance(10_000);
      await download('192.0.2.1');
      assert.equal(await counted('request'), 1, 'two clicks 10 s apart: one request');
      clock.advance(31_000);
      await download('192.0.2.1');
      assert.equal(await counted('request'), 2, 'a click 31 s after the last: counted again');
      await download('192.0.2.2');
      assert.equal(await counted('request'), 3, 'another session counts on its own');
    });

    it('does not count robots, partial (range) requests or HEAD', async () => {
      clock.advance(60_000);
      await download('192.0.2.3', 'Googlebot/2.1 (+http://www.google.com/bot.html)');
      await download('192.0.2.4', BROWSER, { range: 'bytes=0-3' });
      await t.app.inject({ method: 'HEAD', url: `/sm/article/download/1786/${galleyId}`, remoteAddress: '192.0.2.5', headers: { 'user-agent': BROWSER } });
      assert.equal(await counted('request'), 3);
      const robot = await t.database.db.selectFrom('usage_events').select('filter_reason').where('kind', '=', 'request').where('filter_reason', '=', 'robot').execute();
      assert.equal(robot.length, 1, 'the robot download is kept, marked as filtered and why');
    });

    it('records journal home and issue table of contents views, and nothing for pages that do not exist', async () => {
      const kinds = async () => (await t.database.db.selectFrom('usage_events').select('kind').where('kind', 'in', ['home', 'toc']).execute()).map((r) => r.kind).sort();
      const issue = await t.database.db.selectFrom('issues').select('id').executeTakeFirstOrThrow();
      await t.app.inject({ url: '/sm', remoteAddress: '192.0.2.30', headers: { 'user-agent': BROWSER } });
      await t.app.inject({ url: `/sm/issue/view/${issue.id}`, remoteAddress: '192.0.2.30', headers: { 'user-agent': BROWSER } });
      await t.app.inject({ url: '/sm/issue/view/999999', remoteAddress: '192.0.2.30', headers: { 'user-agent': BROWSER } });
      await t.app.inject({ url: '/sm/article/view/999999', remoteAddress: '192.0.2.30', headers: { 'user-agent': BROWSER } });
      await settle();
      assert.deepEqual(await kinds(), ['home', 'toc']);
    });

    it('never stores the address: the session key is a salted hash', async () => {
      const rows = await t.database.db.selectFrom('usage_events').selectAll().execute();
      for (const row of rows) assert.doesNotMatch(JSON.stringify(row), /192\.0\.2\./);
      const keys = new Set(rows.filter((r) => r.kind === 'request').map((r) => r.session_key));
      assert.ok(keys.size >= 3);
    });

    it('counts 1,000 concurrent downloads of distinct sessions exactly', async () => {
      clock.advance(3600_000);
      const before = await counted('request');
      const answers = await Promise.all(Array.from({ length: 1000 }, (_, i) => download(`198.51.${Math.floor(i / 250)}.${i % 250}`)));
      assert.ok(answers.every((a) => a.statusCode === 200));
      assert.equal((await counted('request')) - before, 1000);
    });

    it('draws the monthly downloads chart in place of the placeholder, with a data table', async () => {
      clock.advance(30 * 24 * 3600_000);
      await download('203.0.113.7');
      await new Promise((r) => setTimeout(r, 5100)); // the page keeps counts for up to 5 s
      const page = await t.app.inject({ url: '/sm/article/view/1786?locale=en', remoteAddress: '203.0.113.8', headers: { 'user-agent': BROWSER } });
      const text = visibleText(page.body);
      assert.doesNotMatch(text, /Download data is not yet available/);
      assert.match(page.body, /<svg viewBox="[^"]+" role="img" aria-labelledby="usage-chart-title"/);
      assert.match(text, /Downloads by month, March 2026 – April 2026: 1,004 in all/);
      assert.match(text, /March 2026 1,003/);
      assert.match(text, /April 2026 1/);
      const pl = await t.app.inject({ url: '/sm/article/view/1786?locale=pl', remoteAddress: '203.0.113.9', headers: { 'user-agent': BROWSER } });
      assert.match(visibleText(pl.body), /marzec 2026 1003|marzec 2026 1 003/);
    });

    it('reports the journal’s usage to its editors, with a CSV of COUNTER metrics', async () => {
      await createUserWithRole(t.database.db, { email: 'editor@example.org', password: 'editor password', role: 'editor', journalId: 1, now: new Date() });
      const editor = new Session(t.app, { 'accept-language': 'en' });
      await editor.signIn('editor@example.org', 'editor password');
      const page = await editor.get('/sm/management/stats?from=2026-03&to=2026-04');
      assert.equal(page.statusCode, 200);
      const text = visibleText(page.body);
      assert.match(text, /Downloads COUNTER: Total_Item_Requests 1,004/);
      assert.match(text, /Most downloaded articles Russia’s approaches towards Armenia and Azerbaijan: evolution of the policy or interests come first\?: 1,004 downloads/);
      const csv = await editor.get('/sm/management/stats.csv?from=2026-03&to=2026-04');
      assert.match(csv.headers['content-type'] as string, /^text\/csv/);
      const lines = csv.body.trim().split('\r\n');
      assert.equal(lines[0], 'Article_ID,Title,Issue_ID,Month,Total_Item_Investigations,Unique_Item_Investigations,Total_Item_Requests,Unique_Item_Requests');
      // March, by hand: requests = 2 by session .1 (two clicks 10 s apart count once, then one 41 s later)
      // + 1 by .2 + 1,000 concurrent = 1,003; unique requests: .1's two fall in one hour-session = 1,002;
      // investigations = those 1,003 downloads + 1 page view = 1,004; unique investigations 1,003.
      const issue = await t.database.db.selectFrom('publications').select('issue_id').where('article_id', '=', 1786).executeTakeFirstOrThrow();
      assert.equal(lines[1], `1786,Russia’s approaches towards Armenia and Azerbaijan: evolution of the policy or interests come first?,${issue.issue_id},2026-03,1004,1003,1003,1002`);
      // Per issue: the demo issue holds the only article with usage, so its row is the journal's
      // totals over March and April (1,004 + 3 views, 1,003 + 1 downloads, 1,002 + 1 unique).
      assert.match(text, /By issue Issue Views COUNTER: Total_Item_Investigations Downloads COUNTER: Total_Item_Requests Unique downloads COUNTER: Unique_Item_Requests Vol\. 74 No\. 4 \(2021\): Kaukaz Południowy na rozdrożu 1,007 1,004 1,003/);
      const ofIssue = visibleText((await editor.get(`/sm/management/stats?from=2026-03&to=2026-04&issue=${issue.issue_id}`)).body);
      assert.match(ofIssue, /Usage of the articles of Vol\. 74 No\. 4 \(2021\)/);
      assert.match(ofIssue, /By month Month Views COUNTER: Total_Item_Investigations Downloads COUNTER: Total_Item_Requests Unique downloads COUNTER: Unique_Item_Requests March 2026 1,004 1,003 1,002 April 2026 3 1 1/);
      const ofOtherIssue = visibleText((await editor.get(`/sm/management/stats?from=2026-03&to=2026-04&issue=${issue.issue_id! + 1000}`)).body);
      assert.match(ofOtherIssue, /Downloads COUNTER: Total_Item_Requests 0/);
      const ofArticle = await editor.get('/sm/management/stats?from=2026-03&to=2026-04&article=1786');
      assert.match(visibleText(ofArticle.body), /Usage of the article “Russia’s approaches/);
      assert.match(ofArticle.body, /<a href="\/sm\/management\/stats\.csv\?from=2026-03&amp;to=2026-04&amp;article=1786"/);
      const articleCsv = await editor.get('/sm/management/stats.csv?from=2026-03&to=2026-04&article=1786');
      assert.deepEqual(articleCsv.body.trim().split('\r\n').slice(1).map((line) => line.split(',').at(-5)), ['2026-03', '2026-04']);
      assert.equal((await editor.get('/sm/management/stats?from=2026-13&to=2026-04')).statusCode, 400);
    });

    it('reads a month after the current one as the current one, and refuses year 0, on the page and in the CSV', async () => {
      const editor = new Session(t.app, { 'accept-language': 'en' });
      await editor.signIn('editor@example.org', 'editor password');
      const current = clock.now().toISOString().slice(0, 7);
      for (const query of ['from=9999-12', 'from=9999-12&to=9999-12', `from=${current}&to=9999-12`]) {
        const page = await editor.get(`/sm/management/stats?${query}`);
        assert.equal(page.statusCode, 200, query);
        assert.match(page.body, new RegExp(`name="from"[^>]*value="${current}"`), `${query}: the form shows the range used`);
        const csv = await editor.get(`/sm/management/stats.csv?${query}`);
        assert.equal(csv.statusCode, 200, query);
        assert.match(String(csv.headers['content-disposition']), new RegExp(`sm-usage-${current}-${current}\\.csv`));
      }
      for (const query of ['from=0000-01', 'to=0000-12', 'from=2026-1']) {
        const page = await editor.get(`/sm/management/stats?${query}`);
        assert.equal(page.statusCode, 400, query);
        assert.match(visibleText(page.body), /Give a month as YYYY-MM\./, query);
        assert.equal((await editor.get(`/sm/management/stats.csv?${query}`)).statusCode, 400, query);
      }
    });
  });
}
