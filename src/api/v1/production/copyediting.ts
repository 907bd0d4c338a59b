import type { FastifyInstance, FastifyRequest } from 'fastify';
import { Id, NotFoundError, TokenRequiredError, Type, typed, type Static } from '../../../platform/http/index.ts';
import { isActiveContentType } from '../../../storage/index.ts';
import {
  acceptStreamedUploads,
  addCopyeditedFile,
  askAuthorToReviewCopyedits,
  copyeditedFiles,
  keepUpload,
  MAX_DISCUSSION_BODY,
  MAX_SUBMISSION_FILE_BYTES,
  WorkflowError,
  type SubmissionFileEntry,
  type SubmissionRecord,
} from '../../../workflow/index.ts';
import { callerCan, requireCallerCan } from '../../auth.ts';
import { formBody, formText } from '../../../platform/http/forms.ts';
import { named, Paged } from '../common.ts';
import type { ApiDeps } from '../deps.ts';
import { receivedFile } from '../submissions/plugin.ts';
import { SubmissionParams } from '../submissions/schema.ts';
import { presentFile, type Where } from '../submissions/workflow-presenter.ts';
import { readableSubmission } from '../submissions/workflow-routes.ts';
import { SubmissionFile, SubmissionFileParams, workflowRefusals } from '../submissions/workflow-schema.ts';

/**
 * Copyediting through the API (issue 21, item 1), as the Copyediting section of the submission page:
 * the copyedited files (listed, read, uploaded — a new file or a new version of one), and asking the
 * author to review the copyedits (a discussion of the stage with the files attached). Assigning
 * copyeditors and layout editors is the participants resource (`role: copyeditor | layout-editor`);
 * "send to production" is the decisions resource (`send-to-production` with `fileIds`). Who may:
 * the submission's editors and its assigned copyeditors; anyone else who reads the submission is
 * refused (403), anyone who does not hears of no submission (404).
 */

const tags = ['copyediting'];
const csrf = { csrf: false } as const;
const FILES = '/:journal/api/v1/submissions/:submissionId/copyediting/files';

const CopyeditUpload = Type.Object({
  revises: Type.Optional(Type.String({ description: 'The id of a copyedited file this is the new version of (its earlier versions are kept); left out, a new copyedited file. Send it before `file`.' })),
  file: Type.String({ format: 'binary', description: 'The copyedited file; its type is read from its bytes (anything but what a browser would run).' }),
});

const NewAuthorReview = Type.Object(
  {
    fileIds: Type.Array(Id, { minItems: 1, maxItems: 20, description: 'Copyedited files attached to the message.' }),
    authorIds: Type.Optional(Type.Array(Id, { maxItems: 50, description: 'The submission’s authors asked; all of them when left out.' })),
    subject: Type.String({ minLength: 1, maxLength: 255 }),
    message: Type.String({ minLength: 1, maxLength: MAX_DISCUSSION_BODY }),
  },
  { additionalProperties: false },
);

const AuthorReview = named(
  'CopyeditsReviewRequest',
  Type.Object({
    discussionId: Id,
    messageId: Id,
    url: Type.String({ description: 'The discussion’s page, where the author answers.' }),
    _href: Type.String({ description: 'The discussion in the API.' }),
  }),
);

function where(deps: ApiDeps, journalPath: string): Where {
  return { baseUrl: deps.baseUrl, journalPath };
}

const fileResource = (f: SubmissionFileEntry, record: SubmissionRecord) => ({ kind: 'submission-file' as const, fileId: f.id, stage: f.stage, reviewRoundId: f.reviewRoundId, reviewPurpose: f.reviewPurpose, submission: record.resource });

function presentCopyedited(f: SubmissionFileEntry, at: Where): Static<typeof SubmissionFile> {
  return { ...presentFile(f, at), _href: `${at.baseUrl}/${at.journalPath}/api/v1/submissions/${f.submissionId}/copyediting/files/${f.id}` };
}

/** Route parameters before validation are text: an id that is not one names nothing. */
function idParam(value: string | undefined): number {
  if (value === undefined || !/^[0-9]{1,10}$/.test(value)) throw new NotFoundError('no such resource');
  return Number(value);
}

export async function copyeditingRoutes(app: FastifyInstance, deps: ApiDeps): Promise<void> {
  const { db, clock } = deps;
  const routes = typed(app);

  async function readableFiles(request: FastifyRequest, record: SubmissionRecord) {
    return (await copyeditedFiles(db, record.id)).filter((f) => callerCan(request, 'submission-file.read', fileResource(f, record)));
  }

  routes.get(
    FILES,
    {
      config: csrf,
      schema: {
        summary: 'List the copyedited files',
        description: 'The files of the copyediting stage, oldest first, for those who read them: the submission’s editors, copyeditors and layout editors, and its authors. The accepted files the copyeditor works from are the submission’s files (`GET …/files`).',
        tags,
        operationId: 'getCopyeditedFiles',
        tokenRequired: true,
        params: SubmissionParams,
        response: { 200: Paged(SubmissionFile) },
      },
    },
    async (request) => {
      const { journal, record } = await readableSubmission(db, request, request.params.journal, request.params.submissionId);
      const files = await readableFiles(request, record);
      return { itemsMax: files.length, items: files.map((f) => presentCopyedited(f, where(deps, journal.path))) };
    },
  );

  routes.get(
    `${FILES}/:fileId`,
    { config: csrf, schema: { summary: 'Get a copyedited file', description: '`url` is where a signed-in person downloads it; `revisions` counts its earlier versions.', tags, operationId: 'getCopyeditedFile', tokenRequired: true, params: SubmissionFileParams, response: { 200: SubmissionFile } } },
    async (request) => {
      const { journal, record } = await readableSubmission(db, request, request.params.journal, request.params.submissionId);
      const file = (await readableFiles(request, record)).find((f) => f.id === request.params.fileId);
      if (!file) throw new NotFoundError(`no copyedited file ${request.params.fileId}`);
      return presentCopyedited(file, where(deps, journal.path));
    },
  );

  routes.post(
    '/:journal/api/v1/submissions/:submissionId/copyediting/authorReviews',
    {
      config: csrf,
      schema: {
        summary: 'Ask the author to review the copyedits',
        description: 'Opens a discussion of the copyediting stage with the authors, the copyedited files in `fileIds` attached to its first message; the authors are emailed and answer in the discussion (see the discussions resource). Only while the submission is in copyediting (409 `not-in-copyediting`).',
        tags,
        operationId: 'addCopyeditsReviewRequest',
        tokenRequired: true,
        params: SubmissionParams,
        body: NewAuthorReview,
        response: { 201: AuthorReview, ...workflowRefusals(409, 422) },
      },
    },
    async (request, reply) => {
      const { journal, record } = await readableSubmission(db, request, request.params.journal, request.params.submissionId);
      requireCallerCan(request, 'submission.copyedit', record.resource);
      const body = request.body;
      const { discussionId, messageId } = await askAuthorToReviewCopyedits(db, {
        journalId: journal.id,
        submissionId: record.id,
        userId: request.apiCaller!.principal.userId,
        ...(body.authorIds ? { authorIds: body.authorIds } : {}),
        fileIds: body.fileIds,
        subject: body.subject,
        body: body.message,
        now: clock.now(),
      });
      const href = `${deps.baseUrl}/${journal.path}/api/v1/submissions/${record.id}/discussions/${discussionId}`;
      return reply
        .code(201)
        .header('location', href)
        .send({ discussionId, messageId, url: `${deps.baseUrl}/${journal.path}/workflow/index/${record.id}/discussions/${discussionId}`, _href: href });
    },
  );

  await app.register(async (scope) => uploadRoute(scope, deps));
}

/** Whether the caller may add copyedits to the submission now: settled before a byte of the upload is read. */
async function uploadTarget(deps: ApiDeps, request: FastifyRequest, journalPath: string, submissionId: number) {
  const found = await readableSubmission(deps.db, request, journalPath, submissionId);
  requireCallerCan(request, 'submission.copyedit', found.record.resource);
  if (found.record.status !== 'active' || found.record.stage !== 'copyediting') throw new WorkflowError('not-in-copyediting');
  return found;
}

async function uploadRoute(scope: FastifyInstance, deps: ApiDeps): Promise<void> {
  const { db, files, clock } = deps;
  acceptStreamedUploads(scope, {
    files,
    fileFields: ['file'],
    formToken: false,
    maxFields: 5,
    maxBytes: () => MAX_SUBMISSION_FILE_BYTES,
    refuseFile: ({ type }) => (isActiveContentType(type) ? new WorkflowError('file-type-not-allowed', 'file', { type }) : undefined),
  });
  typed(scope).post(
    FILES,
    {
      config: { csrf: false, uploads: { files: 1, fileBytes: MAX_SUBMISSION_FILE_BYTES }, tokenChecked: true },
      schema: {
        summary: 'Upload a copyedited file',
        description: 'A `multipart/form-data` form with an optional `revises` and then `file`. The submission’s editors and assigned copyeditors, while it is in copyediting (409 `not-in-copyediting` otherwise).',
        tags,
        operationId: 'addCopyeditedFile',
        tokenRequired: true,
        params: SubmissionParams,
        multipart: CopyeditUpload,
        response: { 201: SubmissionFile, ...workflowRefusals(409, 413, 415, 422) },
      },
      onRequest: async (request) => {
        if (!request.apiCaller) throw new TokenRequiredError('missing');
        const raw = request.params as unknown as Record<string, string | undefined>;
        await uploadTarget(deps, request, raw.journal ?? '', idParam(raw.submissionId));
      },
    },
    async (request, reply) => {
      const stored = receivedFile(request, reply);
      if (!stored) throw new WorkflowError('files-missing', 'file');
      const { journal, record } = await uploadTarget(deps, request, request.params.journal, request.params.submissionId);
      const revises = formText(formBody(request), 'revises', 12);
      if (revises !== '' && !/^[0-9]{1,9}$/.test(revises)) throw new WorkflowError('file-unknown', 'revises');
      const id = await addCopyeditedFile(db, { journalId: journal.id, submissionId: record.id, userId: request.apiCaller!.principal.userId, upload: stored, ...(revises ? { revises: Number(revises) } : {}), now: clock.now() });
      keepUpload(request);
      request.log.info({ submissionId: record.id, submissionFileId: id, tokenId: request.apiCaller?.tokenId }, 'copyedited file uploaded through the API');
      const file = (await copyeditedFiles(db, record.id)).find((f) => f.id === id)!;
      const presented = presentCopyedited(file, where(deps, journal.path));
      return reply.code(201).header('location', presented._href).send(presented);
    },
  );
}
