import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Static } from '../../../platform/http/index.ts';
import { assertAllExercised, assertProblem, startApiTestApp, type ApiTestApp } from '../../../../test/support/api.ts';
import { testDatabases } from '../../../../test/support/databases.ts';
import { contractChecker } from '../../../../test/support/openapi.ts';
import { acceptArticles, assertNoneOf, AUTHOR, emailOf, name, PDF, submittedThroughApi, upload, userOf } from '../../../../test/support/review-api.ts';
import type { Decision, ReviewAssignment, ReviewAttachment, ReviewerReview, ReviewerReviewSummary, ReviewFile, ReviewRound } from './schema.ts';

type Paged<T> = { itemsMax: number; items: T[] };
type Round = Static<typeof ReviewRound>;
type Assignment = Static<typeof ReviewAssignment>;
type Mine = Static<typeof ReviewerReview>;

const ROUNDS = '/{journal}/api/v1/submissions/{submissionId}/reviewRounds';
const ROUND = `${ROUNDS}/{reviewRoundId}`;
const REVISIONS = `${ROUND}/revisions`;
const ASSIGNMENTS = '/{journal}/api/v1/submissions/{submissionId}/reviewAssignments';
const ASSIGNMENT = `${ASSIGNMENTS}/{reviewId}`;
const DECISIONS = '/{journal}/api/v1/submissions/{submissionId}/decisions';
const DECISION = `${DECISIONS}/{decisionId}`;
const REVIEWS = '/{journal}/api/v1/reviews';
const REVIEW = `${REVIEWS}/{reviewId}`;
const ATTACHMENTS = `${REVIEW}/attachments`;
const ATTACHMENT = `${ATTACHMENTS}/{attachmentId}`;
const sm = { journal: 'sm' };

/**
 * Peer review through the API alone (issue 20, item 10): send to review → ask → answer → review →
 * submit → request revisions → the author's revision → a new round → accept. Every answer is
 * checked against the OpenAPI document; anonymity is checked on the JSON each side receives.
 */
for (const database of await testDatabases()) {
  describe(`API peer review on ${database.name}`, () => {
    let t: ApiTestApp;
    let check: ReturnType<typeof contractChecker>;
    let author: string;
    let editor: string;
    let reviewer: string;
    let reviewerId: number;
    let authorEmail: string;
    let reviewerEmail: string;
    let submissionId: number;
    let fileId: number;
    let questions: { choice: number; text: number; hidden: number };

    /** An upload through inject, checked against the document like the JSON calls. */
    async function send(template: string, url: string, token: string, fields: Record<string, string>, file: { name: string; bytes: Buffer }) {
      const response = await upload(t, url, token, fields, file);
      check('POST', template, response);
      return response;
    }

    before(async () => {
      t = await startApiTestApp(database);
      check = contractChecker(t.document);
      await acceptArticles(t);
      // The journal's default form: a required choice, a text the author sees and one only editors see.
      const db = t.database.db;
      const form = await db.insertInto('review_forms').values({ journal_id: 1, title: JSON.stringify({ en: 'Standard review' }) as never, is_default: true }).returning('id').executeTakeFirstOrThrow();
      const element = (seq: number, kind: 'single-choice' | 'long-text', question: string, extra: { options?: string[]; required?: boolean; visible?: boolean }) =>
        db
          .insertInto('review_form_elements')
          .values({ review_form_id: form.id, seq, kind, question: JSON.stringify({ en: question }) as never, options: JSON.stringify((extra.options ?? []).map((o) => ({ en: o }))) as never, required: extra.required ?? false, visible_to_author: extra.visible ?? true })
          .returning('id')
          .executeTakeFirstOrThrow();
      questions = {
        choice: (await element(1, 'single-choice', 'Is the method sound?', { options: ['Yes', 'Partly', 'No'], required: true })).id,
        text: (await element(2, 'long-text', 'What should the author change?', {})).id,
        hidden: (await element(3, 'long-text', 'Anything for the editor alone?', { visible: false })).id,
      };
      author = await t.tokenFor('author');
      editor = await t.tokenFor('editor');
      reviewer = await t.tokenFor('reviewer');
      reviewerId = await name(t, reviewer, 'Rosalind', 'Franklin');
      authorEmail = await emailOf(t, await userOf(t, author));
      reviewerEmail = await emailOf(t, reviewerId);
      ({ submissionId, fileId } = await submittedThroughApi(t, author));
    });
    after(async () => {
      for (const entry of check.checked) t.checked.add(entry);
      await t.close();
    });

    const authorWords = () => [AUTHOR.given, AUTHOR.family, AUTHOR.affiliation, authorEmail, 'lovelace-engine'];
    const reviewerWords = () => ['Rosalind', 'Franklin', reviewerEmail];
    let roundOne: Round;
    let reviewId: number;

    it('sends the submission to review and asks an existing reviewer and a new one', async () => {
      const sent = await t.call<Static<typeof Decision>>('POST', DECISIONS, { ...sm, submissionId }, { token: editor, body: { decision: 'send-to-review', fileIds: [fileId] } });
      assert.equal(sent.statusCode, 201, sent.body);
      assert.equal(sent.headers.location, sent.data._href);
      const rounds = await t.call<Paged<Round>>('GET', ROUNDS, { ...sm, submissionId }, { token: editor });
      assert.equal(rounds.data.itemsMax, 1);
      roundOne = rounds.data.items[0]!;
      assert.equal(roundOne.status, 'open');
      assert.deepEqual(roundOne.files.map((f) => [f.purpose, f.name]), [['review-file', 'lovelace-engine.pdf']]);
      assert.ok(roundOne.decisionsAvailable?.includes('request-revisions'));
      assert.equal(sent.data.reviewRoundId, roundOne.id);

      const asked = await t.call<Assignment>('POST', ASSIGNMENTS, { ...sm, submissionId }, { token: editor, body: { reviewerId, message: 'Your eye for method would help us.' } });
      assert.equal(asked.statusCode, 201, asked.body);
      assert.equal(asked.data.status, 'requested');
      assert.equal(asked.data.reviewMethod, 'double-anonymous');
      assert.equal(asked.data.reviewerFullName, 'Rosalind Franklin', 'editors see who reviews');
      assert.equal(asked.data.letter, 'A');
      reviewId = asked.data.id;
      const newcomer = await t.call<Assignment>('POST', ASSIGNMENTS, { ...sm, submissionId }, { token: editor, body: { email: 'grace.newcomer@example.org', givenName: { en: 'Grace' }, familyName: { en: 'Newcomer' }, locale: 'en' } });
      assert.equal(newcomer.statusCode, 201, newcomer.body);
      assert.equal(newcomer.data.reviewerId, null, 'no account until they accept');
      assert.equal(newcomer.data.email, 'grace.newcomer@example.org');
      assert.equal(newcomer.data.letter, 'B');

      // The editor manages the newcomer's request: new dates, a reminder (not doubled), cancel, reinstate.
      const due = new Date(Date.now() + 40 * 86400_000).toISOString();
      const dated = await t.call<Assignment>('PUT', `${ASSIGNMENT}/dates`, { ...sm, submissionId, reviewId: newcomer.data.id }, { token: editor, body: { dateDue: due } });
      assert.equal(dated.statusCode, 200, dated.body);
      assert.equal(dated.data.dateDue, due);
      const reminded = await t.call<{ queued: boolean }>('POST', `${ASSIGNMENT}/remind`, { ...sm, submissionId, reviewId: newcomer.data.id }, { token: editor });
      assert.deepEqual([reminded.statusCode, reminded.data.queued], [202, true]);
      const again = await t.call<{ queued: boolean }>('POST', `${ASSIGNMENT}/remind`, { ...sm, submissionId, reviewId: newcomer.data.id }, { token: editor });
      assert.equal(again.data.queued, false, 'a reminder still waiting is not doubled');
      const cancelled = await t.call<Assignment>('POST', `${ASSIGNMENT}/cancel`, { ...sm, submissionId, reviewId: newcomer.data.id }, { token: editor });
      assert.equal(cancelled.data.status, 'cancelled');
      assert.ok(cancelled.data.dateCancelled);
      assertProblem(await t.call('POST', `${ASSIGNMENT}/cancel`, { ...sm, submissionId, reviewId: newcomer.data.id }, { token: editor }), 409);
      const back = await t.call<Assignment>('POST', `${ASSIGNMENT}/reinstate`, { ...sm, submissionId, reviewId: newcomer.data.id }, { token: editor });
      assert.equal(back.data.status, 'requested');
      await t.call('POST', `${ASSIGNMENT}/cancel`, { ...sm, submissionId, reviewId: newcomer.data.id }, { token: editor });

      const listed = await t.call<Paged<Assignment>>('GET', ASSIGNMENTS, { ...sm, submissionId }, { token: editor, query: `reviewRoundId=${roundOne.id}` });
      assert.deepEqual(listed.data.items.map((a) => [a.letter, a.status]), [['A', 'requested'], ['B', 'cancelled']]);
    });

    it('shows the reviewer the request without the authors, answers it, takes the draft, a file and the review', async () => {
      const mine = await t.call<Paged<Static<typeof ReviewerReviewSummary>>>('GET', REVIEWS, sm, { token: reviewer });
      assert.deepEqual(mine.data.items.map((r) => [r.id, r.status, r.title.en]), [[reviewId, 'requested', 'On the analytical engine']]);
      const request = await t.call<Mine>('GET', REVIEW, { ...sm, reviewId }, { token: reviewer });
      assert.equal(request.data.requestMessage, 'Your eye for method would help us.');
      assert.equal(request.data.submission.authors, undefined);
      assert.deepEqual(request.data.files, [], 'the files come with accepting');
      assert.deepEqual(request.data.reviewForm?.elements.map((e) => e.id), [questions.choice, questions.text, questions.hidden]);
      assertNoneOf(request.body, authorWords(), 'the reviewer’s view of a double-anonymous request');

      const accepted = await t.call<Mine>('POST', `${REVIEW}/answer`, { ...sm, reviewId }, { token: reviewer, body: { accept: true } });
      assert.equal(accepted.statusCode, 200, accepted.body);
      assert.equal(accepted.data.status, 'accepted');
      assert.equal(accepted.data.files.length, 1);
      assert.match(accepted.data.files[0]!.name, /^article-\d+\.pdf$/, 'named by kind, not by the uploaded name');
      assert.match(accepted.data.files[0]!.url, new RegExp(`/sm/reviewer/review/${reviewId}/files/`));
      assertNoneOf(accepted.body, authorWords(), 'the reviewer’s view once accepted');
      assertProblem(await t.call('POST', `${REVIEW}/answer`, { ...sm, reviewId }, { token: reviewer, body: { accept: false } }), 409);

      const draft = await t.call<Mine>('PUT', REVIEW, { ...sm, reviewId }, {
        token: reviewer,
        body: { recommendation: 'minor-revisions', commentsForAuthor: 'Clarify the second table.', commentsForEditor: 'Sound work.', answers: { [questions.choice]: '1', [questions.text]: 'Say what the engine cannot do.', [questions.hidden]: 'Between us: strong.' } },
      });
      assert.equal(draft.statusCode, 200, draft.body);
      assert.equal(draft.data.status, 'accepted', 'a draft is not sent');
      assert.deepEqual(draft.data.review.answers, { [questions.choice]: '1', [questions.text]: 'Say what the engine cannot do.', [questions.hidden]: 'Between us: strong.' });
      const partial = await t.call<Mine>('PUT', REVIEW, { ...sm, reviewId }, { token: reviewer, body: { commentsForAuthor: 'Clarify the second table, please.' } });
      assert.equal(partial.data.review.recommendation, 'minor-revisions', 'fields left out keep their values');
      assert.equal(partial.data.review.answers[String(questions.choice)], '1');

      const file = await send(ATTACHMENTS, `/sm/api/v1/reviews/${reviewId}/attachments`, reviewer, {}, { name: 'annotated.pdf', bytes: PDF });
      assert.equal(file.statusCode, 201, file.body);
      const svg = await send(ATTACHMENTS, `/sm/api/v1/reviews/${reviewId}/attachments`, reviewer, {}, { name: 'notes.svg', bytes: Buffer.from('<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>') });
      assert.equal(svg.statusCode, 415, svg.body);
      const extra = await send(ATTACHMENTS, `/sm/api/v1/reviews/${reviewId}/attachments`, reviewer, {}, { name: 'extra.pdf', bytes: PDF });
      const removed = await t.call<Static<typeof ReviewAttachment>>('DELETE', ATTACHMENT, { ...sm, reviewId, attachmentId: (JSON.parse(extra.body) as { id: number }).id }, { token: reviewer });
      assert.equal(removed.data.name, 'extra.pdf');

      const submitted = await t.call<Mine>('POST', `${REVIEW}/submit`, { ...sm, reviewId }, { token: reviewer });
      assert.equal(submitted.statusCode, 200, submitted.body);
      assert.equal(submitted.data.status, 'submitted');
      assert.deepEqual(submitted.data.review.attachments.map((a) => a.name), ['annotated.pdf']);
      assertProblem(await t.call('PUT', REVIEW, { ...sm, reviewId }, { token: reviewer, body: { commentsForAuthor: 'Too late' } }), 409);
    });

    it('shows the editors the review and the reviewer; they rate it and request revisions sharing it', async () => {
      const read = await t.call<Assignment>('GET', ASSIGNMENT, { ...sm, submissionId, reviewId }, { token: editor });
      assert.equal(read.data.review?.commentsForEditor, 'Sound work.');
      assert.equal(read.data.recommendation, 'minor-revisions');
      assert.deepEqual(read.data.review?.attachments.map((a) => a.name), ['annotated.pdf']);
      const rated = await t.call<Assignment>('PUT', `${ASSIGNMENT}/rating`, { ...sm, submissionId, reviewId }, { token: editor, body: { quality: 4 } });
      assert.equal(rated.data.quality, 4);

      const decided = await t.call<Static<typeof Decision>>('POST', DECISIONS, { ...sm, submissionId }, { token: editor, body: { decision: 'request-revisions', message: 'Please see the reviews.', sharedReviewIds: [reviewId] } });
      assert.equal(decided.statusCode, 201, decided.body);
      assert.equal(decided.data.sharedReviews[0]!.reviewerFullName, 'Rosalind Franklin', 'editors see the reviewer’s name');
      const one = await t.call<Static<typeof Decision>>('GET', DECISION, { ...sm, submissionId, decisionId: decided.data.id }, { token: editor });
      assert.equal(one.data.decision, 'request-revisions');
      const round = await t.call<Round>('GET', ROUND, { ...sm, submissionId, reviewRoundId: roundOne.id }, { token: editor });
      assert.equal(round.data.status, 'revisions-requested');
      assert.deepEqual(round.data.requests, { total: 2, requested: 0, accepted: 0, submitted: 1, declined: 0, cancelled: 1, late: 0 });
    });

    it('gives the author the decision with the review by letter, never the reviewer; takes their revision', async () => {
      const decisions = await t.call<Paged<Static<typeof Decision>>>('GET', DECISIONS, { ...sm, submissionId }, { token: author });
      assert.deepEqual(decisions.data.items.map((d) => d.decision), ['send-to-review', 'request-revisions']);
      const shared = decisions.data.items[1]!.sharedReviews;
      assert.deepEqual(shared.map((s) => [s.letter, s.reviewerFullName, s.commentsForAuthor]), [['A', null, 'Clarify the second table, please.']]);
      assert.deepEqual(shared[0]!.answers.map((a) => [a.question.en, a.answer]), [['Is the method sound?', '1'], ['What should the author change?', 'Say what the engine cannot do.']], 'only the answers the form shows authors');
      assert.equal(decisions.data.items[1]!.editorId, null);
      assertNoneOf(decisions.body, [...reviewerWords(), 'Between us', 'Sound work.'], 'the author’s decisions');
      const rounds = await t.call<Paged<Round>>('GET', ROUNDS, { ...sm, submissionId }, { token: author });
      assert.equal(rounds.data.items[0]!.status, 'revisions-requested');
      assert.equal(rounds.data.items[0]!.requests, undefined, 'authors see no requests');
      assert.deepEqual(rounds.data.items[0]!.files, [], 'nor the review files');

      const revision = await send(REVISIONS, `/sm/api/v1/submissions/${submissionId}/reviewRounds/${roundOne.id}/revisions`, author, { kind: 'article' }, { name: 'revised.pdf', bytes: PDF });
      assert.equal(revision.statusCode, 201, revision.body);
      const file = JSON.parse(revision.body) as Static<typeof ReviewFile>;
      assert.deepEqual([file.purpose, file.name, file.reviewRoundId], ['revision', 'revised.pdf', roundOne.id]);
      const own = await t.call<Round>('GET', ROUND, { ...sm, submissionId, reviewRoundId: roundOne.id }, { token: author });
      assert.deepEqual(own.data.files.map((f) => [f.purpose, f.name]), [['revision', 'revised.pdf']], 'the author sees their revision, not the file sent to reviewers');
      const after = await t.call<Round>('GET', ROUND, { ...sm, submissionId, reviewRoundId: roundOne.id }, { token: editor });
      assert.equal(after.data.status, 'revisions-submitted');
      assert.ok(after.data.decisionsAvailable?.includes('new-round'));
    });

    it('opens round 2 with the revision; an open review shows both sides; the editor accepts', async () => {
      const revision = (await t.call<Round>('GET', ROUND, { ...sm, submissionId, reviewRoundId: roundOne.id }, { token: editor })).data.files.find((f) => f.purpose === 'revision')!;
      const opened = await t.call<Static<typeof Decision>>('POST', DECISIONS, { ...sm, submissionId }, { token: editor, body: { decision: 'new-round', fileIds: [revision.id] } });
      assert.equal(opened.statusCode, 201, opened.body);
      const rounds = await t.call<Paged<Round>>('GET', ROUNDS, { ...sm, submissionId }, { token: editor });
      assert.deepEqual(rounds.data.items.map((r) => [r.round, r.status]), [[1, 'revisions-submitted'], [2, 'open']]);
      const roundTwo = rounds.data.items[1]!;
      assert.deepEqual(roundTwo.files.map((f) => f.name), ['revised.pdf']);
      assertProblem(await t.call('POST', DECISIONS, { ...sm, submissionId }, { token: editor, body: { decision: 'new-round', fileIds: [revision.id] } }), 409);

      const asked = await t.call<Assignment>('POST', ASSIGNMENTS, { ...sm, submissionId }, { token: editor, body: { reviewerId, reviewMethod: 'open' } });
      assert.equal(asked.statusCode, 201, asked.body);
      const second = asked.data.id;
      await t.call('POST', `${REVIEW}/answer`, { ...sm, reviewId: second }, { token: reviewer, body: { accept: true } });
      const open = await t.call<Mine>('GET', REVIEW, { ...sm, reviewId: second }, { token: reviewer });
      assert.deepEqual(open.data.submission.authors?.map((a) => [a.givenName.en, a.familyName.en, a.affiliation.en]), [[AUTHOR.given, AUTHOR.family, AUTHOR.affiliation]], 'an open review shows the authors');
      assert.deepEqual(open.data.files.map((f) => f.name), ['revised.pdf']);
      const missing = assertProblem(await t.call('POST', `${REVIEW}/submit`, { ...sm, reviewId: second }, { token: reviewer }), 422);
      assert.deepEqual((missing.errors as Array<{ pointer: string }>).map((e) => e.pointer), [`/answers/${questions.choice}`], 'the required question is named');
      await t.call('PUT', REVIEW, { ...sm, reviewId: second }, { token: reviewer, body: { recommendation: 'accept', commentsForAuthor: 'Now it reads well.', answers: { [questions.choice]: '0' } } });
      const done = await t.call<Mine>('POST', `${REVIEW}/submit`, { ...sm, reviewId: second }, { token: reviewer });
      assert.equal(done.data.status, 'submitted');
      const completed = await t.call<Paged<Static<typeof ReviewerReviewSummary>>>('GET', REVIEWS, sm, { token: reviewer, query: 'status=submitted' });
      assert.deepEqual(completed.data.items.map((r) => r.id).sort(), [reviewId, second].sort());
      const page = await t.call<Paged<Static<typeof ReviewerReviewSummary>>>('GET', REVIEWS, sm, { token: reviewer, query: 'status=submitted&count=1&offset=1' });
      assert.deepEqual([page.data.itemsMax, page.data.items.map((r) => r.id)], [2, [reviewId]], 'newest first, paged');

      const accepted = await t.call<Static<typeof Decision>>('POST', DECISIONS, { ...sm, submissionId }, { token: editor, body: { decision: 'accept', sharedReviewIds: [second], message: 'Welcome aboard.' } });
      assert.equal(accepted.statusCode, 201, accepted.body);
      const submission = await t.call<{ workflow?: { stage: string } }>('GET', '/{journal}/api/v1/submissions/{submissionId}', { ...sm, submissionId }, { token: editor });
      assert.equal(submission.data.workflow?.stage, 'copyediting');
      const seen = await t.call<Paged<Static<typeof Decision>>>('GET', DECISIONS, { ...sm, submissionId }, { token: author });
      const last = seen.data.items.at(-1)!;
      assert.equal(last.decision, 'accept');
      assert.equal(last.sharedReviews[0]!.reviewerFullName, 'Rosalind Franklin', 'an open review names its reviewer to the author');
    });

    it('has called every review operation of the document', () => {
      for (const entry of check.checked) t.checked.add(entry);
      assertAllExercised(t, 'review');
      assertAllExercised(t, 'reviews');
    });
  });
}
