import type { FastifyInstance } from 'fastify';
import { requireCan } from '../../accounts/index.ts';
import type { MessageKey } from '../../i18n/index.ts';
import { formBody, formText } from '../../platform/http/forms.ts';
import { JournalParams, Type, typed } from '../../platform/http/index.ts';
import { firstValue, formPage, QueryParameter, sendPrivatePage } from '../../platform/web/index.ts';
import { WorkflowError } from '../errors.ts';
import { answerReviewRequest } from '../review/commands/requests.ts';
import type { WorkflowWebDeps } from './deps.ts';
import { reviewerAssignments } from './reviewer-data.ts';
import { refusal, ReviewParams, SIGNED_IN } from './reviewer-review.ts';
import { requestView, reviewOr404 } from './reviewer-shared.ts';
import { reviewHref, ReviewAssignmentsPage } from './views/review-assignments.tsx';
import { DeclinePage } from './views/review-page.tsx';

/**
 * The reviewer's dashboard at OJS 3.5's address, `/:journal/dashboard/reviewAssignments` (issue 20,
 * item 8), and the answers given from it while signed in: accept (one button) and decline (a page
 * with an optional reason). Policy `review.respond`: the request's reviewer, while it waits.
 */

const NoticeQuery = Type.Object({ notice: Type.Optional(QueryParameter) });
const NOTICES: Record<string, MessageKey> = { declined: 'reviewAssignments.notice.declined', refused: 'reviewAssignments.notice.refused' };

export function reviewerDashboardRoutes(app: FastifyInstance, deps: WorkflowWebDeps): void {
  const { db, clock } = deps;
  const routes = typed(app);
  const dashboard = (path: string) => `/${path}/dashboard/reviewAssignments`;

  routes.get('/:journal/dashboard/reviewAssignments', { config: SIGNED_IN, schema: { params: JournalParams, querystring: NoticeQuery } }, async (request, reply) => {
    const { ctx, journal } = await formPage(db, request, reply);
    const groups = await reviewerAssignments(db, journal!.id, request.viewer.user!.userId, ctx.locale, clock.now());
    const notice = firstValue(request.query.notice);
    const key = Object.hasOwn(NOTICES, notice) ? NOTICES[notice] : undefined;
    return sendPrivatePage(reply, ReviewAssignmentsPage({ ctx, groups, ...(key ? { notice: ctx.t(key) } : {}) }));
  });

  routes.post('/:journal/reviewer/review/:reviewId/accept', { config: SIGNED_IN, schema: { params: ReviewParams } }, async (request, reply) => {
    const at = await reviewOr404(db, request, request.params.reviewId);
    const { ctx } = await formPage(db, request, reply);
    // Answered meanwhile (by the mail's link, in another tab): the review page says where it stands.
    if (at.review.status !== 'requested') return reply.redirect(reviewHref(ctx, at.review.id), 303);
    requireCan(request, 'review.respond', at.resource);
    try {
      await answerReviewRequest(db, { journalId: at.submission.journalId, reviewId: at.review.id, accept: true, by: { kind: 'user', userId: request.viewer.user!.userId }, now: clock.now() });
    } catch (error) {
      if (!(error instanceof WorkflowError)) throw error;
      return reply.redirect(`${dashboard(ctx.journal!.path)}?notice=refused`, 303);
    }
    return reply.redirect(`${reviewHref(ctx, at.review.id)}?notice=accepted`, 303);
  });

  routes.get('/:journal/reviewer/review/:reviewId/decline', { config: SIGNED_IN, schema: { params: ReviewParams } }, async (request, reply) => {
    const at = await reviewOr404(db, request, request.params.reviewId);
    const { ctx } = await formPage(db, request, reply);
    if (at.review.status !== 'requested') return reply.redirect(reviewHref(ctx, at.review.id), 303);
    requireCan(request, 'review.respond', at.resource);
    return sendPrivatePage(reply, DeclinePage({ ctx, reviewId: at.review.id, request: await requestView(db, at.review, ctx.locale), reason: '', errors: {} }));
  });

  routes.post('/:journal/reviewer/review/:reviewId/decline', { config: SIGNED_IN, schema: { params: ReviewParams } }, async (request, reply) => {
    const at = await reviewOr404(db, request, request.params.reviewId);
    const { ctx } = await formPage(db, request, reply);
    if (at.review.status !== 'requested') return reply.redirect(reviewHref(ctx, at.review.id), 303);
    requireCan(request, 'review.respond', at.resource);
    const reason = formText(formBody(request), 'declineReason', 5001);
    try {
      await answerReviewRequest(db, { journalId: at.submission.journalId, reviewId: at.review.id, accept: false, declineReason: reason, by: { kind: 'user', userId: request.viewer.user!.userId }, now: clock.now() });
    } catch (error) {
      if (!(error instanceof WorkflowError)) throw error;
      const errors = { [error.field === 'declineReason' ? 'declineReason' : '']: refusal(ctx, error) };
      return sendPrivatePage(reply, DeclinePage({ ctx, reviewId: at.review.id, request: await requestView(db, at.review, ctx.locale), reason, errors }), error.status === 404 ? 422 : error.status);
    }
    return reply.redirect(`${dashboard(ctx.journal!.path)}?notice=declined`, 303);
  });
}
