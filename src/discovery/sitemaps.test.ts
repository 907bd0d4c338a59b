import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { sql } from 'kysely';
import { addPublishedArticle, createJournal, createSection } from '../catalog/index.ts';
import { startTestApp, type TestApp } from '../../test/support/app.ts';
import { testDatabases } from '../../test/support/databases.ts';

const SCHEMAS = new URL('../../../shared/schemas/sitemaps/', import.meta.url);
const BASE = 'http://localhost:3000';
const HOSTILE_TITLE = '"<script>alert(1)</script> \u202E \u0007';

/** Runs xmllint on the text (with a schema when given); fails with what xmllint said. */
function xmllint(xml: string, schema?: string): void {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'revista-sitemap-'));
  const file = path.join(dir, 'body.xml');
  fs.writeFileSync(file, xml);
  try {
    execFileSync('xmllint', ['--noout', '--nonet', ...(schema ? ['--schema', new URL(schema, SCHEMAS).pathname] : []), file], { stdio: 'pipe' });
  } catch (error) {
    const stderr = String((error as { stderr?: Buffer }).stderr ?? error);
    assert.fail(`xmllint${schema ? ` --schema ${schema}` : ''} rejected the document:\n${stderr}\n${xml.slice(0, 2000)}`);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

/** The <lastmod> of the <url> (or <sitemap>) whose <loc> is exactly `loc`, or undefined when not listed. */
function lastmodOf(xml: string, loc: string): string | undefined {
  const escaped = loc.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  return new RegExp(`<loc>${escaped}</loc>\\s*<lastmod>([^<]+)</lastmod>`).exec(xml)?.[1];
}

const w3c = (date: Date) => date.toISOString().replace(/\.\d{3}Z$/, 'Z');
const W3C_DATETIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/;

for (const database of await testDatabases()) {
  describe(`sitemaps and robots.txt on ${database.name}`, () => {
    let t: TestApp;
    before(async () => {
      t = await startTestApp(database);
    });
    after(() => t.close());

    /** A crawler's request, after the server has seen every change committed so far. */
    const read = async (url: string, headers: Record<string, string> = {}) => {
      await t.changes.sync();
      return t.app.inject({ url, headers });
    };

    /** The demo article's last change: the article, its version, or its OAI record, whichever is newest. */
    const demoArticleLastmod = async () => {
      const row = await t.database.db
        .selectFrom('articles as a')
        .innerJoin('publications as p', 'p.id', 'a.current_publication_id')
        .leftJoin('oai_records as o', 'o.article_id', 'a.id')
        .select(['a.updated_at as a', 'p.updated_at as p', 'o.datestamp as o'])
        .where('a.id', '=', 1786)
        .executeTakeFirstOrThrow();
      return [row.a, row.p, row.o].filter((d): d is Date => d !== null).reduce((x, y) => (y > x ? y : x));
    };

    it('answers robots.txt with the private areas closed and the sitemap named', async () => {
      const response = await read('/robots.txt');
      assert.equal(response.statusCode, 200);
      assert.equal(response.headers['content-type'], 'text/plain; charset=utf-8');
      const lines = response.body.split('\n');
      for (const line of ['User-agent: *', 'Disallow: /admin/', 'Disallow: /*/management/', 'Disallow: /user/', 'Disallow: /*/user/', `Sitemap: ${BASE}/sitemap.xml`]) {
        assert.ok(lines.includes(line), `robots.txt has "${line}"`);
      }
      const again = await read('/robots.txt', { 'if-none-match': response.headers.etag as string });
      assert.equal(again.statusCode, 304);
      assert.equal(again.body, '');
    });

    it('lists every enabled journal in a valid sitemap index', async () => {
      const response = await read('/sitemap.xml');
      assert.equal(response.statusCode, 200);
      assert.equal(response.headers['content-type'], 'application/xml; charset=utf-8');
      xmllint(response.body, 'siteindex.xsd');
      assert.match(response.body, /<sitemapindex xmlns="http:\/\/www\.sitemaps\.org\/schemas\/sitemap\/0\.9">/);
      const lastmod = lastmodOf(response.body, `${BASE}/sm/sitemap.xml`);
      assert.ok(lastmod, 'the demo journal is listed');
      assert.match(lastmod, W3C_DATETIME);
      assert.ok(lastmod >= w3c(await demoArticleLastmod()), 'the journal sitemap changed no earlier than its newest article');
    });

    it('lists the journal home, archive, issue and article with their last changes in a valid sitemap', async () => {
      const response = await read('/sm/sitemap.xml');
      assert.equal(response.statusCode, 200);
      assert.equal(response.headers['content-type'], 'application/xml; charset=utf-8');
      xmllint(response.body, 'sitemap.xsd');
      const issue = await t.database.db.selectFrom('issues').select(['id', 'updated_at']).where('journal_id', '=', 1).executeTakeFirstOrThrow();
      const article = await demoArticleLastmod();
      assert.equal(lastmodOf(response.body, `${BASE}/sm/article/view/1786`), w3c(article));
      // An issue page changes with the issue and with the articles it lists.
      assert.equal(lastmodOf(response.body, `${BASE}/sm/issue/view/${issue.id}`), w3c(issue.updated_at > article ? issue.updated_at : article));
      assert.match(lastmodOf(response.body, `${BASE}/sm`) ?? '', W3C_DATETIME);
      assert.match(lastmodOf(response.body, `${BASE}/sm/issue/archive`) ?? '', W3C_DATETIME);

      const alias = await read('/sm/sitemap');
      assert.equal(alias.statusCode, 200);
      assert.equal(alias.body, response.body, "OJS's address answers the same sitemap");
      const again = await read('/sm/sitemap.xml', { 'if-none-match': response.headers.etag as string });
      assert.equal(again.statusCode, 304);
      assert.equal((await read('/nosuch/sitemap.xml')).statusCode, 404);
      assert.equal((await read('/sm/sitemap-2.xml')).statusCode, 404, 'one page is enough for the demo journal');
    });

    it('lists galleys, with the file date for stored files, and stays valid with hostile metadata', async () => {
      const section = await t.database.db.selectFrom('sections').select('id').where('journal_id', '=', 1).executeTakeFirstOrThrow();
      const issue = await t.database.db.selectFrom('issues').select('id').where('journal_id', '=', 1).executeTakeFirstOrThrow();
      const { articleId } = await addPublishedArticle(t.database.db, {
        journalId: 1,
        sectionId: section.id,
        issueId: issue.id,
        locale: 'en',
        title: { en: HOSTILE_TITLE },
        datePublished: '2022-01-01',
        galleys: [
          { label: 'PDF', locale: 'en', file: { storageKey: 'aa/bb', mimeType: 'application/pdf', sizeBytes: 10, sha256: '0'.repeat(64), originalName: 'a&b <1>.pdf' } },
          { label: 'HTML', locale: 'en', remoteUrl: 'https://example.org/?a=1&b=<2>' },
        ],
      });
      const galleys = await t.database.db
        .selectFrom('galleys as g')
        .innerJoin('articles as a', 'a.current_publication_id', 'g.publication_id')
        .leftJoin('files as f', 'f.id', 'g.file_id')
        .select(['g.id', 'f.created_at'])
        .where('a.id', '=', articleId)
        .orderBy('g.seq')
        .execute();
      const response = await read('/sm/sitemap.xml');
      xmllint(response.body, 'sitemap.xsd');
      assert.doesNotMatch(response.body, /<script/);
      assert.ok(lastmodOf(response.body, `${BASE}/sm/article/view/${articleId}`));
      assert.equal(lastmodOf(response.body, `${BASE}/sm/article/download/${articleId}/${galleys[0]!.id}`), w3c(galleys[0]!.created_at!));
      assert.equal(lastmodOf(response.body, `${BASE}/sm/article/download/${articleId}/${galleys[1]!.id}`), lastmodOf(response.body, `${BASE}/sm/article/view/${articleId}`));
      // Articles in id order, each followed by its galleys.
      const locs = [...response.body.matchAll(/<loc>([^<]+)<\/loc>/g)].map((m) => m[1]);
      const at = locs.indexOf(`${BASE}/sm/article/view/${articleId}`);
      assert.deepEqual(locs.slice(at + 1, at + 3), galleys.map((g) => `${BASE}/sm/article/download/${articleId}/${g.id}`));
    });

    it('leaves disabled journals out of the index and answers 404 for their sitemap', async () => {
      const journalId = await createJournal(t.database.db, { path: 'acta', name: { en: 'Acta' }, primaryLocale: 'en', supportedLocales: ['en'] });
      const sectionId = await createSection(t.database.db, { journalId, title: { en: 'Articles' } });
      const { articleId } = await addPublishedArticle(t.database.db, { journalId, sectionId, issueId: null, locale: 'en', title: { en: 'Continuous' }, datePublished: '2023-05-05' });
      const index = await read('/sitemap.xml');
      xmllint(index.body, 'siteindex.xsd');
      assert.ok(lastmodOf(index.body, `${BASE}/acta/sitemap.xml`), 'an enabled journal is listed');
      const acta = await read('/acta/sitemap.xml');
      xmllint(acta.body, 'sitemap.xsd');
      assert.ok(lastmodOf(acta.body, `${BASE}/acta/article/view/${articleId}`), 'an article outside any issue is listed');

      await t.database.db.updateTable('journals').set({ enabled: false }).where('id', '=', journalId).execute();
      await t.changes.sync();
      const after = await read('/sitemap.xml');
      xmllint(after.body, 'siteindex.xsd');
      assert.doesNotMatch(after.body, /\/acta\//);
      assert.equal((await read('/acta/sitemap.xml')).statusCode, 404);
      assert.equal((await read('/acta/sitemap')).statusCode, 404);
    });

    it('splits a journal of more than 50,000 URLs into pages listed in the index', async () => {
      const journalId = await createJournal(t.database.db, { path: 'big', name: { en: 'Big' }, primaryLocale: 'en', supportedLocales: ['en'] });
      const sectionId = await createSection(t.database.db, { journalId, title: { en: 'Articles' } });
      const { articleId, publicationId } = await addPublishedArticle(t.database.db, { journalId, sectionId, issueId: null, locale: 'en', title: { en: 'Many galleys' }, datePublished: '2023-01-01' });
      // Home, archive, the article and 50,000 galleys: 50,003 URLs, three of them on a second page.
      // The OAI trigger would refresh the article's record once per galley; once at the end does.
      await t.database.db.transaction().execute(async (tx) => {
        await sql`ALTER TABLE galleys DISABLE TRIGGER galleys_oai`.execute(tx);
        await sql`INSERT INTO galleys (publication_id, label, locale, remote_url, seq)
                  SELECT ${publicationId}, 'PDF', 'en', 'https://example.org/' || n, n FROM generate_series(1, 50000) AS n`.execute(tx);
        await sql`ALTER TABLE galleys ENABLE TRIGGER galleys_oai`.execute(tx);
        await sql`SELECT revista_oai_refresh(${articleId})`.execute(tx);
      });
      const index = await read('/sitemap.xml');
      xmllint(index.body, 'siteindex.xsd');
      assert.ok(lastmodOf(index.body, `${BASE}/big/sitemap.xml`));
      assert.ok(lastmodOf(index.body, `${BASE}/big/sitemap-2.xml`));
      assert.doesNotMatch(index.body, /\/big\/sitemap-3\.xml/);

      const first = await read('/big/sitemap.xml');
      xmllint(first.body, 'sitemap.xsd');
      const second = await read('/big/sitemap-2.xml');
      xmllint(second.body, 'sitemap.xsd');
      const firstLocs = [...first.body.matchAll(/<loc>([^<]+)<\/loc>/g)].map((m) => m[1]!);
      const secondLocs = [...second.body.matchAll(/<loc>([^<]+)<\/loc>/g)].map((m) => m[1]!);
      assert.equal(firstLocs.length, 50_000);
      assert.equal(secondLocs.length, 3);
      assert.equal(new Set([...firstLocs, ...secondLocs]).size, 50_003, 'no URL is listed twice');
      assert.ok(firstLocs.includes(`${BASE}/big/article/view/${articleId}`));
      assert.equal((await read('/big/sitemap-3.xml')).statusCode, 404);
      assert.equal((await read('/big/sitemap-1.xml')).statusCode, 301);
      assert.equal((await read('/big/sitemap-02.xml')).statusCode, 404, 'one address per page');
    });

    it('drops the issue and its articles once the issue is unpublished', async () => {
      const issue = await t.database.db.selectFrom('issues').select('id').where('journal_id', '=', 1).executeTakeFirstOrThrow();
      const before = await read('/sm/sitemap.xml');
      assert.ok(lastmodOf(before.body, `${BASE}/sm/issue/view/${issue.id}`));
      await t.database.db.updateTable('issues').set({ is_published: false }).where('id', '=', issue.id).execute();
      await t.changes.sync();
      const response = await read('/sm/sitemap.xml');
      xmllint(response.body, 'sitemap.xsd');
      assert.doesNotMatch(response.body, /\/sm\/issue\/view\//);
      assert.doesNotMatch(response.body, /\/sm\/article\//, 'every article of the demo journal was in that issue');
      assert.ok(lastmodOf(response.body, `${BASE}/sm`), 'the journal home stays');
      assert.notEqual(response.headers.etag, before.headers.etag);
    });
  });
}
