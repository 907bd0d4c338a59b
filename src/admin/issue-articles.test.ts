import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { createIssue } from '../catalog/index.ts';
import { startTestApp, visibleText, type TestApp } from '../../test/support/app.ts';
import { testDatabases } from '../../test/support/databases.ts';
import { signedInAs, type Session } from '../../test/support/session.ts';

/** "New article" on an issue's management page: an editorial added without the workflow, published with its issue. */
for (const database of await testDatabases()) {
  describe(`new article in an issue on ${database.name}`, () => {
    let t: TestApp;
    let editor: Session;
    let issueId: number;
    let sectionId: number;

    before(async () => {
      t = await startTestApp(database);
      const journalId = (await t.database.db.selectFrom('journals').select('id').where('path', '=', 'sm').executeTakeFirstOrThrow()).id;
      sectionId = (await t.database.db.selectFrom('sections').select('id').where('journal_id', '=', journalId).orderBy('id').executeTakeFirstOrThrow()).id;
      editor = await signedInAs(t.app, t.database.db, { email: 'editor@example.org', role: 'editor', journalId });
      issueId = await createIssue(t.database.db, { journalId, volume: 99, number: '1', year: 2032 });
    });
    after(() => t.close());

    it('creates an editorial in the issue, which goes on to its own page and is published with the issue', async () => {
      const issuePage = await editor.get(`/sm/management/issues/${issueId}`);
      assert.match(issuePage.body, new RegExp(`href="/sm/management/issues/${issueId}/articles/new"`));
      const form = await editor.get(`/sm/management/issues/${issueId}/articles/new`);
      assert.equal(form.statusCode, 200);
      const refused = await editor.post(`/sm/management/issues/${issueId}/articles/new`, { title: '', sectionId: String(sectionId) });
      assert.equal(refused.statusCode, 400);
      assert.match(visibleText(refused.body), /Enter a title/);
      const created = await editor.post(`/sm/management/issues/${issueId}/articles/new`, { title: 'Editorial: a new volume', sectionId: String(sectionId), givenName: 'Ewa', familyName: 'Redaktor', abstract: 'What this volume holds.' });
      assert.equal(created.statusCode, 303);
      const articlePage = String(created.headers.location);
      const id = Number(/\/management\/articles\/(\d+)$/.exec(articlePage)?.[1]);
      assert.ok(id > 0, articlePage);
      assert.match(visibleText((await editor.get(articlePage)).body), /Editorial: a new volume/);
      assert.equal((await t.app.inject({ url: `/sm/article/view/${id}` })).statusCode, 404, 'not public before its issue');
      await editor.get(`/sm/management/issues/${issueId}`);
      const published = await editor.post(`/sm/management/issues/${issueId}/publish`, { datePublished: '2032-01-15' });
      assert.equal(published.statusCode, 303);
      const page = await t.app.inject({ url: `/sm/article/view/${id}` });
      assert.equal(page.statusCode, 200);
      assert.match(visibleText(page.body), /Ewa Redaktor/);
    });

    it('is not for an author', async () => {
      const author = await signedInAs(t.app, t.database.db, { email: 'author@example.org', role: 'author', journalId: 1 });
      assert.equal((await author.get(`/sm/management/issues/${issueId}/articles/new`)).statusCode, 403);
    });
  });
}
