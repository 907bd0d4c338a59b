import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { updateJournal } from '../../catalog/index.ts';
import { createCrossrefClient } from '../../exports/index.ts';
import { runJobsUntilIdle } from '../../platform/jobs/index.ts';
import type { Static } from '../../platform/http/index.ts';
import { buildSubscriptions } from '../../subscribers.ts';
import { startApiTestApp, type ApiTestApp } from '../../../test/support/api.ts';
import { testDatabases } from '../../../test/support/databases.ts';
import { contractChecker } from '../../../test/support/openapi.ts';
import { acceptArticles, multipart, PDF, userOf } from '../../../test/support/review-api.ts';
import type { Galley, Proof } from './production/schema.ts';
import type { Notice, VersionSummary } from './production/versions-schema.ts';
import type { Decision, ReviewAssignment, ReviewerReview, ReviewRound } from './reviews/schema.ts';
import type { Participant, SubmissionContributor, SubmissionFile } from './submissions/workflow-schema.ts';

type Paged<T> = { itemsMax: number; items: T[] };

const SUBMISSIONS = '/{journal}/api/v1/submissions';
const SUBMISSION = `${SUBMISSIONS}/{submissionId}`;
const SUBMIT = `${SUBMISSION}/submit`;
const FILES = `${SUBMISSION}/files`;
const PUBLICATION = `${SUBMISSION}/publications/{publicationId}`;
const CONTRIBUTORS = `${PUBLICATION}/contributors`;
const CONTRIBUTOR = `${CONTRIBUTORS}/{contributorId}`;
const PARTICIPANTS = `${SUBMISSION}/participants`;
const DECISIONS = `${SUBMISSION}/decisions`;
const ROUNDS = `${SUBMISSION}/reviewRounds`;
const ASSIGNMENTS = `${SUBMISSION}/reviewAssignments`;
const ASSIGNMENT = `${ASSIGNMENTS}/{reviewId}`;
const REVIEW = '/{journal}/api/v1/reviews/{reviewId}';
const COPYEDITS = `${SUBMISSION}/copyediting/files`;
const AUTHOR_REVIEWS = `${SUBMISSION}/copyediting/authorReviews`;
const DISCUSSION = `${SUBMISSION}/discussions/{discussionId}`;
const GALLEYS = `${PUBLICATION}/galleys`;
const GALLEY_UPLOAD = `${GALLEYS}/upload`;
const PROOFS = `${SUBMISSION}/proofs`;
const PROOF = `${PROOFS}/{proofId}`;
const READINESS = `${PUBLICATION}/readiness`;
const PUBLISH = `${PUBLICATION}/publish`;
const VERSION = `${PUBLICATION}/version`;
const NOTICES = `${SUBMISSION}/notices`;

const DOCX = Buffer.concat([Buffer.from('PK\u0003\u0004'), Buffer.alloc(60, 2)]);
const TITLE = 'Tides of the northern fjords';
const NEW_TITLE = 'Tides of the northern fjords, revised';

interface WorkflowSubmission {
  id: number;
  status: string;
  dateSubmitted: string | null;
  currentPublicationId: number;
  publications: Array<{ id: number; authors: Array<{ id: number }> }>;
  workflow?: { status: string; stage: string; problems?: Array<{ code: string }> };
}
interface PublicationState {
  id: number;
  status: string;
  submissionStatus?: string;
  datePublished: string | null;
  doi?: string | null;
}

/**
 * Issue 21's acceptance: the whole editorial path — submission → review → copyediting → production
 * → publication, then a new version and a retraction — through the API alone, each person with their
 * own personal token, every answer checked against the OpenAPI document. Only the people, their
 * roles and tokens, and the journal's settings (DOI prefix, Crossref) are made with commands; the
 * reader's side is checked on the public article pages.
 */
for (const database of await testDatabases()) {
  describe(`the editorial path through the API alone on ${database.name}`, () => {
    let t: ApiTestApp;
    let check: ReturnType<typeof contractChecker>;
    const token = {} as Record<'author' | 'editor' | 'reviewer' | 'copyeditor' | 'layout', string>;
    const id = {} as Record<'author' | 'editor' | 'reviewer' | 'copyeditor' | 'layout', number>;
    let submissionId: number;
    let publicationId: number;
    let manuscriptId: number;
    let copyeditedId: number;
    const sm = { journal: 'sm' };
    const at = () => ({ ...sm, submissionId });
    const atPublication = () => ({ ...sm, submissionId, publicationId });

    /** A multipart upload as a script sends it, checked against the document like the JSON calls. */
    async function send(template: string, params: Record<string, string | number>, bearer: string, fields: Record<string, string>, file: { name: string; bytes: Buffer; type: string }) {
      const { payload, contentType } = multipart(fields, file);
      const url = template.replace(/\{([^}]+)\}/g, (_all, name: string) => String(params[name]));
      const response = await t.app.inject({ method: 'POST', url, headers: { authorization: `Bearer ${bearer}`, 'content-type': contentType }, payload });
      check('POST', template, response);
      return Object.assign(response, { data: JSON.parse(response.body) as unknown });
    }
    /**
     * A reader's page. Pages are cached until the database says the catalog changed; PostgreSQL says
     * so on another connection a moment after the API's write commits, so a reader arriving at once
     * may still get the page from before (by design, see catalog/changes.ts). The reader here comes
     * right after each write: wait for the notification first, as a real reader's few milliseconds would.
     */
    const page = async (url: string) => {
      await t.changes.sync();
      return t.app.inject({ url });
    };

    before(async () => {
      t = await startApiTestApp(database);
      check = contractChecker(t.document);
      await acceptArticles(t);
      // The journal registers DOIs and deposits them with Crossref (nothing is sent here: the worker below only queues).
      await updateJournal(t.database.db, 1, { doiPrefix: '10.99999', crossrefUsername: 'fjords', crossrefPassword: 'secret', crossrefDepositorEmail: 'doi@example.org', crossmarkPolicyDoi: '10.99999/policy' });
      token.author = await t.tokenFor('author');
      token.editor = await t.tokenFor('editor');
      token.reviewer = await t.tokenFor('reviewer');
      token.copyeditor = await t.tokenFor('copyeditor');
      token.layout = await t.tokenFor('layout-editor');
      for (const who of Object.keys(token) as Array<keyof typeof token>) id[who] = await userOf(t, token[who]);
    });
    after(async () => {
      await t.close();
    });

    it('the author starts a submission, uploads the manuscript, fills metadata and contributors, and submits', async () => {
      const created = await t.call<WorkflowSubmission>('POST', SUBMISSIONS, sm, { token: token.author, body: { sectionId: 1, locale: 'en', checklistConfirmed: true, agreementsAccepted: true } });
      assert.equal(created.statusCode, 201, created.body);
      submissionId = created.data.id;
      publicationId = created.data.currentPublicationId;
      assert.deepEqual([created.data.workflow?.status, created.data.dateSubmitted], ['draft', null]);
      const empty = await t.call<WorkflowSubmission>('GET', SUBMISSION, at(), { token: token.author });
      assert.deepEqual(empty.data.workflow?.problems?.map((p) => p.code), ['file-missing', 'title-missing', 'abstract-missing']);

      const file = await send(FILES, at(), token.author, { kind: 'article' }, { name: 'fjords.pdf', bytes: PDF, type: 'application/pdf' });
      assert.equal(file.statusCode, 201, file.body);
      manuscriptId = (file.data as Static<typeof SubmissionFile>).id;

      const texts = await t.call('PUT', PUBLICATION, atPublication(), { token: token.author, body: { title: { en: TITLE }, abstract: { en: 'How the tides run in the fjords of the north.' }, keywords: { en: ['tides', 'fjords'] } } });
      assert.equal(texts.statusCode, 200, texts.body);
      const contributorId = created.data.publications[0]!.authors[0]!.id;
      const named = await t.call<Static<typeof SubmissionContributor>>('PUT', CONTRIBUTOR, { ...atPublication(), contributorId }, {
        token: token.author,
        body: { givenName: { en: 'Ingrid' }, familyName: { en: 'Fjordsen' }, affiliations: [{ name: { en: 'Institute of Tides' } }], primaryContact: true },
      });
      assert.equal(named.statusCode, 200, named.body);
      const coauthor = await t.call<Static<typeof SubmissionContributor>>('POST', CONTRIBUTORS, atPublication(), { token: token.author, body: { givenName: { en: 'Olav' }, familyName: { en: 'Strand' }, email: 'olav.strand@example.org' } });
      assert.equal(coauthor.statusCode, 201, coauthor.body);

      const submitted = await t.call<WorkflowSubmission>('PUT', SUBMIT, at(), { token: token.author });
      assert.equal(submitted.statusCode, 200, submitted.body);
      assert.ok(submitted.data.dateSubmitted, submitted.body);
      assert.deepEqual([submitted.data.workflow?.status, submitted.data.workflow?.stage], ['active', 'submission']);
    });

    it('the editor assigns himself and sends the manuscript to review; the reviewer accepts and recommends acceptance', async () => {
      const self = await t.call<Static<typeof Participant>>('POST', PARTICIPANTS, at(), { token: token.editor, body: { userId: id.editor, role: 'editor' } });
      assert.equal(self.statusCode, 201, self.body);
      assert.equal(self.data.role, 'editor');

      const sent = await t.call<Static<typeof Decision>>('POST', DECISIONS, at(), { token: token.editor, body: { decision: 'send-to-review', fileIds: [manuscriptId] } });
      assert.equal(sent.statusCode, 201, sent.body);
      const rounds = await t.call<Paged<Static<typeof ReviewRound>>>('GET', ROUNDS, at(), { token: token.editor });
      assert.deepEqual(rounds.data.items.map((r) => [r.round, r.status, r.files.map((f) => f.name)]), [[1, 'open', ['fjords.pdf']]]);

      const asked = await t.call<Static<typeof ReviewAssignment>>('POST', ASSIGNMENTS, at(), { token: token.editor, body: { reviewerId: id.reviewer, message: 'Would you review this?' } });
      assert.equal(asked.statusCode, 201, asked.body);
      const reviewId = asked.data.id;

      const accepted = await t.call<Static<typeof ReviewerReview>>('POST', `${REVIEW}/answer`, { ...sm, reviewId }, { token: token.reviewer, body: { accept: true } });
      assert.equal(accepted.statusCode, 200, accepted.body);
      assert.equal(accepted.data.files.length, 1, 'the reviewer gets the file sent to review');
      // The journal's review form, answered as the reviewer's script reads it: the first option of a choice, words otherwise.
      const form = accepted.data.reviewForm?.elements ?? [];
      assert.ok(form.some((e) => e.required), 'the demo journal’s form has a required question');
      const answers = Object.fromEntries(form.map((e) => [e.id, e.kind === 'multiple-choice' ? ['0'] : e.kind === 'single-choice' ? '0' : 'The tide tables are convincing.']));
      const review = await t.call<Static<typeof ReviewerReview>>('PUT', REVIEW, { ...sm, reviewId }, { token: token.reviewer, body: { recommendation: 'accept', commentsForAuthor: 'A clear account of the tides.', commentsForEditor: 'Publish it.', answers } });
      assert.equal(review.statusCode, 200, review.body);
      const done = await t.call<Static<typeof ReviewerReview>>('POST', `${REVIEW}/submit`, { ...sm, reviewId }, { token: token.reviewer });
      assert.equal(done.statusCode, 200, done.body);
      assert.equal(done.data.status, 'submitted');

      const seen = await t.call<Static<typeof ReviewAssignment>>('GET', ASSIGNMENT, { ...at(), reviewId }, { token: token.editor });
      assert.equal(seen.data.recommendation, 'accept');
      assert.equal(seen.data.review?.commentsForEditor, 'Publish it.');

      const acceptance = await t.call<Static<typeof Decision>>('POST', DECISIONS, at(), { token: token.editor, body: { decision: 'accept', sharedReviewIds: [reviewId], message: 'Accepted.' } });
      assert.equal(acceptance.statusCode, 201, acceptance.body);
      const submission = await t.call<WorkflowSubmission>('GET', SUBMISSION, at(), { token: token.editor });
      assert.equal(submission.data.workflow?.stage, 'copyediting');
      const decisions = await t.call<Paged<Static<typeof Decision>>>('GET', DECISIONS, at(), { token: token.author });
      assert.deepEqual(decisions.data.items.map((d) => d.decision), ['send-to-review', 'accept'], 'the author sees the decisions');
    });

    it('the editor assigns a copyeditor and a layout editor; the copyeditor uploads the copyedits and asks the author; the editor sends them to production', async () => {
      for (const [who, role] of [['copyeditor', 'copyeditor'], ['layout', 'layout-editor']] as const) {
        const assigned = await t.call<Static<typeof Participant>>('POST', PARTICIPANTS, at(), { token: token.editor, body: { userId: id[who], role } });
        assert.equal(assigned.statusCode, 201, assigned.body);
      }
      const people = await t.call<Paged<Static<typeof Participant>>>('GET', PARTICIPANTS, at(), { token: token.editor });
      assert.deepEqual(people.data.items.map((p) => [p.userId, p.role]).sort(), [[id.author, 'author'], [id.editor, 'editor'], [id.copyeditor, 'copyeditor'], [id.layout, 'layout-editor']].sort());

      const copyedited = await send(COPYEDITS, at(), token.copyeditor, {}, { name: 'fjords-copyedited.docx', bytes: DOCX, type: 'application/octet-stream' });
      assert.equal(copyedited.statusCode, 201, copyedited.body);
      const file = copyedited.data as Static<typeof SubmissionFile>;
      assert.deepEqual([file.stage, file.kind, file.name], ['copyediting', 'copyedited', 'fjords-copyedited.docx']);
      copyeditedId = file.id;

      const asked = await t.call<{ discussionId: number }>('POST', AUTHOR_REVIEWS, at(), { token: token.copyeditor, body: { fileIds: [copyeditedId], subject: 'Please review the copyedits', message: 'Two commas moved.' } });
      assert.equal(asked.statusCode, 201, asked.body);
      const thread = await t.call('GET', DISCUSSION, { ...at(), discussionId: asked.data.discussionId }, { token: token.author });
      assert.equal(thread.statusCode, 200, thread.body);
      assert.match(thread.body, /fjords-copyedited\.docx/, 'the author is shown the copyedited file');
      const answered = await t.call('POST', `${DISCUSSION}/messages`, { ...at(), discussionId: asked.data.discussionId }, { token: token.author, body: { body: 'The copyedits are fine.' } });
      assert.ok([200, 201].includes(answered.statusCode), answered.body);

      const produced = await t.call<Static<typeof Decision>>('POST', DECISIONS, at(), { token: token.editor, body: { decision: 'send-to-production', fileIds: [copyeditedId] } });
      assert.equal(produced.statusCode, 201, produced.body);
      const submission = await t.call<WorkflowSubmission>('GET', SUBMISSION, at(), { token: token.editor });
      assert.equal(submission.data.workflow?.stage, 'production');
      const late = await send(COPYEDITS, at(), token.copyeditor, {}, { name: 'too-late.docx', bytes: DOCX, type: 'application/octet-stream' });
      assert.equal(late.statusCode, 409, 'copyediting is over once in production');
    });

    it('the layout editor uploads a PDF galley and sends proofs; the author approves them', async () => {
      const galley = await send(GALLEY_UPLOAD, atPublication(), token.layout, { label: 'PDF', locale: 'en' }, { name: 'fjords.pdf', bytes: PDF, type: 'application/pdf' });
      assert.equal(galley.statusCode, 201, galley.body);
      assert.equal((galley.data as Static<typeof Galley>).format, 'pdf');
      const galleys = await t.call<Paged<Static<typeof Galley>>>('GET', GALLEYS, atPublication(), { token: token.editor });
      assert.deepEqual(galleys.data.items.map((g) => g.label), ['PDF']);

      const sent = await t.call<Paged<Static<typeof Proof>>>('POST', PROOFS, at(), { token: token.layout, body: { authorUserIds: [id.author], message: 'Please check the PDF.' } });
      assert.equal(sent.statusCode, 201, sent.body);
      const proof = sent.data.items[0]!;
      assert.equal(proof.status, 'sent');
      const approved = await t.call<Static<typeof Proof>>('PUT', PROOF, { ...at(), proofId: proof.id }, { token: token.author, body: { answer: 'approve' } });
      assert.equal(approved.statusCode, 200, approved.body);
      assert.equal(approved.data.status, 'approved');
    });

    it('the editor checks readiness and publishes: the article is public with a DOI, and its Crossref deposit is queued', async () => {
      assert.equal((await page(`/sm/article/view/${submissionId}`)).statusCode, 404, 'not public before publication');
      const readiness = await t.call<{ ready: boolean; blocking: unknown[] }>('GET', READINESS, atPublication(), { token: token.editor });
      assert.equal(readiness.statusCode, 200, readiness.body);
      assert.deepEqual([readiness.data.ready, readiness.data.blocking], [true, []]);

      const published = await t.call<PublicationState>('PUT', PUBLISH, atPublication(), { token: token.editor, body: {} });
      assert.equal(published.statusCode, 200, published.body);
      assert.deepEqual([published.data.status, published.data.submissionStatus], ['published', 'published']);
      assert.equal(published.data.datePublished, new Date().toISOString().slice(0, 10));

      const article = await page(`/sm/article/view/${submissionId}?locale=en`);
      assert.equal(article.statusCode, 200);
      assert.match(article.body, new RegExp(TITLE));
      assert.match(article.body, /Ingrid/);
      const publication = await t.call<PublicationState>('GET', PUBLICATION, atPublication(), { token: token.editor });
      assert.equal(publication.data.status, 'published');
      assert.match(publication.data.doi ?? '', /^10\.99999\/.+/, 'the DOI was given on publication');
      assert.match(article.body, new RegExp(publication.data.doi!.replace(/[.]/g, '\\.')), 'readers see the DOI');

      // The worker tells the subscribers: the journal deposits, so the article's deposit is queued.
      const subscriptions = buildSubscriptions({ crossref: createCrossrefClient({ baseUrl: 'http://127.0.0.1:9' }), baseUrl: 'http://localhost:3000' });
      await runJobsUntilIdle(t.database.db, subscriptions.jobHandlers());
      const deposits = await t.database.db.selectFrom('crossref_deposits').select(['status', 'doi']).where('article_id', '=', submissionId).execute();
      assert.deepEqual(deposits, [{ status: 'queued', doi: publication.data.doi }]);
    });

    it('a new version keeps the old one readable at its own address', async () => {
      const draft = await t.call<Static<typeof VersionSummary>>('POST', VERSION, atPublication(), { token: token.editor });
      assert.equal(draft.statusCode, 200, draft.body);
      assert.deepEqual([draft.data.status, draft.data.version, draft.data.isCurrent], ['queued', 2, false]);
      const edited = await t.call('PUT', PUBLICATION, { ...at(), publicationId: draft.data.id }, { token: token.editor, body: { title: { en: NEW_TITLE } } });
      assert.equal(edited.statusCode, 200, edited.body);
      const published = await t.call<Static<typeof VersionSummary>>('PUT', PUBLISH, { ...at(), publicationId: draft.data.id }, { token: token.editor });
      assert.equal(published.statusCode, 200, published.body);
      assert.deepEqual([published.data.status, published.data.isCurrent], ['published', true]);

      const current = await page(`/sm/article/view/${submissionId}?locale=en`);
      assert.match(current.body, new RegExp(NEW_TITLE));
      assert.match(current.body, new RegExp(`/sm/article/view/${submissionId}/version/${publicationId}`), 'the first version is listed');
      const old = await page(`/sm/article/view/${submissionId}/version/${publicationId}?locale=en`);
      assert.equal(old.statusCode, 200);
      assert.match(old.body, new RegExp(TITLE));
      assert.doesNotMatch(old.body, new RegExp(`<h1[^>]*>[^<]*${NEW_TITLE}`), 'the old version keeps its own title');
    });

    it('a retraction notice puts its banner on the article page', async () => {
      const retraction = await t.call<Static<typeof Notice>>('POST', NOTICES, at(), { token: token.editor, body: { kind: 'retraction', text: { en: 'The tide tables were measured at the wrong fjord.' } } });
      assert.equal(retraction.statusCode, 201, retraction.body);
      assert.equal(retraction.data.kind, 'retraction');
      assert.match(retraction.data.title.en ?? '', /^Retraction: /);
      assert.match(retraction.data.doi ?? '', /^10\.99999\//);
      const article = await page(`/sm/article/view/${submissionId}?locale=en`);
      assert.match(article.body, /article-notice--retraction/);
      assert.match(article.body, /Retracted/);
      assert.match(article.body, new RegExp(`href="/sm/article/view/${retraction.data.id}"`), 'the banner links to the notice');
      const notice = await page(`/sm/article/view/${retraction.data.id}?locale=en`);
      assert.equal(notice.statusCode, 200);
      assert.match(notice.body, /The tide tables were measured at the wrong fjord\./);
    });
  });
}
