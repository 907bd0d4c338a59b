import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { NotFoundError, TokenRequiredError, typed, FieldsError } from '../../../platform/http/index.ts';
import type { FileKindSetting } from '../../../db/index.ts';
import { formBody, formText } from '../../../platform/http/forms.ts';
import { isActiveContentType } from '../../../storage/index.ts';
import { acceptStreamedUploads, addSubmissionFile, keepUpload, MAX_SUBMISSION_FILE_BYTES, receivedUpload, submissionFiles, submissionSettings, uploadTooLarge, WorkflowError, type StoredUpload } from '../../../workflow/index.ts';
import { callerCan } from '../../auth.ts';
import type { ApiDeps } from '../deps.ts';
import { SubmissionParams } from './schema.ts';
import { submissionRoutes } from './routes.ts';
import { presentFile, sendWorkflowProblem } from './workflow-presenter.ts';
import { FileUpload, SubmissionFile, workflowRefusals } from './workflow-schema.ts';
import { readableSubmission, workflowRoutes } from './workflow-routes.ts';

/**
 * The submissions resource in a scope of its own: the workflow's refusals (WorkflowError) are answered
 * here as problem details with their reasons; anything else goes on to the API's own error handling.
 * The upload has a scope within it, whose multipart bodies are read as they arrive (the workflow's
 * streamed-upload reader: the file goes straight to the store, refused as soon as its size or type shows).
 */
export async function submissionsPlugin(app: FastifyInstance, deps: ApiDeps): Promise<void> {
  app.setErrorHandler(async (error, request, reply) => {
    if (error instanceof WorkflowError) return sendWorkflowProblem(request, reply, error);
    throw error;
  });
  const routes = typed(app);
  submissionRoutes(routes, deps);
  workflowRoutes(routes, deps);
  await app.register(async (scope) => uploadRoute(scope, deps));
}

/** The journal's file kinds for a request whose upload is about to be read (set by the route's onRequest hook). */
const kindsOf = new WeakMap<object, readonly FileKindSetting[]>();
const kindNamed = (request: object, key: string | undefined) => (key === undefined ? undefined : kindsOf.get(request)?.find((k) => k.key === key));
/** The limit a file of this kind is held to while it arrives (the command checks again). */
const limitOf = (kind: FileKindSetting | undefined) => Math.min(kind?.maxBytes ?? MAX_SUBMISSION_FILE_BYTES, MAX_SUBMISSION_FILE_BYTES);

/** Says which file kinds the journal takes, for the upload of this request (from the route's onRequest hook, before the body is read). */
export function expectUploadKinds(request: object, kinds: readonly FileKindSetting[]): void {
  kindsOf.set(request, kinds);
}

/**
 * Makes `scope` read multipart forms of `kind` then `file` as they arrive (the workflow's streamed-upload
 * reader): a kind the journal does not take, or a type or size its kind does not, is refused as soon as
 * the first bytes show it. The routes' onRequest hooks call `expectUploadKinds` first.
 */
export function acceptKindedUploads(scope: FastifyInstance, files: ApiDeps['files']): void {
  acceptStreamedUploads(scope, {
    files,
    fileFields: ['file'],
    formToken: false,
    maxFields: 10,
    maxBytes: (fields, request) => limitOf(kindNamed(request, fields.kind?.trim())),
    refuseFile: ({ type }, fields, request) => {
      const key = fields.kind?.trim();
      const kind = kindNamed(request, key);
      if (key !== undefined && !kind) return new WorkflowError('file-kind-unknown', 'kind', { kinds: (kindsOf.get(request) ?? []).map((k) => k.key).join(', ') });
      if (isActiveContentType(type) || (kind && kind.types.length > 0 && !kind.types.includes(type))) return new WorkflowError('file-type-not-allowed', 'file', { type });
      return undefined;
    },
  });
}

/** The stored file of a streamed form, if one came; one over its limit is refused (413) and the connection closed. */
export function receivedFile(request: FastifyRequest, reply: FastifyReply): StoredUpload | undefined {
  const tooLarge = uploadTooLarge(request);
  if (tooLarge !== undefined) {
    // Reading stopped at the limit: the rest of the body is not read, so the connection goes.
    reply.header('connection', 'close');
    throw new WorkflowError('file-too-large', 'file', { max: tooLarge });
  }
  return receivedUpload(request)?.stored;
}

/** The kind and the stored file of a form read by `acceptKindedUploads`; a file over its limit, or a part missing, is refused. */
export function receivedKindedUpload(request: FastifyRequest, reply: FastifyReply): { kind: string; stored: StoredUpload } {
  const kind = formText(formBody(request), 'kind', 50);
  const stored = receivedFile(request, reply);
  if (!kind || !stored) {
    throw new FieldsError([...(kind ? [] : [{ in: 'body' as const, pointer: '/kind', detail: 'name the kind of file (e.g. `article`)' }]), ...(stored ? [] : [{ in: 'body' as const, pointer: '/file', detail: 'send the file in a part named `file`' }])]);
  }
  return { kind, stored };
}

async function uploadRoute(scope: FastifyInstance, { db, files, baseUrl }: ApiDeps): Promise<void> {
  acceptKindedUploads(scope, files);
  const routes = typed(scope);
  routes.post<{ Params: { journal: string; submissionId: number } }>(
    '/:journal/api/v1/submissions/:submissionId/files',
    {
      config: { csrf: false, uploads: { files: 1, fileBytes: MAX_SUBMISSION_FILE_BYTES }, tokenChecked: true },
      schema: {
        summary: 'Upload a file to a submission',
        description: 'A `multipart/form-data` form with `kind` and then `file`. The file’s type is read from its bytes; one its kind does not take (415) or larger than the kind takes (413) is refused as soon as that shows, and nothing is kept.',
        tags,
        operationId: 'addSubmissionFile',
        tokenRequired: true,
        params: SubmissionParams,
        multipart: FileUpload,
        response: { 201: SubmissionFile, ...workflowRefusals(409, 413, 415, 422) },
      },
      // Who asks, about which submission, and whether they may add files to it: all settled before a byte of the body is read.
      onRequest: async (request) => {
        if (!request.apiCaller) throw new TokenRequiredError('missing');
        // Before validation the router's parameters are text.
        const params = request.params as unknown as { journal: string; submissionId: string };
        const id = Number(params.submissionId);
        if (!/^[0-9]{1,10}$/.test(params.submissionId)) throw new NotFoundError('no such submission');
        const { journal, record } = await readableSubmission(db, request, params.journal, id, 'submission.edit');
        if (record.status !== 'draft' && record.status !== 'active') throw new WorkflowError('not-active');
        expectUploadKinds(request, (await submissionSettings(db, journal.id)).fileKinds);
      },
    },
    async (request, reply) => {
      const { kind, stored } = receivedKindedUpload(request, reply);
      // Anything refused from here on leaves the stored bytes to the reader, which removes what is not kept.
      const { journal, record } = await readableSubmission(db, request, request.params.journal, request.params.submissionId, 'submission.edit');
      const fileId = await addSubmissionFile(db, { journalId: journal.id, submissionId: record.id, userId: request.apiCaller!.principal.userId, kind, upload: stored, now: new Date() });
      keepUpload(request);
      request.log.info({ submissionId: record.id, submissionFileId: fileId, tokenId: request.apiCaller?.tokenId }, 'submission file uploaded through the API');
      const file = (await submissionFiles(db, record.id, 'submission')).find((f) => f.id === fileId)!;
      const where = { journalPath: journal.path, baseUrl };
      if (!callerCan(request, 'submission-file.read', { kind: 'submission-file', fileId, stage: file.stage, reviewRoundId: null, submission: record.resource })) throw new NotFoundError('no such file');
      return reply.code(201).header('location', presentFile(file, where)._href).send(presentFile(file, where));
    },
  );
}

const tags = ['workflow'];
