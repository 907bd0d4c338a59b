import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { localizeText } from '../../i18n/index.ts';
import { formBody, formText } from '../../platform/http/forms.ts';
import { closeIfBodyUnread, HttpError, NotFoundError, parseId, typed } from '../../platform/http/index.ts';
import { formatFileSize, formPage, sendPrivatePage } from '../../platform/web/index.ts';
import type { FormErrors } from '../../ui/index.ts';
import { addSubmissionFile, reachStep, removeDraftFile, reviseSubmissionFile } from '../commands/submissions.ts';
import { WorkflowError } from '../errors.ts';
import { submissionProblems } from '../problems.ts';
import { submissionFiles, type SubmissionRecord } from '../queries.ts';
import { MAX_SUBMISSION_FILE_BYTES, submissionSettings } from '../settings/read.ts';
import { acceptStreamedUploads, discardUpload, keepUpload, receivedUpload, uploadTooLarge } from '../uploads.ts';
import type { WorkflowWebDeps } from './deps.ts';
import { ConfirmRemovalPage, FilesPage, stepHref, typeName } from './views/wizard.tsx';
import { SUBMIT, DraftParams, FileParams, NoticeQuery, PROBLEM_KEYS, errorOf, type WizardHelpers } from './wizard-shared.ts';

/** Step 2: the files, uploaded as they arrive into the file store, removed and replaced (a new revision). */
export async function wizardFileRoutes(app: FastifyInstance, deps: WorkflowWebDeps, h: WizardHelpers): Promise<void> {
  const { db, clock, files } = deps;
  const routes = typed(app);
  const { draftOrElsewhere, summaryOf, kindViews } = h;

  // Step 2: files.

  async function showFiles(request: FastifyRequest, reply: FastifyReply, draft: SubmissionRecord, options: { errors?: FormErrors; notice?: string; status?: number; kind?: string } = {}) {
    const { ctx, journal } = await formPage(db, request, reply);
    const settings = await submissionSettings(db, journal!.id);
    const list = await submissionFiles(db, draft.id, 'submission');
    return sendPrivatePage(reply, FilesPage({ ctx, draft: await summaryOf(draft), kinds: kindViews(settings, ctx, journal!), files: list, errors: options.errors ?? {}, ...(options.notice ? { notice: options.notice } : {}), ...(options.kind ? { kind: options.kind } : {}) }), options.status ?? 200);
  }

  routes.get('/:journal/submission/:id/files', { config: SUBMIT, schema: { params: DraftParams, querystring: NoticeQuery } }, async (request, reply) => {
    const draft = await draftOrElsewhere(request, request.params.id);
    if (typeof draft === 'string') return reply.redirect(draft, 303);
    const { ctx } = await formPage(db, request, reply);
    const fileId = request.query.file && /^[0-9]{1,9}$/.test(request.query.file) ? Number(request.query.file) : undefined;
    const name = fileId ? (await submissionFiles(db, draft.id, 'submission')).find((f) => f.id === fileId)?.name : undefined;
    const notices: Record<string, string | undefined> = {
      added: name ? ctx.t('wizard.files.added', { name }) : undefined,
      replaced: name ? ctx.t('wizard.files.replaced', { name }) : undefined,
      removed: ctx.t('wizard.files.removed'),
    };
    const notice = request.query.notice && Object.hasOwn(notices, request.query.notice) ? notices[request.query.notice] : undefined;
    return showFiles(request, reply, draft, notice ? { notice } : {});
  });

  routes.get('/:journal/submission/:id/files/:fileId/remove', { config: SUBMIT, schema: { params: FileParams } }, async (request, reply) => {
    const draft = await draftOrElsewhere(request, request.params.id);
    if (typeof draft === 'string') return reply.redirect(draft, 303);
    const fileId = parseId(request.params.fileId);
    const file = (await submissionFiles(db, draft.id, 'submission')).find((f) => f.id === fileId);
    if (!file) throw new NotFoundError();
    const { ctx } = await formPage(db, request, reply);
    return sendPrivatePage(
      reply,
      ConfirmRemovalPage({
        ctx,
        draft: await summaryOf(draft),
        current: 'files',
        action: `${stepHref(ctx, draft.id, 'files')}/${file.id}/remove`,
        question: ctx.t('wizard.files.removeQuestion', { name: file.name }),
        consequences: [ctx.t('wizard.files.removeWhat')],
        confirmLabel: ctx.t('wizard.files.removeNamed', { name: file.name }),
      }),
    );
  });

  routes.post('/:journal/submission/:id/files/:fileId/remove', { config: SUBMIT, schema: { params: FileParams } }, async (request, reply) => {
    const draft = await draftOrElsewhere(request, request.params.id);
    if (typeof draft === 'string') return reply.redirect(draft, 303);
    try {
      await removeDraftFile(db, draft.journalId, draft.id, parseId(request.params.fileId), request.viewer.user!.userId, clock.now());
    } catch (error) {
      if (error instanceof WorkflowError && error.code === 'file-unknown') throw new NotFoundError();
      throw error;
    }
    return reply.redirect(`${stepHref((await formPage(db, request, reply)).ctx, draft.id, 'files')}?notice=removed`, 303);
  });

  /** What a file of this request may weigh: its kind's limit (read from the form before the file), or the replaced file's. */
  const uploadLimits = new WeakMap<FastifyRequest, { kinds: Map<string, number>; fixed?: number }>();

  await app.register(async (scope) => {
    acceptStreamedUploads(scope, {
      files,
      fileFields: ['file'],
      maxBytes: (fields, request) => {
        const limits = uploadLimits.get(request);
        if (limits?.fixed !== undefined) return limits.fixed;
        // An unknown kind is refused by the command; until then, the largest any kind takes.
        if (!limits) return MAX_SUBMISSION_FILE_BYTES;
        return limits.kinds.get(fields.kind ?? '') ?? Math.max(0, ...limits.kinds.values());
      },
    });
    // Before a byte of the body is read: the draft must be the viewer's, and the limits are known.
    scope.addHook('preParsing', async (request) => {
      const params = request.params as { id?: string; fileId?: string };
      // Forms without a file (continue) are small: read, their token checked, then refused or taken as any form.
      if (params.id === undefined || request.method !== 'POST' || !/^\s*multipart\//i.test(request.headers['content-type'] ?? '')) return;
      const draft = await draftOrElsewhere(request, params.id);
      if (typeof draft === 'string') throw new HttpError(409, 'this submission has been sent: its files are changed by the editors');
      const settings = await submissionSettings(db, draft.journalId);
      const kinds = new Map(settings.fileKinds.map((k) => [k.key, Math.min(k.maxBytes, MAX_SUBMISSION_FILE_BYTES)]));
      let fixed: number | undefined;
      if (params.fileId !== undefined) {
        const file = await db.selectFrom('submission_files').select('kind').where('id', '=', parseId(params.fileId)).where('submission_id', '=', draft.id).executeTakeFirst();
        if (!file) throw new NotFoundError();
        fixed = kinds.get(file.kind) ?? MAX_SUBMISSION_FILE_BYTES;
      }
      uploadLimits.set(request, { kinds, ...(fixed !== undefined ? { fixed } : {}) });
    });

    // One byte past the store's limit, so that "too large" is said in words.
    const upload = { permission: SUBMIT.permission, uploads: { files: 1, fileBytes: MAX_SUBMISSION_FILE_BYTES + 1 } };

    /** Answers a refused upload: its bytes go now, the page says why next to the file field. */
    async function refuseUpload(request: FastifyRequest, reply: FastifyReply, draft: SubmissionRecord, error: WorkflowError | 'no-file' | 'too-large', kind?: string) {
      const upload = receivedUpload(request);
      await discardUpload(request, files);
      const { ctx, journal } = await formPage(db, request, reply);
      if (error === 'too-large') {
        closeIfBodyUnread(request, reply);
        return showFiles(request, reply, draft, { errors: { file: ctx.t('wizard.files.tooLarge', { size: formatFileSize(uploadTooLarge(request) ?? 0, ctx.locale) }) }, status: 413, ...(kind ? { kind } : {}) });
      }
      if (error === 'no-file') return showFiles(request, reply, draft, { errors: { file: ctx.t('wizard.files.noFile') }, status: 400, ...(kind ? { kind } : {}) });
      let errors = errorOf(ctx.t, error);
      if (error.code === 'file-type-not-allowed' && upload) {
        const settings = await submissionSettings(db, journal!.id);
        const kindOf = settings.fileKinds.find((k) => k.key === kind);
        if (kindOf) errors = { file: ctx.t('wizard.files.wrongType', { type: typeName(upload.stored.mimeType, true), kind: localizeText(kindOf.name, ctx.locale, journal!.primaryLocale) || kindOf.key, types: [...new Set(kindOf.types.map((type) => typeName(type)))].join(', ') }) };
      } else if (error.code === 'file-too-large') {
        errors = { file: ctx.t('wizard.files.tooLarge', { size: formatFileSize(Number(error.params.max ?? 0), ctx.locale) }) };
      }
      return showFiles(request, reply, draft, { errors, status: error.status, ...(kind ? { kind } : {}) });
    }

    scope.post('/:journal/submission/:id/files', { config: upload, schema: { params: DraftParams } }, async (request, reply) => {
      const draft = await draftOrElsewhere(request, (request.params as { id: string }).id);
      if (typeof draft === 'string') return reply.redirect(draft, 303);
      const body = formBody(request);
      const { ctx } = await formPage(db, request, reply);
      if (formText(body, 'action', 20) === 'continue') {
        // Moving on needs the files the journal requires.
        const missing = (await submissionProblems(db, draft)).filter((p) => p.step === 'files');
        if (missing.length > 0) {
          const { journal } = await formPage(db, request, reply);
          const kinds = kindViews(await submissionSettings(db, draft.journalId), ctx, journal!);
          const message = missing.map((p) => ctx.t(PROBLEM_KEYS[p.code], { kind: kinds.find((k) => k.key === p.field)?.name ?? p.field ?? '' })).join(' ');
          return showFiles(request, reply, draft, { errors: { file: message }, status: 400 });
        }
        await reachStep(db, draft.journalId, draft.id, 'details');
        return reply.redirect(stepHref(ctx, draft.id, 'details'), 303);
      }
      const kind = formText(body, 'kind', 50);
      if (uploadTooLarge(request) !== undefined) return refuseUpload(request, reply, draft, 'too-large', kind);
      const upload = receivedUpload(request);
      if (!upload) return refuseUpload(request, reply, draft, 'no-file', kind);
      try {
        const id = await addSubmissionFile(db, { journalId: draft.journalId, submissionId: draft.id, userId: request.viewer.user!.userId, kind, upload: upload.stored, now: clock.now() });
        keepUpload(request);
        request.log.info({ submissionId: draft.id, submissionFileId: id, type: upload.stored.mimeType, bytes: upload.stored.sizeBytes }, 'submission file uploaded');
        return reply.redirect(`${stepHref(ctx, draft.id, 'files')}?notice=added&file=${id}`, 303);
      } catch (error) {
        if (error instanceof WorkflowError) return refuseUpload(request, reply, draft, error, kind);
        await discardUpload(request, files);
        throw error;
      }
    });

    scope.post('/:journal/submission/:id/files/:fileId/replace', { config: upload, schema: { params: FileParams } }, async (request, reply) => {
      const params = request.params as { id: string; fileId: string };
      const draft = await draftOrElsewhere(request, params.id);
      if (typeof draft === 'string') return reply.redirect(draft, 303);
      const submissionFileId = parseId(params.fileId);
      const { ctx } = await formPage(db, request, reply);
      const kind = (await db.selectFrom('submission_files').select('kind').where('id', '=', submissionFileId).where('submission_id', '=', draft.id).executeTakeFirst())?.kind;
      if (uploadTooLarge(request) !== undefined) return refuseUpload(request, reply, draft, 'too-large', kind);
      const upload = receivedUpload(request);
      if (!upload) return refuseUpload(request, reply, draft, 'no-file', kind);
      try {
        await reviseSubmissionFile(db, { journalId: draft.journalId, submissionId: draft.id, submissionFileId, userId: request.viewer.user!.userId, upload: upload.stored, now: clock.now() });
        keepUpload(request);
        return reply.redirect(`${stepHref(ctx, draft.id, 'files')}?notice=replaced&file=${submissionFileId}`, 303);
      } catch (error) {
        if (error instanceof WorkflowError) return refuseUpload(request, reply, draft, error, kind);
        await discardUpload(request, files);
        throw error;
      }
    });
  });
}
