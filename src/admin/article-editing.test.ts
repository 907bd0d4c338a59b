import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { articleCounts, createSection, addPublishedArticle, createIssue, findJournal, findPublishedArticle, listJournalArticles } from '../catalog/index.ts';
import { jatsArticle } from '../discovery/index.ts';
import { startTestApp, visibleText, type TestApp } from '../../test/support/app.ts';
import { testDatabases } from '../../test/support/databases.ts';
import { pdf } from '../../test/support/ojs-native.ts';
import { Session, signedInAs } from '../../test/support/session.ts';

/**
 * Issue 17, items 8 and 9: the journal's article list, and what a journal fixes in an article after a
 * migration (contributors, galleys, issue and section, unpublishing), each seen by readers as a new version.
 */

const ARTICLE = 1786;
const EDIT = `/sm/management/articles/${ARTICLE}`;

for (const database of await testDatabases()) {
  describe(`article editing on ${database.name}`, () => {
    let t: TestApp;
    let editor: Session;
    let journalId: number;
    let reviews: number;
    let futureIssue: number;

    const currentPublication = async () => (await t.database.db.selectFrom('articles').select('current_publication_id').where('id', '=', ARTICLE).executeTakeFirstOrThrow()).current_publication_id!;
    const contributorsNow = async () => t.database.db.selectFrom('contributors').selectAll().where('publication_id', '=', await currentPublication()).orderBy('seq').execute();
    /** A reader's request, after the page cache has heard of every change made so far (PostgreSQL tells it a moment later). */
    const read = async (url: string) => {
      await t.changes.sync();
      return t.app.inject({ url, headers: { 'accept-language': 'en' } });
    };
    const galleysNow = async () => t.database.db.selectFrom('galleys').selectAll().where('publication_id', '=', await currentPublication()).orderBy('seq').execute();

    before(async () => {
      t = await startTestApp(database);
      const db = t.database.db;
      journalId = (await db.selectFrom('journals').select('id').where('path', '=', 'sm').executeTakeFirstOrThrow()).id;
      reviews = await createSection(db, { journalId, title: { en: 'Reviews', pl: 'Recenzje' } });
      futureIssue = await createIssue(db, { journalId, volume: 99, number: '1', year: 2031, published: false });
      await addPublishedArticle(db, { journalId, sectionId: reviews, issueId: futureIssue, locale: 'en', title: { en: 'A review waiting for its issue' }, datePublished: null as unknown as string });
      await addPublishedArticle(db, { journalId, sectionId: reviews, issueId: null, locale: 'en', title: { en: 'Review of the sea' }, datePublished: '2022-01-01', doi: '10.1234/sea.1', contributors: [{ givenName: { en: 'Maria' }, familyName: { en: 'Kowalczyk' } }] });
      editor = await signedInAs(t.app, db, { email: 'editor@example.org', role: 'editor', journalId });
    });
    after(() => t.close());

    it('lists every article with its status, searchable by title, author and DOI, filtered and paged', async () => {
      const list = await editor.get('/sm/management/articles');
      assert.equal(list.statusCode, 200);
      const text = visibleText(list.body);
      assert.match(text, /A review waiting for its issue/);
      assert.match(text, /In a future issue/);
      assert.match(list.body, /badge badge--success/);
      assert.match(visibleText((await editor.get('/sm/management/articles?search=Kowalczyk')).body), /Review of the sea/);
      const byDoi = visibleText((await editor.get('/sm/management/articles?search=https%3A%2F%2Fdoi.org%2F10.1234%2FSEA.1')).body);
      assert.match(byDoi, /Review of the sea/);
      assert.doesNotMatch(byDoi, /A review waiting/);
      const scheduled = visibleText((await editor.get('/sm/management/articles?status=scheduled')).body);
      assert.match(scheduled, /A review waiting/);
      assert.doesNotMatch(scheduled, /Review of the sea/);
      const bySection = visibleText((await editor.get(`/sm/management/articles?section=${reviews}&sort=title&dir=desc`)).body);
      assert.ok(bySection.indexOf('Review of the sea') < bySection.indexOf('A review waiting'), 'sorted by title, descending');
      // The issue's page leads to its articles in the list.
      const { issue_id: demoIssue } = await t.database.db.selectFrom('publications').select('issue_id').where('article_id', '=', 1786).executeTakeFirstOrThrow();
      const issuePage = await editor.get(`/sm/management/issues/${demoIssue}`);
      const link = issuePage.body.match(/href="(\/sm\/management\/articles\?issue=\d+)"/);
      assert.ok(link, 'the issue page links to its articles');
      const ofIssue = visibleText((await editor.get(link[1]!)).body);
      assert.match(ofIssue, /Russia’s approaches/);
      assert.doesNotMatch(ofIssue, /Review of the sea/);
      const page = await listJournalArticles(t.database.db, journalId, { pageSize: 1, page: 2, sort: 'id' });
      assert.equal(page.articles.length, 1);
      assert.equal(page.total, 3);
    });

    it('shows a section editor only their sections’ articles, and counts them for the overview', async () => {
      const db = t.database.db;
      const sectionEditor = await signedInAs(t.app, db, { email: 'section@example.org', role: 'section-editor', journalId });
      const user = await db.selectFrom('users').select('id').where('email', '=', 'section@example.org').executeTakeFirstOrThrow();
      await db.insertInto('section_editor_sections').values({ user_id: user.id, section_id: reviews }).execute();
      await sectionEditor.get('/sm/login');
      const list = await sectionEditor.get('/sm/management/articles');
      assert.equal(list.statusCode, 200);
      const text = visibleText(list.body);
      assert.match(text, /Review of the sea/);
      assert.doesNotMatch(text, /Russia/);
      assert.deepEqual(await articleCounts(db, journalId, [reviews]), { published: 1, scheduled: 1, unpublished: 0, total: 2 });
      assert.equal((await articleCounts(db, journalId)).total, 3);
      assert.equal((await articleCounts(db, journalId, [])).total, 0);
    });

    it('adds a contributor with a ROR affiliation and ORCID as a new version, refusing bad identifiers', async () => {
      const before = await contributorsNow();
      const versionBefore = await currentPublication();
      await editor.get(`${EDIT}/contributors/new`);
      const bad = await editor.post(`${EDIT}/contributors/new`, { 'givenName.en': 'Ewa', 'familyName.en': 'Lis', orcid: '0000-0002-1825-0098', ror0: 'https://ror.org/039bjqg33', 'affiliation0.en': 'University of Warsaw' });
      assert.equal(bad.statusCode, 400);
      assert.match(visibleText(bad.body), /not an ORCID iD/);
      assert.match(visibleText(bad.body), /not a ROR id/);
      assert.match(bad.body, /value="Lis"/, 'the form keeps what was typed');
      const saved = await editor.post(`${EDIT}/contributors/new`, { 'givenName.en': 'Ewa', 'givenName.pl': 'Ewa', 'familyName.en': 'Lis', email: 'ewa@example.org', orcid: '0000-0002-1825-0097', ror0: '039bjqg32', 'affiliation0.en': 'University of Warsaw', 'affiliation0.pl': 'Uniwersytet Warszawski', includeInBrowse: 'on' });
      assert.equal(saved.statusCode, 303);
      assert.notEqual(await currentPublication(), versionBefore, 'a new version');
      const after = await contributorsNow();
      assert.equal(after.length, before.length + 1);
      const added = after.at(-1)!;
      assert.equal(added.ror_id, 'https://ror.org/039bjqg32');
      assert.equal(added.orcid, 'https://orcid.org/0000-0002-1825-0097');
      assert.deepEqual(added.affiliation, { en: 'University of Warsaw', pl: 'Uniwersytet Warszawski' });
      const page = visibleText((await read(`/sm/article/view/${ARTICLE}`)).body);
      assert.match(page, /Ewa Lis\s*University of Warsaw/);
      // The exports read the affiliation's ROR id and the ORCID iD (JATS here; Crossref reads the same fields).
      const jats = jatsArticle({ article: (await findPublishedArticle(t.database.db, journalId, ARTICLE))!, journal: (await findJournal(t.database.db, 'sm'))!, baseUrl: 'http://localhost:3000' });
      assert.match(jats, /https:\/\/ror\.org\/039bjqg32/);
      assert.match(jats, /0000-0002-1825-0097/);
    });

    it('reorders and removes a contributor (removal after a confirmation page)', async () => {
      const list = await contributorsNow();
      const last = list.at(-1)!;
      await editor.get(EDIT);
      assert.equal((await editor.post(`${EDIT}/contributors/${last.id}/move`, { direction: 'up' })).statusCode, 303);
      const moved = await contributorsNow();
      assert.equal(moved.at(-2)!.family_name.en, 'Lis');
      const lis = moved.at(-2)!;
      const confirm = await editor.get(`${EDIT}/contributors/${lis.id}/remove`);
      assert.equal(confirm.statusCode, 200);
      assert.match(visibleText(confirm.body), /Remove Ewa Lis from this article\?/);
      assert.equal((await contributorsNow()).length, list.length, 'the confirmation page changes nothing');
      assert.equal((await editor.post(`${EDIT}/contributors/${lis.id}/remove`)).statusCode, 303);
      assert.equal((await contributorsNow()).length, list.length - 1);
    });

    it('uploads a PDF galley, which gives the page citation_pdf_url, and keeps the previous version openable', async () => {
      await editor.get(`${EDIT}/galleys/new`);
      const svg = await editor.postMultipart(`${EDIT}/galleys/new`, { label: 'Figure', locale: 'en' }, { file: { name: 'a.svg', type: 'image/svg+xml', content: Buffer.from('<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>') } });
      assert.equal(svg.statusCode, 400);
      assert.match(visibleText(svg.body), /not accepted/);
      assert.match(svg.body, /value="Figure"/);
      const previous = await currentPublication();
      const added = await editor.postMultipart(`${EDIT}/galleys/new`, { label: 'PDF (EN)', locale: 'en' }, { file: { name: 'article.pdf', type: 'application/octet-stream', content: pdf('the article') } });
      assert.equal(added.statusCode, 303);
      const galley = (await galleysNow()).at(-1)!;
      const file = await t.database.db.selectFrom('files').selectAll().where('id', '=', galley.file_id!).executeTakeFirstOrThrow();
      assert.equal(file.mime_type, 'application/pdf', 'the type comes from the bytes');
      const page = await read(`/sm/article/view/${ARTICLE}`);
      assert.match(page.body, new RegExp(`<meta name="citation_pdf_url" content="http://localhost:3000/sm/article/download/${ARTICLE}/${galley.id}"`));
      assert.match(page.body, /PDF \(EN\)/);
      assert.match(page.body, new RegExp(`href="/sm/article/view/${ARTICLE}/version/${previous}"`));
      const download = await read(`/sm/article/download/${ARTICLE}/${galley.id}`);
      assert.equal(download.statusCode, 200);
      assert.ok(download.rawPayload.subarray(0, 5).equals(Buffer.from('%PDF-')));
      const old = await read(`/sm/article/view/${ARTICLE}/version/${previous}`);
      assert.equal(old.statusCode, 200);
      assert.match(visibleText(old.body), /This is an earlier version/);
      assert.match(old.body, /<meta name="robots" content="noindex/);
      assert.doesNotMatch(old.body, /citation_title/, 'indexers read the current version only');
      assert.doesNotMatch(old.body, /PDF \(EN\)/, 'the old version has its own galleys');
      assert.equal((await read(`/sm/article/view/${ARTICLE}/version/999999`)).statusCode, 404);
    });

    it('replaces, relabels, reorders and removes a galley', async () => {
      const [first] = await galleysNow();
      const galley = (await galleysNow()).at(-1)!;
      await editor.get(`${EDIT}/galleys/${galley.id}`);
      const replaced = await editor.postMultipart(`${EDIT}/galleys/${galley.id}`, { label: 'PDF', locale: 'pl' }, { file: { name: 'v2.pdf', type: 'application/pdf', content: pdf('second edition') } });
      assert.equal(replaced.statusCode, 303);
      const now = (await galleysNow()).at(-1)!;
      assert.equal(now.label, 'PDF');
      assert.equal(now.locale, 'pl');
      assert.notEqual(now.file_id, galley.file_id);
      if (first && first.id !== galley.id) {
        await editor.get(EDIT);
        await editor.post(`${EDIT}/galleys/${now.id}/move`, { direction: 'up' });
        assert.equal((await galleysNow()).at(-2)!.label, 'PDF');
      }
      const target = (await galleysNow()).find((g) => g.label === 'PDF')!;
      assert.equal((await editor.get(`${EDIT}/galleys/${target.id}/remove`)).statusCode, 200);
      assert.equal((await editor.post(`${EDIT}/galleys/${target.id}/remove`)).statusCode, 303);
      assert.equal((await galleysNow()).some((g) => g.label === 'PDF'), false);
    });

    it('adds a remote galley only with an http(s) address, and readers are sent there', async () => {
      await editor.get(`${EDIT}/galleys/new`);
      const nothing = await editor.postMultipart(`${EDIT}/galleys/new`, { label: 'Data', locale: 'en' });
      assert.equal(nothing.statusCode, 400);
      assert.match(visibleText(nothing.body), /Choose a file, or give the address/);
      const script = await editor.postMultipart(`${EDIT}/galleys/new`, { label: 'Data', locale: 'en', remoteUrl: 'javascript:alert(1)' });
      assert.equal(script.statusCode, 400);
      assert.equal((await editor.postMultipart(`${EDIT}/galleys/new`, { label: 'Data', locale: 'en', remoteUrl: 'https://data.example.org/set/1' })).statusCode, 303);
      const remote = (await galleysNow()).find((g) => g.label === 'Data')!;
      assert.equal(remote.file_id, null);
      const download = await read(`/sm/article/download/${ARTICLE}/${remote.id}`);
      assert.equal(download.headers.location, 'https://data.example.org/set/1');
    });

    it('moves an article to another issue and section; an unpublished issue hides it', async () => {
      await editor.get(EDIT);
      const moved = await editor.post(`${EDIT}/placement`, { toIssue: String(futureIssue), toSection: String(reviews) });
      assert.equal(moved.statusCode, 303);
      const p = await t.database.db.selectFrom('publications').select(['issue_id', 'section_id']).where('id', '=', await currentPublication()).executeTakeFirstOrThrow();
      assert.deepEqual(p, { issue_id: futureIssue, section_id: reviews });
      assert.equal((await read(`/sm/article/view/${ARTICLE}`)).statusCode, 404);
      const bad = await editor.post(`${EDIT}/placement`, { toIssue: '999999', toSection: String(reviews) });
      assert.equal(bad.statusCode, 400);
      const issue = await t.database.db.selectFrom('issues').select('id').where('journal_id', '=', journalId).where('is_published', '=', true).executeTakeFirstOrThrow();
      await editor.post(`${EDIT}/placement`, { toIssue: String(issue.id), toSection: String(reviews) });
      assert.equal((await read(`/sm/article/view/${ARTICLE}`)).statusCode, 200);
    });

    it('unpublishes only with a reason, after a confirmation; readers lose the article, the team keeps why', async () => {
      const confirm = await editor.get(`${EDIT}/unpublish`);
      assert.equal(confirm.statusCode, 200);
      assert.match(visibleText(confirm.body), /Unpublish this article\?/);
      const noReason = await editor.post(`${EDIT}/unpublish`, { reason: '  ' });
      assert.equal(noReason.statusCode, 400);
      assert.match(visibleText(noReason.body), /Say why/);
      assert.equal((await read(`/sm/article/view/${ARTICLE}`)).statusCode, 200);
      const done = await editor.post(`${EDIT}/unpublish`, { reason: 'Duplicate publication' });
      assert.equal(done.statusCode, 303);
      assert.equal((await read(`/sm/article/view/${ARTICLE}`)).statusCode, 404);
      const galley = (await galleysNow())[0];
      if (galley) assert.equal((await read(`/sm/article/download/${ARTICLE}/${galley.id}`)).statusCode, 404);
      const page = visibleText((await editor.get(EDIT)).body);
      assert.match(page, /Reason: Duplicate publication/);
      assert.match(visibleText((await editor.get('/sm/management/articles?status=unpublished')).body), /Russia/);
      await editor.post(`${EDIT}/publish`);
      assert.equal((await read(`/sm/article/view/${ARTICLE}`)).statusCode, 200);
    });
  });
}
