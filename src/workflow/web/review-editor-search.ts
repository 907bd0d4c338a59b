import type { FastifyInstance } from 'fastify';
import type { Db } from '../../catalog/index.ts';
import { formBody, formText } from '../../platform/http/forms.ts';
import { typed } from '../../platform/http/index.ts';
import { formPage, sendPrivatePage } from '../../platform/web/index.ts';
import type { PageContext } from '../../ui/index.ts';
import { searchReviewers } from '../review/reviewer-search.ts';
import type { SubmissionRecord } from '../queries.ts';
import type { WorkflowWebDeps } from './deps.ts';
import { manageAccess } from './manage-access.ts';
import { managedSubmission, SubmissionParams, submissionBase, submissionTitle, WORKFLOW } from './review-editor-shared.ts';
import { ReviewerSearchPage } from './views/review-stage-reviewers.tsx';
import { CONFLICT_LABEL, ReviewerSearchQuery, reviewerSearchFields } from './views/reviewer-search.tsx';

/** Finding a reviewer for the round (issue 20, item 2), with the reviewer-search library and its views. */

const PAGE_SIZE = 20;

/**
 * What reviewer search finds against one of the journal's reviewers for this submission (a shared
 * affiliation, co-authorship…), in words, for the request form's warning.
 */
export async function reviewerConflicts(db: Db, ctx: PageContext, submission: SubmissionRecord, reviewer: { userId: number; email: string }): Promise<string[]> {
  const found = await searchReviewers(db, { journalId: submission.journalId, submissionId: submission.id, query: reviewer.email, page: 1, limit: 50 });
  const row = found.rows.find((r) => r.userId === reviewer.userId);
  return (row?.conflicts ?? []).map((c) => (c.detail ? `${ctx.t(CONFLICT_LABEL[c.kind])}: ${c.detail}` : ctx.t(CONFLICT_LABEL[c.kind])));
}

export async function reviewerSearchRoutes(app: FastifyInstance, deps: WorkflowWebDeps): Promise<void> {
  const { db } = deps;
  const routes = typed(app);

  routes.get('/:journal/workflow/index/:id/review/reviewers', { config: WORKFLOW, schema: { params: SubmissionParams, querystring: ReviewerSearchQuery } }, async (request, reply) => {
    const submission = await managedSubmission(db, request);
    const { ctx } = await formPage(db, request, reply);
    const { page, ...fields } = reviewerSearchFields(request.query);
    const result = await searchReviewers(db, { journalId: submission.journalId, submissionId: submission.id, ...fields, page, limit: PAGE_SIZE });
    const pages = Math.max(1, Math.ceil(result.total / PAGE_SIZE));
    const view = ReviewerSearchPage({ ctx, access: manageAccess(request.viewer.user, submission.journalId), base: submissionBase(request, submission.id), submissionTitle: await submissionTitle(db, ctx, submission), fields, result, page, pages });
    return sendPrivatePage(reply, view);
  });

  // Choosing posts the reviewer (the results' buttons); the request's own form opens at its address.
  routes.post('/:journal/workflow/index/:id/review/reviewers', { config: WORKFLOW, schema: { params: SubmissionParams } }, async (request, reply) => {
    const submission = await managedSubmission(db, request);
    const reviewerId = formText(formBody(request), 'reviewerId', 12);
    const base = submissionBase(request, submission.id);
    return reply.redirect(/^[0-9]{1,9}$/.test(reviewerId) ? `${base}/review/request?reviewerId=${reviewerId}` : `${base}/review/reviewers`, 303);
  });
}
