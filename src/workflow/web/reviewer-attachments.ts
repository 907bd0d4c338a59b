import type { FastifyInstance } from 'fastify';
import { requireCan } from '../../accounts/index.ts';
import { IdText, JournalPath, NotFoundError, parseId, Type, typed } from '../../platform/http/index.ts';
import { formPage, sendPrivatePage } from '../../platform/web/index.ts';
import { WorkflowError } from '../errors.ts';
import { removeReviewAttachment } from '../review/commands/reviews.ts';
import type { WorkflowWebDeps } from './deps.ts';
import { sendStoredFile } from './stored-files.ts';
import { reviewAttachments } from './reviewer-data.ts';
import { SIGNED_IN } from './reviewer-review.ts';
import { reviewOr404 } from './reviewer-shared.ts';
import { reviewHref } from './views/review-assignments.tsx';
import { RemoveAttachmentPage } from './views/review-page.tsx';

/** The reviewer's own files of a review: downloaded by whoever may read the review, removed (confirmed) while it is a draft. */

const AttachmentParams = Type.Object({ journal: JournalPath, reviewId: IdText, attachmentId: IdText });

export function reviewerAttachmentRoutes(app: FastifyInstance, deps: WorkflowWebDeps): void {
  const { db, clock } = deps;
  const routes = typed(app);

  async function attachmentOr404(reviewId: number, attachmentIdText: string) {
    const id = parseId(attachmentIdText);
    const found = (await reviewAttachments(db, reviewId)).find((a) => a.id === id);
    if (!found) throw new NotFoundError();
    return found;
  }

  routes.get('/:journal/reviewer/review/:reviewId/attachments/:attachmentId', { config: SIGNED_IN, schema: { params: AttachmentParams } }, async (request, reply) => {
    const at = await reviewOr404(db, request, request.params.reviewId);
    const file = await attachmentOr404(at.review.id, request.params.attachmentId);
    return sendStoredFile(deps, request, reply, { fileId: file.fileId, name: file.name, mimeType: file.mimeType });
  });

  routes.get('/:journal/reviewer/review/:reviewId/attachments/:attachmentId/remove', { config: SIGNED_IN, schema: { params: AttachmentParams } }, async (request, reply) => {
    const at = await reviewOr404(db, request, request.params.reviewId);
    requireCan(request, 'review.write', at.resource);
    const file = await attachmentOr404(at.review.id, request.params.attachmentId);
    const { ctx } = await formPage(db, request, reply);
    return sendPrivatePage(reply, RemoveAttachmentPage({ ctx, reviewId: at.review.id, attachment: file }));
  });

  routes.post('/:journal/reviewer/review/:reviewId/attachments/:attachmentId/remove', { config: SIGNED_IN, schema: { params: AttachmentParams } }, async (request, reply) => {
    const at = await reviewOr404(db, request, request.params.reviewId);
    requireCan(request, 'review.write', at.resource);
    try {
      await removeReviewAttachment(db, { journalId: at.submission.journalId, reviewId: at.review.id, userId: request.viewer.user!.userId, attachmentId: parseId(request.params.attachmentId), now: clock.now() });
    } catch (error) {
      if (error instanceof WorkflowError && error.code === 'file-unknown') throw new NotFoundError();
      throw error;
    }
    const { ctx } = await formPage(db, request, reply);
    return reply.redirect(`${reviewHref(ctx, at.review.id)}?notice=removed`, 303);
  });
}
