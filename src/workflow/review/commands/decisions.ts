import type { Transaction } from 'kysely';
import { inTransaction, recordFile, type Db } from '../../../catalog/index.ts';
import type { Database, DecisionKind, ReviewRoundStatus } from '../../../db/schema.ts';
import { emit } from '../../../platform/events/index.ts';
import { logActivity } from '../../activity.ts';
import { checkUpload, cleanName, type StoredUpload } from '../../commands/submissions.ts';
import { WorkflowError } from '../../errors.ts';
import { copyProductionReadyFiles } from '../../production/production-ready.ts';
import { findSubmissionForUpdate, type SubmissionRecord } from '../../queries.ts';
import { submissionSettings } from '../../settings/read.ts';
import { defaultReviewForm } from '../forms/index.ts';
import { currentRound, type ReviewRound } from '../queries.ts';
import { reviewSettings } from '../settings.ts';

/**
 * Editorial decisions (issue 20, item 7) and what they do to the submission and its rounds:
 *
 * | decision | when | then |
 * |---|---|---|
 * | send-to-review | submission stage | review stage, round 1 with the chosen files |
 * | accept | submission stage (review skipped) or review stage | copyediting stage; the round accepted |
 * | request-revisions | review stage | round: revisions requested (the author uploads revisions) |
 * | resubmit | review stage | round: resubmit requested (revisions go to a new round) |
 * | new-round | review stage, after revisions were asked for | next round with the chosen (revised) files |
 * | decline | review stage | declined; the round declined |
 * | initial-decline | submission stage | declined |
 * | revert-decline | declined | active again, at the stage it was declined in |
 * | recommend-* | submission or review stage, by an editor limited to recommending | recorded, the deciding editors told |
 * | send-to-production | copyediting stage | production stage; the chosen copyedited files (`fileIds`) copied as production-ready (production/copyediting.ts) |
 * | back-to-copyediting | production stage | copyediting stage again (the production-ready files stay) |
 *
 * Anything else is out of order and refused (`decision-not-allowed`). Accept, revisions and resubmit
 * in review also wait for the journal's minimum of completed reviews and, where it asks so, for every
 * outstanding review of the round.
 */

type Trx = Transaction<Database>;

export const DECISIONS: readonly DecisionKind[] = [
  'send-to-review',
  'accept',
  'request-revisions',
  'resubmit',
  'new-round',
  'decline',
  'initial-decline',
  'revert-decline',
  'recommend-accept',
  'recommend-revisions',
  'recommend-resubmit',
  'recommend-decline',
  'send-to-production',
  'back-to-copyediting',
];

export const RECOMMENDATION_DECISIONS: readonly DecisionKind[] = ['recommend-accept', 'recommend-revisions', 'recommend-resubmit', 'recommend-decline'];

const MAX_MESSAGE = 50000;

export interface DecisionInput {
  journalId: number;
  submissionId: number;
  decision: DecisionKind;
  editorId: number;
  /** Whether the editor is limited to recommending (the page's policy check says): then only recommendations. */
  recommendOnly: boolean;
  /** The mail to the author (or, for a recommendation, to the deciding editors), as the editor edited it. */
  message?: string;
  /** Completed reviews of the current round whose comments for the author go with the decision. */
  sharedReviewIds?: readonly number[];
  /** send-to-review and new-round: the submission files (ids) the round reviews. */
  fileIds?: readonly number[];
  /** Whether the author is emailed (the editor may record a decision silently). */
  notifyAuthor?: boolean;
  now: Date;
}

/** The decisions possible now, for the page's buttons (the command checks again). */
export function decisionsAvailable(submission: Pick<SubmissionRecord, 'status' | 'stage'>, round: Pick<ReviewRound, 'status'> | undefined, recommendOnly: boolean): DecisionKind[] {
  return DECISIONS.filter((d) => allowed(d, submission, round, recommendOnly));
}

function allowed(decision: DecisionKind, submission: Pick<SubmissionRecord, 'status' | 'stage'>, round: Pick<ReviewRound, 'status'> | undefined, recommendOnly: boolean): boolean {
  const recommendation = RECOMMENDATION_DECISIONS.includes(decision);
  if (recommendation !== recommendOnly) return false;
  if (decision === 'revert-decline') return submission.status === 'declined';
  if (submission.status !== 'active') return false;
  const inSubmission = submission.stage === 'submission';
  const inReview = submission.stage === 'review' && round !== undefined;
  const roundUndecided = inReview && (['open', 'revisions-requested', 'revisions-submitted', 'resubmit-requested'] as ReviewRoundStatus[]).includes(round!.status);
  switch (decision) {
    case 'send-to-review':
    case 'initial-decline':
      return inSubmission;
    case 'accept':
      return inSubmission || roundUndecided;
    case 'request-revisions':
      // Asked for already and not yet answered: asking again is no new decision.
      return roundUndecided && round!.status !== 'revisions-requested';
    case 'resubmit':
      return roundUndecided && round!.status !== 'resubmit-requested';
    case 'decline':
      return roundUndecided;
    case 'new-round':
      return inReview && (['revisions-requested', 'revisions-submitted', 'resubmit-requested'] as ReviewRoundStatus[]).includes(round!.status);
    case 'recommend-accept':
    case 'recommend-decline':
      return inSubmission || roundUndecided;
    case 'recommend-revisions':
    case 'recommend-resubmit':
      return roundUndecided;
    case 'send-to-production':
      return submission.stage === 'copyediting';
    case 'back-to-copyediting':
      return submission.stage === 'production';
    default:
      return false;
  }
}

/** The waiting rules of the journal, for decisions that act on the round's reviews. */
async function checkReviewsIn(trx: Trx, journalId: number, round: ReviewRound): Promise<void> {
  const settings = await reviewSettings(trx, journalId);
  const rows = await trx.selectFrom('review_assignments').select('status').where('review_round_id', '=', round.id).execute();
  const submitted = rows.filter((r) => r.status === 'submitted').length;
  if (submitted < settings.minReviews) throw new WorkflowError('too-few-reviews', 'decision', { min: settings.minReviews });
  if (settings.waitForReviews && rows.some((r) => r.status === 'requested' || r.status === 'accepted')) throw new WorkflowError('reviews-outstanding', 'decision');
}

/** Puts submission files into a round as its review files (the same stored bytes, rows of the round). */
async function filesIntoRound(trx: Trx, submission: SubmissionRecord, roundId: number, fileIds: readonly number[], editorId: number, now: Date): Promise<void> {
  const ids = [...new Set(fileIds)];
  if (ids.length === 0) throw new WorkflowError('files-missing', 'fileIds');
  const files = await trx.selectFrom('submission_files').selectAll().where('submission_id', '=', submission.id).where('id', 'in', ids).execute();
  if (files.length !== ids.length) throw new WorkflowError('file-unknown', 'fileIds');
  for (const file of files) {
    const row = await trx
      .insertInto('submission_files')
      .values({ submission_id: submission.id, stage: 'review', kind: file.kind, file_id: file.file_id, name: file.name, uploaded_by: editorId, review_round_id: roundId, review_purpose: 'review-file', created_at: now, updated_at: now })
      .returning('id')
      .executeTakeFirstOrThrow();
    await trx.insertInto('submission_file_revisions').values({ submission_file_id: row.id, file_id: file.file_id, uploaded_by: editorId, created_at: now }).execute();
  }
}

async function openRound(trx: Trx, submission: SubmissionRecord, number: number, editorId: number, fileIds: readonly number[], now: Date): Promise<number> {
  const form = await defaultReviewForm(trx, submission.journalId);
  const round = await trx
    .insertInto('review_rounds')
    .values({ submission_id: submission.id, round: number, status: 'open', review_form_id: form?.id ?? null, created_by: editorId, created_at: now })
    .returning('id')
    .executeTakeFirstOrThrow();
  await filesIntoRound(trx, submission, round.id, fileIds, editorId, now);
  await logActivity(trx, { submissionId: submission.id, userId: editorId, action: 'round.opened', details: { reviewRoundId: round.id, round: number }, at: now });
  return round.id;
}

/** Records a decision (or a recommendation) and does what it means. Returns the decision's id. */
export async function recordDecision(db: Db, input: DecisionInput): Promise<number> {
  const message = input.message ?? '';
  if (message.length > MAX_MESSAGE) throw new WorkflowError('too-long', 'message', { max: MAX_MESSAGE });
  if (!DECISIONS.includes(input.decision)) throw new WorkflowError('decision-not-allowed', 'decision');
  return inTransaction(db, async (trx) => {
    const submission = await findSubmissionForUpdate(trx, input.journalId, input.submissionId);
    if (!submission) throw new WorkflowError('participant-unknown', 'submission');
    const round = submission.stage === 'review' ? await currentRound(trx, submission.id) : undefined;
    if (!allowed(input.decision, submission, round, input.recommendOnly)) throw new WorkflowError('decision-not-allowed', 'decision');

    const shared = [...new Set(input.sharedReviewIds ?? [])];
    if (shared.length > 0) {
      if (!round) throw new WorkflowError('review-not-shareable', 'sharedReviewIds');
      const shareable = await trx.selectFrom('review_assignments').select('id').where('review_round_id', '=', round.id).where('status', '=', 'submitted').where('id', 'in', shared).execute();
      if (shareable.length !== shared.length) throw new WorkflowError('review-not-shareable', 'sharedReviewIds');
    }

    const { now, editorId } = input;
    let roundId = round?.id ?? null;
    const setRound = (status: ReviewRoundStatus, closed = false) => trx.updateTable('review_rounds').set({ status, ...(closed ? { closed_at: now } : {}) }).where('id', '=', round!.id).execute();
    const setSubmission = (values: { status?: 'active' | 'declined'; stage?: 'review' | 'copyediting' | 'production' }) => trx.updateTable('submissions').set({ ...values, updated_at: now }).where('id', '=', submission.id).execute();
    switch (input.decision) {
      case 'send-to-review':
        roundId = await openRound(trx, submission, 1, editorId, input.fileIds ?? [], now);
        await setSubmission({ stage: 'review' });
        break;
      case 'new-round': {
        await setRound(round!.status, true);
        roundId = await openRound(trx, submission, round!.round + 1, editorId, input.fileIds ?? [], now);
        break;
      }
      case 'accept':
        if (round) {
          await checkReviewsIn(trx, input.journalId, round);
          await setRound('accepted', true);
        }
        await setSubmission({ stage: 'copyediting' });
        break;
      case 'request-revisions':
        await checkReviewsIn(trx, input.journalId, round!);
        await setRound('revisions-requested');
        break;
      case 'resubmit':
        await checkReviewsIn(trx, input.journalId, round!);
        await setRound('resubmit-requested');
        break;
      case 'decline':
        await setRound('declined', true);
        await setSubmission({ status: 'declined' });
        break;
      case 'initial-decline':
        await setSubmission({ status: 'declined' });
        break;
      case 'send-to-production':
        await copyProductionReadyFiles(trx, submission, input.fileIds ?? [], editorId, now);
        await setSubmission({ stage: 'production' });
        break;
      case 'back-to-copyediting':
        await setSubmission({ stage: 'copyediting' });
        break;
      case 'revert-decline': {
        await setSubmission({ status: 'active' });
        const last = submission.stage === 'review' ? await currentRound(trx, submission.id) : undefined;
        if (last?.status === 'declined') await trx.updateTable('review_rounds').set({ status: 'open', closed_at: null }).where('id', '=', last.id).execute();
        roundId = last?.id ?? null;
        break;
      }
      default:
        // Recommendations change nothing but the record; the deciding editors are told.
        break;
    }
    const row = await trx
      .insertInto('editorial_decisions')
      .values({ submission_id: submission.id, review_round_id: roundId, stage: submission.stage, decision: input.decision, editor_id: editorId, message, shared_review_ids: shared, created_at: now })
      .returning('id')
      .executeTakeFirstOrThrow();
    await logActivity(trx, { submissionId: submission.id, userId: editorId, action: 'decision.recorded', details: { decisionId: row.id, decision: input.decision, ...(roundId !== null ? { reviewRoundId: roundId } : {}) }, at: now });
    // Production's layout editors are told a submission reached them whether or not the author is.
    if (input.notifyAuthor !== false || RECOMMENDATION_DECISIONS.includes(input.decision) || input.decision === 'send-to-production') {
      await emit(trx, { type: 'DecisionRecorded', journalId: input.journalId, submissionId: submission.id, decisionId: row.id, decision: input.decision });
    }
    return row.id;
  });
}

/**
 * The author's revised file for a round whose revisions were asked for (revisions or resubmit). The
 * first revision marks the round's revisions as submitted and tells the editors.
 */
export async function uploadRevision(db: Db, input: { journalId: number; submissionId: number; userId: number; kind: string; upload: StoredUpload; now: Date }): Promise<number> {
  return inTransaction(db, async (trx) => {
    const submission = await findSubmissionForUpdate(trx, input.journalId, input.submissionId);
    if (!submission) throw new WorkflowError('participant-unknown', 'submission');
    if (submission.status !== 'active' || submission.stage !== 'review') throw new WorkflowError('not-in-review');
    const round = await currentRound(trx, submission.id);
    if (!round || !(['revisions-requested', 'revisions-submitted', 'resubmit-requested'] as ReviewRoundStatus[]).includes(round.status)) throw new WorkflowError('revisions-not-requested');
    const kind = (await submissionSettings(trx, input.journalId)).fileKinds.find((k) => k.key === input.kind);
    if (!kind) throw new WorkflowError('file-kind-unknown', 'kind');
    checkUpload(kind, input.upload);
    const name = cleanName(input.upload.originalName);
    const fileId = await recordFile(trx, { storageKey: input.upload.storageKey, mimeType: input.upload.mimeType, sizeBytes: input.upload.sizeBytes, sha256: input.upload.sha256, originalName: name });
    const row = await trx
      .insertInto('submission_files')
      .values({ submission_id: submission.id, stage: 'review', kind: input.kind, file_id: fileId, name, uploaded_by: input.userId, review_round_id: round.id, review_purpose: 'revision', created_at: input.now, updated_at: input.now })
      .returning('id')
      .executeTakeFirstOrThrow();
    await trx.insertInto('submission_file_revisions').values({ submission_file_id: row.id, file_id: fileId, uploaded_by: input.userId, created_at: input.now }).execute();
    await logActivity(trx, { submissionId: submission.id, userId: input.userId, action: 'revision.uploaded', details: { fileId: row.id, reviewRoundId: round.id, name }, at: input.now });
    if (round.status === 'revisions-requested') {
      await trx.updateTable('review_rounds').set({ status: 'revisions-submitted' }).where('id', '=', round.id).execute();
      await emit(trx, { type: 'RevisionsSubmitted', journalId: input.journalId, submissionId: submission.id, reviewRoundId: round.id, userId: input.userId });
    } else if (round.status === 'resubmit-requested') {
      // Resubmission: the editors are told at the first revised file too; the round stays "resubmit requested" until a new round opens.
      const earlier = await trx.selectFrom('submission_files').select('id').where('review_round_id', '=', round.id).where('review_purpose', '=', 'revision').where('id', '<>', row.id).executeTakeFirst();
      if (!earlier) await emit(trx, { type: 'RevisionsSubmitted', journalId: input.journalId, submissionId: submission.id, reviewRoundId: round.id, userId: input.userId });
    }
    return row.id;
  });
}
