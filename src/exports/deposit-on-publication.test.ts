import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startTestApp, type TestApp } from '../../test/support/app.ts';
import { testDatabases } from '../../test/support/databases.ts';
import { signedInAs, type Session } from '../../test/support/session.ts';
import { addPublishedArticle, createIssue, createJournal, createSection } from '../catalog/index.ts';
import { listEvents } from '../platform/events/index.ts';
import { runJobsUntilIdle } from '../platform/jobs/index.ts';
import { buildSubscriptions } from '../subscribers.ts';
import { createCrossrefClient } from './crossref-client.ts';
import { DEPOSIT_JOB } from './deposits.ts';

/**
 * Publishing an issue from the management page, through the event it emits, to its Crossref
 * deposits queued by the worker: route → command → IssuePublished → job → subscriber.
 */
for (const database of await testDatabases()) {
  describe(`deposits queued on publication (${database.name})`, () => {
    let t: TestApp;
    let admin: Session;
    // Nothing is sent to Crossref here: the subscriber only queues.
    const subscriptions = buildSubscriptions({ crossref: createCrossrefClient({ baseUrl: 'http://127.0.0.1:9' }), baseUrl: 'http://localhost:3000' });
    const worker = () => runJobsUntilIdle(t.database.db, subscriptions.jobHandlers());

    before(async () => {
      t = await startTestApp(database, { demo: false });
      admin = await signedInAs(t.app, t.database.db, { email: 'admin@example.org', role: 'admin' });
    });
    after(() => t.close());

    /** A journal with a prefix, an unpublished issue and two articles in it (one in another issue's future). */
    async function journalWithIssue(path: string, crossref: boolean) {
      const journalId = await createJournal(t.database.db, { path, name: { en: `Journal ${path}` }, primaryLocale: 'en', supportedLocales: ['en'], contactEmail: 'editor@example.org' });
      await t.database.db
        .updateTable('journals')
        .set({ doi_prefix: '10.99999', ...(crossref ? { crossref_username: 'user', crossref_password: 'secret' } : {}) })
        .where('id', '=', journalId)
        .execute();
      const sectionId = await createSection(t.database.db, { journalId, title: { en: 'Articles' } });
      const issueId = await createIssue(t.database.db, { journalId, volume: 1, number: '1', year: 2026 });
      const later = await createIssue(t.database.db, { journalId, volume: 1, number: '2', year: 2026 });
      const article = (title: string, issue: number) => addPublishedArticle(t.database.db, { journalId, sectionId, issueId: issue, locale: 'en', title: { en: title }, datePublished: '2026-01-10' });
      const articles = [await article('First', issueId), await article('Second', issueId), await article('Not yet', later)];
      return { journalId, issueId, articleIds: articles.map((a) => a.articleId) };
    }

    async function publish(path: string, issueId: number) {
      const url = `/${path}/management/issues/${issueId}`;
      await admin.get(url);
      const response = await admin.post(`${url}/publish`, { datePublished: '2026-01-15', current: 'on' });
      assert.equal(response.statusCode, 303);
    }

    const deposits = (ids: number[]) => t.database.db.selectFrom('crossref_deposits').select(['article_id', 'status', 'doi']).where('article_id', 'in', ids).orderBy('article_id').execute();

    it('queues a deposit for each article of the published issue, with the DOI it got on publication', async () => {
      const { journalId, issueId, articleIds } = await journalWithIssue('deposits', true);
      await worker();
      assert.deepEqual(await deposits(articleIds), [], 'articles in unpublished issues are not deposited');
      await publish('deposits', issueId);
      const events = await listEvents(t.database.db, { type: 'IssuePublished' });
      assert.deepEqual(events.map((e) => e.event), [{ type: 'IssuePublished', journalId, issueId }]);
      await worker();
      const queued = await deposits(articleIds);
      assert.deepEqual(queued.map((d) => [d.article_id, d.status]), [[articleIds[0], 'queued'], [articleIds[1], 'queued']], 'the article of the unpublished issue waits');
      assert.ok(queued.every((d) => d.doi.startsWith('10.99999/')));
      const sends = await t.database.db.selectFrom('jobs').select('payload').where('kind', '=', DEPOSIT_JOB).where('state', '=', 'queued').orderBy('id').execute();
      assert.deepEqual(sends.map((j) => j.payload), articleIds.slice(0, 2).map((articleId) => ({ articleId })), 'one deposit job per article, for the worker to send');
      await worker();
      assert.deepEqual(await deposits(articleIds), queued, 'a second run of the queue queues nothing again');
    });

    it('queues nothing for a journal that does not deposit with Crossref', async () => {
      const { issueId, articleIds } = await journalWithIssue('no-crossref', false);
      await publish('no-crossref', issueId);
      await worker();
      assert.deepEqual(await deposits(articleIds), []);
      const undone = await t.database.db.selectFrom('jobs').select('kind').where('state', '!=', 'done').where('kind', 'like', 'event%').execute();
      assert.deepEqual(undone, [], 'and no delivery is left failing');
    });
  });
}
