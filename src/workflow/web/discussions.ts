import fs from 'node:fs';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { can, requireCan, type SignedInUser } from '../../accounts/index.ts';
import type { WorkflowStage } from '../../db/schema.ts';
import { localize, type Translate } from '../../i18n/index.ts';
import { formBody, formList, formText } from '../../platform/http/forms.ts';
import { IdText, JournalPath, NotFoundError, Type, typed } from '../../platform/http/index.ts';
import { formatFileSize, formPage, QueryParameter, firstValue, sendPrivatePage } from '../../platform/web/index.ts';
import { InvalidStorageKeyError, isActiveContentType } from '../../storage/index.ts';
import type { FormErrors, PageContext } from '../../ui/index.ts';
import {
  addDiscussionParticipants,
  closeDiscussion,
  MAX_DISCUSSION_ATTACHMENT_BYTES,
  MAX_DISCUSSION_ATTACHMENTS,
  MAX_DISCUSSION_BODY,
  postMessage,
  reopenDiscussion,
  startDiscussion,
  type DiscussionUpload,
} from '../commands/discussions.ts';
import { discussionAttachment, discussionCandidates, discussionThread, findDiscussion, listDiscussions, peopleByIds, type DiscussionSummary } from '../discussions.ts';
import { WorkflowError } from '../errors.ts';
import { findSubmission, type SubmissionRecord } from '../queries.ts';
import { acceptStreamedUploads, keepUpload, receivedUploads, uploadTooLarge } from '../uploads.ts';
import type { WorkflowWebDeps } from './deps.ts';
import { DiscussionThreadPage } from './views/discussions-thread.tsx';
import { DiscussionListPage, STAGES, type StartForm, type SubmissionHeading } from './views/discussions.tsx';

/**
 * Discussions of a submission (issue 19, item 6). Every signed-in person passes the route's
 * permission (`journal.submit`); the submission and the discussion are then checked: whoever may not
 * take part gets the same 404 as for an id that does not exist, so ids reveal nothing.
 */

// Any signed-in person: the resource decides (visitors are sent to sign in first).
const PERMISSION = { permission: 'journal.submit' as const };
const UPLOADS = { ...PERMISSION, uploads: { files: MAX_DISCUSSION_ATTACHMENTS, fileBytes: MAX_DISCUSSION_ATTACHMENT_BYTES + 1 } };

const SubmissionParams = Type.Object({ journal: JournalPath, id: IdText });
const DiscussionParams = Type.Object({ journal: JournalPath, id: IdText, did: IdText });
const FileParams = Type.Object({ journal: JournalPath, id: IdText, did: IdText, fileId: IdText });
const NoticeQuery = Type.Object({ notice: Type.Optional(QueryParameter) });

const NOTICES = ['started', 'posted', 'closed', 'reopened', 'added'] as const;
type NoticeName = (typeof NOTICES)[number];

function noticeText(t: Translate, notice: string): string | undefined {
  switch (notice as NoticeName) {
    case 'started':
      return t('discussions.notice.started');
    case 'posted':
      return t('discussions.notice.posted');
    case 'closed':
      return t('discussions.notice.closed');
    case 'reopened':
      return t('discussions.notice.reopened');
    case 'added':
      return t('discussions.notice.added');
    default:
      return undefined;
  }
}

/** What a refusal says, next to the field it concerns. */
export function refusalText({ t, locale }: { t: Translate; locale: string }, error: WorkflowError): string {
  const name = String(error.params.name ?? '');
  switch (error.code) {
    case 'subject-missing':
      return t('workflow.error.subject-missing');
    case 'message-missing':
      return t('workflow.error.message-missing');
    case 'participants-missing':
      return t('workflow.error.participants-missing');
    case 'too-many-files':
      return t('workflow.error.too-many-files', { max: MAX_DISCUSSION_ATTACHMENTS });
    case 'too-long':
      return t('workflow.error.too-long', error.params);
    case 'file-empty':
      return t('discussions.error.attachmentEmpty', { name });
    case 'file-too-large':
      return t('discussions.error.attachmentTooLarge', { name, size: formatFileSize(MAX_DISCUSSION_ATTACHMENT_BYTES, locale) });
    case 'file-type-not-allowed':
      return t('discussions.error.attachmentType', { name, type: String(error.params.type ?? '') });
    case 'not-eligible':
      return t('discussions.error.notEligible');
    case 'discussion-closed':
      return t('workflow.error.discussion-closed');
    default:
      return t('workflow.error.not-active');
  }
}

function contentDisposition(fileName: string): string {
  const ascii = fileName.replace(/[^\x20-\x7e]/g, '_').replace(/["\\]/g, '_');
  return `attachment; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(fileName)}`;
}

export async function discussionRoutes(app: FastifyInstance, deps: WorkflowWebDeps): Promise<void> {
  const { db, files, clock } = deps;
  const routes = typed(app);

  const viewerOf = (request: FastifyRequest) => request.viewer.user as SignedInUser;

  /** The submission, if the viewer may see its discussions at all; else 404. */
  async function submissionOr404(request: FastifyRequest, idText: string): Promise<SubmissionRecord> {
    const journal = request.viewer.journal;
    const submission = journal ? await findSubmission(db, journal.id, Number(idText)) : undefined;
    if (!submission || submission.status === 'draft') throw new NotFoundError();
    const viewer = viewerOf(request);
    if (can(viewer, 'submission.discuss', submission.resource)) return submission;
    // Someone asked into a discussion who no longer works on the submission still sees that discussion.
    if ((await listDiscussions(db, submission, viewer)).length > 0) return submission;
    throw new NotFoundError();
  }

  async function discussionOr404(request: FastifyRequest, submission: SubmissionRecord, didText: string): Promise<DiscussionSummary> {
    const discussion = await findDiscussion(db, submission, Number(didText));
    if (!discussion || !can(viewerOf(request), 'discussion.take-part', discussion.resource)) throw new NotFoundError();
    requireCan(request, 'discussion.take-part', discussion.resource);
    return discussion;
  }

  async function heading(ctx: PageContext, submission: SubmissionRecord, journalPath: string): Promise<SubmissionHeading> {
    const row = await db.selectFrom('publications').select('title').where('id', '=', submission.publicationId).executeTakeFirst();
    const title = localize(row?.title ?? {}, ctx.locale, submission.locale);
    return { id: submission.id, journalPath, title: title?.text ?? '', ...(title && title.locale !== ctx.locale ? { titleLang: title.locale } : {}) };
  }

  const edits = (request: FastifyRequest, submission: SubmissionRecord) => can(viewerOf(request), 'submission.assign', submission.resource);

  async function listPage(request: FastifyRequest, reply: FastifyReply, submission: SubmissionRecord, form?: StartForm, status = 200, notice?: string) {
    const { ctx } = await formPage(db, request, reply);
    const viewer = viewerOf(request);
    const journalPath = request.viewer.journal!.path;
    const mayStart = can(viewer, 'submission.discuss', submission.resource) && submission.status === 'active';
    const start = mayStart
      ? {
          form: form ?? { stage: submission.stage, subject: '', participantIds: [], body: '', errors: {} },
          candidates: await discussionCandidates(db, submission, { starterId: viewer.userId, starterEdits: edits(request, submission) }),
          viewerId: viewer.userId,
          maxFiles: MAX_DISCUSSION_ATTACHMENTS,
          maxBytes: MAX_DISCUSSION_ATTACHMENT_BYTES,
        }
      : null;
    const page = DiscussionListPage({ ctx, submission: await heading(ctx, submission, journalPath), discussions: await listDiscussions(db, submission, viewer), start, ...(notice ? { notice } : {}) });
    return sendPrivatePage(reply, page, status);
  }

  async function threadPage(request: FastifyRequest, reply: FastifyReply, submission: SubmissionRecord, discussion: DiscussionSummary, state: { body?: string; errors?: FormErrors; editorErrors?: FormErrors; status?: number; notice?: string } = {}) {
    const { ctx } = await formPage(db, request, reply);
    const viewer = viewerOf(request);
    const isEditor = edits(request, submission);
    const candidates = isEditor ? (await discussionCandidates(db, submission, { starterId: viewer.userId, starterEdits: true })).filter((c) => !discussion.participantIds.includes(c.userId)) : [];
    const page = DiscussionThreadPage({
      ctx,
      submission: await heading(ctx, submission, request.viewer.journal!.path),
      discussion,
      participants: await peopleByIds(db, discussion.participantIds),
      messages: await discussionThread(db, discussion.id),
      reply: { body: state.body ?? '', errors: state.errors ?? {}, maxFiles: MAX_DISCUSSION_ATTACHMENTS, maxBytes: MAX_DISCUSSION_ATTACHMENT_BYTES },
      editor: isEditor && submission.status === 'active' ? { candidates, errors: state.editorErrors ?? {} } : null,
      viewerId: viewer.userId,
      ...(state.notice ? { notice: state.notice } : {}),
    });
    return sendPrivatePage(reply, page, state.status ?? 200);
  }

  /** The attachments sent with the form, or the refusal of them all (too many). */
  function attachmentsOf(request: FastifyRequest): DiscussionUpload[] {
    const received = receivedUploads(request);
    if (received.tooMany) throw new WorkflowError('too-many-files', 'attachments', { max: MAX_DISCUSSION_ATTACHMENTS });
    // Reading stopped at a file over the limit: said as the command says it.
    if (uploadTooLarge(request) !== undefined) throw new WorkflowError('file-too-large', 'attachments', { max: MAX_DISCUSSION_ATTACHMENT_BYTES });
    return received.uploads.map((u) => u.stored);
  }

  const ids = (values: string[]) => values.filter((v) => /^[0-9]{1,10}$/.test(v)).map(Number);

  routes.get('/:journal/workflow/index/:id/discussions', { config: PERMISSION, schema: { params: SubmissionParams, querystring: NoticeQuery } }, async (request, reply) => {
    const submission = await submissionOr404(request, request.params.id);
    const { ctx } = await formPage(db, request, reply);
    return listPage(request, reply, submission, undefined, 200, noticeText(ctx.t, firstValue(request.query.notice)));
  });

  routes.get('/:journal/workflow/index/:id/discussions/:did', { config: PERMISSION, schema: { params: DiscussionParams, querystring: NoticeQuery } }, async (request, reply) => {
    const submission = await submissionOr404(request, request.params.id);
    const discussion = await discussionOr404(request, submission, request.params.did);
    const { ctx } = await formPage(db, request, reply);
    const notice = noticeText(ctx.t, firstValue(request.query.notice));
    return threadPage(request, reply, submission, discussion, notice ? { notice } : {});
  });

  routes.get('/:journal/workflow/index/:id/discussions/:did/files/:fileId', { config: PERMISSION, schema: { params: FileParams } }, async (request, reply) => {
    const submission = await submissionOr404(request, request.params.id);
    const discussion = await discussionOr404(request, submission, request.params.did);
    const file = await discussionAttachment(db, discussion.id, Number(request.params.fileId));
    if (!file) throw new NotFoundError();
    let path: string;
    let size: number;
    try {
      path = files.pathOf(file.storageKey);
      size = (await fs.promises.stat(path)).size;
    } catch (error) {
      if (!(error instanceof InvalidStorageKeyError) && (error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
      request.log.error({ fileId: file.fileId }, 'discussion attachment missing from storage');
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

  routes.post('/:journal/workflow/index/:id/discussions/:did/close', { config: PERMISSION, schema: { params: DiscussionParams } }, async (request, reply) => {
    const submission = await submissionOr404(request, request.params.id);
    const discussion = await discussionOr404(request, submission, request.params.did);
    requireCan(request, 'submission.assign', submission.resource);
    await closeDiscussion(db, { journalId: submission.journalId, submissionId: submission.id, discussionId: discussion.id, userId: viewerOf(request).userId, now: clock.now() });
    return reply.redirect(`/${request.viewer.journal!.path}/workflow/index/${submission.id}/discussions/${discussion.id}?notice=closed`, 303);
  });

  routes.post('/:journal/workflow/index/:id/discussions/:did/reopen', { config: PERMISSION, schema: { params: DiscussionParams } }, async (request, reply) => {
    const submission = await submissionOr404(request, request.params.id);
    const discussion = await discussionOr404(request, submission, request.params.did);
    requireCan(request, 'submission.assign', submission.resource);
    await reopenDiscussion(db, { journalId: submission.journalId, submissionId: submission.id, discussionId: discussion.id, userId: viewerOf(request).userId, now: clock.now() });
    return reply.redirect(`/${request.viewer.journal!.path}/workflow/index/${submission.id}/discussions/${discussion.id}?notice=reopened`, 303);
  });

  routes.post('/:journal/workflow/index/:id/discussions/:did/participants', { config: PERMISSION, schema: { params: DiscussionParams } }, async (request, reply) => {
    const submission = await submissionOr404(request, request.params.id);
    const discussion = await discussionOr404(request, submission, request.params.did);
    requireCan(request, 'submission.assign', submission.resource);
    try {
      await addDiscussionParticipants(db, { journalId: submission.journalId, submissionId: submission.id, discussionId: discussion.id, participantIds: ids(formList(formBody(request), 'participantIds')), userId: viewerOf(request).userId, now: clock.now() });
    } catch (error) {
      if (!(error instanceof WorkflowError)) throw error;
      const { ctx } = await formPage(db, request, reply);
      return threadPage(request, reply, submission, discussion, { editorErrors: { participantIds: refusalText(ctx, error) }, status: error.status === 404 ? 422 : error.status });
    }
    return reply.redirect(`/${request.viewer.journal!.path}/workflow/index/${submission.id}/discussions/${discussion.id}?notice=added`, 303);
  });

  /** Who may post to the address, settled before the form (and its files) is read. */
  async function mayPost(request: FastifyRequest): Promise<void> {
    const params = request.params as { id: string; did?: string };
    const submission = await submissionOr404(request, params.id);
    if (params.did === undefined) requireCan(request, 'submission.discuss', submission.resource);
    else await discussionOr404(request, submission, params.did);
  }

  // The forms with attachments: their files are streamed into the store as they arrive.
  await app.register(async (scope) => {
    acceptStreamedUploads(scope, { files, fileFields: ['attachments'], maxFiles: MAX_DISCUSSION_ATTACHMENTS, tooManyFiles: 'report', maxBytes: () => MAX_DISCUSSION_ATTACHMENT_BYTES, maxFields: 200 });
    // Only for files: a plain form is refused for its token first (access.ts), then by its route.
    scope.addHook('preParsing', async (request: FastifyRequest) => {
      if (!request.is404 && /^\s*multipart\//i.test(request.headers['content-type'] ?? '')) await mayPost(request);
    });
    const uploads = typed(scope);

    uploads.post('/:journal/workflow/index/:id/discussions', { config: UPLOADS, schema: { params: SubmissionParams } }, async (request, reply) => {
      const submission = await submissionOr404(request, request.params.id);
      requireCan(request, 'submission.discuss', submission.resource);
      const { ctx } = await formPage(db, request, reply);
      const body = formBody(request);
      const stageText = formText(body, 'stage', 20);
      const form: StartForm = {
        stage: (STAGES as readonly string[]).includes(stageText) ? (stageText as WorkflowStage) : submission.stage,
        subject: formText(body, 'subject', 1000),
        participantIds: ids(formList(body, 'participantIds')),
        body: formText(body, 'body', MAX_DISCUSSION_BODY + 1000),
        errors: {},
      };
      // What can be said at once is said at once; the command checks everything again.
      if (form.subject === '') form.errors.subject = ctx.t('workflow.error.subject-missing');
      if (form.participantIds.filter((id) => id !== viewerOf(request).userId).length === 0) form.errors.participantIds = ctx.t('workflow.error.participants-missing');
      if (form.body === '') form.errors.body = ctx.t('workflow.error.message-missing');
      try {
        const attachments = attachmentsOf(request);
        if (Object.keys(form.errors).length > 0) return listPage(request, reply, submission, form, 400);
        const { discussionId } = await startDiscussion(db, { journalId: submission.journalId, submissionId: submission.id, stage: form.stage, subject: form.subject, participantIds: form.participantIds, body: form.body, attachments, userId: viewerOf(request).userId, now: clock.now() });
        keepUpload(request);
        request.log.info({ submissionId: submission.id, discussionId, attachments: attachments.length }, 'discussion started');
        return reply.redirect(`/${request.viewer.journal!.path}/workflow/index/${submission.id}/discussions/${discussionId}?notice=started`, 303);
      } catch (error) {
        if (!(error instanceof WorkflowError)) throw error;
        form.errors[error.field && error.field !== 'submission' ? error.field : ''] = refusalText(ctx, error);
        return listPage(request, reply, submission, form, error.status === 404 ? 422 : error.status);
      }
    });

    uploads.post('/:journal/workflow/index/:id/discussions/:did', { config: UPLOADS, schema: { params: DiscussionParams } }, async (request, reply) => {
      const submission = await submissionOr404(request, request.params.id);
      const discussion = await discussionOr404(request, submission, request.params.did);
      const { ctx } = await formPage(db, request, reply);
      const text = formText(formBody(request), 'body', MAX_DISCUSSION_BODY + 1000);
      try {
        const attachments = attachmentsOf(request);
        const messageId = await postMessage(db, { journalId: submission.journalId, submissionId: submission.id, discussionId: discussion.id, body: text, attachments, userId: viewerOf(request).userId, now: clock.now() });
        keepUpload(request);
        return reply.redirect(`/${request.viewer.journal!.path}/workflow/index/${submission.id}/discussions/${discussion.id}?notice=posted#message-${messageId}`, 303);
      } catch (error) {
        if (!(error instanceof WorkflowError)) throw error;
        const field = error.field === 'attachments' ? 'attachments' : 'body';
        return threadPage(request, reply, submission, discussion, { body: text, errors: { [field]: refusalText(ctx, error) }, status: error.status === 404 ? 422 : error.status });
      }
    });
  });
}
