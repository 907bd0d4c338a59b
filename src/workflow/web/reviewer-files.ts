import type { FastifyInstance } from 'fastify';
import { can, MessagePage } from '../../accounts/index.ts';
import { IdText, JournalPath, NotFoundError, ForbiddenError, Type, parseId, typed } from '../../platform/http/index.ts';
import { formPage, sendPrivatePage } from '../../platform/web/index.ts';
import type { SubmissionFileResource } from '../policy.ts';
import { findSubmission } from '../queries.ts';
import type { MessageKey } from '../../i18n/index.ts';
import { AnonymizeError, anonymizedCopy, type AnonymizeFailure } from '../review/anonymize/index.ts';
import { findReview } from '../review/queries.ts';
import { authorsHiddenFromReviewer } from '../review/settings.ts';
import { submissionSettings } from '../settings/read.ts';
import type { WorkflowWebDeps } from './deps.ts';
import { roundFiles } from './reviewer-data.ts';
import { reviewFileName } from './reviewer-shared.ts';
import { sendStoredFile } from './stored-files.ts';

/** A file of a review round, as its reviewer downloads it (issue 20, item 4). */

const ReviewFileParams = Type.Object({ journal: JournalPath, reviewId: IdText, submissionFileId: IdText });
/** Anyone signed in: whether they review this round is decided on the request itself. */
const SIGNED_IN = { permission: 'journal.submit' as const };

/** Why a file could not be made anonymous, in words (the editor's pages say it too, with `reviewFiles.refused.editor`). */
export const ANONYMIZE_REFUSAL_LABEL: Record<AnonymizeFailure, MessageKey> = {
  encrypted: 'reviewFiles.refused.encrypted',
  unreadable: 'reviewFiles.refused.unreadable',
  'too-large': 'reviewFiles.refused.too-large',
};

export async function reviewerFileRoutes(app: FastifyInstance, deps: WorkflowWebDeps): Promise<void> {
  const { db } = deps;

  /**
   * The file the editor sent to the reviewer's round, under a name that says nothing of its authors;
   * in double-anonymous review its copy without authoring metadata. Someone else's request, or a
   * file of another round or submission, is not there (404); the reviewer's own request they have not
   * accepted (or that was declined or cancelled) gives no files yet (403).
   */
  typed(app).get('/:journal/reviewer/review/:reviewId/files/:submissionFileId', { config: SIGNED_IN, schema: { params: ReviewFileParams } }, async (request, reply) => {
    const journal = request.viewer.journal!;
    const user = request.viewer.user!;
    const review = await findReview(db, journal.id, parseId(request.params.reviewId));
    if (!review || review.reviewerId !== user.userId) throw new NotFoundError();
    const submission = await findSubmission(db, journal.id, review.submissionId);
    if (!submission) throw new NotFoundError();
    const submissionFileId = parseId(request.params.submissionFileId);
    const files = await roundFiles(db, review);
    const file = files.find((f) => f.id === submissionFileId);
    if (!file) throw new NotFoundError();
    const resource: SubmissionFileResource = { kind: 'submission-file', fileId: file.id, stage: 'review', reviewRoundId: review.reviewRoundId, submission: submission.resource };
    if (review.status !== 'accepted' && review.status !== 'submitted') throw new ForbiddenError();
    if (!can(user, 'submission-file.read', resource)) throw new ForbiddenError();

    const kinds = (await submissionSettings(db, journal.id)).fileKinds;
    const kind = kinds.find((k) => k.key === file.kind);
    const name = reviewFileName(review, file, files, kinds);
    if (!authorsHiddenFromReviewer(review.anonymity)) return sendStoredFile(deps, request, reply, { fileId: file.fileId, name, mimeType: file.mimeType, sha256: file.sha256 });
    try {
      const copy = await anonymizedCopy(db, deps.files, file.fileId, kind ? { maxBytes: kind.maxBytes } : {});
      return await sendStoredFile(deps, request, reply, { fileId: copy.fileId, name, mimeType: file.mimeType });
    } catch (error) {
      if (!(error instanceof AnonymizeError)) throw error;
      request.log.warn({ fileId: file.fileId, reason: error.reason }, 'a review file could not be made anonymous');
      const { ctx } = await formPage(db, request, reply);
      const page = MessagePage({
        ctx,
        title: ctx.t('reviewFiles.refused.title'),
        lines: [ctx.t(ANONYMIZE_REFUSAL_LABEL[error.reason]), ctx.t('reviewFiles.refused.reviewer')],
        link: { href: `/${journal.path}/reviewer/review/${review.id}`, label: ctx.t('reviewFiles.back') },
        status: 'warning',
      });
      return sendPrivatePage(reply, page, 409);
    }
  });
}
