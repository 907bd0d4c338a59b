import { forgetUnreferencedFiles, inTransaction, recordFile, type Db } from '../../../catalog/index.ts';
import type { Recommendation } from '../../../db/schema.ts';
import { emit } from '../../../platform/events/index.ts';
import { isActiveContentType } from '../../../storage/index.ts';
import { logActivity } from '../../activity.ts';
import { cleanName, type StoredUpload } from '../../commands/submissions.ts';
import { WorkflowError } from '../../errors.ts';
import { checkResponses, reviewForm, saveResponses, type ResponseValue } from '../forms/index.ts';
import { findReviewForUpdate, type ReviewRecord } from '../queries.ts';

/**
 * The reviewer's side (issue 20, item 6): the review is saved as a draft as often as the reviewer
 * likes, then sent once; sending needs a recommendation and every required question of the form.
 * The editors are told and the reviewer thanked by the `ReviewSubmitted` event's subscribers.
 */

export const RECOMMENDATIONS: readonly Recommendation[] = ['accept', 'minor-revisions', 'major-revisions', 'resubmit-for-review', 'resubmit-elsewhere', 'decline', 'see-comments'];

const MAX_COMMENTS = 50000;
export const MAX_REVIEW_ATTACHMENTS = 10;
export const MAX_REVIEW_ATTACHMENT_BYTES = 50 * 1024 * 1024;

export interface ReviewInput {
  journalId: number;
  reviewId: number;
  /** The reviewer (checked against the request). */
  userId: number;
  recommendation: Recommendation | null;
  commentsForAuthor: string;
  commentsForEditor: string;
  competingInterests?: string;
  /** Answers to the form's questions, by element id (as the form's fields `answer-<id>` carry them). */
  answers: Record<string, ResponseValue | undefined>;
  /** Send the review (else: save the draft). */
  submit: boolean;
  now: Date;
}

/** The request of the reviewer, locked, while the review is under way. */
async function reviewUnderWay(trx: Db, journalId: number, reviewId: number, userId: number): Promise<ReviewRecord> {
  const review = await findReviewForUpdate(trx, journalId, reviewId);
  if (!review || review.reviewerId !== userId) throw new WorkflowError('review-unknown');
  if (review.status !== 'accepted') throw new WorkflowError('review-not-accepted');
  const submission = await trx.selectFrom('submissions').select('status').where('id', '=', review.submissionId).executeTakeFirstOrThrow();
  if (submission.status !== 'active') throw new WorkflowError('not-active');
  return review;
}

/**
 * Saves the review (a draft, or sent with `submit`). A refusal names the first field at fault; the
 * caller keeps what was typed. Nothing is written when it throws.
 */
export async function saveReview(db: Db, input: ReviewInput): Promise<void> {
  for (const [field, text] of [
    ['commentsForAuthor', input.commentsForAuthor],
    ['commentsForEditor', input.commentsForEditor],
  ] as const) {
    if (text.length > MAX_COMMENTS) throw new WorkflowError('too-long', field, { max: MAX_COMMENTS });
  }
  if ((input.competingInterests ?? '').length > 5000) throw new WorkflowError('too-long', 'competingInterests', { max: 5000 });
  if (input.recommendation !== null && !RECOMMENDATIONS.includes(input.recommendation)) throw new WorkflowError('recommendation-missing', 'recommendation');
  await inTransaction(db, async (trx) => {
    const review = await reviewUnderWay(trx, input.journalId, input.reviewId, input.userId);
    const form = review.reviewFormId === null ? undefined : await reviewForm(trx, input.journalId, review.reviewFormId);
    if (form) {
      const checked = checkResponses(form, input.answers, { final: input.submit });
      const first = checked.errors[0];
      if (first) throw new WorkflowError(first.code, `answer-${first.elementId}`, first.code === 'too-long' ? { max: 20000 } : {});
      await saveResponses(trx, review.id, checked.values);
    }
    if (input.submit) {
      if (input.recommendation === null) throw new WorkflowError('recommendation-missing', 'recommendation');
      // Without a form, the comments are the review: one of them must say something.
      if (!form && input.commentsForAuthor.trim() === '' && input.commentsForEditor.trim() === '') throw new WorkflowError('answer-missing', 'commentsForAuthor');
    }
    await trx
      .updateTable('review_assignments')
      .set({
        recommendation: input.recommendation,
        comments_for_author: input.commentsForAuthor,
        comments_for_editor: input.commentsForEditor,
        competing_interests: input.competingInterests ?? review.competingInterests,
        ...(input.submit ? { status: 'submitted' as const, submitted_at: input.now } : {}),
        updated_at: input.now,
      })
      .where('id', '=', review.id)
      .execute();
    if (input.submit) {
      await logActivity(trx, { submissionId: review.submissionId, userId: input.userId, action: 'review.submitted', details: { reviewId: review.id }, at: input.now });
      await emit(trx, { type: 'ReviewSubmitted', journalId: input.journalId, submissionId: review.submissionId, reviewId: review.id });
    }
  });
}

/** Adds a file to a review under way (the reviewer's annotated copy, a report). Returns its id. */
export async function addReviewAttachment(db: Db, input: { journalId: number; reviewId: number; userId: number; upload: StoredUpload; now: Date }): Promise<number> {
  if (input.upload.sizeBytes === 0) throw new WorkflowError('file-empty', 'file');
  if (input.upload.sizeBytes > MAX_REVIEW_ATTACHMENT_BYTES) throw new WorkflowError('file-too-large', 'file', { max: MAX_REVIEW_ATTACHMENT_BYTES });
  if (isActiveContentType(input.upload.mimeType)) throw new WorkflowError('file-type-not-allowed', 'file', { type: input.upload.mimeType });
  return inTransaction(db, async (trx) => {
    const review = await reviewUnderWay(trx, input.journalId, input.reviewId, input.userId);
    const count = await trx.selectFrom('review_attachments').select((eb) => eb.fn.countAll<number>().as('n')).where('review_assignment_id', '=', review.id).executeTakeFirstOrThrow();
    if (Number(count.n) >= MAX_REVIEW_ATTACHMENTS) throw new WorkflowError('too-many-files', 'file', { max: MAX_REVIEW_ATTACHMENTS });
    const name = cleanName(input.upload.originalName);
    const fileId = await recordFile(trx, { storageKey: input.upload.storageKey, mimeType: input.upload.mimeType, sizeBytes: input.upload.sizeBytes, sha256: input.upload.sha256, originalName: name });
    const row = await trx.insertInto('review_attachments').values({ review_assignment_id: review.id, file_id: fileId, name, created_at: input.now }).returning('id').executeTakeFirstOrThrow();
    return row.id;
  });
}

export async function removeReviewAttachment(db: Db, input: { journalId: number; reviewId: number; userId: number; attachmentId: number; now: Date }): Promise<void> {
  await inTransaction(db, async (trx) => {
    const review = await reviewUnderWay(trx, input.journalId, input.reviewId, input.userId);
    const removed = await trx.deleteFrom('review_attachments').where('id', '=', input.attachmentId).where('review_assignment_id', '=', review.id).returning('file_id').executeTakeFirst();
    if (!removed) throw new WorkflowError('file-unknown', 'attachmentId');
    await forgetUnreferencedFiles(trx, [removed.file_id]);
  });
}

/** Editors choose which attachments of a completed review the author may see (with the decision). */
export async function shareReviewAttachment(db: Db, input: { journalId: number; reviewId: number; attachmentId: number; visibleToAuthor: boolean }): Promise<void> {
  await inTransaction(db, async (trx) => {
    const review = await findReviewForUpdate(trx, input.journalId, input.reviewId);
    if (!review) throw new WorkflowError('review-unknown');
    const updated = await trx.updateTable('review_attachments').set({ visible_to_author: input.visibleToAuthor }).where('id', '=', input.attachmentId).where('review_assignment_id', '=', review.id).executeTakeFirst();
    if (Number(updated.numUpdatedRows) === 0) throw new WorkflowError('file-unknown', 'attachmentId');
  });
}
