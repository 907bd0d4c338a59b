import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Kysely } from 'kysely';
import { createAnnouncement } from '../admin/commands/journal-site.ts';
import { addPublishedArticle, createIssue, createJournal, createSection } from '../catalog/index.ts';
import type { Database } from '../db/index.ts';
import { startTestApp, type TestApp } from '../../test/support/app.ts';
import { testDatabases } from '../../test/support/databases.ts';
import { fewestQueries } from '../../test/support/query-count.ts';

/**
 * A reader's page loads with a fixed number of queries, whatever the number of its articles, authors,
 * galleys, issues or references (issue 22): the same page is counted for a small journal and a large
 * one. Rendered uncached (`pageCache: false`), so the count is the render's, not the cache's.
 */

interface SeededJournal {
  path: string;
  currentIssueId: number;
}

/**
 * A journal with `issues` published issues, the newest current and holding `articles` articles
 * spread over three sections (three authors and two galleys each, a stored PDF and a remote HTML
 * copy), and `announcements` announcements.
 */
async function seedJournal(db: Kysely<Database>, path: string, size: { issues: number; articles: number; announcements: number }): Promise<SeededJournal> {
  const journalId = await createJournal(db, { path, name: { en: `Journal ${path}`, pl: `Czasopismo ${path}` }, primaryLocale: 'en', supportedLocales: ['en', 'pl'] });
  const sections: number[] = [];
  for (const [seq, title] of ['Articles', 'Essays', 'Reviews'].entries()) sections.push(await createSection(db, { journalId, title: { en: title }, seq }));
  let currentIssueId = 0;
  for (let n = 1; n <= size.issues; n++) {
    const newest = n === size.issues;
    const id = await createIssue(db, { journalId, volume: n, number: '1', year: 1980 + n, title: { en: `Issue ${n}` }, datePublished: `${1980 + n}-06-01`, published: true, current: newest });
    if (newest) currentIssueId = id;
  }
  for (let i = 0; i < size.articles; i++) {
    await addPublishedArticle(db, {
      journalId,
      sectionId: sections[i % sections.length]!,
      issueId: currentIssueId,
      locale: 'en',
      title: { en: `Article ${i + 1} of ${path}`, pl: `Artykuł ${i + 1}` },
      pages: `${i * 10 + 1}-${i * 10 + 10}`,
      datePublished: '2020-06-01',
      seq: i,
      contributors: Array.from({ length: 3 }, (_, k) => ({ givenName: { en: `Given${k}` }, familyName: { en: `Author${i}-${k}` }, affiliation: { en: 'University of Łódź' } })),
      galleys: [
        { label: 'PDF', locale: 'en', file: { storageKey: `qc-${path}-${i}`, mimeType: 'application/pdf', sizeBytes: 1000 + i, sha256: '0'.repeat(64), originalName: `article-${i}.pdf` } },
        { label: 'HTML', locale: 'en', remoteUrl: `https://example.org/${path}/${i}.html` },
      ],
    });
  }
  for (let i = 0; i < size.announcements; i++) {
    await createAnnouncement(db, journalId, { title: { en: `News ${i + 1}` }, summary: { en: `<p>Summary ${i + 1}.</p>` }, body: { en: '<p>Body.</p>' }, expiresOn: null });
  }
  return { path, currentIssueId };
}

const matches = (html: string, pattern: RegExp) => html.match(pattern)?.length ?? 0;

for (const database of await testDatabases()) {
  describe(`query counts of the reader's pages on ${database.name}`, () => {
    let t: TestApp;
    let small: SeededJournal;
    let large: SeededJournal;
    before(async () => {
      t = await startTestApp(database, { pageCache: false, countQueries: true });
      small = await seedJournal(t.database.db, 'small', { issues: 2, articles: 2, announcements: 1 });
      large = await seedJournal(t.database.db, 'large', { issues: 40, articles: 60, announcements: 5 });
      await t.changes.sync();
    });
    after(() => t.close());

    /** The fewest queries of the page at `url` (a reader without a session), and its last body. */
    async function pageQueries(url: string): Promise<{ queries: number; body: string }> {
      let body = '';
      const queries = await fewestQueries(async () => {
        const response = await t.app.inject({ url });
        assert.equal(response.statusCode, 200, url);
        body = response.body;
      });
      return { queries, body };
    }

    it('the issue’s table of contents: the same for 2 articles as for 60, with their authors and galleys', async () => {
      const few = await pageQueries(`/small/issue/view/${small.currentIssueId}`);
      const many = await pageQueries(`/large/issue/view/${large.currentIssueId}`);
      assert.equal(matches(many.body, /href="\/large\/article\/view\/\d+"/g), 60);
      assert.equal(matches(many.body, /Author59-2/g), 1);
      assert.equal(many.queries, few.queries);
      // The issue, its articles, their contributors, their galleys, the issue's own galleys.
      assert.ok(few.queries <= 5, `the issue page ran ${few.queries} queries`);
    });

    it('the archive: the same for 2 issues as for 40, on its first page and a later one', async () => {
      const few = await pageQueries('/small/issue/archive');
      const many = await pageQueries('/large/issue/archive');
      const later = await pageQueries('/large/issue/archive/3');
      assert.equal(matches(many.body, /class="issue-list__title"/g), 10);
      assert.match(later.body, /Issue 20</);
      assert.equal(many.queries, few.queries);
      assert.equal(later.queries, few.queries);
      // A page of issues and their number.
      assert.ok(few.queries <= 2, `the archive ran ${few.queries} queries`);
    });

    it('the journal home: the same for a current issue of 2 articles as for one of 60, with announcements', async () => {
      const few = await pageQueries('/small');
      const many = await pageQueries('/large');
      assert.equal(matches(many.body, /href="\/large\/article\/view\/\d+"/g), 60);
      assert.match(many.body, /News 5/);
      assert.equal(many.queries, few.queries);
      // The current issue, the issue page's four, the announcements.
      assert.ok(few.queries <= 6, `the journal home ran ${few.queries} queries`);
    });

    it('the article page: the same for 1 reference and 1 author as for 200 references and 5 authors', async () => {
      const db = t.database.db;
      const journalId = (await db.selectFrom('journals').select('id').where('path', '=', 'sm').executeTakeFirstOrThrow()).id;
      const sectionId = (await db.selectFrom('sections').select('id').where('journal_id', '=', journalId).orderBy('id').executeTakeFirstOrThrow()).id;
      const few = await addPublishedArticle(db, { journalId, sectionId, issueId: null, locale: 'pl', title: { pl: 'Mały' }, datePublished: '2022-01-01', references: ['Jedna pozycja.'], contributors: [{ familyName: { pl: 'Kowalski' } }] });
      const many = await addPublishedArticle(db, {
        journalId,
        sectionId,
        issueId: null,
        locale: 'pl',
        title: { pl: 'Duży' },
        datePublished: '2022-01-01',
        references: Array.from({ length: 200 }, (_, i) => `Pozycja ${i + 1}.`),
        contributors: Array.from({ length: 5 }, (_, i) => ({ familyName: { pl: `Autor ${i + 1}` } })),
      });
      await t.changes.sync();
      const fewCount = await pageQueries(`/sm/article/view/${few.articleId}`);
      const manyCount = await pageQueries(`/sm/article/view/${many.articleId}`);
      assert.equal(matches(manyCount.body, /<li id="reference-/g), 200);
      assert.equal(manyCount.queries, fewCount.queries);
      // The page's own reads (article, contributors, references, galleys, versions, similar articles);
      // the view itself is written after the page is sent and not counted.
      assert.ok(fewCount.queries <= 6, `the article page ran ${fewCount.queries} queries`);
    });
  });
}
