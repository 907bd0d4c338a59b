import type { Transaction } from 'kysely';
import { acceptInvitationById, assignRole, revokeInvitation, findUserByEmail, invitationMailClaims, storeInvitation, takeTurn } from '../../../accounts/index.ts';
import { inTransaction, type Db } from '../../../catalog/index.ts';
import type { Anonymity, Database, LocalizedText } from '../../../db/schema.ts';
import { emit } from '../../../platform/events/index.ts';
import { logActivity } from '../../activity.ts';
import { WorkflowError } from '../../errors.ts';
import { findSubmissionForUpdate, type SubmissionRecord } from '../../queries.ts';
import { linkExpiry, newLinkNonce } from '../links.ts';
import { currentRound, findReviewForUpdate, type ReviewRecord, type ReviewRound } from '../queries.ts';
import { remindNow, scheduleReminders } from '../reminders.ts';
import { ANONYMITY_MODES, reviewSettings } from '../settings.ts';

/**
 * Review requests (issue 20, items 2–3): an editor asks a reviewer (an account, or a name and an
 * address that gets an account on accepting), the reviewer answers, the editor changes dates,
 * cancels, reinstates, reminds and rates. Each command locks the submission (or the request) first,
 * writes its activity entry and its event in the same transaction; mails and notifications follow
 * from the events (workflow/review/mail.ts).
 */

type Trx = Transaction<Database>;

const MAX_MESSAGE = 20000;
const EMAIL = /^[^\s@<>()[\]\\,;:"]{1,64}@[A-Za-z0-9](?:[A-Za-z0-9-]{0,62}[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,62}[A-Za-z0-9])?)+$/;

export interface NewReviewer {
  email: string;
  givenName: LocalizedText;
  familyName: LocalizedText;
  /** The language of the request's mail and pages until they have an account. */
  locale: string;
}

export interface ReviewRequestInput {
  journalId: number;
  submissionId: number;
  /** The round asked for (the current one); omitted: the current one. */
  reviewRoundId?: number;
  reviewer: { userId: number } | { newReviewer: NewReviewer };
  anonymity?: Anonymity;
  responseDue?: Date;
  reviewDue?: Date;
  /** A journal's active form; omitted: the round's. */
  reviewFormId?: number | null;
  /** The editor's words in the request's mail (their edited template). */
  message?: string;
  requestedBy: number;
  now: Date;
}

async function lockedSubmission(trx: Db, journalId: number, submissionId: number): Promise<SubmissionRecord> {
  const submission = await findSubmissionForUpdate(trx, journalId, submissionId);
  if (!submission) throw new WorkflowError('participant-unknown', 'submission');
  return submission;
}

/** The round reviewers are asked for: the current one, open. */
async function openRound(trx: Db, submission: SubmissionRecord, reviewRoundId: number | undefined): Promise<ReviewRound> {
  if (submission.status !== 'active' || submission.stage !== 'review') throw new WorkflowError('not-in-review');
  const round = await currentRound(trx, submission.id);
  if (!round) throw new WorkflowError('not-in-review');
  if (reviewRoundId !== undefined && reviewRoundId !== round.id) {
    const known = await trx.selectFrom('review_rounds').select('id').where('id', '=', reviewRoundId).where('submission_id', '=', submission.id).executeTakeFirst();
    throw new WorkflowError(known ? 'round-closed' : 'round-unknown', 'reviewRoundId');
  }
  if (round.status !== 'open') throw new WorkflowError('round-closed', 'reviewRoundId');
  return round;
}

function checkDates(responseDue: Date, reviewDue: Date, now: Date): void {
  if (Number.isNaN(responseDue.getTime()) || responseDue.getTime() <= now.getTime()) throw new WorkflowError('date-invalid', 'responseDue');
  if (Number.isNaN(reviewDue.getTime()) || reviewDue.getTime() < responseDue.getTime()) throw new WorkflowError('date-invalid', 'reviewDue');
}

async function checkForm(trx: Db, journalId: number, formId: number | null): Promise<number | null> {
  if (formId === null) return null;
  const form = await trx.selectFrom('review_forms').select('id').where('id', '=', formId).where('journal_id', '=', journalId).where('is_active', '=', true).executeTakeFirst();
  if (!form) throw new WorkflowError('form-unknown', 'reviewFormId');
  return form.id;
}

/** Whether `userId` (or, for a new reviewer, the address) is one of the submission's authors. */
async function isAuthorOf(trx: Db, submission: SubmissionRecord, who: { userId?: number; email?: string }): Promise<boolean> {
  if (who.userId !== undefined && submission.participants.some((p) => p.role === 'author' && p.userId === who.userId)) return true;
  const email = who.email ?? (who.userId !== undefined ? (await trx.selectFrom('users').select('email').where('id', '=', who.userId).executeTakeFirst())?.email : undefined);
  if (!email) return false;
  const contributor = await trx
    .selectFrom('contributors')
    .select('id')
    .where('publication_id', '=', submission.publicationId)
    .where((eb) => eb(eb.fn('lower', ['email']), '=', email.toLowerCase()))
    .executeTakeFirst();
  return contributor !== undefined;
}

/** Asks a reviewer to review the current round. Returns the request's id. */
export async function requestReview(db: Db, input: ReviewRequestInput): Promise<number> {
  const message = input.message ?? '';
  if (message.length > MAX_MESSAGE) throw new WorkflowError('too-long', 'message', { max: MAX_MESSAGE });
  if (input.anonymity !== undefined && !ANONYMITY_MODES.includes(input.anonymity)) throw new WorkflowError('decision-not-allowed', 'anonymity');
  let newReviewer: NewReviewer | undefined;
  if ('newReviewer' in input.reviewer) {
    const email = input.reviewer.newReviewer.email.trim();
    if (email.length > 254 || !EMAIL.test(email)) throw new WorkflowError('email-invalid', 'email');
    const given = Object.values(input.reviewer.newReviewer.givenName).some((v) => v.trim() !== '');
    const family = Object.values(input.reviewer.newReviewer.familyName).some((v) => v.trim() !== '');
    if (!given && !family) throw new WorkflowError('name-missing', 'givenName');
    newReviewer = { ...input.reviewer.newReviewer, email };
    // Someone with an account is asked as the account; only a new address is an invitation, throttled as the team's are.
    const existing = await findUserByEmail(db, email);
    if (!existing && !db.isTransaction) {
      const turn = await takeTurn(db, invitationMailClaims(email, input.requestedBy), input.now);
      if (!turn.granted) throw new WorkflowError('throttled', 'email', { until: turn.until.toISOString() });
    }
  }
  return inTransaction(db, async (trx) => {
    const submission = await lockedSubmission(trx, input.journalId, input.submissionId);
    const round = await openRound(trx, submission, input.reviewRoundId);
    const settings = await reviewSettings(trx, input.journalId);
    const responseDue = input.responseDue ?? new Date(input.now.getTime() + settings.responseDays * 86400_000);
    const reviewDue = input.reviewDue ?? new Date(input.now.getTime() + settings.reviewDays * 86400_000);
    checkDates(responseDue, reviewDue, input.now);
    const formId = await checkForm(trx, input.journalId, input.reviewFormId === undefined ? round.reviewFormId : input.reviewFormId);

    let reviewerId: number | null = null;
    let invitationId: number | null = null;
    if ('userId' in input.reviewer) {
      const eligible = await trx
        .selectFrom('role_assignments as r')
        .innerJoin('users as u', 'u.id', 'r.user_id')
        .select('u.id')
        .where('r.user_id', '=', input.reviewer.userId)
        .where('r.journal_id', '=', input.journalId)
        .where('r.role', '=', 'reviewer')
        .where('u.disabled_at', 'is', null)
        .executeTakeFirst();
      if (!eligible) throw new WorkflowError('reviewer-not-eligible', 'reviewerId');
      reviewerId = eligible.id;
    } else {
      const existing = await findUserByEmail(trx, newReviewer!.email);
      if (existing) {
        if (existing.disabled_at) throw new WorkflowError('reviewer-not-eligible', 'email');
        await assignRole(trx, existing.id, input.journalId, 'reviewer');
        reviewerId = existing.id;
      } else {
        const { invitation } = await storeInvitation(
          trx,
          { journalId: input.journalId, email: newReviewer!.email, givenName: newReviewer!.givenName, familyName: newReviewer!.familyName, roles: ['reviewer'], locale: newReviewer!.locale, invitedBy: input.requestedBy },
          input.now,
          linkExpiry(responseDue),
        );
        invitationId = invitation.id;
      }
    }
    if (await isAuthorOf(trx, submission, reviewerId !== null ? { userId: reviewerId } : { email: newReviewer!.email })) throw new WorkflowError('reviewer-is-author', 'reviewerId');
    const already = await trx
      .selectFrom('review_assignments as r')
      .leftJoin('invitations as i', 'i.id', 'r.invitation_id')
      .select('r.id')
      .where('r.review_round_id', '=', round.id)
      .where('r.status', '<>', 'cancelled')
      .where((eb) => (reviewerId !== null ? eb('r.reviewer_id', '=', reviewerId) : eb.and([eb('r.reviewer_id', 'is', null), eb(eb.fn('lower', ['i.email']), '=', newReviewer!.email.toLowerCase())])))
      .executeTakeFirst();
    if (already) throw new WorkflowError('reviewer-already-requested', 'reviewerId');

    const row = await trx
      .insertInto('review_assignments')
      .values({
        submission_id: submission.id,
        review_round_id: round.id,
        reviewer_id: reviewerId,
        invitation_id: invitationId,
        anonymity: input.anonymity ?? settings.anonymity,
        review_form_id: formId,
        requested_by: input.requestedBy,
        requested_at: input.now,
        response_due: responseDue,
        review_due: reviewDue,
        request_message: message,
        link_nonce: newLinkNonce(),
        created_at: input.now,
        updated_at: input.now,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    await logActivity(trx, { submissionId: submission.id, userId: input.requestedBy, action: 'review.requested', details: { reviewId: row.id, reviewRoundId: round.id }, at: input.now });
    await emit(trx, { type: 'ReviewRequested', journalId: input.journalId, submissionId: submission.id, reviewId: row.id, reviewRoundId: round.id });
    await scheduleReminders(trx, input.journalId, { id: row.id, status: 'requested', responseDue, reviewDue }, settings, input.now);
    return row.id;
  });
}

/** Who answers a request: the mail's link (its nonce, already checked for signature and time) or the signed-in reviewer. */
export type Answerer = { kind: 'link'; nonce: string } | { kind: 'user'; userId: number };

export interface ReviewAnswer {
  journalId: number;
  reviewId: number;
  accept: boolean;
  by: Answerer;
  declineReason?: string;
  /**
   * For a request made to someone without an account: the account accepting makes (password already
   * hashed; null when the address has an account by now, which keeps its password).
   */
  newAccount?: { givenName: LocalizedText; familyName: LocalizedText; passwordHash: string | null; locale: string };
  now: Date;
}

/** The request, locked, checked to belong to whoever answers and to be still waiting for an answer. */
async function requestToAnswer(trx: Trx, journalId: number, reviewId: number, by: Answerer): Promise<ReviewRecord> {
  const review = await findReviewForUpdate(trx, journalId, reviewId);
  if (!review) throw new WorkflowError('review-unknown');
  if (by.kind === 'user' && review.reviewerId !== by.userId) throw new WorkflowError('review-unknown');
  // An answered request renewed its nonce: the link that answered it (or any earlier one) is spent.
  if (by.kind === 'link' && (by.nonce !== review.linkNonce || review.status !== 'requested')) throw new WorkflowError('link-used');
  if (review.status !== 'requested') throw new WorkflowError('review-not-requested');
  const submission = await trx.selectFrom('submissions').select(['status']).where('id', '=', review.submissionId).executeTakeFirstOrThrow();
  if (submission.status !== 'active') throw new WorkflowError('not-active');
  return review;
}

/** Accepts or declines a request. Returns the reviewer's account (made now for someone invited without one). */
export async function answerReviewRequest(db: Db, input: ReviewAnswer): Promise<{ reviewerId: number | null; newAccount: boolean }> {
  const reason = input.declineReason ?? '';
  if (reason.length > 5000) throw new WorkflowError('too-long', 'declineReason', { max: 5000 });
  return inTransaction(db, async (trx) => {
    const review = await requestToAnswer(trx, input.journalId, input.reviewId, input.by);
    let reviewerId = review.reviewerId;
    let newAccount = false;
    if (reviewerId === null) {
      if (input.accept) {
        if (!input.newAccount) throw new WorkflowError('name-missing', 'password');
        const accepted = await acceptInvitationById(trx, review.invitationId!, input.newAccount, input.now);
        if (!accepted) throw new WorkflowError('link-expired');
        reviewerId = accepted.userId;
        newAccount = !accepted.existingAccount;
        const twice = await trx
          .selectFrom('review_assignments')
          .select('id')
          .where('review_round_id', '=', review.reviewRoundId)
          .where('reviewer_id', '=', reviewerId)
          .where('status', '<>', 'cancelled')
          .executeTakeFirst();
        if (twice) throw new WorkflowError('reviewer-already-requested');
      } else if (review.invitationId !== null) {
        await revokeInvitation(trx, review.invitationId, input.journalId, input.now);
      }
    }
    const status = input.accept ? 'accepted' : 'declined';
    await trx
      .updateTable('review_assignments')
      .set({ status, reviewer_id: reviewerId, responded_at: input.now, decline_reason: input.accept ? '' : reason, link_nonce: newLinkNonce(), updated_at: input.now })
      .where('id', '=', review.id)
      .execute();
    await logActivity(trx, { submissionId: review.submissionId, userId: reviewerId, action: input.accept ? 'review.accepted' : 'review.declined', details: { reviewId: review.id }, at: input.now });
    await emit(trx, { type: 'ReviewRequestAnswered', journalId: input.journalId, submissionId: review.submissionId, reviewId: review.id, accepted: input.accept });
    if (input.accept) await scheduleReminders(trx, input.journalId, { id: review.id, status: 'accepted', responseDue: review.responseDue, reviewDue: review.reviewDue }, await reviewSettings(trx, input.journalId), input.now);
    return { reviewerId, newAccount };
  });
}

interface EditorAction {
  journalId: number;
  reviewId: number;
  by: number;
  now: Date;
}

async function requestToManage(trx: Trx, journalId: number, reviewId: number): Promise<ReviewRecord> {
  const review = await findReviewForUpdate(trx, journalId, reviewId);
  if (!review) throw new WorkflowError('review-unknown');
  const submission = await trx.selectFrom('submissions').select('status').where('id', '=', review.submissionId).executeTakeFirstOrThrow();
  if (submission.status !== 'active') throw new WorkflowError('not-active');
  return review;
}

/** Withdraws a request not yet reviewed; the reviewer is told. */
export async function cancelReview(db: Db, input: EditorAction): Promise<void> {
  await inTransaction(db, async (trx) => {
    const review = await requestToManage(trx, input.journalId, input.reviewId);
    if (review.status !== 'requested' && review.status !== 'accepted') throw new WorkflowError('review-not-accepted');
    await trx.updateTable('review_assignments').set({ status: 'cancelled', cancelled_at: input.now, link_nonce: newLinkNonce(), updated_at: input.now }).where('id', '=', review.id).execute();
    await logActivity(trx, { submissionId: review.submissionId, userId: input.by, action: 'review.cancelled', details: { reviewId: review.id }, at: input.now });
    await emit(trx, { type: 'ReviewRequestChanged', journalId: input.journalId, submissionId: review.submissionId, reviewId: review.id, change: 'cancelled' });
  });
}

/**
 * Brings a cancelled request back: accepted again if the reviewer had accepted, else waiting for an
 * answer (with a new link); dates that have passed are moved on by the journal's periods.
 */
export async function reinstateReview(db: Db, input: EditorAction): Promise<void> {
  await inTransaction(db, async (trx) => {
    const review = await requestToManage(trx, input.journalId, input.reviewId);
    if (review.status !== 'cancelled') throw new WorkflowError('review-not-cancelled');
    const round = await currentRound(trx, review.submissionId);
    if (!round || round.id !== review.reviewRoundId || round.status !== 'open') throw new WorkflowError('round-closed');
    if (review.reviewerId !== null) {
      const twice = await trx.selectFrom('review_assignments').select('id').where('review_round_id', '=', review.reviewRoundId).where('reviewer_id', '=', review.reviewerId).where('status', '<>', 'cancelled').executeTakeFirst();
      if (twice) throw new WorkflowError('reviewer-already-requested');
    }
    const settings = await reviewSettings(trx, input.journalId);
    const status = review.respondedAt !== null ? 'accepted' : 'requested';
    const responseDue = review.responseDue.getTime() > input.now.getTime() ? review.responseDue : new Date(input.now.getTime() + settings.responseDays * 86400_000);
    const reviewDue = review.reviewDue.getTime() > responseDue.getTime() ? review.reviewDue : new Date(input.now.getTime() + settings.reviewDays * 86400_000);
    await trx
      .updateTable('review_assignments')
      .set({ status, cancelled_at: null, response_due: responseDue, review_due: reviewDue, link_nonce: newLinkNonce(), updated_at: input.now })
      .where('id', '=', review.id)
      .execute();
    await logActivity(trx, { submissionId: review.submissionId, userId: input.by, action: 'review.reinstated', details: { reviewId: review.id }, at: input.now });
    await emit(trx, { type: 'ReviewRequestChanged', journalId: input.journalId, submissionId: review.submissionId, reviewId: review.id, change: 'reinstated' });
    await scheduleReminders(trx, input.journalId, { id: review.id, status, responseDue, reviewDue }, settings, input.now);
  });
}

/** New due dates for a request still waiting for its answer or its review; reminders follow the new dates. */
export async function changeReviewDates(db: Db, input: EditorAction & { responseDue: Date; reviewDue: Date }): Promise<void> {
  await inTransaction(db, async (trx) => {
    const review = await requestToManage(trx, input.journalId, input.reviewId);
    if (review.status !== 'requested' && review.status !== 'accepted') throw new WorkflowError('review-not-accepted');
    // An accepted request's answer date is history: only its review date must lie ahead.
    if (review.status === 'requested') checkDates(input.responseDue, input.reviewDue, input.now);
    else if (Number.isNaN(input.reviewDue.getTime()) || input.reviewDue.getTime() <= input.now.getTime()) throw new WorkflowError('date-invalid', 'reviewDue');
    const responseDue = review.status === 'requested' ? input.responseDue : review.responseDue;
    await trx.updateTable('review_assignments').set({ response_due: responseDue, review_due: input.reviewDue, updated_at: input.now }).where('id', '=', review.id).execute();
    await logActivity(trx, { submissionId: review.submissionId, userId: input.by, action: 'review.dates-changed', details: { reviewId: review.id }, at: input.now });
    await emit(trx, { type: 'ReviewRequestChanged', journalId: input.journalId, submissionId: review.submissionId, reviewId: review.id, change: 'dates' });
    await scheduleReminders(trx, input.journalId, { id: review.id, status: review.status, responseDue, reviewDue: input.reviewDue }, await reviewSettings(trx, input.journalId), input.now);
  });
}

/** A reminder now, at an editor's asking (once at a time: a reminder still queued is not doubled). */
export async function remindReviewer(db: Db, input: EditorAction): Promise<boolean> {
  return inTransaction(db, async (trx) => {
    const review = await requestToManage(trx, input.journalId, input.reviewId);
    if (review.status !== 'requested' && review.status !== 'accepted') throw new WorkflowError('review-not-accepted');
    return remindNow(trx, input.journalId, review, input.now);
  });
}

/** An editor's rating of a completed review (1–5), shown in reviewer search. */
export async function rateReview(db: Db, input: EditorAction & { rating: number }): Promise<void> {
  if (!Number.isInteger(input.rating) || input.rating < 1 || input.rating > 5) throw new WorkflowError('rating-invalid', 'rating');
  await inTransaction(db, async (trx) => {
    const review = await findReviewForUpdate(trx, input.journalId, input.reviewId);
    if (!review) throw new WorkflowError('review-unknown');
    if (review.status !== 'submitted') throw new WorkflowError('review-not-submitted');
    await trx.updateTable('review_assignments').set({ rating: input.rating, rated_by: input.by, rated_at: input.now, updated_at: input.now }).where('id', '=', review.id).execute();
    await logActivity(trx, { submissionId: review.submissionId, userId: input.by, action: 'review.rated', details: { reviewId: review.id, rating: input.rating }, at: input.now });
  });
}
