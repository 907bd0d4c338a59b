import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Kysely } from 'kysely';
import { assignRole, insertUser } from '../../../accounts/index.ts';
import type { Database, DatabaseHandle, RoleName } from '../../../db/index.ts';
import { listEvents } from '../../../platform/events/index.ts';
import { testDatabases } from '../../../../test/support/databases.ts';
import { assignParticipant } from '../../commands/participants.ts';
import { addSubmissionFile, createDraft, saveSubmissionDetails, submitSubmission } from '../../commands/submissions.ts';
import { findSubmission, submissionFiles } from '../../queries.ts';
import { readReviewLink, signReviewLink } from '../links.ts';
import { currentRound, findReview, reviewRounds } from '../queries.ts';
import { REVIEW_REMINDER_JOB, reminderStillDue, type ReminderPayload } from '../reminders.ts';
import { recordDecision, uploadRevision } from './decisions.ts';
import { answerReviewRequest, cancelReview, changeReviewDates, rateReview, reinstateReview, requestReview } from './requests.ts';
import { saveReview } from './reviews.ts';
import { refused } from '../../../../test/support/refused.ts';
import { openDemoJournal } from '../../../../test/support/demo-journal.ts';

const DAY = 86400_000;
const t0 = new Date('2026-05-04T08:00:00Z');
const at = (days: number) => new Date(t0.getTime() + days * DAY);

for (const database of await testDatabases()) {
  describe(`review commands on ${database.name}`, () => {
    let handle: DatabaseHandle;
    let db: Kysely<Database>;
    let journalId: number;
    let sectionId: number;
    const people: Record<string, number> = {};

    async function person(name: string, roles: RoleName[]): Promise<number> {
      const user = await insertUser(db, { email: `${name}@example.org`, givenName: { en: name }, familyName: { en: 'Test' }, affiliation: {}, orcid: null, country: null, preferredLocale: null, privacyConsentAt: t0 }, null);
      for (const role of roles) await assignRole(db, user!.id, journalId, role);
      people[name] = user!.id;
      return user!.id;
    }

    async function submitted(): Promise<number> {
      const id = await createDraft(db, { journalId, userId: people.author!, sectionId, locale: 'en', commentsForEditor: '', checklistConfirmed: true, agreementsAccepted: true, now: t0 });
      await addSubmissionFile(db, { journalId, submissionId: id, userId: people.author!, kind: 'article', upload: { storageKey: `ab/${crypto.randomUUID()}`, sizeBytes: 10, sha256: 'c'.repeat(64), mimeType: 'application/pdf', originalName: 'Nowak-draft.pdf' }, now: t0 });
      await saveSubmissionDetails(db, journalId, id, people.author!, { prefix: {}, title: { en: 'Borders' }, subtitle: {}, abstract: { en: 'An abstract.' }, keywords: {} }, t0);
      await submitSubmission(db, journalId, id, people.author!, t0);
      await assignParticipant(db, { journalId, submissionId: id, userId: people.editor!, role: 'editor', assignedBy: people.editor!, now: t0 });
      return id;
    }

    async function inReview(): Promise<{ id: number; roundId: number }> {
      const id = await submitted();
      const files = await submissionFiles(db, id, 'submission');
      await recordDecision(db, { journalId, submissionId: id, decision: 'send-to-review', editorId: people.editor!, recommendOnly: false, fileIds: files.map((f) => f.id), now: t0 });
      return { id, roundId: (await currentRound(db, id))!.id };
    }

    const decide = (submissionId: number, decision: Parameters<typeof recordDecision>[1]['decision'], extra: Partial<Parameters<typeof recordDecision>[1]> = {}) =>
      recordDecision(db, { journalId, submissionId, decision, editorId: people.editor!, recommendOnly: false, now: at(1), ...extra });

    const ask = (submissionId: number, reviewer: string, extra: Partial<Parameters<typeof requestReview>[1]> = {}) =>
      requestReview(db, { journalId, submissionId, reviewer: { userId: people[reviewer]! }, requestedBy: people.editor!, now: t0, ...extra });

    before(async () => {
      ({ handle, db, journalId, sectionId } = await openDemoJournal(database));
      // These reviews are the free kind (recommendation and comments): the demo's default form, with its required questions, is put aside.
      await db.updateTable('review_forms').set({ is_default: false }).where('journal_id', '=', journalId).execute();
      await person('author', []);
      await person('editor', ['editor']);
      await person('sectioneditor', ['section-editor']);
      await person('reviewer1', ['reviewer']);
      await person('reviewer2', ['reviewer']);
      await person('reader', ['reader']);
    });
    after(() => handle.close());

    it('sends to review with the chosen files as round 1; refuses decisions out of order', async () => {
      const id = await submitted();
      await refused(decide(id, 'request-revisions'), 'decision-not-allowed');
      await refused(decide(id, 'new-round'), 'decision-not-allowed');
      await refused(decide(id, 'send-to-review', { fileIds: [] }), 'files-missing');
      const files = await submissionFiles(db, id, 'submission');
      await decide(id, 'send-to-review', { fileIds: files.map((f) => f.id) });
      const submission = (await findSubmission(db, journalId, id))!;
      assert.equal(submission.stage, 'review');
      const rounds = await reviewRounds(db, id);
      assert.deepEqual(rounds.map((r) => [r.round, r.status]), [[1, 'open']]);
      const reviewFiles = await submissionFiles(db, id, 'review');
      assert.deepEqual(reviewFiles.map((f) => [f.name, f.reviewRoundId, f.fileId]), [['Nowak-draft.pdf', rounds[0]!.id, files[0]!.fileId]]);
      await refused(decide(id, 'send-to-review', { fileIds: files.map((f) => f.id) }), 'decision-not-allowed');
      await refused(decide(id, 'initial-decline'), 'decision-not-allowed');
      await refused(decide(id, 'recommend-accept'), 'decision-not-allowed');
    });

    it('asks a reviewer once per round, never an author, an unknown form or dates in the past; emits and schedules reminders', async () => {
      const { id, roundId } = await inReview();
      const before = (await listEvents(db, { type: 'ReviewRequested', limit: 1000 })).length;
      const reviewId = await ask(id, 'reviewer1');
      const review = (await findReview(db, journalId, reviewId))!;
      assert.equal(review.status, 'requested');
      assert.equal(review.anonymity, 'double-anonymous');
      assert.equal(review.responseDue.getTime(), at(7).getTime());
      assert.equal(review.reviewDue.getTime(), at(28).getTime());
      const events = (await listEvents(db, { type: 'ReviewRequested', limit: 1000 })).slice(before);
      assert.deepEqual(events.map((e) => e.event), [{ type: 'ReviewRequested', journalId, submissionId: id, reviewId, reviewRoundId: roundId }]);
      const jobs = await db.selectFrom('jobs').select(['run_at', 'payload']).where('kind', '=', REVIEW_REMINDER_JOB).where('key', 'like', `review-reminder:${reviewId}:%`).orderBy('run_at').execute();
      assert.deepEqual(jobs.map((j) => [(j.payload as ReminderPayload).which, j.run_at.getTime()]), [
        ['response-before', at(5).getTime()],
        ['response-after', at(10).getTime()],
      ]);

      await refused(ask(id, 'reviewer1'), 'reviewer-already-requested');
      await refused(ask(id, 'reader'), 'reviewer-not-eligible');
      await assignRole(db, people.author!, journalId, 'reviewer');
      await refused(ask(id, 'author'), 'reviewer-is-author');
      await refused(ask(id, 'reviewer2', { responseDue: at(-1) }), 'date-invalid');
      await refused(ask(id, 'reviewer2', { responseDue: at(10), reviewDue: at(9) }), 'date-invalid');
      await refused(ask(id, 'reviewer2', { reviewFormId: 999999 }), 'form-unknown');
      const count = await db.selectFrom('review_assignments').select((eb) => eb.fn.countAll<number>().as('n')).where('submission_id', '=', id).executeTakeFirstOrThrow();
      assert.equal(Number(count.n), 1, 'nothing written by the refusals');
    });

    it('answers by link once: the nonce is spent; a declined request cannot be accepted', async () => {
      const { id } = await inReview();
      const reviewId = await ask(id, 'reviewer1');
      const review = (await findReview(db, journalId, reviewId))!;
      const secret = 'test-secret';
      const token = signReviewLink(secret, { reviewId, purpose: 'accept', expiresAt: at(21), nonce: review.linkNonce });
      const link = readReviewLink(secret, token, 'accept', at(1));
      assert.ok(link.ok);
      assert.deepEqual(readReviewLink(secret, token, 'decline', at(1)), { ok: false, reason: 'invalid' }, 'an accept link cannot decline');
      assert.deepEqual(readReviewLink(secret, token, 'accept', at(22)), { ok: false, reason: 'expired' });
      assert.deepEqual(readReviewLink(secret, token.replace(/.$/, (c) => (c === 'A' ? 'B' : 'A')), 'accept', at(1)), { ok: false, reason: 'invalid' });
      assert.deepEqual(readReviewLink('another', token, 'accept', at(1)), { ok: false, reason: 'invalid' });

      await answerReviewRequest(db, { journalId, reviewId, accept: true, by: { kind: 'link', nonce: link.ok ? link.nonce : '' }, now: at(1) });
      assert.equal((await findReview(db, journalId, reviewId))!.status, 'accepted');
      await refused(answerReviewRequest(db, { journalId, reviewId, accept: true, by: { kind: 'link', nonce: review.linkNonce }, now: at(1) }), 'link-used');
      await refused(answerReviewRequest(db, { journalId, reviewId, accept: false, by: { kind: 'user', userId: people.reviewer1! }, now: at(1) }), 'review-not-requested');
      // The accepted reviewer reads the round's files; before, nobody but the editors did.
      const submission = (await findSubmission(db, journalId, id))!;
      assert.ok(submission.resource.assignments.some((a) => a.role === 'reviewer' && a.userId === people.reviewer1));

      const other = await ask(id, 'reviewer2');
      await refused(answerReviewRequest(db, { journalId, reviewId: other, accept: true, by: { kind: 'user', userId: people.reviewer1! }, now: at(1) }), 'review-unknown');
      await answerReviewRequest(db, { journalId, reviewId: other, accept: false, declineReason: 'Away', by: { kind: 'user', userId: people.reviewer2! }, now: at(1) });
      const declined = (await findReview(db, journalId, other))!;
      assert.equal(declined.status, 'declined');
      assert.equal(declined.declineReason, 'Away');
    });

    it('invites someone without an account: accepting makes the account with the reviewer role', async () => {
      const { id } = await inReview();
      const reviewId = await requestReview(db, {
        journalId,
        submissionId: id,
        reviewer: { newReviewer: { email: 'New.Reviewer@Example.org', givenName: { en: 'Nina' }, familyName: { en: 'New' }, locale: 'en' } },
        requestedBy: people.editor!,
        now: t0,
      });
      const review = (await findReview(db, journalId, reviewId))!;
      assert.equal(review.reviewerId, null);
      assert.equal(review.reviewer.email, 'New.Reviewer@Example.org');
      await refused(
        requestReview(db, { journalId, submissionId: id, reviewer: { newReviewer: { email: 'new.reviewer@example.org', givenName: { en: 'Nina' }, familyName: {}, locale: 'en' } }, requestedBy: people.editor!, now: t0 }),
        'reviewer-already-requested',
      );
      await refused(requestReview(db, { journalId, submissionId: id, reviewer: { newReviewer: { email: 'not an address', givenName: { en: 'X' }, familyName: {}, locale: 'en' } }, requestedBy: people.editor!, now: t0 }), 'email-invalid');
      await refused(answerReviewRequest(db, { journalId, reviewId, accept: true, by: { kind: 'link', nonce: review.linkNonce }, now: at(1) }), 'name-missing');
      const answer = await answerReviewRequest(db, {
        journalId,
        reviewId,
        accept: true,
        by: { kind: 'link', nonce: review.linkNonce },
        newAccount: { givenName: { en: 'Nina' }, familyName: { en: 'New' }, passwordHash: 'x', locale: 'en' },
        now: at(1),
      });
      assert.equal(answer.newAccount, true);
      const roles = await db.selectFrom('role_assignments').select('role').where('user_id', '=', answer.reviewerId!).where('journal_id', '=', journalId).execute();
      assert.deepEqual(roles.map((r) => r.role), ['reviewer']);
      assert.equal((await findReview(db, journalId, reviewId))!.reviewerId, answer.reviewerId);
    });

    it('reviews: a draft keeps what was written; sending needs a recommendation; editors rate it', async () => {
      const { id } = await inReview();
      const reviewId = await ask(id, 'reviewer1');
      const review = { journalId, reviewId, userId: people.reviewer1!, commentsForAuthor: 'Good.', commentsForEditor: 'Fine.', answers: {}, now: at(2) };
      await refused(saveReview(db, { ...review, recommendation: null, submit: false }), 'review-not-accepted');
      await answerReviewRequest(db, { journalId, reviewId, accept: true, by: { kind: 'user', userId: people.reviewer1! }, now: at(1) });
      await saveReview(db, { ...review, recommendation: null, submit: false });
      assert.equal((await findReview(db, journalId, reviewId))!.commentsForAuthor, 'Good.');
      await refused(saveReview(db, { ...review, recommendation: null, submit: true }), 'recommendation-missing');
      await refused(saveReview(db, { ...review, userId: people.reviewer2!, recommendation: 'accept', submit: true }), 'review-unknown');
      await refused(rateReview(db, { journalId, reviewId, by: people.editor!, rating: 4, now: at(3) }), 'review-not-submitted');
      await saveReview(db, { ...review, recommendation: 'minor-revisions', submit: true });
      const sent = (await findReview(db, journalId, reviewId))!;
      assert.equal(sent.status, 'submitted');
      assert.equal(sent.recommendation, 'minor-revisions');
      await refused(saveReview(db, { ...review, recommendation: 'accept', submit: true }), 'review-not-accepted');
      await refused(rateReview(db, { journalId, reviewId, by: people.editor!, rating: 6, now: at(3) }), 'rating-invalid');
      await rateReview(db, { journalId, reviewId, by: people.editor!, rating: 4, now: at(3) });
      assert.equal((await findReview(db, journalId, reviewId))!.rating, 4);
    });

    it('cancels, reinstates and re-dates a request; reminders follow the dates', async () => {
      const { id } = await inReview();
      const reviewId = await ask(id, 'reviewer1');
      await changeReviewDates(db, { journalId, reviewId, by: people.editor!, responseDue: at(14), reviewDue: at(40), now: at(1) });
      const moved = (await findReview(db, journalId, reviewId))!;
      const old: ReminderPayload = { journalId, reviewId, which: 'response-before', due: at(7).toISOString() };
      assert.equal(reminderStillDue(moved, old), false, 'a reminder of the old date does nothing');
      assert.equal(reminderStillDue(moved, { ...old, due: at(14).toISOString() }), true);
      const keys = await db.selectFrom('jobs').select('key').where('key', 'like', `review-reminder:${reviewId}:%`).execute();
      assert.ok(keys.some((k) => k.key === `review-reminder:${reviewId}:response-before:${at(14).getTime()}`));

      await cancelReview(db, { journalId, reviewId, by: people.editor!, now: at(2) });
      assert.equal((await findReview(db, journalId, reviewId))!.status, 'cancelled');
      assert.equal(reminderStillDue((await findReview(db, journalId, reviewId))!, { ...old, due: at(14).toISOString() }), false);
      await refused(cancelReview(db, { journalId, reviewId, by: people.editor!, now: at(2) }), 'review-not-accepted');
      // Cancelled, the reviewer may be asked anew; then the old request cannot come back beside it.
      const again = await ask(id, 'reviewer1', { now: at(2) });
      await refused(reinstateReview(db, { journalId, reviewId, by: people.editor!, now: at(3) }), 'reviewer-already-requested');
      await cancelReview(db, { journalId, reviewId: again, by: people.editor!, now: at(3) });
      await reinstateReview(db, { journalId, reviewId, by: people.editor!, now: at(3) });
      assert.equal((await findReview(db, journalId, reviewId))!.status, 'requested');
      await refused(reinstateReview(db, { journalId, reviewId, by: people.editor!, now: at(3) }), 'review-not-cancelled');
    });

    it('waits for reviews where the journal says so; requests revisions, takes a revision, opens round 2, accepts', async () => {
      const { id, roundId } = await inReview();
      const first = await ask(id, 'reviewer1');
      await answerReviewRequest(db, { journalId, reviewId: first, accept: true, by: { kind: 'user', userId: people.reviewer1! }, now: at(1) });
      await db.insertInto('review_settings').values({ journal_id: journalId, min_reviews: 1, wait_for_reviews: true }).onConflict((oc) => oc.column('journal_id').doUpdateSet({ min_reviews: 1, wait_for_reviews: true })).execute();
      try {
        await refused(decide(id, 'accept'), 'too-few-reviews');
        await saveReview(db, { journalId, reviewId: first, userId: people.reviewer1!, recommendation: 'major-revisions', commentsForAuthor: 'Revise.', commentsForEditor: '', answers: {}, submit: true, now: at(2) });
        const second = await ask(id, 'reviewer2');
        await refused(decide(id, 'request-revisions'), 'reviews-outstanding');
        await cancelReview(db, { journalId, reviewId: second, by: people.editor!, now: at(2) });
        await refused(decide(id, 'request-revisions', { sharedReviewIds: [second] }), 'review-not-shareable');
        await decide(id, 'request-revisions', { sharedReviewIds: [first], message: 'Please revise.' });
      } finally {
        await db.deleteFrom('review_settings').where('journal_id', '=', journalId).execute();
      }
      assert.equal((await currentRound(db, id))!.status, 'revisions-requested');
      await refused(ask(id, 'reviewer2'), 'round-closed');
      await refused(decide(id, 'request-revisions'), 'decision-not-allowed');

      const upload = { storageKey: `ab/${crypto.randomUUID()}`, sizeBytes: 12, sha256: 'd'.repeat(64), mimeType: 'application/pdf', originalName: 'revised.pdf' };
      await uploadRevision(db, { journalId, submissionId: id, userId: people.author!, kind: 'article', upload, now: at(5) });
      assert.equal((await currentRound(db, id))!.status, 'revisions-submitted');
      assert.equal((await listEvents(db, { type: 'RevisionsSubmitted', limit: 1000 })).filter((e) => e.event.type === 'RevisionsSubmitted' && e.event.submissionId === id).length, 1);

      const revision = (await submissionFiles(db, id, 'review')).find((f) => f.name === 'revised.pdf')!;
      await decide(id, 'new-round', { fileIds: [revision.id], now: at(6) });
      const rounds = await reviewRounds(db, id);
      assert.deepEqual(rounds.map((r) => [r.round, r.status, r.closedAt !== null]), [
        [1, 'revisions-submitted', true],
        [2, 'open', false],
      ]);
      assert.notEqual(rounds[1]!.id, roundId);
      await refused(uploadRevision(db, { journalId, submissionId: id, userId: people.author!, kind: 'article', upload, now: at(7) }), 'revisions-not-requested');
      await decide(id, 'accept', { now: at(8) });
      const submission = (await findSubmission(db, journalId, id))!;
      assert.equal(submission.stage, 'copyediting');
      assert.equal((await currentRound(db, id))!.status, 'accepted');
      const decisions = await db.selectFrom('editorial_decisions').select(['decision', 'shared_review_ids']).where('submission_id', '=', id).orderBy('id').execute();
      assert.deepEqual(decisions.map((d) => d.decision), ['send-to-review', 'request-revisions', 'new-round', 'accept']);
    });

    it('declines and reverts; a recommend-only editor only recommends', async () => {
      const { id } = await inReview();
      await refused(decide(id, 'recommend-decline'), 'decision-not-allowed');
      await refused(decide(id, 'decline', { recommendOnly: true }), 'decision-not-allowed');
      await decide(id, 'recommend-decline', { recommendOnly: true, editorId: people.sectioneditor! });
      assert.equal((await findSubmission(db, journalId, id))!.status, 'active', 'a recommendation changes nothing');
      await decide(id, 'decline');
      assert.equal((await findSubmission(db, journalId, id))!.status, 'declined');
      assert.equal((await currentRound(db, id))!.status, 'declined');
      await refused(decide(id, 'accept'), 'decision-not-allowed');
      await refused(ask(id, 'reviewer1'), 'not-in-review');
      await decide(id, 'revert-decline');
      assert.equal((await findSubmission(db, journalId, id))!.status, 'active');
      assert.equal((await currentRound(db, id))!.status, 'open');
      await refused(decide(id, 'revert-decline'), 'decision-not-allowed');
    });
  });
}
