import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { insertUser } from '../accounts/index.ts';
import { moveArticle } from '../catalog/index.ts';
import { DEMO_ARTICLE_ID, DEMO_JOURNAL_PATH } from '../demo/index.ts';
import { startApiTestApp, type ApiTestApp } from '../../test/support/api.ts';
import { testDatabases } from '../../test/support/databases.ts';
import { signedInAs } from '../../test/support/session.ts';
import { addSubmissionFile, changeSubmissionContributors, createDraft, saveSubmissionDetails, saveSubmissionReferences, submitSubmission } from './commands/submissions.ts';
import { findSubmission } from './queries.ts';

/**
 * A draft and a submitted manuscript (issue 19) are queued articles: nothing a reader, a harvester or
 * a script without an editor's token reaches may show them, and the journal team's article list
 * shows the submitted one but never an author's draft. Each check has the demo article, which is
 * published, as its counterpart, so a check that finds nothing proves something.
 */

const J = DEMO_JOURNAL_PATH;
const now = new Date('2026-03-02T09:00:00Z');
// Words nothing else in the demo journal has.
const DRAFT = { title: 'Xylophagous draft manuscript', keyword: 'quokkadraft', author: 'Draftperson' };
const ACTIVE = { title: 'Zymurgical submitted manuscript', keyword: 'quokkaactive', author: 'Activeperson' };

for (const database of await testDatabases()) {
  describe(`drafts and submissions stay off the reader site on ${database.name}`, () => {
    let t: ApiTestApp;
    let journalId: number;
    let issueId: number;
    let draftId: number;
    let activeId: number;
    let demoTitle: string;

    async function manuscript(words: typeof DRAFT, submit: boolean): Promise<number> {
      const db = t.database.db;
      const sectionId = (await db.selectFrom('sections').select('id').where('journal_id', '=', journalId).executeTakeFirstOrThrow()).id;
      const user = await insertUser(db, { email: `${words.author.toLowerCase()}@example.org`, givenName: { en: 'Pat' }, familyName: { en: words.author }, affiliation: {}, orcid: null, country: null, preferredLocale: null, privacyConsentAt: now }, null);
      const id = await createDraft(db, { journalId, userId: user!.id, sectionId, locale: 'en', commentsForEditor: '', checklistConfirmed: true, agreementsAccepted: true, now });
      const key = randomUUID();
      await addSubmissionFile(db, { journalId, submissionId: id, userId: user!.id, kind: 'article', upload: { storageKey: `${key.slice(0, 2)}/${key}`, sizeBytes: 10, sha256: 'b'.repeat(64), mimeType: 'application/pdf', originalName: 'text.pdf' }, now });
      await saveSubmissionDetails(db, journalId, id, user!.id, { prefix: {}, title: { en: words.title }, subtitle: {}, abstract: { en: `An abstract of the ${words.title}.` }, keywords: { en: [words.keyword] } }, now);
      await saveSubmissionReferences(db, journalId, id, user!.id, [`${words.author}, P. (2024). ${words.title}. Warsaw: PWN.`], now);
      await changeSubmissionContributors(db, journalId, id, user!.id, { op: 'add', fields: { givenName: { en: 'Co' }, familyName: { en: `${words.author}coauthor` }, email: null, orcid: null, affiliations: [], isPrimaryContact: false, includeInBrowse: true } }, now);
      if (submit) {
        await submitSubmission(db, journalId, id, user!.id, now);
        // An editor may have placed it in an issue already (the management page can): still not public.
        await moveArticle(db, id, { issueId, sectionId });
      }
      return id;
    }

    const get = async (url: string) => t.app.inject({ url, headers: { 'accept-language': 'en' } });
    const absent = (body: string, where: string) => {
      for (const word of [DRAFT.title, DRAFT.keyword, DRAFT.author, ACTIVE.title, ACTIVE.keyword, ACTIVE.author]) assert.ok(!body.includes(word), `${where} shows “${word}”`);
    };

    before(async () => {
      t = await startApiTestApp(database, { demo: true, pageCache: false });
      const db = t.database.db;
      journalId = (await db.selectFrom('journals').select('id').where('path', '=', J).executeTakeFirstOrThrow()).id;
      issueId = (await db.selectFrom('issues').select('id').where('journal_id', '=', journalId).executeTakeFirstOrThrow()).id;
      demoTitle = (await db.selectFrom('publications').select('title').where('article_id', '=', DEMO_ARTICLE_ID).executeTakeFirstOrThrow()).title.en!;
      draftId = await manuscript(DRAFT, false);
      activeId = await manuscript(ACTIVE, true);
      assert.equal((await findSubmission(db, journalId, draftId))!.status, 'draft');
      assert.equal((await findSubmission(db, journalId, activeId))!.status, 'active');
      // The search indexer (the test app's worker) has taken every queued change.
      for (let i = 0; i < 200; i++) {
        const { n } = await db.selectFrom('search_queue').select((eb) => eb.fn.countAll<string>().as('n')).executeTakeFirstOrThrow();
        if (Number(n) === 0) break;
        await sleep(50);
      }
    });
    after(() => t.close());

    it('the article page is a 404, as for an id that never was', async () => {
      assert.equal((await get(`/${J}/article/view/${DEMO_ARTICLE_ID}`)).statusCode, 200);
      for (const id of [draftId, activeId]) {
        const page = await get(`/${J}/article/view/${id}`);
        assert.equal(page.statusCode, 404, `article ${id}`);
        absent(page.body, `article page ${id}`);
        assert.equal((await get(`/index.php/${J}/article/view/${id}`)).headers.location ?? '', `/${J}/article/view/${id}`, 'the OJS address leads to the same 404, nothing more');
        const publicationId = (await findSubmission(t.database.db, journalId, id))!.publicationId;
        assert.equal((await get(`/${J}/article/view/${id}/version/${publicationId}`)).statusCode, 404, `version of ${id}`);
        assert.equal((await get(`/${J}/citationstylelanguage/download/bibtex?submissionId=${id}`)).statusCode, 404, `citation of ${id}`);
      }
      assert.equal((await get(`/${J}/citationstylelanguage/download/bibtex?submissionId=${DEMO_ARTICLE_ID}`)).statusCode, 200);
    });

    it('the issue’s contents, the archive, the section page and the indexes of authors and keywords do not list them', async () => {
      const toc = await get(`/${J}/issue/view/${issueId}`);
      assert.equal(toc.statusCode, 200);
      assert.ok(toc.body.includes(`/article/view/${DEMO_ARTICLE_ID}`), 'the published article is in the contents');
      absent(toc.body, 'issue contents');
      for (const url of [`/${J}/issue/current`, `/${J}`, `/${J}/issue/archive`, `/${J}/search/authors`, `/${J}/search/keywords`]) {
        const page = await get(url);
        assert.ok(page.statusCode === 200 || page.statusCode === 302 || page.statusCode === 303, `${url}: ${page.statusCode}`);
        absent(page.body, url);
      }
      const section = (await t.database.db.selectFrom('sections').select('id').where('journal_id', '=', journalId).executeTakeFirstOrThrow()).id;
      const sectionPage = await get(`/${J}/section/view/${section}`);
      absent(sectionPage.body, 'section page');
      for (const name of [DRAFT.author, ACTIVE.author]) {
        // The page repeats the name asked for; it must list no article of theirs.
        const view = await get(`/${J}/search/authors/view?familyName=${encodeURIComponent(name)}&givenName=Pat`);
        for (const id of [draftId, activeId]) assert.ok(!view.body.includes(`/article/view/${id}`), `author view ${name} links ${id}`);
        for (const title of [DRAFT.title, ACTIVE.title]) assert.ok(!view.body.includes(title), `author view ${name} shows ${title}`);
      }
    });

    it('OAI-PMH lists and gives neither', async () => {
      const list = await get(`/${J}/oai?verb=ListRecords&metadataPrefix=oai_dc`);
      assert.equal(list.statusCode, 200);
      assert.ok(list.body.includes(`article/${DEMO_ARTICLE_ID}</identifier>`), 'the published article is harvested');
      absent(list.body, 'ListRecords');
      for (const verb of ['ListIdentifiers', 'ListRecords']) {
        const body = (await get(`/oai?verb=${verb}&metadataPrefix=oai_dc`)).body;
        for (const id of [draftId, activeId]) assert.ok(!body.includes(`article/${id}<`), `site-wide ${verb} names ${id}`);
      }
      for (const id of [draftId, activeId]) {
        const record = await get(`/${J}/oai?verb=GetRecord&metadataPrefix=oai_dc&identifier=oai:localhost:article/${id}`);
        assert.match(record.body, /<error code="idDoesNotExist"/, `GetRecord ${id}`);
        absent(record.body, `GetRecord ${id}`);
      }
    });

    it('the sitemap and the feeds do not name them', async () => {
      const sitemap = await get(`/${J}/sitemap.xml`);
      assert.equal(sitemap.statusCode, 200);
      assert.ok(sitemap.body.includes(`/article/view/${DEMO_ARTICLE_ID}<`), 'the published article is in the sitemap');
      for (const id of [draftId, activeId]) assert.ok(!sitemap.body.includes(`/article/view/${id}<`), `sitemap names ${id}`);
      for (const feed of ['atom', 'rss']) {
        const page = await get(`/${J}/feed/${feed}`);
        assert.equal(page.statusCode, 200, feed);
        assert.ok(page.body.includes(`/article/view/${DEMO_ARTICLE_ID}`), `${feed}: the published article is there`);
        absent(page.body, `${feed} feed`);
      }
    });

    it('search finds them nowhere', async () => {
      const word = demoTitle.split(/\s+/).find((w) => w.length > 5)!;
      const control = await get(`/${J}/search/search?query=${encodeURIComponent(word)}`);
      assert.ok(control.body.includes(`/article/view/${DEMO_ARTICLE_ID}`), 'search finds the published article');
      const indexed = await t.database.db.selectFrom('search_documents').select('article_id').where('article_id', 'in', [draftId, activeId]).execute();
      assert.deepEqual(indexed, [], 'not in the index');
      for (const query of [DRAFT.title, ACTIVE.title, DRAFT.keyword, ACTIVE.keyword, DRAFT.author, ACTIVE.author]) {
        for (const url of [`/${J}/search/search?query=${encodeURIComponent(query)}`, `/search?query=${encodeURIComponent(query)}`]) {
          const page = await get(url);
          assert.equal(page.statusCode, 200, url);
          for (const id of [draftId, activeId]) assert.ok(!page.body.includes(`/article/view/${id}`), `${url} links ${id}`);
        }
      }
    });

    it('the API shows neither without an editor’s token, and no draft with one', async () => {
      const list = await t.call<{ items: Array<{ id: number }> }>('GET', '/{journal}/api/v1/submissions', { journal: J });
      assert.ok(list.data.items.some((s) => s.id === DEMO_ARTICLE_ID));
      assert.ok(!list.data.items.some((s) => s.id === draftId || s.id === activeId));
      for (const id of [draftId, activeId]) assert.equal((await t.call('GET', '/{journal}/api/v1/submissions/{submissionId}', { journal: J, submissionId: id })).statusCode, 404);
      const editor = await t.tokenFor('editor', { journalId });
      const asEditor = await t.call<{ items: Array<{ id: number }> }>('GET', '/{journal}/api/v1/submissions', { journal: J }, { token: editor });
      assert.ok(asEditor.data.items.some((s) => s.id === activeId), 'the editor sees the submitted manuscript');
      assert.ok(!asEditor.data.items.some((s) => s.id === draftId), 'but not the author’s draft');
      assert.equal((await t.call('GET', '/{journal}/api/v1/submissions/{submissionId}', { journal: J, submissionId: draftId }, { token: editor })).statusCode, 404);
    });

    it('the journal team’s article list shows the submitted manuscript, never a draft; a draft’s editing page is a 404', async () => {
      const manager = await signedInAs(t.app, t.database.db, { email: 'manager@example.org', role: 'manager', journalId });
      const list = await manager.get(`/${J}/management/articles`);
      assert.equal(list.statusCode, 200);
      assert.ok(list.body.includes(ACTIVE.title), 'the submitted manuscript is listed');
      assert.ok(!list.body.includes(DRAFT.title), 'the draft is not');
      const searched = await manager.get(`/${J}/management/articles?search=${draftId}`);
      assert.ok(!searched.body.includes(DRAFT.title), 'not by its id either');
      assert.equal((await manager.get(`/${J}/management/articles/${draftId}`)).statusCode, 404);
      assert.equal((await manager.get(`/${J}/management/articles/${activeId}`)).statusCode, 200);
    });
  });
}
