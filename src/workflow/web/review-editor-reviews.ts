import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { formBody, formText } from '../../platform/http/forms.ts';
import { IdText, JournalPath, NotFoundError, Type, parseId, typed } from '../../platform/http/index.ts';
import { formPage, sendPrivatePage } from '../../platform/web/index.ts';
import type { FormErrors, PageContext } from '../../ui/index.ts';
import { WorkflowError } from '../errors.ts';
import { cancelReview, changeReviewDates, lateness, rateReview, reinstateReview, remindReviewer, reviewerLetter, reviewForm, reviewResponses, reviewsOfSubmission, shareReviewAttachment, type ReviewRecord } from '../review/index.ts';
import type { SubmissionRecord } from '../queries.ts';
import type { WorkflowWebDeps } from './deps.ts';
import { sendStoredFile } from './stored-files.ts';
import { manageAccess } from './manage-access.ts';
import { dayOf, displayName, dueAt, managedReview, refusal, refusalErrors, refusalStatus, ReviewParams, submissionBase, WORKFLOW } from './review-editor-shared.ts';
import type { ReviewNotice } from './views/review-stage-labels.tsx';
import { REVIEW_NOTICE_LABEL, REVIEW_NOTICES } from './views/review-stage-labels.tsx';
import { RequestActionPage, ReviewDatesPage, type RequestAction } from './views/review-stage-requests.tsx';
import { ReviewFormAnswers } from './views/review-forms-fields.tsx';
import { ReviewPage, type ReviewPageView } from './views/review-stage-review.tsx';

/** One review request as its editors manage it (issue 20, items 3 and 6): read and rate the review, share its files, change dates, cancel, reinstate, remind. */

const NoticeQuery = Type.Object({ notice: Type.Optional(Type.String({ maxLength: 40 })) });
const AttachmentParams = Type.Object({ journal: JournalPath, id: IdText, reviewId: IdText, attachmentId: IdText });

export async function reviewManagementRoutes(app: FastifyInstance, deps: WorkflowWebDeps): Promise<void> {
  const { db, clock } = deps;
  const routes = typed(app);

  const reviewHref = (request: FastifyRequest, review: ReviewRecord) => `${submissionBase(request, review.submissionId)}/reviews/${review.id}`;
  /** Back to the round of the request on the submission page, with what was done said there. */
  const backToRound = (request: FastifyRequest, review: ReviewRecord, notice: ReviewNotice) => `${submissionBase(request, review.submissionId)}?round=${review.round}&reviewNotice=${notice}#review`;

  async function who(ctx: PageContext, review: ReviewRecord): Promise<{ letter: string; name: string }> {
    const reviews = await reviewsOfSubmission(db, review.submissionId);
    return { letter: reviewerLetter(reviews, review), name: displayName(ctx, review.reviewer) };
  }

  async function showReview(request: FastifyRequest, reply: FastifyReply, submission: SubmissionRecord, review: ReviewRecord, state: { rating?: string; errors?: FormErrors; status?: number; notice?: string } = {}) {
    const { ctx } = await formPage(db, request, reply);
    const attachments = await db
      .selectFrom('review_attachments as a')
      .innerJoin('files as f', 'f.id', 'a.file_id')
      .select(['a.id', 'a.name', 'a.visible_to_author', 'f.size_bytes'])
      .where('a.review_assignment_id', '=', review.id)
      .orderBy('a.id')
      .execute();
    const form = review.reviewFormId !== null && review.status === 'submitted' ? await reviewForm(db, submission.journalId, review.reviewFormId) : undefined;
    const view: ReviewPageView = {
      base: submissionBase(request, submission.id),
      ...(form ? { answers: ReviewFormAnswers({ ctx, form, values: await reviewResponses(db, review.id), audience: 'editor' }) } : {}),
      review,
      ...(await who(ctx, review)),
      late: lateness(review, clock.now()),
      attachments: attachments.map((a) => ({ id: a.id, name: a.name, sizeBytes: a.size_bytes, visibleToAuthor: a.visible_to_author })),
      rating: state.rating ?? (review.rating !== null ? String(review.rating) : ''),
      errors: state.errors ?? {},
      ...(state.notice ? { notice: state.notice } : {}),
    };
    return sendPrivatePage(reply, ReviewPage({ ctx, access: manageAccess(request.viewer.user, submission.journalId), view }), state.status ?? 200);
  }

  routes.get('/:journal/workflow/index/:id/reviews/:reviewId', { config: WORKFLOW, schema: { params: ReviewParams, querystring: NoticeQuery } }, async (request, reply) => {
    const { submission, review } = await managedReview(db, request);
    const { ctx } = await formPage(db, request, reply);
    const notice = request.query.notice && (REVIEW_NOTICES as readonly string[]).includes(request.query.notice) ? ctx.t(REVIEW_NOTICE_LABEL[request.query.notice as ReviewNotice]) : undefined;
    return showReview(request, reply, submission, review, notice ? { notice } : {});
  });

  routes.post('/:journal/workflow/index/:id/reviews/:reviewId/rate', { config: WORKFLOW, schema: { params: ReviewParams } }, async (request, reply) => {
    const { submission, review } = await managedReview(db, request);
    const rating = formText(formBody(request), 'rating', 2);
    try {
      await rateReview(db, { journalId: submission.journalId, reviewId: review.id, by: request.viewer.user!.userId, rating: /^[1-5]$/.test(rating) ? Number(rating) : NaN, now: clock.now() });
    } catch (error) {
      if (!(error instanceof WorkflowError)) throw error;
      const { ctx } = await formPage(db, request, reply);
      return showReview(request, reply, submission, review, { rating, errors: refusalErrors(ctx, error, ['rating']), status: refusalStatus(error) });
    }
    return reply.redirect(`${reviewHref(request, review)}?notice=rated`, 303);
  });

  routes.get('/:journal/workflow/index/:id/reviews/:reviewId/attachments/:attachmentId', { config: WORKFLOW, schema: { params: AttachmentParams } }, async (request, reply) => {
    const { review } = await managedReview(db, request);
    const file = await db
      .selectFrom('review_attachments as a')
      .innerJoin('files as f', 'f.id', 'a.file_id')
      .select(['a.file_id', 'a.name', 'f.mime_type', 'f.sha256'])
      .where('a.id', '=', parseId(request.params.attachmentId))
      .where('a.review_assignment_id', '=', review.id)
      .executeTakeFirst();
    if (!file) throw new NotFoundError();
    return sendStoredFile(deps, request, reply, { fileId: file.file_id, name: file.name, mimeType: file.mime_type, sha256: file.sha256 });
  });

  routes.post('/:journal/workflow/index/:id/reviews/:reviewId/attachments/:attachmentId/share', { config: WORKFLOW, schema: { params: AttachmentParams } }, async (request, reply) => {
    const { submission, review } = await managedReview(db, request);
    try {
      await shareReviewAttachment(db, { journalId: submission.journalId, reviewId: review.id, attachmentId: parseId(request.params.attachmentId), visibleToAuthor: formText(formBody(request), 'visible', 3) === 'on' });
    } catch (error) {
      if (error instanceof WorkflowError && error.code === 'file-unknown') throw new NotFoundError();
      throw error;
    }
    return reply.redirect(`${reviewHref(request, review)}?notice=shared`, 303);
  });

  // New due dates: a form of its own.
  async function showDates(request: FastifyRequest, reply: FastifyReply, submission: SubmissionRecord, review: ReviewRecord, values: { responseDue: string; reviewDue: string }, errors: FormErrors, status: number) {
    const { ctx } = await formPage(db, request, reply);
    const { letter } = await who(ctx, review);
    const page = ReviewDatesPage({
      ctx,
      access: manageAccess(request.viewer.user, submission.journalId),
      base: submissionBase(request, submission.id),
      action: `${reviewHref(request, review)}/dates`,
      who: `${displayName(ctx, review.reviewer)} (${ctx.t('reviewEditor.reviewerLetter', { letter })})`,
      values,
      accepted: review.status === 'accepted',
      errors,
    });
    return sendPrivatePage(reply, page, status);
  }

  routes.get('/:journal/workflow/index/:id/reviews/:reviewId/dates', { config: WORKFLOW, schema: { params: ReviewParams } }, async (request, reply) => {
    const { submission, review } = await managedReview(db, request);
    const { ctx } = await formPage(db, request, reply);
    const waiting = review.status === 'requested' || review.status === 'accepted';
    return showDates(request, reply, submission, review, { responseDue: dayOf(review.responseDue), reviewDue: dayOf(review.reviewDue) }, waiting ? {} : { '': ctx.t('workflow.error.review-not-accepted') }, waiting ? 200 : 409);
  });

  routes.post('/:journal/workflow/index/:id/reviews/:reviewId/dates', { config: WORKFLOW, schema: { params: ReviewParams } }, async (request, reply) => {
    const { submission, review } = await managedReview(db, request);
    const body = formBody(request);
    const values = { responseDue: formText(body, 'responseDue', 20), reviewDue: formText(body, 'reviewDue', 20) };
    try {
      await changeReviewDates(db, { journalId: submission.journalId, reviewId: review.id, by: request.viewer.user!.userId, responseDue: dueAt(values.responseDue), reviewDue: dueAt(values.reviewDue), now: clock.now() });
    } catch (error) {
      if (!(error instanceof WorkflowError)) throw error;
      const { ctx } = await formPage(db, request, reply);
      return showDates(request, reply, submission, review, values, refusalErrors(ctx, error, ['responseDue', 'reviewDue']), refusalStatus(error));
    }
    return reply.redirect(backToRound(request, review, 'dates'), 303);
  });

  // Cancel, reinstate, remind: each a confirmation page (GET) and the action (POST) at one address.
  const ACTIONS: Record<RequestAction, { run: (db: WorkflowWebDeps['db'], input: Parameters<typeof cancelReview>[1]) => Promise<unknown>; notice: (done: unknown) => ReviewNotice }> = {
    cancel: { run: cancelReview, notice: () => 'cancelled' },
    reinstate: { run: reinstateReview, notice: () => 'reinstated' },
    remind: { run: remindReviewer, notice: (queued) => (queued === false ? 'already-reminded' : 'reminded') },
  };

  for (const kind of Object.keys(ACTIONS) as RequestAction[]) {
    async function showAction(request: FastifyRequest, reply: FastifyReply, submission: SubmissionRecord, review: ReviewRecord, error?: WorkflowError) {
      const { ctx } = await formPage(db, request, reply);
      const { letter } = await who(ctx, review);
      const page = RequestActionPage({
        ctx,
        access: manageAccess(request.viewer.user, submission.journalId),
        base: submissionBase(request, submission.id),
        action: `${reviewHref(request, review)}/${kind}`,
        kind,
        who: `${displayName(ctx, review.reviewer)} (${ctx.t('reviewEditor.reviewerLetter', { letter })})`,
        ...(error ? { error: refusal(ctx, error) } : {}),
      });
      return sendPrivatePage(reply, page, error ? refusalStatus(error) : 200);
    }

    routes.get(`/:journal/workflow/index/:id/reviews/:reviewId/${kind}`, { config: WORKFLOW, schema: { params: ReviewParams } }, async (request, reply) => {
      const { submission, review } = await managedReview(db, request);
      return showAction(request, reply, submission, review);
    });

    routes.post(`/:journal/workflow/index/:id/reviews/:reviewId/${kind}`, { config: WORKFLOW, schema: { params: ReviewParams } }, async (request, reply) => {
      const { submission, review } = await managedReview(db, request);
      let done: unknown;
      try {
        done = await ACTIONS[kind].run(db, { journalId: submission.journalId, reviewId: review.id, by: request.viewer.user!.userId, now: clock.now() });
      } catch (error) {
        if (!(error instanceof WorkflowError)) throw error;
        return showAction(request, reply, submission, review, error);
      }
      return reply.redirect(backToRound(request, review, ACTIONS[kind].notice(done)), 303);
    });
  }
}
