import type { FastifyRequest } from 'fastify';
import type { Kysely } from 'kysely';
import { publicationContributors, type JournalSummary } from '../../../catalog/index.ts';
import type { Database } from '../../../db/index.ts';
import { answerReviewRequest, findReview, findSubmission, removeReviewAttachment, reviewForm, reviewResponses, saveReview, type ReviewRecord, type SubmissionRecord } from '../../../workflow/index.ts';
import { JournalParams, type Static } from '../../../platform/http/index.ts';
import { journalOf, pageOf, Paged } from '../common.ts';
import type { ApiDeps, ApiRoutes } from '../deps.ts';
import { workflowRefusals } from '../submissions/workflow-schema.ts';
import { callerCan } from '../../auth.ts';
import { callerOf, ownReview, requireReviewerAction, requireReviewerToken } from './access.ts';
import { answersOut, presentAttachment, presentReviewerReview, presentReviewerSummary } from './presenter.ts';
import { publicationTexts, reviewAttachments, reviewerRequests, roundFiles } from './queries.ts';
import { AttachmentParams, ReviewAnswer, ReviewAttachment, ReviewDraft, ReviewerListQuery, ReviewerReview, ReviewerReviewSummary, ReviewParams } from './schema.ts';

/**
 * The reviewer's own requests (issue 20, items 3, 6 and 8), as their dashboard and review pages show
 * them: answer, write the review as a draft, attach files, submit. In double-anonymous review the
 * submission comes without its authors and its files without their uploaded names.
 */

type Db = Kysely<Database>;
const tags = ['reviews'];
const csrf = { csrf: false } as const;

/** Everything the reviewer's view of one request needs. */
export async function reviewerView(db: Db, journal: JournalSummary, review: ReviewRecord, submission: SubmissionRecord) {
  const [texts, contributors, files, form, answers, attachments] = await Promise.all([
    publicationTexts(db, submission.publicationId),
    publicationContributors(db, submission.publicationId),
    roundFiles(db, submission.id, review.reviewRoundId),
    review.reviewFormId === null ? Promise.resolve(undefined) : reviewForm(db, journal.id, review.reviewFormId),
    reviewResponses(db, review.id),
    reviewAttachments(db, [review.id]),
  ]);
  return {
    review,
    submission: { id: submission.id, locale: submission.locale, title: texts.title, abstract: texts.abstract, keywords: texts.keywords },
    authors: contributors.map((c) => ({ givenName: c.givenName, familyName: c.familyName, affiliation: c.affiliations[0]?.name ?? {} })),
    files,
    form,
    answers,
    attachments,
  };
}

export function reviewerRoutes(routes: ApiRoutes, { db, baseUrl, clock }: ApiDeps): void {
  const where = (journal: JournalSummary) => ({ baseUrl, journalPath: journal.path });
  /** The request as it is now, its files those the policy lets the reviewer read (their round's, once accepted). */
  async function present(request: FastifyRequest, journal: JournalSummary, reviewId: number) {
    const review = (await findReview(db, journal.id, reviewId))!;
    const submission = (await findSubmission(db, journal.id, review.submissionId))!;
    const view = await reviewerView(db, journal, review, submission);
    const files = view.files.filter((f) => callerCan(request, 'submission-file.read', { kind: 'submission-file', fileId: f.id, stage: 'review', reviewRoundId: f.reviewRoundId, reviewPurpose: f.purpose, submission: submission.resource }));
    return presentReviewerReview({ ...view, files }, where(journal), clock.now());
  }

  routes.get(
    '/:journal/api/v1/reviews',
    {
      config: csrf,
      schema: {
        summary: 'List your review requests',
        description: 'The token’s person’s requests in this journal, newest first: to answer (`requested`), under way (`accepted`) and completed (`submitted`) unless `status` says otherwise. Needs a token with the journal’s reviewer role.',
        tags,
        operationId: 'getReviews',
        tokenRequired: true,
        params: JournalParams,
        querystring: ReviewerListQuery,
        response: { 200: Paged(ReviewerReviewSummary) },
      },
    },
    async (request) => {
      const journal = await journalOf(db, request.params.journal);
      const principal = callerOf(request);
      requireReviewerToken(principal, journal.id);
      const { rows, total } = await reviewerRequests(db, journal.id, principal.userId, request.query.status ?? ['requested', 'accepted', 'submitted'], pageOf(request.query));
      return { itemsMax: total, items: rows.map((r) => presentReviewerSummary(r, where(journal), clock.now())) };
    },
  );

  routes.get(
    '/:journal/api/v1/reviews/:reviewId',
    {
      config: csrf,
      schema: {
        summary: 'Get your review request and your review',
        description: 'The request (dates, the editor’s words), the submission (title, abstract, keywords; its authors unless the review is double-anonymous), the round’s files once accepted, the review form and what you wrote so far.',
        tags,
        operationId: 'getReview',
        tokenRequired: true,
        params: ReviewParams,
        response: { 200: ReviewerReview },
      },
    },
    async (request) => {
      const { journal, review } = await ownReview(db, request, request.params.journal, request.params.reviewId);
      return present(request, journal, review.id);
    },
  );

  routes.post(
    '/:journal/api/v1/reviews/:reviewId/answer',
    {
      config: csrf,
      schema: {
        summary: 'Accept or decline a review request',
        description: 'As the mail’s links do, signed in. The editors are told; a declined request may say why.',
        tags,
        operationId: 'answerReview',
        tokenRequired: true,
        params: ReviewParams,
        body: ReviewAnswer,
        response: { 200: ReviewerReview, ...workflowRefusals(409, 422) },
      },
    },
    async (request) => {
      const { journal, review, submission } = await ownReview(db, request, request.params.journal, request.params.reviewId);
      requireReviewerAction(request, 'review.respond', review, submission);
      const userId = callerOf(request).userId;
      await answerReviewRequest(db, { journalId: journal.id, reviewId: review.id, accept: request.body.accept, by: { kind: 'user', userId }, declineReason: request.body.declineReason ?? '', now: clock.now() });
      return present(request, journal, review.id);
    },
  );

  /** The review as saved, with the body's fields over it. */
  async function reviewInput(journal: JournalSummary, review: ReviewRecord, userId: number, body: Static<typeof ReviewDraft> | undefined, submit: boolean) {
    const answers = body?.answers ?? answersOut(await reviewResponses(db, review.id));
    return {
      journalId: journal.id,
      reviewId: review.id,
      userId,
      recommendation: body?.recommendation === undefined ? review.recommendation : body.recommendation,
      commentsForAuthor: body?.commentsForAuthor ?? review.commentsForAuthor,
      commentsForEditor: body?.commentsForEditor ?? review.commentsForEditor,
      competingInterests: body?.competingInterests ?? review.competingInterests,
      answers,
      submit,
      now: clock.now(),
    };
  }

  routes.put(
    '/:journal/api/v1/reviews/:reviewId',
    {
      config: csrf,
      schema: {
        summary: 'Save your review as a draft',
        description: 'Fields left out keep their saved values; `answers` replaces every answer. Choices are checked against the form now, required questions only on submitting.',
        tags,
        operationId: 'editReview',
        tokenRequired: true,
        params: ReviewParams,
        body: ReviewDraft,
        response: { 200: ReviewerReview, ...workflowRefusals(409, 422) },
      },
    },
    async (request) => {
      const { journal, review, submission } = await ownReview(db, request, request.params.journal, request.params.reviewId);
      requireReviewerAction(request, 'review.write', review, submission);
      await saveReview(db, await reviewInput(journal, review, callerOf(request).userId, request.body, false));
      return present(request, journal, review.id);
    },
  );

  routes.post(
    '/:journal/api/v1/reviews/:reviewId/submit',
    {
      config: csrf,
      schema: {
        summary: 'Submit your review',
        description: 'The saved draft, sent: it needs a recommendation and every required question of the form (422 naming the first one missing, e.g. `/answers/12`). The editors are told and you are thanked; the review cannot change afterwards.',
        tags,
        operationId: 'submitReview',
        tokenRequired: true,
        params: ReviewParams,
        response: { 200: ReviewerReview, ...workflowRefusals(409, 422) },
      },
    },
    async (request) => {
      const { journal, review, submission } = await ownReview(db, request, request.params.journal, request.params.reviewId);
      requireReviewerAction(request, 'review.write', review, submission);
      await saveReview(db, await reviewInput(journal, review, callerOf(request).userId, undefined, true));
      request.log.info({ reviewId: review.id, tokenId: request.apiCaller?.tokenId }, 'review submitted through the API');
      return present(request, journal, review.id);
    },
  );

  routes.delete(
    '/:journal/api/v1/reviews/:reviewId/attachments/:attachmentId',
    {
      config: csrf,
      schema: { summary: 'Remove a file from your review', description: 'While the review is under way. The answer is the file removed.', tags, operationId: 'deleteReviewAttachment', tokenRequired: true, params: AttachmentParams, response: { 200: ReviewAttachment, ...workflowRefusals(409) } },
    },
    async (request) => {
      const { journal, review, submission } = await ownReview(db, request, request.params.journal, request.params.reviewId);
      requireReviewerAction(request, 'review.write', review, submission);
      const gone = (await reviewAttachments(db, [review.id])).find((a) => a.id === request.params.attachmentId);
      await removeReviewAttachment(db, { journalId: journal.id, reviewId: review.id, userId: callerOf(request).userId, attachmentId: request.params.attachmentId, now: clock.now() });
      return presentAttachment(gone!);
    },
  );
}
