import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { addPublishedArticle, createJournal, createSection } from '../catalog/index.ts';
import { startTestApp, type TestApp } from '../../test/support/app.ts';
import { testDatabases } from '../../test/support/databases.ts';

const BASE = 'http://localhost:3000';
const DEMO_TITLE = 'Russia’s approaches towards Armenia and Azerbaijan: evolution of the policy or interests come first?';
const HOSTILE_TITLE = '"<script>alert(1)</script> \u202E \u0007';

/** Runs xmllint on the text (an XPath to evaluate when given); fails with what xmllint said. */
function xmllint(xml: string, xpath?: string): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'revista-feed-'));
  const file = path.join(dir, 'feed.xml');
  fs.writeFileSync(file, xml);
  try {
    // --xpath ends what it prints with a newline of its own.
    return execFileSync('xmllint', ['--nonet', ...(xpath ? ['--xpath', xpath] : ['--noout']), file], { stdio: 'pipe' }).toString().replace(/\n$/, '');
  } catch (error) {
    const stderr = String((error as { stderr?: Buffer }).stderr ?? error);
    assert.fail(`xmllint rejected the feed:\n${stderr}\n${xml.slice(0, 2000)}`);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

/** Titles of the feed's entries (Atom) or items (RSS), in order, as a reader's parser sees them. */
function titles(xml: string, kind: 'entry' | 'item'): string[] {
  const count = Number(xmllint(xml, `count(//*[local-name()="${kind}"])`));
  return Array.from({ length: count }, (_, i) => xmllint(xml, `string((//*[local-name()="${kind}"])[${i + 1}]/*[local-name()="title"])`));
}

for (const database of await testDatabases()) {
  describe(`web feeds on ${database.name}`, () => {
    let t: TestApp;
    let sectionId: number;
    let issueId: number;
    let hostileId: number;
    let richId: number;
    let continuousId: number;

    before(async () => {
      t = await startTestApp(database);
      const db = t.database.db;
      sectionId = (await db.selectFrom('sections').select('id').where('journal_id', '=', 1).executeTakeFirstOrThrow()).id;
      issueId = (await db.selectFrom('issues').select('id').where('journal_id', '=', 1).executeTakeFirstOrThrow()).id;
      ({ articleId: hostileId } = await addPublishedArticle(db, { journalId: 1, sectionId, issueId, locale: 'en', title: { en: HOSTILE_TITLE }, abstract: { en: `<p>${HOSTILE_TITLE}</p>` }, keywords: { en: ['<b>bold</b>'] }, datePublished: '2022-01-01' }));
      ({ articleId: richId } = await addPublishedArticle(db, {
        journalId: 1,
        sectionId,
        issueId,
        locale: 'en',
        title: { en: 'Caucasus after the war' },
        subtitle: { en: 'A survey' },
        abstract: { en: '<p>Plain &amp; <em>simple</em>.</p>' },
        keywords: { en: ['Russia', 'South Caucasus'], pl: ['Rosja'] },
        contributors: [{ givenName: { en: 'Ada' }, familyName: { en: 'Lovelace' } }, { affiliation: { en: 'Some University' } }],
        datePublished: '2022-02-01',
      }));
      ({ articleId: continuousId } = await addPublishedArticle(db, { journalId: 1, sectionId, issueId: null, locale: 'pl', title: { pl: 'Poza numerem' }, datePublished: '2021-06-01' }));
    });
    after(() => t.close());

    /** A reader's request, after the server has seen every change committed so far. */
    const read = async (url: string, headers: Record<string, string> = {}) => {
      await t.changes.sync();
      return t.app.inject({ url, headers });
    };

    it('serves a well-formed Atom feed with the demo article, newest first', async () => {
      const response = await read('/sm/feed/atom');
      assert.equal(response.statusCode, 200);
      assert.equal(response.headers['content-type'], 'application/atom+xml; charset=utf-8');
      xmllint(response.body);
      assert.match(response.body, /<feed xmlns="http:\/\/www\.w3\.org\/2005\/Atom"/);
      assert.match(response.body, /<link rel="self" type="application\/atom\+xml" href="http:\/\/localhost:3000\/sm\/feed\/atom"\/>/);
      // The feed's author stands in for entries whose contributors have no name.
      assert.equal(xmllint(response.body, 'string(/*[local-name()="feed"]/*[local-name()="author"]/*[local-name()="name"])'), 'Sprawy Międzynarodowe');
      assert.deepEqual(titles(response.body, 'entry'), ['Caucasus after the war: A survey', '" \u202E', DEMO_TITLE, 'Poza numerem']);
      const demo = xmllint(response.body, `string(//*[local-name()="entry"][*[local-name()="id"]="${BASE}/sm/article/view/1786"]/*[local-name()="published"])`);
      assert.equal(demo, '2021-12-27T00:00:00Z');
      assert.match(response.body, new RegExp(`<link rel="alternate" type="text/html" href="${BASE}/sm/article/view/1786"/>`));
      assert.match(response.body, /<summary type="text">This paper aims to analyse Russia’s policy/);
    });

    it('gives named authors, keywords as categories and the abstract as plain text', async () => {
      const atom = (await read('/sm/feed/atom')).body;
      const entry = (xpath: string) => xmllint(atom, `//*[local-name()="entry"][*[local-name()="id"]="${BASE}/sm/article/view/${richId}"]/${xpath}`);
      assert.equal(entry('*[local-name()="author"]/*[local-name()="name"]/text()'), 'Ada Lovelace', 'the contributor with only an affiliation is left out');
      assert.equal(entry('*[local-name()="category"]/@term'), ' term="Russia"\n term="South Caucasus"', 'keywords in the article language');
      assert.equal(entry('*[local-name()="summary"]/text()'), 'Plain &amp; simple.');
      assert.match(entry('*[local-name()="updated"]/text()'), /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/);

      const rss = (await read('/sm/feed/rss')).body;
      const item = (xpath: string) => xmllint(rss, `//item[link="${BASE}/sm/article/view/${richId}"]/${xpath}`);
      assert.equal(item('*[local-name()="creator"]/text()'), 'Ada Lovelace');
      assert.equal(item('category/text()'), 'Russia\nSouth Caucasus');
      assert.equal(item('description/text()'), 'Plain &amp; simple.');
      assert.equal(item('pubDate/text()'), 'Tue, 01 Feb 2022 00:00:00 GMT');
    });

    it('serves a well-formed RSS 2.0 feed with the demo article', async () => {
      const response = await read('/sm/feed/rss');
      assert.equal(response.statusCode, 200);
      assert.equal(response.headers['content-type'], 'application/rss+xml; charset=utf-8');
      xmllint(response.body);
      assert.match(response.body, /<rss version="2\.0"/);
      assert.equal(xmllint(response.body, 'string(/rss/channel/title)'), 'Sprawy Międzynarodowe');
      assert.equal(xmllint(response.body, 'string(/rss/channel/link)'), `${BASE}/sm`);
      assert.equal(xmllint(response.body, 'string(/rss/channel/language)'), 'pl');
      assert.ok(xmllint(response.body, 'string(/rss/channel/description)') !== '');
      assert.match(response.body, /<atom:link href="http:\/\/localhost:3000\/sm\/feed\/rss" rel="self" type="application\/rss\+xml"\/>/);
      assert.deepEqual(titles(response.body, 'item'), ['Caucasus after the war: A survey', '" \u202E', DEMO_TITLE, 'Poza numerem']);
      assert.equal(xmllint(response.body, `string(//item[guid="${BASE}/sm/article/view/1786"]/pubDate)`), 'Mon, 27 Dec 2021 00:00:00 GMT');
      assert.equal(xmllint(response.body, `string(//item[guid="${BASE}/sm/article/view/1786"]/link)`), `${BASE}/sm/article/view/1786`);
    });

    it('escapes hostile metadata: no markup gets through and the XML stays well-formed', async () => {
      for (const url of ['/sm/feed/atom', '/sm/feed/rss']) {
        const body = (await read(url)).body;
        xmllint(body);
        assert.doesNotMatch(body, /<script/i, url);
        assert.doesNotMatch(body, /<b>/, url);
        assert.doesNotMatch(body, /\u0007/, url);
        // Titles are rich text (OJS 3.4 writes inline HTML in them): the script is markup, gone.
        assert.doesNotMatch(body, /alert\(1\)/, url);
        assert.ok(body.includes(`${BASE}/sm/article/view/${hostileId}`), url);
      }
    });

    it('answers a repeated request with 304, and an unknown journal with 404', async () => {
      for (const url of ['/sm/feed/atom', '/sm/feed/rss']) {
        const first = await read(url);
        assert.ok(first.headers.etag, url);
        const again = await read(url, { 'if-none-match': first.headers.etag as string });
        assert.equal(again.statusCode, 304, url);
        assert.equal(again.body, '');
      }
      assert.equal((await read('/nosuch/feed/atom')).statusCode, 404);
      assert.equal((await read('/nosuch/feed/rss')).statusCode, 404);
    });

    it("redirects OJS's web feed plugin addresses", async () => {
      for (const [from, to] of [
        ['/sm/gateway/plugin/WebFeedGatewayPlugin/atom', '/sm/feed/atom'],
        ['/sm/gateway/plugin/WebFeedGatewayPlugin/rss2', '/sm/feed/rss'],
        ['/sm/gateway/plugin/WebFeedGatewayPlugin/rss', '/sm/feed/rss'],
      ]) {
        const response = await read(from!);
        assert.equal(response.statusCode, 301, from);
        assert.equal(response.headers.location, to, from);
      }
      assert.equal((await read('/sm/gateway/plugin/WebFeedGatewayPlugin/json')).statusCode, 404);
      assert.equal((await read('/nosuch/gateway/plugin/WebFeedGatewayPlugin/atom')).statusCode, 404);
    });

    it('has no feed for a disabled journal', async () => {
      const journalId = await createJournal(t.database.db, { path: 'acta', name: { en: 'Acta <Testica>' }, primaryLocale: 'en', supportedLocales: ['en'] });
      const section = await createSection(t.database.db, { journalId, title: { en: 'Articles' } });
      await addPublishedArticle(t.database.db, { journalId, sectionId: section, issueId: null, locale: 'en', title: { en: 'In Acta' }, datePublished: '2023-01-01' });
      const atom = await read('/acta/feed/atom');
      assert.equal(atom.statusCode, 200);
      xmllint(atom.body);
      assert.deepEqual(titles(atom.body, 'entry'), ['In Acta']);
      assert.equal(xmllint(atom.body, 'string(/*[local-name()="feed"]/*[local-name()="title"])'), 'Acta <Testica>');
      await t.database.db.updateTable('journals').set({ enabled: false }).where('id', '=', journalId).execute();
      await t.changes.sync();
      assert.equal((await read('/acta/feed/atom')).statusCode, 404);
      assert.equal((await read('/acta/feed/rss')).statusCode, 404);
    });

    it('drops the articles of an unpublished issue from both feeds', async () => {
      await t.database.db.updateTable('issues').set({ is_published: false }).where('id', '=', issueId).execute();
      await t.changes.sync();
      const atom = await read('/sm/feed/atom');
      xmllint(atom.body);
      assert.deepEqual(titles(atom.body, 'entry'), ['Poza numerem'], 'only the article outside any issue is left');
      const rss = await read('/sm/feed/rss');
      xmllint(rss.body);
      assert.deepEqual(titles(rss.body, 'item'), ['Poza numerem']);
      for (const body of [atom.body, rss.body]) {
        for (const id of [1786, hostileId, richId]) assert.ok(!body.includes(`/sm/article/view/${id}<`) && !body.includes(`/sm/article/view/${id}"`), `article ${id} is gone`);
        assert.ok(body.includes(`/sm/article/view/${continuousId}`));
      }
    });

    it('carries the newest 50 articles', async () => {
      for (let n = 1; n <= 51; n++) {
        await addPublishedArticle(t.database.db, { journalId: 1, sectionId, issueId: null, locale: 'pl', title: { pl: `Artykuł ${n}` }, datePublished: `2024-01-${String(Math.ceil(n / 2)).padStart(2, '0')}` });
      }
      const atom = await read('/sm/feed/atom');
      const entries = titles(atom.body, 'entry');
      assert.equal(entries.length, 50);
      assert.equal(entries[0], 'Artykuł 51');
      assert.ok(!entries.includes('Poza numerem'), 'the oldest article fell out');
      assert.equal(titles((await read('/sm/feed/rss')).body, 'item').length, 50);
    });
  });
}
