import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { createJournal } from '../../../catalog/index.ts';
import { createApiToken } from '../../../api/index.ts';
import type { Static } from '../../../platform/http/index.ts';
import { assertProblem, startApiTestApp, type ApiTestApp } from '../../../../test/support/api.ts';
import { testDatabases } from '../../../../test/support/databases.ts';
import { contractChecker } from '../../../../test/support/openapi.ts';
import { acceptArticles, assertNoneOf, AUTHOR, PDF, submittedThroughApi, upload, userOf } from '../../../../test/support/review-api.ts';
import type { ReviewAssignment, ReviewRound } from './schema.ts';

type Paged<T> = { itemsMax: number; items: T[] };

const ROUNDS = '/{journal}/api/v1/submissions/{submissionId}/reviewRounds';
const ROUND = `${ROUNDS}/{reviewRoundId}`;
const ASSIGNMENTS = '/{journal}/api/v1/submissions/{submissionId}/reviewAssignments';
const ASSIGNMENT = `${ASSIGNMENTS}/{reviewId}`;
const DECISIONS = '/{journal}/api/v1/submissions/{submissionId}/decisions';
const REVIEWS = '/{journal}/api/v1/reviews';
const REVIEW = `${REVIEWS}/{reviewId}`;
const sm = { journal: 'sm' };

/**
 * Who may do what with review through the API, and how each refusal is answered: the submission's
 * editors manage review (403 for its author, 404 for anyone who may not read it), a recommend-only
 * editor recommends, the reviewer reaches only their own requests with a token carrying the journal's
 * reviewer role; out of order is 409, unknown 404, invalid 422 (or 400 from the schema) with pointers.
 */
for (const database of await testDatabases()) {
  describe(`API review access and refusals on ${database.name}`, () => {
    let t: ApiTestApp;
    let check: ReturnType<typeof contractChecker>;
    let author: string;
    let editor: string;
    let reviewer: string;
    let reviewerId: number;
    let submissionId: number;
    let fileId: number;
    let roundId: number;
    let reviewId: number;

    before(async () => {
      t = await startApiTestApp(database);
      check = contractChecker(t.document);
      await acceptArticles(t);
      author = await t.tokenFor('author');
      editor = await t.tokenFor('editor');
      reviewer = await t.tokenFor('reviewer');
      reviewerId = await userOf(t, reviewer);
      ({ submissionId, fileId } = await submittedThroughApi(t, author));
    });
    after(async () => {
      for (const entry of check.checked) t.checked.add(entry);
      await t.close();
    });

    it('refuses decisions out of order (409) and invalid ones (400, 422 with the field)', async () => {
      for (const decision of ['request-revisions', 'new-round', 'decline', 'revert-decline']) {
        const refused = assertProblem(await t.call('POST', DECISIONS, { ...sm, submissionId }, { token: editor, body: { decision, fileIds: [fileId] } }), 409);
        assert.equal(refused.code, 'decision-not-allowed', decision);
      }
      const noFiles = assertProblem(await t.call('POST', DECISIONS, { ...sm, submissionId }, { token: editor, body: { decision: 'send-to-review' } }), 422);
      assert.deepEqual(noFiles.errors, [{ in: 'body', pointer: '/fileIds', detail: 'name the files the round reviews in fileIds' }]);
      const unknown = assertProblem(await t.call('POST', DECISIONS, { ...sm, submissionId }, { token: editor, body: { decision: 'maybe' } }), 400);
      assert.ok((unknown.errors as Array<{ pointer: string }>).some((e) => e.pointer === '/decision'));
      // Nothing happened: the submission is still waiting in the submission stage.
      const rounds = await t.call<Paged<Static<typeof ReviewRound>>>('GET', ROUNDS, { ...sm, submissionId }, { token: editor });
      assert.equal(rounds.data.itemsMax, 0);

      const sent = await t.call<{ reviewRoundId: number }>('POST', DECISIONS, { ...sm, submissionId }, { token: editor, body: { decision: 'send-to-review', fileIds: [fileId] } });
      assert.equal(sent.statusCode, 201, sent.body);
      roundId = sent.data.reviewRoundId;
      // The journal waits for two reviews before deciding: accepting now is out of order.
      await t.database.db.insertInto('review_settings').values({ journal_id: 1, min_reviews: 2 }).execute();
      const early = assertProblem(await t.call('POST', DECISIONS, { ...sm, submissionId }, { token: editor, body: { decision: 'accept' } }), 409);
      assert.equal(early.code, 'too-few-reviews');
      assert.match(String(early.detail), /at least 2 completed reviews/);
      const notShared = assertProblem(await t.call('POST', DECISIONS, { ...sm, submissionId }, { token: editor, body: { decision: 'decline', sharedReviewIds: [987654] } }), 422);
      assert.deepEqual((notShared.errors as Array<{ pointer: string }>).map((e) => e.pointer), ['/sharedReviewIds']);
    });

    it('refuses review requests that cannot be made, naming the field', async () => {
      const past = new Date(Date.now() - 86400_000).toISOString();
      const dated = assertProblem(await t.call('POST', ASSIGNMENTS, { ...sm, submissionId }, { token: editor, body: { reviewerId, dateResponseDue: past } }), 422);
      assert.deepEqual((dated.errors as Array<{ pointer: string }>).map((e) => e.pointer), ['/dateResponseDue']);
      const reader = await t.tokenFor('reader');
      const notReviewer = assertProblem(await t.call('POST', ASSIGNMENTS, { ...sm, submissionId }, { token: editor, body: { reviewerId: await userOf(t, reader) } }), 422);
      assert.equal(notReviewer.code, 'reviewer-not-eligible');
      assert.deepEqual((notReviewer.errors as Array<{ pointer: string }>).map((e) => e.pointer), ['/reviewerId']);
      const both = assertProblem(await t.call('POST', ASSIGNMENTS, { ...sm, submissionId }, { token: editor, body: { reviewerId, email: 'x@example.org' } }), 400);
      assert.deepEqual((both.errors as Array<{ pointer: string }>).map((e) => e.pointer), ['/reviewerId']);
      const badLocale = assertProblem(await t.call('POST', ASSIGNMENTS, { ...sm, submissionId }, { token: editor, body: { email: 'y@example.org', givenName: { en: 'Y' }, locale: 'xx' } }), 400);
      assert.deepEqual((badLocale.errors as Array<{ pointer: string }>).map((e) => e.pointer), ['/locale']);
      const nobody = assertProblem(await t.call('POST', ASSIGNMENTS, { ...sm, submissionId }, { token: editor, body: { givenName: { en: 'Nameless' } } }), 400);
      assert.deepEqual((nobody.errors as Array<{ pointer: string }>).map((e) => e.pointer), ['/email']);
      const badEmail = assertProblem(await t.call('POST', ASSIGNMENTS, { ...sm, submissionId }, { token: editor, body: { email: 'not an address', givenName: { en: 'X' } } }), 422);
      assert.deepEqual((badEmail.errors as Array<{ pointer: string }>).map((e) => e.pointer), ['/email']);
      const theAuthor = assertProblem(await t.call('POST', ASSIGNMENTS, { ...sm, submissionId }, { token: editor, body: { email: (await t.database.db.selectFrom('users').select('email').where('id', '=', await userOf(t, author)).executeTakeFirstOrThrow()).email, givenName: { en: 'Me' } } }), 422);
      assert.equal(theAuthor.code, 'reviewer-is-author');
      const extra = assertProblem(await t.call('POST', ASSIGNMENTS, { ...sm, submissionId }, { token: editor, body: { reviewerId, colour: 'blue' } }), 400);
      assert.ok(extra.errors);

      const asked = await t.call<Static<typeof ReviewAssignment>>('POST', ASSIGNMENTS, { ...sm, submissionId }, { token: editor, body: { reviewerId } });
      assert.equal(asked.statusCode, 201, asked.body);
      reviewId = asked.data.id;
      const twice = assertProblem(await t.call('POST', ASSIGNMENTS, { ...sm, submissionId }, { token: editor, body: { reviewerId } }), 409);
      assert.equal(twice.code, 'reviewer-already-requested');
      assertProblem(await t.call('PUT', `${ASSIGNMENT}/rating`, { ...sm, submissionId, reviewId }, { token: editor, body: { quality: 3 } }), 409);
      assertProblem(await t.call('PUT', `${ASSIGNMENT}/rating`, { ...sm, submissionId, reviewId }, { token: editor, body: { quality: 9 } }), 400);
      assertProblem(await t.call('POST', `${ASSIGNMENT}/reinstate`, { ...sm, submissionId, reviewId }, { token: editor }), 409);
      const wrongDates = assertProblem(await t.call('PUT', `${ASSIGNMENT}/dates`, { ...sm, submissionId, reviewId }, { token: editor, body: { dateResponseDue: new Date(Date.now() + 5 * 86400_000).toISOString(), dateDue: new Date(Date.now() + 86400_000).toISOString() } }), 422);
      assert.deepEqual((wrongDates.errors as Array<{ pointer: string }>).map((e) => e.pointer), ['/dateDue']);
    });

    it('keeps the editors’ routes to the submission’s editors: 403 for its author, 404 for reviewers and strangers', async () => {
      const reads = [
        ['GET', ASSIGNMENTS, { ...sm, submissionId }],
        ['GET', ASSIGNMENT, { ...sm, submissionId, reviewId }],
      ] as const;
      const writes = [
        ['POST', ASSIGNMENTS, { ...sm, submissionId }, { reviewerId }],
        ['PUT', `${ASSIGNMENT}/dates`, { ...sm, submissionId, reviewId }, { dateDue: new Date(Date.now() + 90 * 86400_000).toISOString() }],
        ['POST', `${ASSIGNMENT}/cancel`, { ...sm, submissionId, reviewId }, undefined],
        ['POST', `${ASSIGNMENT}/remind`, { ...sm, submissionId, reviewId }, undefined],
        ['PUT', `${ASSIGNMENT}/rating`, { ...sm, submissionId, reviewId }, { quality: 2 }],
        ['POST', DECISIONS, { ...sm, submissionId }, { decision: 'decline' }],
      ] as const;
      // The author reads the submission, so is told no (403); reviewers, readers, another journal's editor read nothing of it (404).
      await createJournal(t.database.db, { path: 'other', name: { en: 'Other' }, primaryLocale: 'en', supportedLocales: ['en'] });
      const otherJournal = (await t.database.db.selectFrom('journals').select('id').where('path', '=', 'other').executeTakeFirstOrThrow()).id;
      const otherEditor = await t.tokenFor('editor', { journalId: otherJournal });
      const cases: Array<[string, number]> = [
        [author, 403],
        [reviewer, 404],
        [await t.tokenFor('reader'), 404],
        [otherEditor, 404],
      ];
      for (const [token, status] of cases) {
        for (const [method, path, params] of reads) assertProblem(await t.call(method, path, params, { token }), status);
        for (const [method, path, params, body] of writes) assertProblem(await t.call(method, path, params, { token, ...(body ? { body } : {}) }), status);
        if (status === 404) assertProblem(await t.call('GET', ROUNDS, { ...sm, submissionId }, { token }), 404);
      }
      // The editor's token limited to reading: its person is an editor, the token carries the reader role only.
      const limited = await t.tokenFor('editor', { tokenRoles: ['reader'] });
      assertProblem(await t.call('GET', ASSIGNMENTS, { ...sm, submissionId }, { token: limited }), 404);
      // Without a token: 401 before anything else.
      assertProblem(await t.call('GET', ASSIGNMENTS, { ...sm, submissionId }), 401);
      assertProblem(await t.call('POST', DECISIONS, { ...sm, submissionId }, { body: { decision: 'decline' } }), 401);
      // Unknown ids and addresses: 404.
      assertProblem(await t.call('GET', ASSIGNMENT, { ...sm, submissionId, reviewId: 999999 }, { token: editor }), 404);
      assertProblem(await t.call('GET', ROUND, { ...sm, submissionId, reviewRoundId: 999999 }, { token: editor }), 404);
      assertProblem(await t.call('GET', ASSIGNMENTS, { ...sm, submissionId: 999999 }, { token: editor }), 404);
      assertProblem(await t.call('GET', ASSIGNMENTS, { journal: 'nosuchjournal', submissionId }, { token: editor }), 404);
      assertProblem(await t.call('GET', ASSIGNMENTS, { journal: 'other', submissionId }, { token: otherEditor }), 404);
    });

    it('lets an editor limited to recommending post recommendations only, and a deciding editor only decisions', async () => {
      const recommender = await t.tokenFor('section-editor');
      const assigned = await t.call('POST', '/{journal}/api/v1/submissions/{submissionId}/participants', { ...sm, submissionId }, { token: editor, body: { userId: await userOf(t, recommender), role: 'section-editor', recommendOnly: true } });
      assert.equal(assigned.statusCode, 201, assigned.body);
      const refused = assertProblem(await t.call('POST', DECISIONS, { ...sm, submissionId }, { token: recommender, body: { decision: 'decline' } }), 403);
      assert.match(String(refused.detail), /limited to recommending/);
      const round = await t.call<Static<typeof ReviewRound>>('GET', ROUND, { ...sm, submissionId, reviewRoundId: roundId }, { token: recommender });
      assert.deepEqual(round.data.decisionsAvailable, ['recommend-accept', 'recommend-revisions', 'recommend-resubmit', 'recommend-decline']);
      const recommended = await t.call<{ decision: string }>('POST', DECISIONS, { ...sm, submissionId }, { token: recommender, body: { decision: 'recommend-decline', message: 'I would decline.' } });
      assert.equal(recommended.statusCode, 201, recommended.body);
      assertProblem(await t.call('POST', DECISIONS, { ...sm, submissionId }, { token: editor, body: { decision: 'recommend-accept' } }), 403);
      // Editors see the recommendation; the author never does.
      const editors = await t.call<Paged<{ decision: string }>>('GET', DECISIONS, { ...sm, submissionId }, { token: editor });
      assert.deepEqual(editors.data.items.map((d) => d.decision), ['send-to-review', 'recommend-decline']);
      const authors = await t.call<Paged<{ decision: string }>>('GET', DECISIONS, { ...sm, submissionId }, { token: author });
      assert.deepEqual(authors.data.items.map((d) => d.decision), ['send-to-review']);
    });

    it('keeps the reviewer’s routes to the reviewer’s own requests, with a reviewer’s token of this journal', async () => {
      // Someone else's request, an unknown one: 404, whoever asks.
      const otherReviewer = await t.tokenFor('reviewer');
      for (const token of [otherReviewer, editor, author]) {
        assertProblem(await t.call('GET', REVIEW, { ...sm, reviewId }, { token }), 404);
        assertProblem(await t.call('POST', `${REVIEW}/answer`, { ...sm, reviewId }, { token, body: { accept: true } }), 404);
        assertProblem(await t.call('PUT', REVIEW, { ...sm, reviewId }, { token, body: { commentsForAuthor: 'x' } }), 404);
        assertProblem(await t.call('POST', `${REVIEW}/submit`, { ...sm, reviewId }, { token }), 404);
      }
      assertProblem(await t.call('GET', REVIEW, { ...sm, reviewId: 999999 }, { token: reviewer }), 404);
      const empty = await t.call<Paged<unknown>>('GET', REVIEWS, sm, { token: otherReviewer });
      assert.equal(empty.data.itemsMax, 0);
      // Without the reviewer role in the token, or with a token limited to another journal: 403.
      assertProblem(await t.call('GET', REVIEWS, sm, { token: author }), 403);
      const otherJournal = (await t.database.db.selectFrom('journals').select('id').where('path', '=', 'other').executeTakeFirstOrThrow()).id;
      await t.database.db.insertInto('role_assignments').values({ user_id: reviewerId, journal_id: otherJournal, role: 'reviewer' }).execute();
      const elsewhere = (await createApiToken(t.database.db, { userId: reviewerId, name: 'other journal', roles: ['reviewer'], journalId: otherJournal }, new Date())).token;
      assertProblem(await t.call('GET', REVIEW, { ...sm, reviewId }, { token: elsewhere }), 403);
      assertProblem(await t.call('POST', `${REVIEW}/answer`, { ...sm, reviewId }, { token: elsewhere, body: { accept: true } }), 403);
      // Writing before accepting: 409 with the reason; an attachment is refused before its body is read.
      const early = assertProblem(await t.call('PUT', REVIEW, { ...sm, reviewId }, { token: reviewer, body: { commentsForAuthor: 'Early words' } }), 409);
      assert.equal(early.code, 'review-not-accepted');
      const file = await upload(t, `/sm/api/v1/reviews/${reviewId}/attachments`, reviewer, {}, { name: 'notes.pdf', bytes: PDF });
      check('POST', `${REVIEW}/attachments`, file);
      assert.equal(file.statusCode, 409, file.body);
      assertProblem(await t.call('POST', `${REVIEW}/answer`, { ...sm, reviewId }, { token: reviewer, body: { accept: true, declineReason: 'x'.repeat(5001) } }), 400);

      // Declining ends it; the editors see why.
      const declined = await t.call<{ status: string }>('POST', `${REVIEW}/answer`, { ...sm, reviewId }, { token: reviewer, body: { accept: false, declineReason: 'Travelling all month.' } });
      assert.equal(declined.data.status, 'declined');
      const seen = await t.call<Static<typeof ReviewAssignment>>('GET', ASSIGNMENT, { ...sm, submissionId, reviewId }, { token: editor });
      assert.equal(seen.data.declineReason, 'Travelling all month.');
      const listed = await t.call<Paged<unknown>>('GET', REVIEWS, sm, { token: reviewer });
      assert.equal(listed.data.itemsMax, 0, 'a declined request is not on the list by default');
      const all = await t.call<Paged<unknown>>('GET', REVIEWS, sm, { token: reviewer, query: 'status=declined' });
      assert.equal(all.data.itemsMax, 1);
    });

    it('lets only the author (or its editors) upload revisions, and only when they were asked for', async () => {
      const path = `/sm/api/v1/submissions/${submissionId}/reviewRounds/${roundId}/revisions`;
      const notYet = await upload(t, path, author, { kind: 'article' }, { name: 'revised.pdf', bytes: PDF });
      check('POST', `${ROUND}/revisions`, notYet);
      assert.equal(notYet.statusCode, 409, notYet.body);
      assert.equal((JSON.parse(notYet.body) as { code: string }).code, 'revisions-not-requested');
      for (const token of [reviewer, await t.tokenFor('reader')]) {
        const refused = await upload(t, path, token, { kind: 'article' }, { name: 'revised.pdf', bytes: PDF });
        check('POST', `${ROUND}/revisions`, refused);
        assert.equal(refused.statusCode, 404);
      }
      const wrongRound = await upload(t, `/sm/api/v1/submissions/${submissionId}/reviewRounds/999999/revisions`, author, { kind: 'article' }, { name: 'revised.pdf', bytes: PDF });
      assert.equal(wrongRound.statusCode, 404);
    });

    it('never gives a reviewer of a double-anonymous request the authors, in any of its answers', async () => {
      const fresh = await t.tokenFor('reviewer');
      const id = (await t.call<{ id: number }>('POST', ASSIGNMENTS, { ...sm, submissionId }, { token: editor, body: { reviewerId: await userOf(t, fresh) } })).data.id;
      const authorEmail = (await t.database.db.selectFrom('users').select('email').where('id', '=', await userOf(t, author)).executeTakeFirstOrThrow()).email;
      const words = [AUTHOR.given, AUTHOR.family, AUTHOR.affiliation, authorEmail, 'lovelace-engine'];
      const answers = [
        await t.call('GET', REVIEWS, sm, { token: fresh }),
        await t.call('GET', REVIEW, { ...sm, reviewId: id }, { token: fresh }),
        await t.call('POST', `${REVIEW}/answer`, { ...sm, reviewId: id }, { token: fresh, body: { accept: true } }),
        await t.call('PUT', REVIEW, { ...sm, reviewId: id }, { token: fresh, body: { commentsForAuthor: 'Fine.' } }),
      ];
      for (const answer of answers) {
        assert.equal(answer.statusCode, 200, answer.body);
        assertNoneOf(answer.body, words, 'a double-anonymous reviewer’s answer');
      }
    });
  });
}
