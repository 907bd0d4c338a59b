import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { createUserWithRole } from '../../../accounts/index.ts';
import { addPublishedArticle, createIssue, createJournal } from '../../../catalog/index.ts';
import type { Static } from '../../../platform/http/index.ts';
import { assertAllExercised, assertProblem, startApiTestApp, type ApiTestApp } from '../../../../test/support/api.ts';
import { testDatabases } from '../../../../test/support/databases.ts';
import { Session } from '../../../../test/support/session.ts';
import { createApiToken, revokeApiToken } from '../../tokens.ts';
import type { Paged } from '../common.ts';
import type { Issue } from './schema.ts';

type IssueList = Static<ReturnType<typeof Paged<typeof Issue>>>;
type IssueData = Static<typeof Issue>;

const ISSUES = '/{journal}/api/v1/issues';
const ISSUE = '/{journal}/api/v1/issues/{issueId}';
const PUBLISH = '/{journal}/api/v1/issues/{issueId}/publish';
const UNPUBLISH = '/{journal}/api/v1/issues/{issueId}/unpublish';

/** Issues through the API: what readers and editors see, and publishing as the management page does it. */
for (const database of await testDatabases()) {
  describe(`API issues on ${database.name}`, () => {
    let t: ApiTestApp;
    let editor: string;
    const sm = { journal: 'sm' };
    let unpublished: number;
    let article: number;
    let other: number;

    before(async () => {
      t = await startApiTestApp(database);
      const db = t.database.db;
      await db.updateTable('journals').set({ doi_prefix: '10.99999' }).where('id', '=', 1).execute();
      unpublished = await createIssue(db, { journalId: 1, volume: 75, number: '1', year: 2022, title: { en: 'Forthcoming' } });
      ({ articleId: article } = await addPublishedArticle(db, { journalId: 1, sectionId: 1, issueId: unpublished, locale: 'en', title: { en: 'Waiting for its issue' }, datePublished: '2022-03-01' }));
      editor = await t.tokenFor('editor');
      other = await createJournal(db, { path: 'other', name: { en: 'Other' }, primaryLocale: 'en', supportedLocales: ['en'] });
    });
    after(() => t.close());

    it('shows readers published issues only, without a token', async () => {
      const list = await t.call<IssueList>('GET', ISSUES, sm);
      assert.equal(list.statusCode, 200);
      assert.deepEqual(list.data.items.map((i) => i.id), [1]);
      assert.equal(list.data.itemsMax, 1);
      assert.equal(list.data.items[0]!.publishedUrl, 'http://localhost:3000/sm/issue/view/1');
      assert.equal((await t.call<IssueList>('GET', ISSUES, sm, { query: 'isPublished=false' })).data.itemsMax, 0);
      assertProblem(await t.call('GET', ISSUE, { ...sm, issueId: unpublished }), 404);
      const current = await t.call<IssueData>('GET', '/{journal}/api/v1/issues/current', sm);
      assert.equal(current.data.id, 1);
      assert.equal(current.data.isCurrent, true);
    });

    it('shows an editor’s token unpublished issues too', async () => {
      const all = await t.call<IssueList>('GET', ISSUES, sm, { token: editor });
      assert.deepEqual(all.data.items.map((i) => i.id).sort(), [1, unpublished].sort());
      const waiting = await t.call<IssueList>('GET', ISSUES, sm, { token: editor, query: 'isPublished=false' });
      assert.deepEqual(waiting.data.items.map((i) => i.id), [unpublished]);
      const one = await t.call<IssueData>('GET', ISSUE, { ...sm, issueId: unpublished }, { token: editor });
      assert.equal(one.data.published, false);
      assert.deepEqual(one.data.title, { en: 'Forthcoming' });
    });

    it('refuses to publish without a token, with a revoked one, or with too few rights', async () => {
      const none = assertProblem(await t.call('PUT', PUBLISH, { ...sm, issueId: unpublished }, { body: {} }), 401);
      assert.match(String(none.detail), /Bearer/);
      const row = await createUserWithRole(t.database.db, { email: 'revoked@example.org', password: 'a long enough password', role: 'editor', journalId: 1, now: new Date() });
      const revoked = await createApiToken(t.database.db, { userId: row.userId, name: 'old', roles: ['editor'], journalId: null }, new Date());
      await revokeApiToken(t.database.db, row.userId, revoked.id, new Date());
      const refused = await t.call('PUT', PUBLISH, { ...sm, issueId: unpublished }, { token: revoked.token, body: {} });
      assertProblem(refused, 401);
      assert.match(String(refused.headers['www-authenticate']), /invalid_token/);
      assertProblem(await t.call('PUT', PUBLISH, { ...sm, issueId: unpublished }, { token: 'rvt_not-a-real-token', body: {} }), 401);
      assertProblem(await t.call('PUT', PUBLISH, { ...sm, issueId: unpublished }, { token: await t.tokenFor('author'), body: {} }), 403);
      // An editor's token limited to reading, or to another journal, is not an editor's token here.
      assertProblem(await t.call('PUT', PUBLISH, { ...sm, issueId: unpublished }, { token: await t.tokenFor('editor', { tokenRoles: [] }), body: {} }), 403);
      assertProblem(await t.call('PUT', UNPUBLISH, { ...sm, issueId: 1 }, { token: await t.tokenFor('editor', { tokenJournalId: other }) }), 403);
      assert.equal((await t.database.db.selectFrom('issues').select('is_published').where('id', '=', unpublished).executeTakeFirstOrThrow()).is_published, false);
      // A session cookie is no key to the API: a signed-in editor's browser gets the same 401.
      const browser = new Session(t.app, { 'accept-language': 'en' });
      await browser.signIn('revoked@example.org', 'a long enough password');
      const cookie = [...browser.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
      assertProblem(await t.call('PUT', UNPUBLISH, { ...sm, issueId: 1 }, { headers: { cookie } }), 401);
    });

    it('answers a bad body with the field at fault, and an unknown issue with 404', async () => {
      const bad = assertProblem(await t.call('PUT', PUBLISH, { ...sm, issueId: unpublished }, { token: editor, body: { datePublished: 'yesterday' } }), 400);
      assert.deepEqual(bad.errors, [{ in: 'body', pointer: '/datePublished', detail: 'must match format "date"' }]);
      const extra = assertProblem(await t.call('PUT', PUBLISH, { ...sm, issueId: unpublished }, { token: editor, body: { current: true } }), 400);
      assert.equal((extra.errors as Array<{ pointer: string }>)[0]!.pointer, '/current');
      assertProblem(await t.call('PUT', PUBLISH, { ...sm, issueId: 99999 }, { token: editor, body: {} }), 404);
      assertProblem(await t.call('GET', ISSUE, { journal: 'nope', issueId: 1 }), 404);
      const query = assertProblem(await t.call('GET', ISSUES, sm, { query: 'count=0' }), 400);
      assert.deepEqual(query.errors, [{ in: 'query', pointer: '/count', detail: 'must be >= 1' }]);
    });

    it('refuses to publish an empty issue unless asked to', async () => {
      const empty = await createIssue(t.database.db, { journalId: 1, volume: 80, number: '1', year: 2030 });
      assertProblem(await t.call('PUT', PUBLISH, { ...sm, issueId: empty }, { token: editor, body: {} }), 409);
      const done = await t.call<IssueData>('PUT', PUBLISH, { ...sm, issueId: empty }, { token: editor, body: { allowEmpty: true, isCurrent: false, datePublished: '2030-01-02' } });
      assert.equal(done.statusCode, 200);
      assert.equal(done.data.datePublished, '2030-01-02');
      assert.equal(done.data.isCurrent, false);
    });

    it('publishes an issue with its articles and the DOIs the management page gives', async () => {
      const published = await t.call<IssueData>('PUT', PUBLISH, { ...sm, issueId: unpublished }, { token: editor, body: { datePublished: '2022-03-15' } });
      assert.equal(published.statusCode, 200);
      assert.equal(published.data.published, true);
      assert.equal(published.data.isCurrent, true);
      const api = await t.database.db.selectFrom('publications').select('doi').where('article_id', '=', article).executeTakeFirstOrThrow();
      // The same issue and article, published from the management page.
      const db = t.database.db;
      const twin = await createIssue(db, { journalId: 1, volume: 75, number: '1', year: 2022 });
      const { articleId: twinArticle } = await addPublishedArticle(db, { journalId: 1, sectionId: 1, issueId: twin, locale: 'en', title: { en: 'Its twin' }, datePublished: '2022-03-01' });
      await createUserWithRole(db, { email: 'page-editor@example.org', password: 'a long enough password', role: 'editor', journalId: 1, now: new Date() });
      const page = new Session(t.app, { 'accept-language': 'en' });
      await page.signIn('page-editor@example.org', 'a long enough password');
      await page.get(`/sm/management/issues/${twin}`);
      assert.equal((await page.post(`/sm/management/issues/${twin}/publish`, { datePublished: '2022-03-15', current: 'on' })).statusCode, 303);
      const viaPage = await db.selectFrom('publications').select('doi').where('article_id', '=', twinArticle).executeTakeFirstOrThrow();
      assert.ok(api.doi?.startsWith('10.99999/'), String(api.doi));
      assert.equal(api.doi!.replace(String(article), 'ID'), viaPage.doi!.replace(String(twinArticle), 'ID'));
      await t.changes.sync();
      const readers = await t.call<{ items: Array<{ id: number }> }>('GET', '/{journal}/api/v1/submissions', sm, { query: `issueIds=${unpublished}` });
      assert.deepEqual(readers.data.items.map((s) => s.id), [article]);
    });

    it('unpublishes an issue, which readers then cannot find', async () => {
      const done = await t.call<IssueData>('PUT', UNPUBLISH, { ...sm, issueId: unpublished }, { token: editor });
      assert.equal(done.data.published, false);
      assertProblem(await t.call('GET', ISSUE, { ...sm, issueId: unpublished }), 404);
    });

    it('records when a token was last used, at most once a minute', async () => {
      const row = await t.database.db.selectFrom('api_tokens').select(['id', 'last_used_at']).where('name', '=', 'editor script').orderBy('id').executeTakeFirstOrThrow();
      assert.ok(row.last_used_at);
      await t.call('GET', ISSUES, sm, { token: editor });
      const again = await t.database.db.selectFrom('api_tokens').select('last_used_at').where('id', '=', row.id).executeTakeFirstOrThrow();
      assert.equal(again.last_used_at!.getTime(), row.last_used_at.getTime());
    });

    it('has called every issue operation of the document', () => {
      assertAllExercised(t, 'issues');
    });
  });
}
