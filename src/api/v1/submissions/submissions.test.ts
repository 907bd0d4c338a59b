import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { addPublishedArticle, createIssue, createSection } from '../../../catalog/index.ts';
import type { Static } from '../../../platform/http/index.ts';
import { assertAllExercised, assertProblem, startApiTestApp, type ApiTestApp } from '../../../../test/support/api.ts';
import { testDatabases } from '../../../../test/support/databases.ts';
import type { Publication, Submission } from './schema.ts';

type SubmissionData = Static<typeof Submission>;
type PublicationData = Static<typeof Publication>;
type SubmissionList = { itemsMax: number; items: SubmissionData[] };

const SUBMISSIONS = '/{journal}/api/v1/submissions';
const SUBMISSION = '/{journal}/api/v1/submissions/{submissionId}';
const PUBLICATION = '/{journal}/api/v1/submissions/{submissionId}/publications/{publicationId}';

/** Articles through the API (OJS: submissions): what readers and editors see, and changing metadata as a new version. */
for (const database of await testDatabases()) {
  describe(`API submissions on ${database.name}`, () => {
    let t: ApiTestApp;
    let editor: string;
    const sm = { journal: 'sm' };
    const seed = 1786;
    let hidden: number;
    let otherSection: number;

    before(async () => {
      t = await startApiTestApp(database);
      const db = t.database.db;
      const issue = await createIssue(db, { journalId: 1, volume: 99, number: '1', year: 2031 });
      otherSection = await createSection(db, { journalId: 1, title: { en: 'Notes' } });
      ({ articleId: hidden } = await addPublishedArticle(db, {
        journalId: 1,
        sectionId: otherSection,
        issueId: issue,
        locale: 'en',
        title: { en: 'Not out yet' },
        datePublished: '2031-01-01',
        contributors: [{ givenName: { en: 'Ada' }, familyName: { en: 'Lovelace' }, orcid: 'https://orcid.org/0000-0002-1825-0097', isPrimaryContact: true }],
        galleys: [{ label: 'PDF', locale: 'en', remoteUrl: 'https://example.org/paper.pdf' }],
      }));
      editor = await t.tokenFor('editor');
    });
    after(() => t.close());

    it('shows readers the published article with its version, contributors and galleys', async () => {
      const list = await t.call<SubmissionList>('GET', SUBMISSIONS, sm);
      assert.equal(list.data.itemsMax, 1);
      const article = list.data.items[0]!;
      assert.equal(article.id, seed);
      assert.equal(article.publications.length, 1);
      const publication = article.publications[0]!;
      assert.equal(publication.id, article.currentPublicationId);
      assert.ok(publication.authors.length > 0);
      assert.match(publication.fullTitle.en!, /^Russia’s approaches/);
      assert.equal(article.urlPublished, `http://localhost:3000/sm/article/view/${seed}`);
      assertProblem(await t.call('GET', SUBMISSION, { ...sm, submissionId: hidden }), 404);
      const one = await t.call<PublicationData>('GET', PUBLICATION, { ...sm, submissionId: seed, publicationId: publication.id });
      assert.deepEqual(one.data, publication);
      assertProblem(await t.call('GET', PUBLICATION, { ...sm, submissionId: seed, publicationId: 4242 }), 404);
    });

    it('pages and filters as OJS does: count, offset, issueIds, sectionIds', async () => {
      const all = await t.call<SubmissionList>('GET', SUBMISSIONS, sm, { token: editor });
      assert.equal(all.data.itemsMax, 2);
      const page = await t.call<SubmissionList>('GET', SUBMISSIONS, sm, { token: editor, query: 'count=1&offset=1' });
      assert.equal(page.data.items.length, 1);
      assert.equal(page.data.itemsMax, 2);
      const notes = await t.call<SubmissionList>('GET', SUBMISSIONS, sm, { token: editor, query: `sectionIds=${otherSection}` });
      assert.deepEqual(notes.data.items.map((s) => s.id), [hidden]);
      const both = await t.call<SubmissionList>('GET', SUBMISSIONS, sm, { token: editor, query: `sectionIds=${otherSection}&sectionIds=1` });
      assert.equal(both.data.itemsMax, 2);
      const bad = assertProblem(await t.call('GET', SUBMISSIONS, sm, { query: 'issueIds=first' }), 400);
      assert.equal((bad.errors as Array<{ pointer: string; in: string }>)[0]!.in, 'query');
    });

    it('shows an editor’s token the unpublished article, its contributors and galleys', async () => {
      const one = await t.call<SubmissionData>('GET', SUBMISSION, { ...sm, submissionId: hidden }, { token: editor });
      const publication = one.data.publications[0]!;
      assert.deepEqual(publication.authors.map((a) => [a.givenName, a.orcid, a.primaryContact]), [[{ en: 'Ada' }, 'https://orcid.org/0000-0002-1825-0097', true]]);
      assert.deepEqual(publication.galleys.map((g) => [g.label, g.urlRemote]), [['PDF', 'https://example.org/paper.pdf']]);
    });

    it('changes the title and abstract as a new version, as the management page does', async () => {
      const before = (await t.call<SubmissionData>('GET', SUBMISSION, { ...sm, submissionId: seed })).data;
      const current = before.publications[0]!;
      const changed = await t.call<PublicationData>('PUT', PUBLICATION, { ...sm, submissionId: seed, publicationId: current.id }, { token: editor, body: { title: { ...current.title, pl: 'Rosja wobec Armenii i Azerbejdżanu' }, abstract: { en: 'A new abstract with <em>emphasis</em> and <img src=x onerror=alert(1)>.' } } });
      assert.equal(changed.statusCode, 200);
      assert.notEqual(changed.data.id, current.id);
      assert.equal(changed.data.version, current.version + 1);
      assert.equal(changed.data.title.pl, 'Rosja wobec Armenii i Azerbejdżanu');
      assert.match(changed.data.abstract.en!, /<em>emphasis<\/em>/);
      assert.doesNotMatch(changed.data.abstract.en!, /onerror/);
      assert.deepEqual(changed.data.authors.map((a) => a.familyName), current.authors.map((a) => a.familyName));
      const after = (await t.call<SubmissionData>('GET', SUBMISSION, { ...sm, submissionId: seed }, { token: editor })).data;
      assert.equal(after.currentPublicationId, changed.data.id);
      assert.deepEqual(after.publications.map((p) => p.version), [current.version + 1, current.version]);
      // The old version is on record and can no longer be changed.
      assertProblem(await t.call('PUT', PUBLICATION, { ...sm, submissionId: seed, publicationId: current.id }, { token: editor, body: { title: { en: 'Again' } } }), 409);
    });

    it('refuses changes without a token, from an author, or from a section editor of another section', async () => {
      const current = (await t.call<SubmissionData>('GET', SUBMISSION, { ...sm, submissionId: hidden }, { token: editor })).data.currentPublicationId;
      const target = { ...sm, submissionId: hidden, publicationId: current };
      assertProblem(await t.call('PUT', PUBLICATION, target, { body: { title: { en: 'X' } } }), 401);
      assertProblem(await t.call('PUT', PUBLICATION, target, { token: await t.tokenFor('author'), body: { title: { en: 'X' } } }), 403);
      // A section editor with no sections assigned.
      assertProblem(await t.call('PUT', PUBLICATION, target, { token: await t.tokenFor('section-editor'), body: { title: { en: 'X' } } }), 403);
      const bad = assertProblem(await t.call('PUT', PUBLICATION, target, { token: editor, body: { keywords: { en: ['ok'], xx: ['no'] }, title: { en: '' } } }), 400);
      assert.deepEqual((bad.errors as Array<{ pointer: string }>).map((e) => e.pointer).sort(), ['/keywords/xx', '/title']);
      assertProblem(await t.call('PUT', PUBLICATION, { ...target, submissionId: 4242 }, { token: editor, body: { title: { en: 'X' } } }), 404);
    });

    it('has called every submission operation of the document', () => {
      assertAllExercised(t, 'submissions');
    });
  });
}
