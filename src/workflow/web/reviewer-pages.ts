import type { FastifyInstance } from 'fastify';
import type { WorkflowWebDeps } from './deps.ts';
import { reviewerAttachmentRoutes } from './reviewer-attachments.ts';
import { reviewerDashboardRoutes } from './reviewer-dashboard.ts';
import { reviewerRespondRoutes } from './reviewer-respond.ts';
import { reviewerReviewRoutes } from './reviewer-review.ts';

/**
 * The reviewer's side of peer review (issue 20, items 3, 4, 6, 8): the mail's accept and decline
 * links, the reviewer's dashboard and signed-in answers, the review page and its files.
 */
export async function reviewerPages(app: FastifyInstance, deps: WorkflowWebDeps): Promise<void> {
  reviewerRespondRoutes(app, deps);
  reviewerDashboardRoutes(app, deps);
  reviewerAttachmentRoutes(app, deps);
  await reviewerReviewRoutes(app, deps);
}
