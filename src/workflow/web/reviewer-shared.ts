import type { FastifyRequest } from 'fastify';
import { can } from '../../accounts/index.ts';
import type { Db } from '../../catalog/index.ts';
import { NotFoundError, parseId } from '../../platform/http/index.ts';
import { findSubmission, type SubmissionRecord } from '../queries.ts';
import { findReview, reviewResource, type ReviewRecord } from '../review/queries.ts';
import type { ReviewResource } from '../policy.ts';
import { reviewerFileName } from '../review/anonymize/index.ts';
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

/**
 * The name a reviewer sees a round's file under, as its download (reviewer-files.ts) sends it: never
 * the uploaded one, which may name the authors.
 */
export function reviewFileName(review: Pick<ReviewRecord, 'submissionId' | 'round'>, file: RoundFile, files: readonly RoundFile[], kinds: readonly { key: string; name: Record<string, string> }[]): string {
  const kind = kinds.find((k) => k.key === file.kind);
  const number = files.filter((f) => f.kind === file.kind).indexOf(file) + 1;
  return reviewerFileName({ submissionId: review.submissionId, round: review.round, kind: kind?.name.en ?? file.kind, mimeType: file.mimeType, number });
}
