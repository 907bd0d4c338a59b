import type { FastifyInstance, FastifyRequest } from 'fastify';
import { isAssigned } from '../../../platform/policy/index.ts';
import { isActiveContentType } from '../../../storage/index.ts';
import { NotFoundError, TokenRequiredError, typed } from '../../../platform/http/index.ts';
import {
  acceptStreamedUploads,
  addReviewAttachment,
  currentRound,
  keepUpload,
  MAX_REVIEW_ATTACHMENT_BYTES,
  MAX_SUBMISSION_FILE_BYTES,
  reviewRounds,
  submissionSettings,
  uploadRevision,
  WorkflowError,
} from '../../../workflow/index.ts';
import { callerCan } from '../../auth.ts';
import type { ApiDeps } from '../deps.ts';
import { acceptKindedUploads, expectUploadKinds, receivedFile, receivedKindedUpload } from '../submissions/plugin.ts';
import { sendWorkflowProblem } from '../submissions/workflow-presenter.ts';
import { readableSubmission } from '../submissions/workflow-routes.ts';
import { workflowRefusals } from '../submissions/workflow-schema.ts';
import { callerOf, ownReview, requireReviewerAction } from './access.ts';
import { assignmentRoutes } from './assignment-routes.ts';
import { decisionRoutes } from './decision-routes.ts';
import { presentAttachment, presentRoundFile, editorFileUrl } from './presenter.ts';
import { reviewAttachments, roundFiles } from './queries.ts';
import { reviewerRoutes } from './reviewer-routes.ts';
import { AttachmentUpload, ReviewAttachment, ReviewFile, ReviewParams, RevisionUpload, RoundParams } from './schema.ts';

/**
 * Peer review and decisions through the API (issue 20, item 10), in a scope of its own: the
 * workflow's refusals are answered as problem details with their reasons. The two uploads (a
 * reviewer's attachment, an author's revision) have scopes within it whose multipart bodies are read
 * as they arrive, after the caller, the request and the state have been checked.
 */
export async function reviewsPlugin(app: FastifyInstance, deps: ApiDeps): Promise<void> {
  app.setErrorHandler(async (error, request, reply) => {
    if (error instanceof WorkflowError) return sendWorkflowProblem(request, reply, error);
    throw error;
  });
  const routes = typed(app);
  assignmentRoutes(routes, deps);
  decisionRoutes(routes, deps);
  reviewerRoutes(routes, deps);
  await app.register(async (scope) => revisionRoute(scope, deps));
  await app.register(async (scope) => attachmentRoute(scope, deps));
}

/** Route parameters before validation are text: an id that is not one names nothing. */
function idParam(value: string | undefined): number {
  if (value === undefined || !/^[0-9]{1,10}$/.test(value)) throw new NotFoundError('no such resource');
  return Number(value);
}

/** The submission's authors upload revisions (its editors may too, as OJS lets them). */
async function revisionTarget(deps: ApiDeps, request: FastifyRequest, params: { journal: string; submissionId: number; reviewRoundId: number }) {
  const { journal, record } = await readableSubmission(deps.db, request, params.journal, params.submissionId);
  const principal = callerOf(request);
  if (!isAssigned(principal, record.resource.assignments, 'author') && !callerCan(request, 'submission.manage-review', record.resource)) throw new NotFoundError(`no submission ${record.id}`);
  const round = (await reviewRounds(deps.db, record.id)).find((r) => r.id === params.reviewRoundId);
  if (!round) throw new NotFoundError(`no review round ${params.reviewRoundId} of submission ${record.id}`);
  if (record.status !== 'active' || record.stage !== 'review') throw new WorkflowError('not-in-review');
  if ((await currentRound(deps.db, record.id))!.id !== round.id) throw new WorkflowError('round-closed');
  return { journal, record, round };
}

async function revisionRoute(scope: FastifyInstance, deps: ApiDeps): Promise<void> {
  const { db, files, baseUrl, clock } = deps;
  acceptKindedUploads(scope, files);
  typed(scope).post(
    '/:journal/api/v1/submissions/:submissionId/reviewRounds/:reviewRoundId/revisions',
    {
      config: { csrf: false, uploads: { files: 1, fileBytes: MAX_SUBMISSION_FILE_BYTES }, tokenChecked: true },
      schema: {
        summary: 'Upload a revised file',
        description:
          'The author’s revision for the current round, once the editors asked for revisions (409 `revisions-not-requested` before). A `multipart/form-data` form with `kind` and then `file`, checked as a submission file is. The first revision tells the editors.',
        tags: ['review'],
        operationId: 'addRevision',
        tokenRequired: true,
        params: RoundParams,
        multipart: RevisionUpload,
        response: { 201: ReviewFile, ...workflowRefusals(409, 413, 415, 422) },
      },
      // Who asks, for which round, and whether revisions are wanted: settled before a byte of the body is read.
      onRequest: async (request) => {
        if (!request.apiCaller) throw new TokenRequiredError('missing');
        const raw = request.params as unknown as Record<string, string | undefined>;
        const { journal } = await revisionTarget(deps, request, { journal: raw.journal ?? '', submissionId: idParam(raw.submissionId), reviewRoundId: idParam(raw.reviewRoundId) });
        expectUploadKinds(request, (await submissionSettings(db, journal.id)).fileKinds);
      },
    },
    async (request, reply) => {
      const { kind, stored } = receivedKindedUpload(request, reply);
      const { journal, record } = await revisionTarget(deps, request, request.params);
      const id = await uploadRevision(db, { journalId: journal.id, submissionId: record.id, userId: callerOf(request).userId, kind, upload: stored, now: clock.now() });
      keepUpload(request);
      request.log.info({ submissionId: record.id, submissionFileId: id, tokenId: request.apiCaller?.tokenId }, 'revision uploaded through the API');
      const file = (await roundFiles(db, record.id)).find((f) => f.id === id)!;
      return reply.code(201).send(presentRoundFile(file, editorFileUrl({ baseUrl, journalPath: journal.path }, file, record.id)));
    },
  );
}

async function attachmentRoute(scope: FastifyInstance, deps: ApiDeps): Promise<void> {
  const { db, files, clock } = deps;
  acceptStreamedUploads(scope, {
    files,
    fileFields: ['file'],
    formToken: false,
    maxFields: 5,
    maxBytes: () => MAX_REVIEW_ATTACHMENT_BYTES,
    // Scripts, style sheets and SVG would run with the site's authority if it served them: refused at their first bytes.
    refuseFile: ({ type }) => (isActiveContentType(type) ? new WorkflowError('file-type-not-allowed', 'file', { type }) : undefined),
  });
  typed(scope).post(
    '/:journal/api/v1/reviews/:reviewId/attachments',
    {
      config: { csrf: false, uploads: { files: 1, fileBytes: MAX_REVIEW_ATTACHMENT_BYTES }, tokenChecked: true },
      schema: {
        summary: 'Attach a file to your review',
        description: 'While the review is under way: an annotated copy, a report. A `multipart/form-data` form with `file`; at most 10 files of 50 MB.',
        tags: ['reviews'],
        operationId: 'addReviewAttachment',
        tokenRequired: true,
        params: ReviewParams,
        multipart: AttachmentUpload,
        response: { 201: ReviewAttachment, ...workflowRefusals(409, 413, 415, 422) },
      },
      onRequest: async (request) => {
        if (!request.apiCaller) throw new TokenRequiredError('missing');
        const raw = request.params as unknown as Record<string, string | undefined>;
        const { review, submission } = await ownReview(db, request, raw.journal ?? '', idParam(raw.reviewId));
        requireReviewerAction(request, 'review.write', review, submission);
      },
    },
    async (request, reply) => {
      const stored = receivedFile(request, reply);
      if (!stored) throw new WorkflowError('files-missing', 'file');
      const { journal, review } = await ownReview(db, request, request.params.journal, request.params.reviewId);
      const id = await addReviewAttachment(db, { journalId: journal.id, reviewId: review.id, userId: callerOf(request).userId, upload: stored, now: clock.now() });
      keepUpload(request);
      const attachment = (await reviewAttachments(db, [review.id])).find((a) => a.id === id)!;
      return reply.code(201).send(presentAttachment(attachment));
    },
  );
}
