import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { can, personName, requireCan, type SignedInUser } from '../../accounts/index.ts';
import { publicationContributors } from '../../catalog/index.ts';
import { formBody, formChecked, formText } from '../../platform/http/forms.ts';
import { IdText, JournalPath, NotFoundError, Type, parseId, typed, type Static } from '../../platform/http/index.ts';
import { formPage, markPrivate, sendPrivatePage, type ManageAccess } from '../../platform/web/index.ts';
import type { PageContext } from '../../ui/index.ts';
import { eligibleParticipants, assignParticipant, removeParticipant } from '../commands/participants.ts';
import { reviseSubmissionFile } from '../commands/submissions.ts';
import { editorialDashboard, MAX_SEARCH_LENGTH, QUEUES, seesWholeJournal, type DashboardFilters, type Queue } from '../dashboard.ts';
import { WorkflowError } from '../errors.ts';
import type { SubmissionFileResource } from '../policy.ts';
import { findSubmission, submissionActivity, submissionFileRevisions, submissionFiles, type SubmissionRecord } from '../queries.ts';
import { MAX_SUBMISSION_FILE_BYTES, submissionSettings } from '../settings/read.ts';
import type { WorkflowWebDeps } from './deps.ts';
import { reviewStageSection } from './review-editor-stage.ts';
import { copyeditingSection } from './copyediting.ts';
import { productionSection } from './production.ts';
import { publicationSection } from './publication.ts';
import { sendStoredFile } from './stored-files.ts';
import { manageAccess } from './manage-access.ts';
import { authorReviewData } from './author-review.ts';
import { acceptStreamedUploads, discardUpload, keepUpload, receivedUpload, uploadTooLarge } from '../uploads.ts';
import { ERROR_LABEL, NOTICE_LABEL } from './views/editorial-labels.tsx';
import { EditorialDashboardPage } from './views/editorial-dashboard.tsx';
import { RemoveParticipantPage, SubmissionPage, type SubmissionPageData } from './views/submission-page.tsx';

/** The editorial dashboard, the submission page, its files and assignment (issue 19, items 4–5). */

const DashboardQuery = Type.Object({
  queue: Type.Optional(Type.String({ maxLength: 20 })),
  search: Type.Optional(Type.String({ maxLength: 1000 })),
  section: Type.Optional(Type.String({ maxLength: 12 })),
  stage: Type.Optional(Type.String({ maxLength: 20 })),
  status: Type.Optional(Type.String({ maxLength: 20 })),
  from: Type.Optional(Type.String({ maxLength: 20 })),
  to: Type.Optional(Type.String({ maxLength: 20 })),
  overdue: Type.Optional(Type.String({ maxLength: 5 })),
  page: Type.Optional(Type.String({ maxLength: 6 })),
  notice: Type.Optional(Type.String({ maxLength: 40 })),
});
const SubmissionParams = Type.Object({ journal: JournalPath, id: IdText });
const NoticeQuery = Type.Object({ notice: Type.Optional(Type.String({ maxLength: 40 })), round: Type.Optional(Type.String({ maxLength: 4 })), reviewNotice: Type.Optional(Type.String({ maxLength: 40 })) });
const FileParams = Type.Object({ journal: JournalPath, id: IdText, fileId: IdText });
const RevisionParams = Type.Object({ journal: JournalPath, id: IdText, fileId: IdText, revisionId: IdText });
const ParticipantParams = Type.Object({ journal: JournalPath, id: IdText, participantId: IdText });

const WORKFLOW = { permission: 'journal.workflow' as const };
/** Anyone signed in: what they may see of a submission is decided on the submission itself (authors are not editors). */
const SIGNED_IN = { permission: 'journal.submit' as const };
const NOTICES = ['assigned', 'removed', 'revised'] as const;

function parseDay(value: string | undefined): Date | undefined | 'invalid' {
  if (!value) return undefined;
  if (!/^\d{4}-\d{2}-\d{2}$/.test(value)) return 'invalid';
  const date = new Date(`${value}T00:00:00Z`);
  return Number.isNaN(date.getTime()) || date.toISOString().slice(0, 10) !== value ? 'invalid' : date;
}


export async function editorialRoutes(app: FastifyInstance, deps: WorkflowWebDeps): Promise<void> {
  const { db, files, clock } = deps;
  const routes = typed(app);

  /** The submission of this journal the viewer may read; anyone else learns nothing of it (404). */
  async function readable(request: FastifyRequest<{ Params: { id: string } }>): Promise<SubmissionRecord> {
    const journalId = request.viewer.journal!.id;
    const submission = await findSubmission(db, journalId, parseId(request.params.id));
    if (!submission || !can(request.viewer.user, 'submission.read', submission.resource)) throw new NotFoundError();
    return submission;
  }

  routes.get('/:journal/dashboard/editorial', { config: WORKFLOW, schema: { querystring: DashboardQuery } }, async (request, reply) => {
    const { ctx } = await formPage(db, request, reply);
    const journalId = request.viewer.journal!.id;
    const user = request.viewer.user!;
    const q = request.query;
    const queue: Queue = (QUEUES as readonly string[]).includes(q.queue ?? '') ? (q.queue as Queue) : 'active';
    const filters: DashboardFilters = {};
    const errors: Partial<Record<'from' | 'to', string>> = {};
    const search = (q.search ?? '').trim().slice(0, MAX_SEARCH_LENGTH);
    if (search) filters.search = search;
    if (q.section && /^[0-9]{1,9}$/.test(q.section)) filters.sectionId = Number(q.section);
    if (q.stage === 'submission' || q.stage === 'review' || q.stage === 'copyediting' || q.stage === 'production') filters.stage = q.stage;
    if (q.status === 'active' || q.status === 'declined' || q.status === 'published') filters.status = q.status;
    for (const [name, value] of [['from', q.from], ['to', q.to]] as const) {
      const day = parseDay(value);
      if (day === 'invalid') errors[name] = ctx.t('editorial.dateInvalid');
      else if (day) filters[name === 'from' ? 'submittedFrom' : 'submittedTo'] = day;
    }
    if (q.overdue === '1' || q.overdue === 'on') filters.overdue = true;
    const page = q.page && /^[0-9]{1,6}$/.test(q.page) ? Number(q.page) : 1;
    const [data, sectionRows] = await Promise.all([
      editorialDashboard(db, { journalId, principal: user, queue, filters, page, now: clock.now() }),
      db.selectFrom('sections').select(['id', 'title']).where('journal_id', '=', journalId).orderBy('seq').orderBy('id').execute(),
    ]);
    const sections = seesWholeJournal(user, journalId) ? sectionRows : sectionRows.filter((s) => user.sectionIds.has(s.id));
    return sendPrivatePage(reply, EditorialDashboardPage({ ctx, access: manageAccess(user, journalId), data, filters, sections, filterErrors: errors }), Object.keys(errors).length > 0 ? 400 : 200);
  });

  routes.get('/:journal/workflow/access/:id', { config: SIGNED_IN, schema: { params: SubmissionParams } }, async (request, reply) => {
    const submission = await readable(request);
    const path = request.viewer.journal!.path;
    markPrivate(reply);
    if (submission.status === 'draft') return reply.redirect(`/${path}/submission/${submission.id}/${submission.progress}`, 303);
    return reply.redirect(`/${path}/workflow/index/${submission.id}`, 303);
  });

  async function showSubmission(request: FastifyRequest<{ Params: Static<typeof SubmissionParams> }>, reply: FastifyReply, submission: SubmissionRecord, errors: SubmissionPageData['errors'] = {}, status = 200) {
    const { ctx } = await formPage(db, request, reply);
    const data = await submissionPageData(request, ctx, submission, errors);
    return sendPrivatePage(reply, SubmissionPage({ ctx, data }), status);
  }

  async function submissionPageData(request: FastifyRequest, ctx: PageContext, submission: SubmissionRecord, errors: SubmissionPageData['errors']): Promise<SubmissionPageData> {
    const user = request.viewer.user!;
    const journalId = submission.journalId;
    const editorView = can(user, 'submission.edit', submission.resource) && submission.status !== 'draft';
    const canAssign = can(user, 'submission.assign', submission.resource);
    const [publication, section, contributors, references, fileRows, activity] = await Promise.all([
      db.selectFrom('publications').select(['prefix', 'title', 'subtitle', 'abstract', 'keywords', 'locale']).where('id', '=', submission.publicationId).executeTakeFirstOrThrow(),
      db.selectFrom('sections').select('title').where('id', '=', submission.sectionId).executeTakeFirst(),
      publicationContributors(db, submission.publicationId),
      db.selectFrom('citations').select('raw_text').where('publication_id', '=', submission.publicationId).orderBy('seq').execute(),
      submissionFiles(db, submission.id),
      submissionActivity(db, submission.id),
    ]);
    // Files a viewer may not read (review files, for an author) are not listed either.
    const visibleFiles = fileRows.filter((f) => can(user, 'submission-file.read', fileResource(submission, f)));
    const revisions = await Promise.all(visibleFiles.map((f) => (f.revisions > 0 ? submissionFileRevisions(db, f.id) : Promise.resolve([]))));
    const kinds = (await submissionSettings(db, journalId)).fileKinds;
    const [editors, sectionEditors] = canAssign ? await Promise.all([eligibleParticipants(db, journalId, 'editor'), eligibleParticipants(db, journalId, 'section-editor')]) : [[], []];
    const mentioned = new Set<number>();
    for (const p of submission.participants) mentioned.add(p.userId);
    for (const f of visibleFiles) if (f.uploadedBy !== null) mentioned.add(f.uploadedBy);
    for (const list of revisions) for (const r of list) if (r.uploadedBy !== null) mentioned.add(r.uploadedBy);
    for (const a of activity) if (typeof a.details.userId === 'number') mentioned.add(a.details.userId);
    const users = mentioned.size === 0 ? [] : await db.selectFrom('users').select(['id', 'email', 'given_name', 'family_name']).where('id', 'in', [...mentioned]).execute();
    const nameOf = (u: { email: string; given_name: Record<string, string>; family_name: Record<string, string> }) => {
      const given = u.given_name[ctx.locale] ?? Object.values(u.given_name)[0] ?? '';
      const family = u.family_name[ctx.locale] ?? Object.values(u.family_name)[0] ?? '';
      return `${given} ${family}`.trim() || u.email;
    };
    const people = new Map(users.map((u) => [u.id, nameOf(u)]));
    const named = (id: number | null) => (id === null ? null : (people.get(id) ?? null));
    const query = request.query as { notice?: string } | undefined;
    const notice = query?.notice && (NOTICES as readonly string[]).includes(query.notice) ? ctx.t(NOTICE_LABEL[query.notice as (typeof NOTICES)[number]]) : undefined;
    const toRef = (p: { userId: number; email: string; givenName: Record<string, string>; familyName: Record<string, string> }) => ({ userId: p.userId, name: nameOf({ email: p.email, given_name: p.givenName, family_name: p.familyName }) });
    const inSection = sectionEditors.map((p) => ({ ...toRef(p), inSection: p.sectionIds.includes(submission.sectionId) }));
    inSection.sort((a, b) => Number(b.inSection) - Number(a.inSection) || a.name.localeCompare(b.name, ctx.locale));
    const authorReview = await authorReviewData(db, user, submission);
    return {
      submission,
      publication,
      sectionTitle: section?.title ?? {},
      contributors,
      references: references.map((r) => r.raw_text),
      files: visibleFiles.map((f, i) => ({ ...f, kindName: kinds.find((k) => k.key === f.kind)?.name ?? {}, uploadedByName: named(f.uploadedBy), earlier: revisions[i]!.slice(1).map((r) => ({ ...r, uploadedByName: named(r.uploadedBy) })) })),
      participants: submission.participants.map((p) => ({ ...p, name: people.get(p.userId) ?? `#${p.userId}` })),
      activity,
      people,
      editorView,
      canAssign,
      canRevise: editorView && submission.status === 'active',
      eligible: { editor: editors.map(toRef).sort((a, b) => a.name.localeCompare(b.name, ctx.locale)), 'section-editor': inSection },
      errors,
      review: await reviewStageSection(db, request, ctx, submission, clock.now()),
      copyediting: await copyeditingSection(db, request, ctx, submission),
      production: await productionSection(deps, request, ctx, submission),
      publishing: await publicationSection(db, request, ctx, submission),
      ...(notice ? { notice } : {}),
      ...(authorReview ? { authorReview } : {}),
      ...(can(user, 'journal.workflow', { kind: 'journal', journalId }) ? { access: manageAccess(user, journalId) } : {}),
    };
  }

  routes.get('/:journal/workflow/index/:id', { config: SIGNED_IN, schema: { params: SubmissionParams, querystring: NoticeQuery } }, async (request, reply) => {
    const submission = await readable(request);
    return showSubmission(request, reply, submission);
  });

  const fileResource = (submission: SubmissionRecord, file: { id: number; stage: SubmissionFileResource['stage']; reviewRoundId: number | null; reviewPurpose?: SubmissionFileResource['reviewPurpose'] }): SubmissionFileResource => ({
    kind: 'submission-file',
    fileId: file.id,
    stage: file.stage,
    reviewRoundId: file.reviewRoundId,
    reviewPurpose: file.reviewPurpose ?? null,
    submission: submission.resource,
  });

  /** A file of this submission the viewer may read; a file of another submission, or one they may not read, is not there (404). */
  async function readableFile(request: FastifyRequest<{ Params: Static<typeof FileParams> }>) {
    const submission = await readable(request);
    const fileId = parseId(request.params.fileId);
    const file = (await submissionFiles(db, submission.id)).find((f) => f.id === fileId);
    if (!file || !can(request.viewer.user, 'submission-file.read', fileResource(submission, file))) throw new NotFoundError();
    return { submission, file };
  }

  const sendStored = (request: FastifyRequest, reply: FastifyReply, stored: { fileId: number; name: string; mimeType: string; sha256: string }) => sendStoredFile(deps, request, reply, stored);

  routes.get('/:journal/workflow/index/:id/files/:fileId', { config: SIGNED_IN, schema: { params: FileParams } }, async (request, reply) => {
    const { file } = await readableFile(request);
    return sendStored(request, reply, { fileId: file.fileId, name: file.name, mimeType: file.mimeType, sha256: file.sha256 });
  });

  routes.get('/:journal/workflow/index/:id/files/:fileId/revisions/:revisionId', { config: SIGNED_IN, schema: { params: RevisionParams } }, async (request, reply) => {
    const { file } = await readableFile(request);
    const revisionId = parseId(request.params.revisionId);
    const revision = (await submissionFileRevisions(db, file.id)).find((r) => r.id === revisionId);
    if (!revision) throw new NotFoundError();
    return sendStored(request, reply, { fileId: revision.fileId, name: revision.originalName, mimeType: revision.mimeType, sha256: revision.sha256 });
  });

  /** The submission the viewer may assign people to: a stranger gets 404, a reader of it who is no editor 403. */
  async function assignable(request: FastifyRequest<{ Params: { id: string } }>): Promise<SubmissionRecord> {
    const submission = await readable(request);
    requireCan(request, 'submission.assign', submission.resource);
    return submission;
  }

  const errorText = (ctx: PageContext, error: WorkflowError) => ctx.t(ERROR_LABEL[error.code], Object.fromEntries(Object.entries(error.params).map(([k, v]) => [k, String(v)])));

  routes.post('/:journal/workflow/index/:id/participants', { config: WORKFLOW, schema: { params: SubmissionParams } }, async (request, reply) => {
    const submission = await assignable(request);
    const body = formBody(request);
    const role = formText(body, 'role', 20);
    const userId = formText(body, 'userId', 12);
    const { ctx } = await formPage(db, request, reply);
    if ((role !== 'editor' && role !== 'section-editor') || !/^[0-9]{1,9}$/.test(userId)) {
      return showSubmission(request, reply, submission, { assign: ctx.t('submissionPage.choosePersonError') }, 400);
    }
    try {
      await assignParticipant(db, { journalId: submission.journalId, submissionId: submission.id, userId: Number(userId), role, recommendOnly: formChecked(body, 'recommendOnly'), assignedBy: request.viewer.user!.userId, now: clock.now() });
    } catch (error) {
      if (!(error instanceof WorkflowError)) throw error;
      return showSubmission(request, reply, submission, { assign: errorText(ctx, error) }, error.status === 404 ? 422 : error.status);
    }
    return reply.redirect(`/${request.viewer.journal!.path}/workflow/index/${submission.id}?notice=assigned`, 303);
  });

  // Taking someone off a submission is confirmed on a page of its own (nothing destructive on one click).
  routes.get('/:journal/workflow/index/:id/participants/:participantId/remove', { config: WORKFLOW, schema: { params: ParticipantParams } }, async (request, reply) => {
    const submission = await assignable(request);
    const participantId = parseId(request.params.participantId);
    const participant = submission.participants.find((p) => p.id === participantId && p.role !== 'author');
    if (!participant) throw new NotFoundError();
    const { ctx } = await formPage(db, request, reply);
    const person = await db.selectFrom('users').select(['given_name', 'family_name', 'email']).where('id', '=', participant.userId).executeTakeFirst();
    const name = (person && personName(person, ctx.locale)) ?? person?.email ?? `#${participant.userId}`;
    const base = `/${request.viewer.journal!.path}/workflow/index/${submission.id}`;
    return sendPrivatePage(
      reply,
      RemoveParticipantPage({ ctx, access: manageAccess(request.viewer.user, submission.journalId), action: `${base}/participants/${participant.id}/remove`, cancelHref: base, name, role: participant.role }),
    );
  });

  routes.post('/:journal/workflow/index/:id/participants/:participantId/remove', { config: WORKFLOW, schema: { params: ParticipantParams } }, async (request, reply) => {
    const submission = await assignable(request);
    const participantId = parseId(request.params.participantId);
    try {
      await removeParticipant(db, { journalId: submission.journalId, submissionId: submission.id, participantId, removedBy: request.viewer.user!.userId, now: clock.now() });
    } catch (error) {
      if (error instanceof WorkflowError && error.code === 'participant-unknown') throw new NotFoundError();
      throw error;
    }
    return reply.redirect(`/${request.viewer.journal!.path}/workflow/index/${submission.id}?notice=removed`, 303);
  });

  // A new revision of a file: the upload is streamed into the store, in a scope of its own.
  await app.register(async (scope) => {
    acceptStreamedUploads(scope, { files, fileFields: ['file'], maxBytes: () => MAX_SUBMISSION_FILE_BYTES });
    typed(scope).post(
      '/:journal/workflow/index/:id/files/:fileId/revise',
      { config: { ...WORKFLOW, uploads: { files: 1, fileBytes: MAX_SUBMISSION_FILE_BYTES } }, schema: { params: FileParams } },
      async (request, reply) => {
        const { submission, file } = await readableFile(request);
        requireCan(request, 'submission.edit', submission.resource);
        const { ctx } = await formPage(db, request, reply);
        const tooLarge = uploadTooLarge(request);
        const upload = receivedUpload(request)?.stored;
        const refuse = async (message: string, status: number) => {
          await discardUpload(request, files);
          return showSubmission(request, reply, submission, { revise: { fileId: file.id, message } }, status);
        };
        if (tooLarge !== undefined) {
          reply.header('connection', 'close');
          return refuse(ctx.t('workflow.error.file-too-large', { max: tooLarge }), 413);
        }
        if (!upload) return refuse(ctx.t('submissionPage.chooseFile'), 400);
        try {
          await reviseSubmissionFile(db, { journalId: submission.journalId, submissionId: submission.id, submissionFileId: file.id, userId: request.viewer.user!.userId, upload, now: clock.now() });
        } catch (error) {
          if (!(error instanceof WorkflowError)) throw error;
          return refuse(errorText(ctx, error), error.status === 404 ? 422 : error.status);
        }
        keepUpload(request);
        return reply.redirect(`/${request.viewer.journal!.path}/workflow/index/${submission.id}?notice=revised`, 303);
      },
    );
  });
}
