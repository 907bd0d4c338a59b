import type { FastifyRequest } from 'fastify';
import type { Kysely } from 'kysely';
import type { Principal } from '../../../accounts/index.ts';
import type { JournalSummary } from '../../../catalog/index.ts';
import type { Database } from '../../../db/index.ts';
import { NotFoundError, TokenRequiredError } from '../../../platform/http/index.ts';
import { findReview, findSubmission, reviewResource, WorkflowError, type ReviewRecord, type SubmissionRecord } from '../../../workflow/index.ts';
import { NotAllowedError, requireCallerCan } from '../../auth.ts';
import { journalOf } from '../common.ts';
import { readableSubmission } from '../submissions/workflow-routes.ts';

/**
 * Who reaches which review resource. Under `/submissions/{id}/…`: the submission must be one the
 * caller reads (404 otherwise, as for an id that does not exist), and its review is its editors'
 * (`submission.manage-review`, 403 for its authors). Under `/reviews/…`: the caller's own requests,
 * with a token carrying the journal's reviewer role; someone else's request is a 404.
 */

type Db = Kysely<Database>;

export function callerOf(request: FastifyRequest): Principal {
  if (!request.apiCaller) throw new TokenRequiredError('missing');
  return request.apiCaller.principal;
}

/** The submission, for its editors (404 for whoever may not read it, 403 for its authors). */
export async function reviewedSubmission(db: Db, request: FastifyRequest, journalPath: string, submissionId: number): Promise<{ journal: JournalSummary; record: SubmissionRecord }> {
  const found = await readableSubmission(db, request, journalPath, submissionId);
  requireCallerCan(request, 'submission.manage-review', found.record.resource);
  return found;
}

/** A request of the submission, for its editors (`review.manage` or `review.read`). */
export async function managedReview(db: Db, request: FastifyRequest, params: { journal: string; submissionId: number; reviewId: number }, action: 'review.read' | 'review.manage') {
  const { journal, record } = await reviewedSubmission(db, request, params.journal, params.submissionId);
  const review = await findReview(db, journal.id, params.reviewId);
  if (!review || review.submissionId !== record.id) throw new NotFoundError(`no review request ${params.reviewId} of submission ${record.id}`);
  requireCallerCan(request, action, reviewResource(review, record));
  return { journal, record, review };
}

/** The caller's own request: 404 when it is not theirs, 403 when the token does not carry the journal's reviewer role. */
export async function ownReview(db: Db, request: FastifyRequest, journalPath: string, reviewId: number): Promise<{ journal: JournalSummary; review: ReviewRecord; submission: SubmissionRecord }> {
  const principal = callerOf(request);
  const journal = await journalOf(db, journalPath);
  const review = await findReview(db, journal.id, reviewId);
  if (!review || review.reviewerId !== principal.userId) throw new NotFoundError(`no review request ${reviewId} of yours`);
  requireReviewerToken(principal, journal.id);
  const submission = (await findSubmission(db, journal.id, review.submissionId))!;
  requireCallerCan(request, 'review.read', reviewResource(review, submission));
  return { journal, review, submission };
}

export function requireReviewerToken(principal: Principal, journalId: number): void {
  if (!principal.roles.get(journalId)?.has('reviewer')) throw new NotAllowedError();
}

/**
 * The reviewer's write `action` on their request: one in the wrong state is refused with the state's
 * reason (409), the rest asked of the policy.
 */
export function requireReviewerAction(request: FastifyRequest, action: 'review.respond' | 'review.write', review: ReviewRecord, submission: SubmissionRecord): void {
  if (action === 'review.respond' && review.status !== 'requested') throw new WorkflowError('review-not-requested');
  if (action === 'review.write' && review.status !== 'accepted') throw new WorkflowError('review-not-accepted');
  if (submission.status !== 'active') throw new WorkflowError('not-active');
  requireCallerCan(request, action, reviewResource(review, submission));
}
