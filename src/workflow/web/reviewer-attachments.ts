import fs from 'node:fs';
import type { FastifyInstance } from 'fastify';
import { requireCan } from '../../accounts/index.ts';
import { IdText, JournalPath, NotFoundError, parseId, Type, typed } from '../../platform/http/index.ts';
import { formPage, sendPrivatePage } from '../../platform/web/index.ts';
import { InvalidStorageKeyError, isActiveContentType } from '../../storage/index.ts';
import { WorkflowError } from '../errors.ts';
import { removeReviewAttachment } from '../review/commands/reviews.ts';
import type { WorkflowWebDeps } from './deps.ts';
import { attachment as contentDisposition } from './editorial.ts';
import { reviewAttachments } from './reviewer-data.ts';
import { SIGNED_IN } from './reviewer-review.ts';
import { reviewOr404 } from './reviewer-shared.ts';
import { reviewHref } from './views/reviewer-dashboard.tsx';
import { RemoveAttachmentPage } from './views/reviewer-review.tsx';

/** The reviewer's own files of a review: downloaded by whoever may read the review, removed (confirmed) while it is a draft. */

const AttachmentParams = Type.Object({ journal: JournalPath, reviewId: IdText, attachmentId: IdText });

export function reviewerAttachmentRoutes(app: FastifyInstance, deps: WorkflowWebDeps): void {
  const { db, clock, files } = deps;
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
    let path: string;
    let size: number;
    try {
      path = files.pathOf(file.storageKey);
      size = (await fs.promises.stat(path)).size;
    } catch (error) {
      if (!(error instanceof InvalidStorageKeyError) && (error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
      request.log.error({ attachmentId: file.id }, 'review attachment missing from storage');
      throw new NotFoundError();
    }
    return reply
      .header('cache-control', 'private, no-store')
      .header('content-disposition', contentDisposition(file.name))
      .header('x-content-type-options', 'nosniff')
      .header('content-length', size)
      .type(isActiveContentType(file.mimeType) ? 'application/octet-stream' : file.mimeType)
      .send(fs.createReadStream(path));
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
