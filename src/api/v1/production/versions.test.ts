import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { assertAllExercised, assertProblem, startApiTestApp, type ApiTestApp } from '../../../../test/support/api.ts';
import { testDatabases } from '../../../../test/support/databases.ts';
import type { Static } from '../../../platform/http/index.ts';
import type { Notice, VersionSummary } from './versions-schema.ts';

type Version = Static<typeof VersionSummary>;
type NoticeData = Static<typeof Notice>;

const VERSION = '/{journal}/api/v1/submissions/{submissionId}/publications/{publicationId}/version';
const PUBLISH = '/{journal}/api/v1/submissions/{submissionId}/publications/{publicationId}/publish';
const PUBLICATION = '/{journal}/api/v1/submissions/{submissionId}/publications/{publicationId}';
const NOTICES = '/{journal}/api/v1/submissions/{submissionId}/notices';

/** Versions and notices of a published article through the API, as OJS's REST API names them. */
for (const database of await testDatabases()) {
  describe(`API versions and notices on ${database.name}`, () => {
    let t: ApiTestApp;
    let editor: string;
    let first: number;
    const article = { journal: 'sm', submissionId: 1786 };

    before(async () => {
      t = await startApiTestApp(database);
      await t.database.db.updateTable('journals').set({ doi_prefix: '10.99999', crossmark_policy_doi: '10.99999/policy' }).where('id', '=', 1).execute();
      editor = await t.tokenFor('editor');
      first = (await t.database.db.selectFrom('articles').select('current_publication_id').where('id', '=', 1786).executeTakeFirstOrThrow()).current_publication_id!;
    });
    after(() => t.close());

    it('refuses without a token, and to an author', async () => {
      assertProblem(await t.call('POST', VERSION, { ...article, publicationId: first }), 401);
      assertProblem(await t.call('POST', VERSION, { ...article, publicationId: first }, { token: await t.tokenFor('author') }), 404);
      assertProblem(await t.call('POST', NOTICES, article, { token: await t.tokenFor('author'), body: { kind: 'correction', text: { en: 'x' } } }), 404);
    });

    it('makes a draft version readers do not see, deletes one, and publishes another', async () => {
      const made = await t.call<Version>('POST', VERSION, { ...article, publicationId: first }, { token: editor });
      assert.equal(made.statusCode, 200, made.body);
      assert.equal(made.data.status, 'queued');
      assert.equal(made.data.isCurrent, false);
      assertProblem(await t.call('POST', VERSION, { ...article, publicationId: first }, { token: editor }), 409);
      assert.doesNotMatch((await t.app.inject({ url: `/sm/article/view/1786/version/${made.data.id}` })).body, /Version 2/);

      const deleted = await t.call<Version>('DELETE', PUBLICATION, { ...article, publicationId: made.data.id }, { token: editor });
      assert.equal(deleted.statusCode, 200);
      assertProblem(await t.call('DELETE', PUBLICATION, { ...article, publicationId: first }, { token: editor }), 409);

      const again = await t.call<Version>('POST', VERSION, { ...article, publicationId: first }, { token: editor });
      assertProblem(await t.call('PUT', PUBLISH, { ...article, publicationId: first }, { token: editor }), 409);
      // The draft is edited as any version is (PUT …/publications/{id}), in place.
      const edited = await t.call<{ id: number; title: Record<string, string> }>('PUT', PUBLICATION, { ...article, publicationId: again.data.id }, { token: editor, body: { title: { en: 'A revised title of version three' } } });
      assert.equal(edited.statusCode, 200, edited.body);
      assert.equal(edited.data.id, again.data.id);
      assert.doesNotMatch((await t.app.inject({ url: '/sm/article/view/1786?locale=en' })).body, /A revised title of version three/, 'readers do not see the draft');
      const published = await t.call<Version>('PUT', PUBLISH, { ...article, publicationId: again.data.id }, { token: editor });
      assert.equal(published.statusCode, 200, published.body);
      assert.equal(published.data.id, again.data.id);
      assert.equal(published.data.status, 'published');
      assert.equal(published.data.isCurrent, true);
      assert.equal(published.data.datePublished, new Date().toISOString().slice(0, 10));
      // PostgreSQL tells the page cache of a change just after it commits (catalog/changes.ts): wait for it.
      await t.changes.sync();
      const page = await t.app.inject({ url: '/sm/article/view/1786?locale=en' });
      assert.match(page.body, /A revised title of version three/);
      assert.match(page.body, new RegExp(`/sm/article/view/1786/version/${first}`), 'the first version is listed');
      assert.equal((await t.app.inject({ url: `/sm/article/view/1786/version/${first}` })).statusCode, 200);
    });

    it('publishes a correction as its own article with a DOI, linked to the article', async () => {
      const bad = await t.call('POST', NOTICES, article, { token: editor, body: { kind: 'correction', text: { xx: 'x' } } });
      assertProblem(bad, 400);
      const made = await t.call<NoticeData>('POST', NOTICES, article, { token: editor, body: { kind: 'correction', text: { en: 'Table 2 had the wrong units.' } } });
      assert.equal(made.statusCode, 201, made.body);
      assert.equal(made.data.kind, 'correction');
      assert.equal(made.data.submissionId, 1786);
      assert.match(made.data.doi ?? '', /^10\.99999\//);
      assert.match(made.data.title.en ?? '', /^Correction: /);
      await t.changes.sync();
      const page = await t.app.inject({ url: '/sm/article/view/1786?locale=en' });
      assert.match(page.body, /A correction was published/);
      assert.match(page.body, new RegExp(`href="/sm/article/view/${made.data.id}"`));
      assertProblem(await t.call('POST', NOTICES, { journal: 'sm', submissionId: made.data.id }, { token: editor, body: { kind: 'correction', text: { en: 'x' } } }), 409);
      assertAllExercised(t, 'versions');
    });
  });
}
