import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { addGalley, createIssue } from '../../../catalog/index.ts';
import { assertAllExercised, assertProblem, startApiTestApp, type ApiTestApp } from '../../../../test/support/api.ts';
import { testDatabases } from '../../../../test/support/databases.ts';
import { acceptArticles, submittedThroughApi } from '../../../../test/support/review-api.ts';

const PUBLICATION = '/{journal}/api/v1/submissions/{submissionId}/publications/{publicationId}';
const sm = { journal: 'sm' };

interface State {
  id: number;
  status: string;
  submissionStatus: string;
  issueId: number | null;
  datePublished: string | null;
  schedule: { mode: string; issueId: number | null; publishAt: string | null } | null;
}

/** Scheduling and publishing through the API alone, with its refusals and who may do it. */
for (const database of await testDatabases()) {
  describe(`API publishing on ${database.name}`, () => {
    let t: ApiTestApp;
    let author: string;
    let editor: string;
    let stranger: string;
    let submissionId: number;
    let publicationId: number;
    let future: number;
    let params: Record<string, string | number>;

    before(async () => {
      t = await startApiTestApp(database);
      await acceptArticles(t);
      author = await t.tokenFor('author');
      editor = await t.tokenFor('editor');
      stranger = await t.tokenFor('author');
      ({ submissionId } = await submittedThroughApi(t, author, 'Engines published'));
      const accepted = await t.call('POST', '/{journal}/api/v1/submissions/{submissionId}/decisions', { ...sm, submissionId }, { token: editor, body: { decision: 'accept' } });
      assert.equal(accepted.statusCode, 201, accepted.body);
      publicationId = (await t.database.db.selectFrom('articles').select('current_publication_id').where('id', '=', submissionId).executeTakeFirstOrThrow()).current_publication_id!;
      params = { ...sm, submissionId, publicationId };
      future = await createIssue(t.database.db, { journalId: 1, volume: 90, number: '1', year: 2031 });
    });
    after(async () => {
      // The app is closed even when an operation was never called, so a failure ends the file instead of holding it open.
      try {
        assertAllExercised(t, 'publishing');
      } finally {
        await t.close();
      }
    });

    it('tells what is missing, and refuses to publish while a galley is', async () => {
      const readiness = await t.call<{ ready: boolean; blocking: Array<{ item: string; url: string }>; warnings: Array<{ item: string }> }>('GET', `${PUBLICATION}/readiness`, params, { token: editor });
      assert.equal(readiness.statusCode, 200, readiness.body);
      assert.equal(readiness.data.ready, false);
      assert.deepEqual(readiness.data.blocking, [{ item: 'galley', url: `http://localhost:3000/sm/management/articles/${submissionId}` }]);
      assert.ok(readiness.data.warnings.some((w) => w.item === 'pages'));
      const refused = assertProblem(await t.call('PUT', `${PUBLICATION}/publish`, params, { token: editor, body: {} }), 409);
      assert.equal(refused.code, 'not-ready');
      assert.deepEqual(refused.blocking, ['galley']);
    });

    it('refuses the author (403), someone who may not read the submission (404), no token (401) and another version (404)', async () => {
      assertProblem(await t.call('GET', `${PUBLICATION}/readiness`, params, { token: author }), 403);
      assertProblem(await t.call('PUT', `${PUBLICATION}/publish`, params, { token: author, body: {} }), 403);
      assertProblem(await t.call('GET', `${PUBLICATION}/readiness`, params, { token: stranger }), 404);
      assertProblem(await t.call('PUT', `${PUBLICATION}/schedule`, params, { body: { mode: 'online-first' } }), 401);
      assertProblem(await t.call('PUT', `${PUBLICATION}/unschedule`, { ...params, publicationId: publicationId + 1000 }, { token: editor }), 404);
    });

    it('schedules into a future issue, unschedules, refuses a past moment, publishes, unpublishes', async () => {
      await addGalley(t.database.db, submissionId, { label: 'PDF', locale: 'en', remoteUrl: 'https://example.org/engine.pdf' }, null);
      const scheduled = await t.call<State>('PUT', `${PUBLICATION}/schedule`, params, { token: editor, body: { mode: 'issue', issueId: future } });
      assert.equal(scheduled.statusCode, 200, scheduled.body);
      assert.deepEqual([scheduled.data.status, scheduled.data.submissionStatus, scheduled.data.issueId, scheduled.data.schedule?.mode], ['scheduled', 'scheduled', future, 'issue']);
      const back = await t.call<State>('PUT', `${PUBLICATION}/unschedule`, params, { token: editor });
      assert.deepEqual([back.data.status, back.data.submissionStatus, back.data.schedule], ['queued', 'active', null]);
      assert.equal(assertProblem(await t.call('PUT', `${PUBLICATION}/unschedule`, params, { token: editor }), 409).code, 'not-scheduled');
      assert.equal(assertProblem(await t.call('PUT', `${PUBLICATION}/schedule`, params, { token: editor, body: { mode: 'at', publishAt: '2020-01-01T10:00:00Z' } }), 422).code, 'date-invalid');
      assert.equal(assertProblem(await t.call('PUT', `${PUBLICATION}/schedule`, params, { token: editor, body: { mode: 'issue', issueId: 999999 } }), 422).code, 'issue-unknown');
      const published = await t.call<State>('PUT', `${PUBLICATION}/publish`, params, { token: editor, body: { datePublished: '2026-12-01' } });
      assert.equal(published.statusCode, 200, published.body);
      assert.deepEqual([published.data.status, published.data.submissionStatus, published.data.datePublished, published.data.issueId], ['published', 'published', '2026-12-01', null]);
      assert.equal((await t.app.inject({ url: `/sm/article/view/${submissionId}` })).statusCode, 200);
      assert.equal(assertProblem(await t.call('PUT', `${PUBLICATION}/publish`, params, { token: editor, body: {} }), 409).code, 'already-published');
      const unpublished = await t.call<State>('PUT', `${PUBLICATION}/unpublish`, params, { token: editor, body: { reason: 'Wrong figure' } });
      assert.deepEqual([unpublished.data.status, unpublished.data.submissionStatus], ['queued', 'active']);
      assert.equal((await t.app.inject({ url: `/sm/article/view/${submissionId}` })).statusCode, 404);
      assert.equal(assertProblem(await t.call('PUT', `${PUBLICATION}/unpublish`, params, { token: editor, body: {} }), 409).code, 'not-published');
    });
  });
}
