import type { FastifyRequest } from 'fastify';
import { can } from '../../accounts/index.ts';
import type { Db } from '../../catalog/index.ts';
import type { SafeHtml } from '../../ui/index.ts';
import type { PageContext } from '../../ui/index.ts';
import { decisionsAvailable, lateness, reviewerLetter, reviewRounds, reviewsOfSubmission } from '../review/index.ts';
import { submissionFiles, type SubmissionFileEntry, type SubmissionRecord } from '../queries.ts';
import { displayName, submissionBase } from './review-editor-shared.ts';
import { REVIEW_NOTICE_LABEL, REVIEW_NOTICES, type ReviewNotice } from './views/review-stage-labels.tsx';
import { ReviewStageSection, type RecordedDecision, type ReviewStageView, type RoundFile } from './views/review-stage.tsx';

/**
 * The Review section of the submission page (issue 20) for the submission's editors: the rounds
 * (`?round=N`), each with its files, the author's revisions, the reviewers with what they did, and
 * the decisions possible now (or, for a section editor limited to recommending, the recommendations).
 * Nothing for anyone else (an author's view of the review is the author's part of the page).
 */
export async function reviewStageSection(db: Db, request: FastifyRequest, ctx: PageContext, submission: SubmissionRecord, now: Date): Promise<SafeHtml | undefined> {
  const user = request.viewer.user;
  if (submission.status === 'draft' || !can(user, 'submission.manage-review', submission.resource)) return undefined;
  const recommendOnly = can(user, 'submission.recommend', submission.resource);
  const rounds = await reviewRounds(db, submission.id);
  const current = rounds.at(-1);
  const query = (request.query ?? {}) as { round?: string; reviewNotice?: string };
  const asked = query.round && /^[0-9]{1,3}$/.test(query.round) ? rounds.find((r) => r.round === Number(query.round)) : undefined;
  const round = asked ?? current;
  const isCurrent = round !== undefined && round.id === current?.id;
  const roundNow = submission.stage === 'review' ? current : undefined;

  const [files, reviews, decisions] = await Promise.all([
    round ? submissionFiles(db, submission.id, 'review') : Promise.resolve([]),
    reviewsOfSubmission(db, submission.id),
    db
      .selectFrom('editorial_decisions as d')
      .leftJoin('users as u', 'u.id', 'd.editor_id')
      .select(['d.id', 'd.decision', 'd.review_round_id', 'd.stage', 'd.message', 'd.created_at', 'u.email', 'u.given_name', 'u.family_name'])
      .where('d.submission_id', '=', submission.id)
      .orderBy('d.id')
      .execute(),
  ]);
  const ofRound = files.filter((f) => f.reviewRoundId === round?.id);
  const toFile = (f: SubmissionFileEntry): RoundFile => ({ id: f.id, name: f.name, sizeBytes: f.sizeBytes, createdAt: f.createdAt });
  const recorded: RecordedDecision[] = decisions
    // What was decided before any round (recommendations in the submission stage) is shown with round 1.
    .filter((d) => (round ? d.review_round_id === round.id || (d.review_round_id === null && round.round === 1) : true))
    .map((d) => ({
      decision: d.decision,
      editor: d.email ? displayName(ctx, { email: d.email, givenName: d.given_name ?? {}, familyName: d.family_name ?? {} }) : ctx.t('submissionPage.someone'),
      at: d.created_at,
      message: d.message,
    }));
  const notice = query.reviewNotice && (REVIEW_NOTICES as readonly string[]).includes(query.reviewNotice) ? ctx.t(REVIEW_NOTICE_LABEL[query.reviewNotice as ReviewNotice]) : undefined;
  const view: ReviewStageView = {
    base: submissionBase(request, submission.id),
    recommendOnly,
    status: submission.status,
    stage: submission.stage,
    rounds,
    ...(round ? { round } : {}),
    isCurrent,
    reviewFiles: ofRound.filter((f) => f.reviewPurpose === 'review-file').map(toFile),
    revisions: ofRound.filter((f) => f.reviewPurpose === 'revision').map(toFile),
    reviews: round
      ? reviews
          .filter((r) => r.reviewRoundId === round.id)
          .map((review) => ({ review, letter: reviewerLetter(reviews, review), late: lateness(review, now), name: displayName(ctx, review.reviewer), invited: review.reviewerId === null }))
      : [],
    // Decisions act on the current round only: an earlier round's tab shows what happened there.
    decisions: round && !isCurrent ? [] : decisionsAvailable(submission, roundNow, recommendOnly).filter((d) => d !== 'send-to-production' && d !== 'back-to-copyediting'),
    // (Production's decisions are the Copyediting section's: copyediting.ts.)
    recorded,
    manageRequests: isCurrent && submission.status === 'active' && submission.stage === 'review',
    ...(notice ? { notice } : {}),
  };
  return ReviewStageSection({ ctx, view });
}
