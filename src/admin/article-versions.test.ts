import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startTestApp, type TestApp } from '../../test/support/app.ts';
import { testDatabases } from '../../test/support/databases.ts';
import { Session, signedInAs } from '../../test/support/session.ts';
import { addPublishedArticle, createJournal, createSection } from '../catalog/index.ts';
import { listEvents } from '../platform/events/index.ts';
import { runJobsUntilIdle } from '../platform/jobs/index.ts';
import { createCrossrefClient } from '../exports/index.ts';
import { buildSubscriptions } from '../subscribers.ts';

/**
 * Versions the OJS 3.2+ way, from the management page of a published article: a draft version
 * readers do not see, edited with the page's own forms, then published (its own date, the article's
 * DOI, the Crossref deposit queued) or thrown away; earlier versions stay readable and listed.
 */
for (const database of await testDatabases()) {
  describe(`article versions (${database.name})`, () => {
    let t: TestApp;
    let editor: Session;
    let journalId: number;
    let articleId: number;
    let firstVersion: number;
    const subscriptions = buildSubscriptions({ crossref: createCrossrefClient({ baseUrl: 'http://127.0.0.1:9' }), baseUrl: 'http://localhost:3000' });
    const worker = () => runJobsUntilIdle(t.database.db, subscriptions.jobHandlers());
    const page = (path = '') => `/vers/management/articles/${articleId}${path}`;
    const reader = () => new Session(t.app, { 'accept-language': 'en' });

    before(async () => {
      t = await startTestApp(database, { demo: false });
      journalId = await createJournal(t.database.db, { path: 'vers', name: { en: 'Journal of Versions' }, primaryLocale: 'en', supportedLocales: ['en'], contactEmail: 'editor@example.org' });
      await t.database.db.updateTable('journals').set({ doi_prefix: '10.99998', crossref_username: 'user', crossref_password: 'secret', crossref_depositor_email: 'office@example.org' }).where('id', '=', journalId).execute();
      const sectionId = await createSection(t.database.db, { journalId, title: { en: 'Articles' } });
      const added = await addPublishedArticle(t.database.db, {
        journalId,
        sectionId,
        issueId: null,
        locale: 'en',
        title: { en: 'Tidal Rhythms of the Baltic' },
        abstract: { en: 'The first abstract.' },
        doi: '10.99998/vers.1',
        datePublished: '2026-01-10',
        contributors: [{ givenName: { en: 'Anna' }, familyName: { en: 'Nowak' }, email: 'anna@example.org' }],
      });
      articleId = added.articleId;
      firstVersion = added.publicationId;
      editor = await signedInAs(t.app, t.database.db, { email: 'editor@example.org', role: 'editor', journalId });
    });
    after(() => t.close());

    it('makes a draft version that readers do not see until it is published', async () => {
      const before = await editor.get(page());
      assert.equal(before.statusCode, 200);
      assert.match(before.body, /Create a new version/);
      assert.equal((await editor.post(page('/versions'))).statusCode, 303);
      const draftPage = await editor.get(page());
      assert.match(draftPage.body, /Draft version 2/);
      assert.match(draftPage.body, /Readers see version 1 until you publish this one/);
      assert.match(draftPage.body, /Publish this version/);
      // The page's metadata form edits the draft.
      const saved = await editor.post(page(), { 'title.en': 'Tidal Rhythms of the Baltic, revised', 'abstract.en': 'The revised abstract.', sectionId: String((await t.database.db.selectFrom('sections').select('id').where('journal_id', '=', journalId).executeTakeFirstOrThrow()).id), doi: '10.99998/vers.1', references: '' });
      assert.equal(saved.statusCode, 303);
      const draft = await t.database.db.selectFrom('publications').selectAll().where('article_id', '=', articleId).where('version', '=', 2).executeTakeFirstOrThrow();
      assert.equal(draft.status, 'queued');
      assert.equal(draft.title.en, 'Tidal Rhythms of the Baltic, revised');
      const article = await t.database.db.selectFrom('articles').select('current_publication_id').where('id', '=', articleId).executeTakeFirstOrThrow();
      assert.equal(article.current_publication_id, firstVersion, 'the published version stays current');
      // Readers: the published version only, no draft in the list, no address for the draft.
      const shown = await reader().get(`/vers/article/view/${articleId}`);
      assert.equal(shown.statusCode, 200);
      assert.match(shown.body, /Tidal Rhythms of the Baltic</);
      assert.doesNotMatch(shown.body, /revised/);
      assert.equal((await reader().get(`/vers/article/view/${articleId}/version/${draft.id}`)).statusCode, 404);
      // A second draft is not made beside the first.
      assert.equal((await editor.post(page('/versions'))).statusCode, 409);
    });

    it('publishes the draft: current, dated that day, with the DOI, the old version readable and listed, the deposit queued', async () => {
      const draft = await t.database.db.selectFrom('publications').select('id').where('article_id', '=', articleId).where('version', '=', 2).executeTakeFirstOrThrow();
      await editor.get(page());
      const published = await editor.post(page(`/versions/${draft.id}/publish`));
      assert.equal(published.statusCode, 303);
      const row = await t.database.db.selectFrom('publications').selectAll().where('id', '=', draft.id).executeTakeFirstOrThrow();
      assert.equal(row.status, 'published');
      assert.equal(row.doi, '10.99998/vers.1');
      assert.equal(row.date_published, new Date().toISOString().slice(0, 10));
      const events = await listEvents(t.database.db, { type: 'PublicationPublished' });
      assert.deepEqual(events.map((e) => e.event), [{ type: 'PublicationPublished', journalId, articleId, publicationId: draft.id, via: 'version' }]);

      const current = await reader().get(`/vers/article/view/${articleId}`);
      assert.match(current.body, /Tidal Rhythms of the Baltic, revised/);
      assert.match(current.body, new RegExp(`/vers/article/view/${articleId}/version/${firstVersion}`), 'the version list links the first version');
      const old = await reader().get(`/vers/article/view/${articleId}/version/${firstVersion}`);
      assert.equal(old.statusCode, 200);
      assert.match(old.body, /The first abstract/);
      assert.match(old.body, /This is an earlier version \(version 1\) of this article/);
      assert.match(old.body, new RegExp(`href="/vers/article/view/${articleId}"`));

      await worker();
      const deposit = await t.database.db.selectFrom('crossref_deposits').select(['status', 'doi']).where('article_id', '=', articleId).executeTakeFirstOrThrow();
      assert.deepEqual(deposit, { status: 'queued', doi: '10.99998/vers.1' });
    });

    it('discards a draft: the published version is untouched', async () => {
      await editor.get(page());
      await editor.post(page('/versions'));
      const draft = await t.database.db.selectFrom('publications').select(['id', 'version']).where('article_id', '=', articleId).where('status', '=', 'queued').executeTakeFirstOrThrow();
      assert.equal(draft.version, 3);
      await editor.get(page());
      assert.equal((await editor.post(page(`/versions/${draft.id}/discard`))).statusCode, 303);
      assert.equal(await t.database.db.selectFrom('publications').select('id').where('id', '=', draft.id).executeTakeFirst(), undefined);
      const after = await editor.get(page());
      assert.match(after.body, /Create a new version/);
      assert.doesNotMatch(after.body, /Draft version/);
      assert.equal((await editor.post(page(`/versions/${draft.id}/publish`))).statusCode, 409, 'a discarded draft cannot be published');
    });

    it('lets neither authors nor anonymous visitors make or publish versions', async () => {
      const author = await signedInAs(t.app, t.database.db, { email: 'author@example.org', role: 'author', journalId });
      await author.get('/vers');
      assert.equal((await author.post(page('/versions'))).statusCode, 403);
      const anonymous = reader();
      await anonymous.get('/vers');
      const refused = await anonymous.post(page('/versions'));
      assert.ok([302, 303, 401, 403].includes(refused.statusCode), `anonymous: ${refused.statusCode}`);
      assert.equal(await t.database.db.selectFrom('publications').select('id').where('article_id', '=', articleId).where('status', '=', 'queued').executeTakeFirst(), undefined);
    });
  });
}
