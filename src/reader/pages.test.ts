import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { addPublishedArticle, createIssue, createSection } from '../catalog/index.ts';
import { startTestApp, visibleText, type TestApp } from '../../test/support/app.ts';
import { testDatabases } from '../../test/support/databases.ts';

for (const database of await testDatabases()) {
  describe(`reader pages on ${database.name}`, () => {
    let t: TestApp;
    let journalId: number;
    let sectionId: number;
    let currentIssueId: number;
    before(async () => {
      t = await startTestApp(database);
      journalId = (await t.database.db.selectFrom('journals').select('id').where('path', '=', 'sm').executeTakeFirstOrThrow()).id;
      sectionId = (await t.database.db.selectFrom('sections').select('id').executeTakeFirstOrThrow()).id;
      currentIssueId = (await t.database.db.selectFrom('issues').select('id').where('is_current', '=', true).executeTakeFirstOrThrow()).id;
    });
    after(() => t.close());

    it('lists the journals on the site index', async () => {
      const response = await t.app.inject({ url: '/' });
      assert.equal(response.statusCode, 200);
      assert.match(response.body, /<a href="\/sm">Sprawy Międzynarodowe<\/a>/);
      assert.match(response.body, /<a href="\/sm\/issue\/current">Bieżący numer czasopisma Sprawy Międzynarodowe<\/a>/);
    });

    it('shows the current issue’s table of contents on the journal home', async () => {
      const response = await t.app.inject({ url: '/sm' });
      const text = visibleText(response.body);
      assert.ok(text.includes('Bieżący numer Tom 74 Nr 4 (2021): Kaukaz Południowy na rozdrożu Świat zewnętrzny a państwa Kaukazu Południowego Russia’s approaches'));
      assert.match(response.body, /<a href="\/sm\/article\/view\/1786" lang="en">Russia’s approaches/);
      const current = await t.app.inject({ url: '/sm/issue/current' });
      assert.equal(current.statusCode, 302);
      assert.equal(current.headers.location, `/sm/issue/view/${currentIssueId}`);
    });

    it('groups an issue’s articles by section in section order, with their authors and pages', async () => {
      const first = await createSection(t.database.db, { journalId, title: { pl: 'Artykuły', en: 'Articles' }, seq: -1 });
      await addPublishedArticle(t.database.db, {
        journalId,
        sectionId: first,
        issueId: currentIssueId,
        locale: 'pl',
        title: { pl: 'Polityka Unii', en: 'Union policy' },
        pages: '11-30',
        datePublished: '2021-12-27',
        contributors: [
          { givenName: { pl: 'Anna' }, familyName: { pl: 'Nowak' } },
          { givenName: { en: 'John' }, familyName: { en: 'Smith' } },
        ],
      });
      await t.changes.sync();
      const response = await t.app.inject({ url: `/sm/issue/view/${currentIssueId}?locale=en` });
      const text = visibleText(response.body);
      assert.match(response.body, /<h1>Vol\. 74 No\. 4 \(2021\): <span lang="pl">Kaukaz Południowy na rozdrożu<\/span><\/h1>/);
      const articles = text.indexOf('Articles Union policy Anna Nowak, John Smith pp. 11-30');
      const world = text.indexOf('Świat zewnętrzny a państwa Kaukazu Południowego Russia’s approaches');
      assert.ok(articles > 0 && world > articles, text);
    });

    it('pages the archive, newest first, ten issues a page', async () => {
      for (let year = 2000; year < 2025; year++) {
        await createIssue(t.database.db, { journalId, volume: year - 1947, number: '1', year, datePublished: `${year}-06-01`, published: true });
      }
      await t.changes.sync();
      const first = await t.app.inject({ url: '/sm/issue/archive' });
      assert.equal(first.statusCode, 200);
      const firstIssues = [...first.body.matchAll(/class="issue-list__title"[^>]*>([^<]+)</g)].map((m) => m[1]);
      assert.equal(firstIssues.length, 10);
      assert.equal(firstIssues[0], 'Tom 77 Nr 1 (2024)');
      assert.match(first.body, /<a href="\/sm\/issue\/archive\/2" rel="next">Następna strona<\/a>/);
      assert.doesNotMatch(first.body, /rel="prev"/);
      assert.ok(visibleText(first.body).includes('Strona 1 z 3'));
      const third = await t.app.inject({ url: '/sm/issue/archive/3' });
      const thirdIssues = [...third.body.matchAll(/class="issue-list__title"[^>]*>([^<]+)</g)].map((m) => m[1]);
      assert.equal(thirdIssues.length, 6, '26 issues: 10 + 10 + 6');
      assert.match(third.body, /<a href="\/sm\/issue\/archive\/2" rel="prev">/);
      assert.equal((await t.app.inject({ url: '/sm/issue/archive/4' })).statusCode, 404);
    });

    it('hides unpublished issues and articles from every page', async () => {
      const draftIssue = await createIssue(t.database.db, { journalId, volume: 99, number: '9', year: 2099, published: false });
      const { articleId: inDraftIssue } = await addPublishedArticle(t.database.db, { journalId, sectionId, issueId: draftIssue, locale: 'pl', title: { pl: 'W nieopublikowanym numerze' }, datePublished: '2099-01-01' });
      const { articleId: queued, publicationId } = await addPublishedArticle(t.database.db, { journalId, sectionId, issueId: currentIssueId, locale: 'pl', title: { pl: 'Jeszcze nie opublikowany' }, datePublished: '2021-12-27' });
      await t.database.db.updateTable('publications').set({ status: 'queued' }).where('id', '=', publicationId).execute();
      await t.changes.sync();
      assert.equal((await t.app.inject({ url: `/sm/issue/view/${draftIssue}` })).statusCode, 404);
      assert.equal((await t.app.inject({ url: `/sm/article/view/${inDraftIssue}` })).statusCode, 404);
      assert.equal((await t.app.inject({ url: `/sm/article/view/${queued}` })).statusCode, 404);
      const archive = await t.app.inject({ url: '/sm/issue/archive' });
      assert.doesNotMatch(archive.body, /Tom 99/);
      const issue = await t.app.inject({ url: `/sm/issue/view/${currentIssueId}` });
      assert.doesNotMatch(issue.body, /Jeszcze nie opublikowany/);
    });
  });
}
