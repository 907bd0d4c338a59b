import type { Db } from '../../catalog/index.ts';
import type { Anonymity, LocalizedText, Recommendation, ReviewRoundStatus, ReviewStatus } from '../../db/schema.ts';
import type { ReviewResource } from '../policy.ts';
import type { SubmissionRecord } from '../queries.ts';

/** A review round of a submission. */
export interface ReviewRound {
  id: number;
  submissionId: number;
  round: number;
  status: ReviewRoundStatus;
  reviewFormId: number | null;
  createdAt: Date;
  closedAt: Date | null;
}

/** A review request and, once written, the review. */
export interface ReviewRecord {
  id: number;
  submissionId: number;
  reviewRoundId: number;
  round: number;
  reviewerId: number | null;
  invitationId: number | null;
  /** Who is asked: the account's names, or the invitation's while there is no account. */
  reviewer: { email: string; givenName: LocalizedText; familyName: LocalizedText };
  anonymity: Anonymity;
  reviewFormId: number | null;
  status: ReviewStatus;
  requestedBy: number | null;
  requestedAt: Date;
  responseDue: Date;
  reviewDue: Date;
  respondedAt: Date | null;
  submittedAt: Date | null;
  cancelledAt: Date | null;
  declineReason: string;
  requestMessage: string;
  linkNonce: string;
  recommendation: Recommendation | null;
  commentsForAuthor: string;
  commentsForEditor: string;
  competingInterests: string;
  rating: number | null;
  ratedAt: Date | null;
  lastRemindedAt: Date | null;
  updatedAt: Date;
}

export function toRound(row: { id: number; submission_id: number; round: number; status: ReviewRoundStatus; review_form_id: number | null; created_at: Date; closed_at: Date | null }): ReviewRound {
  return { id: row.id, submissionId: row.submission_id, round: row.round, status: row.status, reviewFormId: row.review_form_id, createdAt: row.created_at, closedAt: row.closed_at };
}

/** A submission's rounds, first to last. */
export async function reviewRounds(db: Db, submissionId: number): Promise<ReviewRound[]> {
  const rows = await db.selectFrom('review_rounds').selectAll().where('submission_id', '=', submissionId).orderBy('round').execute();
  return rows.map(toRound);
}

/** The round under way: the last one. */
export async function currentRound(db: Db, submissionId: number): Promise<ReviewRound | undefined> {
  const row = await db.selectFrom('review_rounds').selectAll().where('submission_id', '=', submissionId).orderBy('round', 'desc').limit(1).executeTakeFirst();
  return row ? toRound(row) : undefined;
}

function reviewQuery(db: Db) {
  return db
    .selectFrom('review_assignments as r')
    .innerJoin('review_rounds as rr', 'rr.id', 'r.review_round_id')
    .leftJoin('users as u', 'u.id', 'r.reviewer_id')
    .leftJoin('invitations as i', 'i.id', 'r.invitation_id')
    .selectAll('r')
    .select(['rr.round', 'u.email as user_email', 'u.given_name as user_given', 'u.family_name as user_family', 'i.email as invited_email', 'i.given_name as invited_given', 'i.family_name as invited_family']);
}

type ReviewRow = Awaited<ReturnType<ReturnType<typeof reviewQuery>['executeTakeFirstOrThrow']>>;

function toReview(row: ReviewRow): ReviewRecord {
  return {
    id: row.id,
    submissionId: row.submission_id,
    reviewRoundId: row.review_round_id,
    round: row.round,
    reviewerId: row.reviewer_id,
    invitationId: row.invitation_id,
    reviewer: {
      email: row.user_email ?? row.invited_email ?? '',
      givenName: row.user_given ?? row.invited_given ?? {},
      familyName: row.user_family ?? row.invited_family ?? {},
    },
    anonymity: row.anonymity,
    reviewFormId: row.review_form_id,
    status: row.status,
    requestedBy: row.requested_by,
    requestedAt: row.requested_at,
    responseDue: row.response_due,
    reviewDue: row.review_due,
    respondedAt: row.responded_at,
    submittedAt: row.submitted_at,
    cancelledAt: row.cancelled_at,
    declineReason: row.decline_reason,
    requestMessage: row.request_message,
    linkNonce: row.link_nonce,
    recommendation: row.recommendation,
    commentsForAuthor: row.comments_for_author,
    commentsForEditor: row.comments_for_editor,
    competingInterests: row.competing_interests,
    rating: row.rating,
    ratedAt: row.rated_at,
    lastRemindedAt: row.last_reminded_at,
    updatedAt: row.updated_at,
  };
}

/** One review request by id, when it belongs to a submission of the journal. */
export async function findReview(db: Db, journalId: number, reviewId: number): Promise<ReviewRecord | undefined> {
  if (!Number.isSafeInteger(reviewId) || reviewId <= 0 || reviewId > 2147483647) return undefined;
  const row = await reviewQuery(db)
    .innerJoin('submissions as s', 's.id', 'r.submission_id')
    .where('r.id', '=', reviewId)
    .where('s.journal_id', '=', journalId)
    .executeTakeFirst();
  return row ? toReview(row) : undefined;
}

/** `findReview` with the request's row locked until the transaction ends. Only inside a transaction. */
export async function findReviewForUpdate(trx: Db, journalId: number, reviewId: number): Promise<ReviewRecord | undefined> {
  if (!Number.isSafeInteger(reviewId) || reviewId <= 0 || reviewId > 2147483647) return undefined;
  const locked = await trx.selectFrom('review_assignments').select('id').where('id', '=', reviewId).forUpdate().executeTakeFirst();
  return locked ? findReview(trx, journalId, reviewId) : undefined;
}

/** Every request of a submission (all rounds), in the order they were made. */
export async function reviewsOfSubmission(db: Db, submissionId: number): Promise<ReviewRecord[]> {
  const rows = await reviewQuery(db).where('r.submission_id', '=', submissionId).orderBy('r.id').execute();
  return rows.map(toReview);
}

/** A review request, as policies are asked with it. */
export function reviewResource(review: Pick<ReviewRecord, 'id' | 'reviewerId' | 'status' | 'reviewRoundId'>, submission: SubmissionRecord): ReviewResource {
  return { kind: 'review', reviewId: review.id, reviewerId: review.reviewerId, status: review.status, reviewRoundId: review.reviewRoundId, submission: submission.resource };
}

/**
 * The letter a reviewer goes by wherever the other side must not learn who they are ("Reviewer A"):
 * the order of their request in its round, cancelled ones included, so a letter never changes.
 */
export function reviewerLetter(reviews: readonly Pick<ReviewRecord, 'id' | 'reviewRoundId'>[], review: Pick<ReviewRecord, 'id' | 'reviewRoundId'>): string {
  const index = reviews.filter((r) => r.reviewRoundId === review.reviewRoundId).sort((a, b) => a.id - b.id).findIndex((r) => r.id === review.id);
  const n = Math.max(index, 0);
  return n < 26 ? String.fromCharCode(65 + n) : `${String.fromCharCode(65 + Math.floor(n / 26) - 1)}${String.fromCharCode(65 + (n % 26))}`;
}

/** Whether a request is late: not answered by its answer date, or accepted and not in by its review date. */
export function lateness(review: Pick<ReviewRecord, 'status' | 'responseDue' | 'reviewDue'>, now: Date): 'response' | 'review' | null {
  if (review.status === 'requested' && review.responseDue.getTime() < now.getTime()) return 'response';
  if (review.status === 'accepted' && review.reviewDue.getTime() < now.getTime()) return 'review';
  return null;
}
