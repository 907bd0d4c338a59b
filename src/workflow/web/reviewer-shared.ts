import type { FastifyRequest } from 'fastify';
import { can } from '../../accounts/index.ts';
import type { Db } from '../../catalog/index.ts';
import { NotFoundError, parseId } from '../../platform/http/index.ts';
import { findSubmission, type SubmissionRecord } from '../queries.ts';
import { findReview, reviewResource, type ReviewRecord } from '../review/queries.ts';
import type { ReviewResource } from '../policy.ts';
import { requestedSubmission, type RoundFile } from './reviewer-data.ts';
import type { RequestView } from './views/reviewer-request.tsx';

/** Pieces the reviewer's pages share (issue 20): the request as shown, the request behind an address. */

export async function requestView(db: Db, review: ReviewRecord, locale: string): Promise<RequestView> {
  return {
    submission: await requestedSubmission(db, review, locale),
    round: review.round,
    anonymity: review.anonymity,
    requestedAt: review.requestedAt,
    responseDue: review.responseDue,
    reviewDue: review.reviewDue,
    message: review.requestMessage,
  };
}

export interface ReviewAtAddress {
  review: ReviewRecord;
  submission: SubmissionRecord;
  resource: ReviewResource;
}

/**
 * The request at `/:journal/reviewer/review/:reviewId`, when the viewer may read it (its reviewer;
 * the submission's editors). Anyone else gets the same 404 as for an id that does not exist.
 */
export async function reviewOr404(db: Db, request: FastifyRequest, reviewIdText: string): Promise<ReviewAtAddress> {
  const journal = request.viewer.journal;
  const review = journal ? await findReview(db, journal.id, parseId(reviewIdText)) : undefined;
  const submission = review ? await findSubmission(db, journal!.id, review.submissionId) : undefined;
  if (!review || !submission) throw new NotFoundError();
  const resource = reviewResource(review, submission);
  if (!can(request.viewer.user, 'review.read', resource)) throw new NotFoundError();
  return { review, submission, resource };
}

/** The name a reviewer sees and downloads a round's file under: never the uploaded one, which may name the authors. */
export function reviewFileName(review: Pick<ReviewRecord, 'submissionId' | 'round'>, file: RoundFile, files: readonly RoundFile[]): string {
  const sameKind = files.filter((f) => f.kind === file.kind);
  const number = sameKind.indexOf(file) + 1;
  const extension = /\/pdf$/.test(file.mimeType) ? 'pdf' : 'bin';
  return `submission-${review.submissionId}-round-${review.round}-${file.kind}${number > 1 ? `-${number}` : ''}.${extension}`;
}
