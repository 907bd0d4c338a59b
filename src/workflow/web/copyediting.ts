import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { can, requireCan } from '../../accounts/index.ts';
import type { Db } from '../../catalog/index.ts';
import { formBody, formList, formText } from '../../platform/http/forms.ts';
import { IdText, JournalPath, NotFoundError, Type, parseId, typed } from '../../platform/http/index.ts';
import { formPage, sendPrivatePage } from '../../platform/web/index.ts';
import { isActiveContentType } from '../../storage/index.ts';
import type { FormErrors, PageContext, SafeHtml } from '../../ui/index.ts';
import { assignParticipant, eligibleParticipants } from '../commands/participants.ts';
import { MAX_DISCUSSION_BODY } from '../commands/discussions.ts';
import { listDiscussions } from '../discussions.ts';
import { WorkflowError } from '../errors.ts';
import { addCopyeditedFile, askAuthorToReviewCopyedits, copyeditedFiles, filesToCopyedit, productionReadyFiles, sendToProduction, type ProductionRole } from '../production/copyediting.ts';
import { findSubmission, type SubmissionFileEntry, type SubmissionRecord } from '../queries.ts';
import { recordDecision } from '../review/index.ts';
import { MAX_SUBMISSION_FILE_BYTES } from '../settings/read.ts';
import { acceptStreamedUploads, discardUpload, keepUpload, receivedUpload, uploadTooLarge } from '../uploads.ts';
import type { WorkflowWebDeps } from './deps.ts';
import { manageAccess } from './manage-access.ts';
import { displayName, refusal, refusalErrors, refusalStatus, submissionBase, submissionTitle } from './review-editor-shared.ts';
import {
  AssignProductionForm,
  AuthorReviewFormView,
  BackToCopyeditingForm,
  CopyeditingPage,
  CopyeditingSection,
  CopyeditUploadForm,
  SendToProductionForm,
  type AuthorReviewForm,
  type CopyeditFile,
  type CopyeditingView,
} from './views/copyediting.tsx';

/**
 * Copyediting on the submission page (issue 21, item 1): the Copyediting section (`copyeditingSection`,
 * rendered by editorial.ts with the page), and its forms: assigning copyeditors and layout editors
 * (the submission's editors), uploading copyedited files and asking the author to review them (its
 * editors and assigned copyeditors: `submission.copyedit`), sending to production and back (those
 * who decide). A refused form is shown again on a page of its own with the refusal by its field.
 */

const SubmissionParams = Type.Object({ journal: JournalPath, id: IdText });
/** Anyone signed in: copyeditors need not be the journal's editors; what they may do is decided on the submission. */
const SIGNED_IN = { permission: 'journal.submit' as const };
const NOTICES = ['assigned', 'uploaded', 'sent', 'back'] as const;
type Notice = (typeof NOTICES)[number];
const NOTICE_LABEL = { assigned: 'copyediting.notice.assigned', uploaded: 'copyediting.notice.uploaded', sent: 'copyediting.notice.sent', back: 'copyediting.notice.back' } as const;

async function names(db: Db, ctx: PageContext, ids: readonly (number | null)[]): Promise<Map<number, string>> {
  const wanted = [...new Set(ids.filter((id): id is number => id !== null))];
  if (wanted.length === 0) return new Map();
  const rows = await db.selectFrom('users').select(['id', 'email', 'given_name', 'family_name']).where('id', 'in', wanted).execute();
  return new Map(rows.map((u) => [u.id, displayName(ctx, { email: u.email, givenName: u.given_name, familyName: u.family_name })]));
}

function toFiles(files: SubmissionFileEntry[], people: Map<number, string>): CopyeditFile[] {
  return files.map((f) => ({ id: f.id, name: f.name, sizeBytes: f.sizeBytes, uploadedBy: f.uploadedBy === null ? null : (people.get(f.uploadedBy) ?? null), updatedAt: f.updatedAt, revisions: f.revisions }));
}

const fileReadable = (request: FastifyRequest, submission: SubmissionRecord, f: SubmissionFileEntry) =>
  can(request.viewer.user, 'submission-file.read', { kind: 'submission-file', fileId: f.id, stage: f.stage, reviewRoundId: f.reviewRoundId, reviewPurpose: f.reviewPurpose, submission: submission.resource });

/** The Copyediting section for the submission's editors and its copyeditors and layout editors; nothing for anyone else. */
export async function copyeditingSection(db: Db, request: FastifyRequest, ctx: PageContext, submission: SubmissionRecord): Promise<SafeHtml | undefined> {
  const user = request.viewer.user;
  if (submission.status === 'draft') return undefined;
  const canCopyedit = can(user, 'submission.copyedit', submission.resource);
  const layout = submission.participants.some((p) => p.role === 'layout-editor' && p.userId === user?.userId);
  if (!canCopyedit && !layout) return undefined;
  const canAssign = can(user, 'submission.assign', submission.resource);
  const [toCopyedit, copyedited, ready, discussions, copyeditors, layoutEditors] = await Promise.all([
    filesToCopyedit(db, submission),
    copyeditedFiles(db, submission.id),
    productionReadyFiles(db, submission.id),
    listDiscussions(db, submission, user),
    canAssign ? eligibleParticipants(db, submission.journalId, 'copyeditor') : Promise.resolve([]),
    canAssign ? eligibleParticipants(db, submission.journalId, 'layout-editor') : Promise.resolve([]),
  ]);
  const staff = submission.participants.filter((p): p is typeof p & { role: ProductionRole } => p.role === 'copyeditor' || p.role === 'layout-editor');
  const readable = (files: SubmissionFileEntry[]) => files.filter((f) => fileReadable(request, submission, f));
  const people = await names(db, ctx, [...staff.map((p) => p.userId), ...[...toCopyedit, ...copyedited, ...ready].map((f) => f.uploadedBy)]);
  const toRef = (p: { userId: number; email: string; givenName: Record<string, string>; familyName: Record<string, string> }) => ({ userId: p.userId, name: displayName(ctx, p) });
  const query = (request.query ?? {}) as { copyeditNotice?: string };
  const notice = (NOTICES as readonly string[]).includes(query.copyeditNotice ?? '') ? ctx.t(NOTICE_LABEL[query.copyeditNotice as Notice]) : undefined;
  const view: CopyeditingView = {
    base: submissionBase(request, submission.id),
    status: submission.status,
    stage: submission.stage,
    people: staff.map((p) => ({ participantId: p.id, name: people.get(p.userId) ?? `#${p.userId}`, role: p.role })),
    ...(canAssign ? { eligible: { copyeditor: copyeditors.map(toRef), 'layout-editor': layoutEditors.map(toRef) } } : {}),
    filesToCopyedit: toFiles(readable(toCopyedit), people),
    copyedited: toFiles(readable(copyedited), people),
    productionReady: toFiles(readable(ready), people),
    discussions: discussions.filter((d) => d.stage === 'copyediting').map((d) => ({ id: d.id, subject: d.subject, messages: d.messageCount })),
    canCopyedit,
    canDecide: can(user, 'submission.decide', submission.resource),
    ...(notice ? { notice } : {}),
  };
  return CopyeditingSection({ ctx, view });
}

export async function copyeditingRoutes(app: FastifyInstance, deps: WorkflowWebDeps): Promise<void> {
  const { db, files, clock } = deps;
  const routes = typed(app);

  /** The submission of this journal the viewer may read (404 otherwise), and may do `action` to (403 otherwise). */
  async function target(request: FastifyRequest<{ Params: { id: string } }>, action: 'submission.copyedit' | 'submission.assign' | 'submission.decide'): Promise<SubmissionRecord> {
    const submission = await findSubmission(db, request.viewer.journal!.id, parseId(request.params.id));
    if (!submission || !can(request.viewer.user, 'submission.read', submission.resource)) throw new NotFoundError();
    requireCan(request, action, submission.resource);
    return submission;
  }

  const accessOf = (request: FastifyRequest, submission: SubmissionRecord) => (can(request.viewer.user, 'journal.workflow', { kind: 'journal', journalId: submission.journalId }) ? manageAccess(request.viewer.user, submission.journalId) : undefined);
  const done = (request: FastifyRequest, submission: SubmissionRecord, notice: Notice) => `${submissionBase(request, submission.id)}?copyeditNotice=${notice}#copyediting`;

  async function page(request: FastifyRequest, reply: FastifyReply, ctx: PageContext, submission: SubmissionRecord, title: string, body: SafeHtml | undefined, status: number, errors?: FormErrors) {
    return sendPrivatePage(reply, CopyeditingPage({ ctx, access: accessOf(request, submission), title, back: submissionBase(request, submission.id), ...(errors ? { errors } : {}), ...(body ? { children: body } : {}) }), status);
  }

  // Assigning a copyeditor or a layout editor: the person is emailed (production/copyediting-mail.ts).
  routes.post('/:journal/workflow/index/:id/copyediting/participants', { config: SIGNED_IN, schema: { params: SubmissionParams } }, async (request, reply) => {
    const submission = await target(request, 'submission.assign');
    const body = formBody(request);
    const role = formText(body, 'role', 20);
    const userId = formText(body, 'userId', 12);
    const { ctx } = await formPage(db, request, reply);
    const showAgain = async (error: string, status: number) => {
      const safeRole: ProductionRole = role === 'layout-editor' ? 'layout-editor' : 'copyeditor';
      const people = (await eligibleParticipants(db, submission.journalId, safeRole)).map((p) => ({ userId: p.userId, name: displayName(ctx, p) }));
      const form = AssignProductionForm({ ctx, base: submissionBase(request, submission.id), role: safeRole, people, error });
      return page(request, reply, ctx, submission, ctx.t('copyediting.assignPage'), form, status, { [`assign-${safeRole}`]: error });
    };
    if ((role !== 'copyeditor' && role !== 'layout-editor') || !/^[0-9]{1,9}$/.test(userId)) return showAgain(ctx.t('submissionPage.choosePersonError'), 400);
    try {
      await assignParticipant(db, { journalId: submission.journalId, submissionId: submission.id, userId: Number(userId), role, assignedBy: request.viewer.user!.userId, now: clock.now() });
    } catch (error) {
      if (!(error instanceof WorkflowError)) throw error;
      return showAgain(refusal(ctx, error), refusalStatus(error));
    }
    return reply.redirect(done(request, submission, 'assigned'), 303);
  });

  // A copyedited file (or a new version of one), streamed into the store in a scope of its own.
  await app.register(async (scope) => {
    acceptStreamedUploads(scope, {
      files,
      fileFields: ['file'],
      maxBytes: () => MAX_SUBMISSION_FILE_BYTES,
      refuseFile: ({ type }) => (isActiveContentType(type) ? new WorkflowError('file-type-not-allowed', 'file', { type }) : undefined),
    });
    typed(scope).post(
      '/:journal/workflow/index/:id/copyediting/files',
      { config: { ...SIGNED_IN, uploads: { files: 1, fileBytes: MAX_SUBMISSION_FILE_BYTES } }, schema: { params: SubmissionParams } },
      async (request, reply) => {
        const submission = await target(request, 'submission.copyedit');
        const { ctx } = await formPage(db, request, reply);
        const revisesText = formText(formBody(request), 'revises', 12);
        const upload = receivedUpload(request)?.stored;
        const tooLarge = uploadTooLarge(request);
        const refuse = async (message: string, status: number) => {
          await discardUpload(request, files);
          const copyedited = toFiles(await copyeditedFiles(db, submission.id), new Map());
          return page(request, reply, ctx, submission, ctx.t('copyediting.uploadHeading'), CopyeditUploadForm({ ctx, base: submissionBase(request, submission.id), copyedited, error: message }), status, { 'copyedit-file': message });
        };
        if (tooLarge !== undefined) {
          reply.header('connection', 'close');
          return refuse(ctx.t('workflow.error.file-too-large', { max: tooLarge }), 413);
        }
        if (!upload) return refuse(ctx.t('submissionPage.chooseFile'), 400);
        try {
          await addCopyeditedFile(db, {
            journalId: submission.journalId,
            submissionId: submission.id,
            userId: request.viewer.user!.userId,
            upload,
            ...(/^[0-9]{1,9}$/.test(revisesText) ? { revises: Number(revisesText) } : {}),
            now: clock.now(),
          });
        } catch (error) {
          if (!(error instanceof WorkflowError)) throw error;
          return refuse(refusal(ctx, error), refusalStatus(error));
        }
        keepUpload(request);
        return reply.redirect(done(request, submission, 'uploaded'), 303);
      },
    );
  });

  // Asking the author to review the copyedits: a discussion of the stage with the files attached.
  async function authorReviewForm(request: FastifyRequest, ctx: PageContext, submission: SubmissionRecord, posted?: Partial<AuthorReviewForm>): Promise<AuthorReviewForm> {
    const authorIds = submission.participants.filter((p) => p.role === 'author').map((p) => p.userId);
    const people = await names(db, ctx, authorIds);
    const copyedited = await copyeditedFiles(db, submission.id);
    const me = request.viewer.user!;
    const myName = (await names(db, ctx, [me.userId])).get(me.userId) ?? '';
    return {
      action: `${submissionBase(request, submission.id)}/copyediting/author-review`,
      authors: authorIds.map((id) => ({ userId: id, name: people.get(id) ?? `#${id}` })),
      files: toFiles(copyedited, new Map()),
      authorIds,
      fileIds: copyedited.map((f) => f.id),
      subject: ctx.t('copyediting.defaultSubject'),
      message: ctx.t('copyediting.defaultMessage', { title: await submissionTitle(db, ctx, submission), name: myName }),
      errors: {},
      ...posted,
    };
  }

  routes.get('/:journal/workflow/index/:id/copyediting/author-review', { config: SIGNED_IN, schema: { params: SubmissionParams } }, async (request, reply) => {
    const submission = await target(request, 'submission.copyedit');
    const { ctx } = await formPage(db, request, reply);
    const form = await authorReviewForm(request, ctx, submission);
    const title = ctx.t('copyediting.askTitle', { title: await submissionTitle(db, ctx, submission) });
    const inStage = submission.status === 'active' && submission.stage === 'copyediting';
    const errors: FormErrors = inStage ? {} : { '': ctx.t('workflow.error.not-in-copyediting') };
    return page(request, reply, ctx, submission, title, inStage ? AuthorReviewFormView({ ctx, form }) : undefined, inStage ? 200 : 409, errors);
  });

  routes.post('/:journal/workflow/index/:id/copyediting/author-review', { config: SIGNED_IN, schema: { params: SubmissionParams } }, async (request, reply) => {
    const submission = await target(request, 'submission.copyedit');
    const { ctx } = await formPage(db, request, reply);
    const body = formBody(request);
    const ids = (name: string) => [...new Set(formList(body, name).filter((v) => /^[0-9]{1,9}$/.test(v)).map(Number))].slice(0, 50);
    const posted = { authorIds: ids('authorIds'), fileIds: ids('fileIds'), subject: formText(body, 'subject', 300), message: formText(body, 'message', MAX_DISCUSSION_BODY + 1) };
    try {
      // On the form, no author ticked is no one asked (the command's default, every author, is the API's).
      if (posted.authorIds.length === 0) throw new WorkflowError('participants-missing', 'authorIds');
      const { discussionId } = await askAuthorToReviewCopyedits(db, {
        journalId: submission.journalId,
        submissionId: submission.id,
        userId: request.viewer.user!.userId,
        authorIds: posted.authorIds,
        fileIds: posted.fileIds,
        subject: posted.subject,
        body: posted.message,
        now: clock.now(),
      });
      return reply.redirect(`${submissionBase(request, submission.id)}/discussions/${discussionId}`, 303);
    } catch (error) {
      if (!(error instanceof WorkflowError)) throw error;
      const errors = refusalErrors(ctx, error, ['authorIds', 'fileIds', 'subject', 'body']);
      const form = await authorReviewForm(request, ctx, submission, { ...posted, errors });
      const title = ctx.t('copyediting.askTitle', { title: await submissionTitle(db, ctx, submission) });
      return page(request, reply, ctx, submission, title, AuthorReviewFormView({ ctx, form }), refusalStatus(error), errors);
    }
  });

  // Send to production (the decision, with the production-ready files) and back to copyediting.
  const sendPath = '/:journal/workflow/index/:id/copyediting/send-to-production';
  async function showSend(request: FastifyRequest, reply: FastifyReply, ctx: PageContext, submission: SubmissionRecord, fileIds: number[] | undefined, errors: FormErrors, status: number) {
    const copyedited = await copyeditedFiles(db, submission.id);
    const title = ctx.t('copyediting.sendTitle', { title: await submissionTitle(db, ctx, submission) });
    const form = SendToProductionForm({ ctx, action: `${submissionBase(request, submission.id)}/copyediting/send-to-production`, files: toFiles(copyedited, new Map()), fileIds: fileIds ?? copyedited.map((f) => f.id), errors });
    return page(request, reply, ctx, submission, title, form, status, errors);
  }

  routes.get(sendPath, { config: SIGNED_IN, schema: { params: SubmissionParams } }, async (request, reply) => {
    const submission = await target(request, 'submission.decide');
    const { ctx } = await formPage(db, request, reply);
    const inStage = submission.status === 'active' && submission.stage === 'copyediting';
    return showSend(request, reply, ctx, submission, undefined, inStage ? {} : { '': ctx.t('workflow.error.decision-not-allowed') }, inStage ? 200 : 409);
  });

  routes.post(sendPath, { config: SIGNED_IN, schema: { params: SubmissionParams } }, async (request, reply) => {
    const submission = await target(request, 'submission.decide');
    const { ctx } = await formPage(db, request, reply);
    const fileIds = [...new Set(formList(formBody(request), 'fileIds').filter((v) => /^[0-9]{1,9}$/.test(v)).map(Number))].slice(0, 200);
    try {
      await sendToProduction(db, { journalId: submission.journalId, submissionId: submission.id, editorId: request.viewer.user!.userId, fileIds, now: clock.now() });
    } catch (error) {
      if (!(error instanceof WorkflowError)) throw error;
      return showSend(request, reply, ctx, submission, fileIds, refusalErrors(ctx, error, ['fileIds']), refusalStatus(error));
    }
    return reply.redirect(done(request, submission, 'sent'), 303);
  });

  const backPath = '/:journal/workflow/index/:id/copyediting/back-to-copyediting';
  routes.get(backPath, { config: SIGNED_IN, schema: { params: SubmissionParams } }, async (request, reply) => {
    const submission = await target(request, 'submission.decide');
    const { ctx } = await formPage(db, request, reply);
    const title = ctx.t('copyediting.backTitle', { title: await submissionTitle(db, ctx, submission) });
    return page(request, reply, ctx, submission, title, BackToCopyeditingForm({ ctx, action: `${submissionBase(request, submission.id)}/copyediting/back-to-copyediting` }), 200);
  });

  routes.post(backPath, { config: SIGNED_IN, schema: { params: SubmissionParams } }, async (request, reply) => {
    const submission = await target(request, 'submission.decide');
    const { ctx } = await formPage(db, request, reply);
    try {
      await recordDecision(db, { journalId: submission.journalId, submissionId: submission.id, decision: 'back-to-copyediting', editorId: request.viewer.user!.userId, recommendOnly: false, now: clock.now() });
    } catch (error) {
      if (!(error instanceof WorkflowError)) throw error;
      const title = ctx.t('copyediting.backTitle', { title: await submissionTitle(db, ctx, submission) });
      return page(request, reply, ctx, submission, title, BackToCopyeditingForm({ ctx, action: `${submissionBase(request, submission.id)}/copyediting/back-to-copyediting` }), refusalStatus(error), { '': refusal(ctx, error) });
    }
    return reply.redirect(done(request, submission, 'back'), 303);
  });
}

