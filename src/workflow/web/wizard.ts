import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { can, normaliseEmail, normaliseOrcid, requireCan } from '../../accounts/index.ts';
import { normaliseRor, publicationContributors, publicationReferences, type ContributorFields, type ContributorForEditing } from '../../catalog/index.ts';
import type { LocalizedText } from '../../db/schema.ts';
import { localizeText, type MessageKey, type Translate } from '../../i18n/index.ts';
import { formBody, formChecked, formList, formText } from '../../platform/http/forms.ts';
import { closeIfBodyUnread, HttpError, IdText, JournalParams, JournalPath, NotFoundError, parseId, Type, typed } from '../../platform/http/index.ts';
import { formatFileSize, formPage, sendPrivatePage, type FrameJournal } from '../../platform/web/index.ts';
import { issueMessage, parseReferences, type CslName, type ParsedReference } from '../../references/index.ts';
import { fieldId, richToPlainLine, richToPlainText, type FormErrors, type PageContext } from '../../ui/index.ts';
import {
  addSubmissionFile,
  changeSubmissionContributors,
  createDraft,
  discardDraft,
  reachStep,
  removeDraftFile,
  reviseSubmissionFile,
  saveDraftStart,
  saveSubmissionDetails,
  saveSubmissionReferences,
  submitSubmission,
} from '../commands/submissions.ts';
import { WorkflowError, type SubmissionProblem, type WorkflowErrorCode } from '../errors.ts';
import { submissionProblems, wordCount } from '../problems.ts';
import { findSubmission, submissionFiles, type SubmissionRecord } from '../queries.ts';
import { MAX_SUBMISSION_FILE_BYTES, sectionRules, sectionSubmissionRules, submissionSettings, type SubmissionSettings } from '../settings/read.ts';
import { acceptStreamedUploads, discardUpload, keepUpload, receivedUpload, uploadTooLarge } from '../uploads.ts';
import type { WorkflowWebDeps } from './deps.ts';
import { MySubmissionsPage, type MyDraft, type MySubmission } from './views/my-submissions.tsx';
import { AFFILIATION_ROWS, ContributorFormPage, ContributorsPage, CONTRIBUTOR_ROLES, type ContributorForm, type ContributorRow } from './views/wizard-contributors.tsx';
import { ReferencesPage, type CheckedReference } from './views/wizard-references.tsx';
import { ReviewPage, type ReviewView } from './views/wizard-review.tsx';
import { DetailsPage, DiscardPage, DonePage, FilesPage, StartPage, stepHref, type DetailsForm, type DraftSummary, type FileKindView, type StartForm, type StartView } from './views/wizard.tsx';

/**
 * The submission wizard and the author's dashboard (issue 19, items 2–3). Every route needs
 * `journal.submit` (anyone signed in; a visitor is sent to sign in and back); a draft is then its
 * authors' alone (`submission.edit`): anyone else's draft id is a 404, as is an id of another journal.
 * A submitted one sends its author to its page in the workflow. Each step saves through the workflow's
 * commands and answers a refusal with the page again, the message next to the field.
 */

const SUBMIT = { permission: 'journal.submit' as const };
const DraftParams = Type.Object({ journal: JournalPath, id: IdText });
const FileParams = Type.Object({ journal: JournalPath, id: IdText, fileId: IdText });
const ContributorParams = Type.Object({ journal: JournalPath, id: IdText, contributorId: IdText });
const NoticeQuery = Type.Object({ notice: Type.Optional(Type.String({ maxLength: 40 })), file: Type.Optional(Type.String({ maxLength: 12 })) });

/** References one paste may hold, and its length: a long article's list fits with room to spare. */
const MAX_REFERENCES = 1000;
const MAX_REFERENCES_TEXT = 500_000;

const ERROR_KEYS: Record<WorkflowErrorCode, MessageKey> = {
  'section-unknown': 'workflow.error.section-unknown',
  'section-closed': 'workflow.error.section-closed',
  'locale-not-allowed': 'workflow.error.locale-not-allowed',
  'checklist-unconfirmed': 'workflow.error.checklist-unconfirmed',
  'agreements-unaccepted': 'workflow.error.agreements-unaccepted',
  'not-a-draft': 'workflow.error.not-a-draft',
  'not-active': 'workflow.error.not-active',
  'file-kind-unknown': 'workflow.error.file-kind-unknown',
  'file-type-not-allowed': 'workflow.error.file-type-not-allowed',
  'file-too-large': 'workflow.error.file-too-large',
  'file-empty': 'workflow.error.file-empty',
  'file-unknown': 'workflow.error.file-unknown',
  incomplete: 'workflow.error.incomplete',
  'not-eligible': 'workflow.error.not-eligible',
  'already-assigned': 'workflow.error.already-assigned',
  'participant-unknown': 'workflow.error.participant-unknown',
  'too-long': 'workflow.error.too-long',
};

const PROBLEM_KEYS: Record<SubmissionProblem['code'], MessageKey> = {
  'checklist-unconfirmed': 'workflow.problem.checklist-unconfirmed',
  'agreements-unaccepted': 'workflow.problem.agreements-unaccepted',
  'section-closed': 'workflow.problem.section-closed',
  'file-missing': 'workflow.problem.file-missing',
  'title-missing': 'workflow.problem.title-missing',
  'abstract-missing': 'workflow.problem.abstract-missing',
  'abstract-too-long': 'workflow.problem.abstract-too-long',
  'keywords-missing': 'workflow.problem.keywords-missing',
  'contributors-missing': 'workflow.problem.contributors-missing',
  'primary-contact-missing': 'workflow.problem.primary-contact-missing',
  'contributor-email-missing': 'workflow.problem.contributor-email-missing',
  'references-missing': 'workflow.problem.references-missing',
};

/** A refusal as a message next to its field (the whole form's when it names none). */
function errorOf(t: Translate, error: WorkflowError): FormErrors {
  const params = { ...error.params };
  if (error.code === 'file-too-large' && typeof params.max === 'number') params.max = formatFileSize(params.max, 'en');
  return { [error.field ?? '']: t(ERROR_KEYS[error.code], params) };
}

const journalLocales = (journal: FrameJournal) => (journal.supportedLocales.length > 0 ? journal.supportedLocales : [journal.primaryLocale]);

/** The submission's language first, then the journal's others. */
const localesFor = (journal: FrameJournal, main: string) => [main, ...journalLocales(journal).filter((l) => l !== main)];

function personName(c: Pick<ContributorFields, 'givenName' | 'familyName'>, locale: string, fallback: string): string {
  return [localizeText(c.givenName, locale, fallback), localizeText(c.familyName, locale, fallback)].filter(Boolean).join(' ');
}

/** A pasted list as references: blank-line separated blocks when it has blank lines, else one per line. */
export function splitReferences(text: string): string[] {
  const normalised = text.replace(/\r\n?/g, '\n');
  const parts = /\n[ \t]*\n/.test(normalised) ? normalised.split(/\n[ \t]*\n+/).map((block) => block.replace(/\s*\n\s*/g, ' ')) : normalised.split('\n');
  return parts.map((p) => p.trim()).filter((p) => p !== '');
}

/** What the parser read of a reference, in a few words: authors, year, title, source. */
function readAs(reference: ParsedReference): string[] {
  const csl = reference.csl;
  const name = (n: CslName) => n.literal ?? [n.family, n.given?.slice(0, 1) ? `${n.given.slice(0, 1)}.` : ''].filter(Boolean).join(' ');
  const authors = csl.author ?? csl.editor ?? [];
  const parts: string[] = [];
  if (authors.length > 0) parts.push(authors.slice(0, 3).map(name).join(', ') + (authors.length > 3 ? ' et al.' : ''));
  const year = csl.issued?.['date-parts']?.[0]?.[0];
  if (year) parts.push(String(year));
  if (csl.title) parts.push(`“${csl.title}”`);
  if (csl['container-title']) parts.push(csl['container-title']);
  if (csl.DOI) parts.push(`DOI ${csl.DOI}`);
  return parts;
}

function checkReferences(texts: string[], locale: 'pl' | 'en'): CheckedReference[] {
  return parseReferences(texts).map((parsed, i) => ({
    text: texts[i]!,
    readAs: readAs(parsed),
    problems: parsed.issues.map((issue) => ({ severity: issue.severity, message: issueMessage(issue, locale) })),
  }));
}

export async function submissionWizardRoutes(app: FastifyInstance, deps: WorkflowWebDeps): Promise<void> {
  const { db, clock, files } = deps;
  const routes = typed(app);

  /** The submission of the address, if the viewer may see it; else 404 (never saying whether it exists). */
  async function visibleSubmission(request: FastifyRequest, idText: string): Promise<SubmissionRecord> {
    const submission = await findSubmission(db, request.viewer.journal!.id, parseId(idText));
    const user = request.viewer.user;
    if (!submission || !user || !can(user, 'submission.read', submission.resource)) throw new NotFoundError();
    return submission;
  }

  /** The viewer's draft, or where a submitted one is followed (its page in the workflow). */
  async function draftOrElsewhere(request: FastifyRequest, idText: string): Promise<SubmissionRecord | string> {
    const submission = await visibleSubmission(request, idText);
    if (submission.status !== 'draft') return `/${request.viewer.journal!.path}/workflow/index/${submission.id}`;
    if (!can(request.viewer.user!, 'submission.edit', submission.resource)) throw new NotFoundError();
    requireCan(request, 'submission.edit', submission.resource);
    return submission;
  }

  async function publicationOf(submission: SubmissionRecord) {
    return db.selectFrom('publications').select(['prefix', 'title', 'subtitle', 'abstract', 'keywords']).where('id', '=', submission.publicationId).executeTakeFirstOrThrow();
  }

  async function summaryOf(submission: SubmissionRecord): Promise<DraftSummary> {
    const publication = await publicationOf(submission);
    const title = richToPlainLine(localizeText(publication.title, submission.locale));
    return { id: submission.id, title: title === '' ? null : title, progress: submission.progress };
  }

  const kindViews = (settings: SubmissionSettings, ctx: PageContext, journal: FrameJournal): FileKindView[] =>
    settings.fileKinds.map((k) => ({ key: k.key, name: localizeText(k.name, ctx.locale, journal.primaryLocale) || k.key, types: k.types, maxBytes: Math.min(k.maxBytes, MAX_SUBMISSION_FILE_BYTES), required: k.required }));

  // Step 1: start.

  async function startView(ctx: PageContext, journal: FrameJournal, action: string): Promise<StartView> {
    const [rules, settings, sections] = await Promise.all([
      sectionSubmissionRules(db, journal.id),
      submissionSettings(db, journal.id),
      db.selectFrom('sections').select(['id', 'title']).where('journal_id', '=', journal.id).execute(),
    ]);
    const text = (value: LocalizedText) => localizeText(value, ctx.locale, journal.primaryLocale) || null;
    return {
      sections: rules.filter((r) => r.isOpen).map((r) => ({ id: r.sectionId, title: localizeText(sections.find((s) => s.id === r.sectionId)?.title, ctx.locale, journal.primaryLocale) || String(r.sectionId) })),
      locales: journalLocales(journal),
      checklist: settings.checklist.map((item) => localizeText(item, ctx.locale, journal.primaryLocale)),
      copyrightNotice: text(settings.copyrightNotice),
      privacyStatement: text(settings.privacyStatement),
      guidelines: text(settings.authorGuidelines),
      guidelinesHref: `/${journal.path}/about/submissions`,
      action,
    };
  }

  function readStart(request: FastifyRequest, checklistLength: number): { form: StartForm; sectionId: number | null } {
    const body = formBody(request);
    const ticked = new Set(formList(body, 'checklist'));
    const sectionText = formText(body, 'sectionId', 12);
    const form: StartForm = {
      sectionId: sectionText,
      locale: formText(body, 'locale', 20),
      checklist: Array.from({ length: checklistLength }, (_, i) => ticked.has(String(i))),
      accepted: formChecked(body, 'agreements'),
      comments: formText(body, 'commentsForEditor', 20_000),
    };
    return { form, sectionId: /^[1-9][0-9]{0,9}$/.test(sectionText) ? Number(sectionText) : null };
  }

  routes.get('/:journal/submission', { config: SUBMIT, schema: { params: JournalParams } }, async (request, reply) => {
    const { ctx, journal } = await formPage(db, request, reply);
    const view = await startView(ctx, journal!, `/${journal!.path}/submission`);
    const form: StartForm = { sectionId: view.sections.length === 1 ? String(view.sections[0]!.id) : '', locale: journal!.primaryLocale, checklist: view.checklist.map(() => false), accepted: false, comments: '' };
    return sendPrivatePage(reply, StartPage({ ctx, draft: undefined, view, form, errors: {} }));
  });

  routes.post('/:journal/submission', { config: SUBMIT, schema: { params: JournalParams } }, async (request, reply) => {
    const { ctx, journal } = await formPage(db, request, reply);
    const view = await startView(ctx, journal!, `/${journal!.path}/submission`);
    const { form, sectionId } = readStart(request, view.checklist.length);
    const refuse = (errors: FormErrors, status: number) => sendPrivatePage(reply, StartPage({ ctx, draft: undefined, view, form, errors }), status);
    if (sectionId === null) return refuse({ sectionId: ctx.t('workflow.error.section-unknown') }, 400);
    try {
      const id = await createDraft(db, {
        journalId: journal!.id,
        userId: request.viewer.user!.userId,
        sectionId,
        locale: form.locale,
        commentsForEditor: form.comments,
        checklistConfirmed: form.checklist.every(Boolean),
        agreementsAccepted: form.accepted,
        now: clock.now(),
      });
      request.log.info({ submissionId: id }, 'submission draft started');
      return reply.redirect(stepHref(ctx, id, 'files'), 303);
    } catch (error) {
      if (error instanceof WorkflowError) return refuse(errorOf(ctx.t, error), error.status);
      throw error;
    }
  });

  routes.get('/:journal/submission/:id', { config: SUBMIT, schema: { params: DraftParams } }, async (request, reply) => {
    const draft = await draftOrElsewhere(request, request.params.id);
    if (typeof draft === 'string') return reply.redirect(draft, 303);
    return reply.redirect(`/${request.viewer.journal!.path}/submission/${draft.id}/${draft.progress}`, 303);
  });

  routes.get('/:journal/submission/:id/start', { config: SUBMIT, schema: { params: DraftParams, querystring: NoticeQuery } }, async (request, reply) => {
    const draft = await draftOrElsewhere(request, request.params.id);
    if (typeof draft === 'string') return reply.redirect(draft, 303);
    const { ctx, journal } = await formPage(db, request, reply);
    const view = await startView(ctx, journal!, stepHref(ctx, draft.id, 'start'));
    const form: StartForm = {
      sectionId: String(draft.sectionId),
      locale: draft.locale,
      checklist: view.checklist.map(() => draft.checklistConfirmedAt !== null),
      accepted: draft.agreementsAcceptedAt !== null,
      comments: draft.commentsForEditor,
    };
    return sendPrivatePage(reply, StartPage({ ctx, draft: await summaryOf(draft), view, form, errors: {} }));
  });

  routes.post('/:journal/submission/:id/start', { config: SUBMIT, schema: { params: DraftParams } }, async (request, reply) => {
    const draft = await draftOrElsewhere(request, request.params.id);
    if (typeof draft === 'string') return reply.redirect(draft, 303);
    const { ctx, journal } = await formPage(db, request, reply);
    const view = await startView(ctx, journal!, stepHref(ctx, draft.id, 'start'));
    const { form, sectionId } = readStart(request, view.checklist.length);
    const refuse = async (errors: FormErrors, status: number) => sendPrivatePage(reply, StartPage({ ctx, draft: await summaryOf(draft), view, form, errors }), status);
    if (sectionId === null) return refuse({ sectionId: ctx.t('workflow.error.section-unknown') }, 400);
    try {
      await saveDraftStart(db, journal!.id, draft.id, request.viewer.user!.userId, {
        sectionId,
        locale: form.locale,
        commentsForEditor: form.comments,
        checklistConfirmed: form.checklist.every(Boolean),
        agreementsAccepted: form.accepted,
        now: clock.now(),
      });
      return reply.redirect(stepHref(ctx, draft.id, 'files'), 303);
    } catch (error) {
      if (error instanceof WorkflowError) return refuse(errorOf(ctx.t, error), error.status);
      throw error;
    }
  });

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
    const notice = request.query.notice ? notices[request.query.notice] : undefined;
    return showFiles(request, reply, draft, notice ? { notice } : {});
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
      if (params.id === undefined || request.method !== 'POST') return;
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
        if (kindOf) errors = { file: ctx.t('wizard.files.wrongType', { type: upload.stored.mimeType, kind: localizeText(kindOf.name, ctx.locale, journal!.primaryLocale) || kindOf.key, types: kindOf.types.join(', ') }) };
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

  // Step 3: details.

  async function detailsPage(request: FastifyRequest, reply: FastifyReply, draft: SubmissionRecord, form: DetailsForm | undefined, errors: FormErrors, status = 200) {
    const { ctx, journal } = await formPage(db, request, reply);
    const rules = await sectionRules(db, draft.journalId, draft.sectionId);
    const locales = localesFor(journal!, draft.locale);
    const publication = await publicationOf(draft);
    const shown: DetailsForm = form ?? {
      title: Object.fromEntries(locales.map((l) => [l, richToPlainLine(publication.title[l])])),
      subtitle: Object.fromEntries(locales.map((l) => [l, richToPlainLine(publication.subtitle[l])])),
      abstract: Object.fromEntries(locales.map((l) => [l, publication.abstract[l] ? richToPlainText(publication.abstract[l]!) : ''])),
      keywords: Object.fromEntries(locales.map((l) => [l, (publication.keywords[l] ?? []).join(', ')])),
    };
    const words = Object.fromEntries(locales.map((l) => [l, wordCount(shown.abstract[l] ?? '')]));
    return sendPrivatePage(reply, DetailsPage({ ctx, draft: await summaryOf(draft), locales, mainLocale: draft.locale, wordLimit: rules?.abstractWordLimit ?? null, words, form: shown, errors }), status);
  }

  routes.get('/:journal/submission/:id/details', { config: SUBMIT, schema: { params: DraftParams } }, async (request, reply) => {
    const draft = await draftOrElsewhere(request, request.params.id);
    if (typeof draft === 'string') return reply.redirect(draft, 303);
    return detailsPage(request, reply, draft, undefined, {});
  });

  routes.post('/:journal/submission/:id/details', { config: SUBMIT, schema: { params: DraftParams } }, async (request, reply) => {
    const draft = await draftOrElsewhere(request, request.params.id);
    if (typeof draft === 'string') return reply.redirect(draft, 303);
    const { ctx, journal } = await formPage(db, request, reply);
    const body = formBody(request);
    const locales = localesFor(journal!, draft.locale);
    const rules = await sectionRules(db, draft.journalId, draft.sectionId);
    const form: DetailsForm = { title: {}, subtitle: {}, abstract: {}, keywords: {} };
    const keywords: Record<string, string[]> = {};
    for (const l of locales) {
      form.title[l] = formText(body, `title.${l}`, 1000).replace(/\s+/g, ' ');
      form.subtitle[l] = formText(body, `subtitle.${l}`, 1000).replace(/\s+/g, ' ');
      form.abstract[l] = formText(body, `abstract.${l}`, 100_000);
      form.keywords[l] = formText(body, `keywords.${l}`, 5000);
      const list = [...new Set(form.keywords[l]!.split(/[,;]/).map((k) => k.trim().replace(/\s+/g, ' ')).filter((k) => k !== '' && k.length <= 200))];
      if (list.length > 0) keywords[l] = list;
    }
    const errors: FormErrors = {};
    const main = draft.locale;
    const language = new Intl.DisplayNames([ctx.locale], { type: 'language' }).of(main) ?? main;
    if (form.title[main] === '') errors[`title.${main}`] = ctx.t('wizard.details.titleRequired', { language });
    if (rules?.abstractRequired && form.abstract[main] === '') errors[`abstract.${main}`] = ctx.t('wizard.details.abstractRequired', { language });
    if (rules?.abstractWordLimit) {
      for (const l of locales) {
        const words = wordCount(form.abstract[l] ?? '');
        if (words > rules.abstractWordLimit) errors[`abstract.${l}`] = ctx.t('wizard.details.abstractTooLong', { words, max: rules.abstractWordLimit });
      }
    }
    if (rules?.keywordsRequired && !keywords[main]) errors[`keywords.${main}`] = ctx.t('wizard.details.keywordsRequired', { language });
    if (Object.keys(errors).length > 0) return detailsPage(request, reply, draft, form, errors, 400);
    const only = (record: Record<string, string>) => Object.fromEntries(Object.entries(record).filter(([, v]) => v !== ''));
    const publication = await publicationOf(draft);
    await saveSubmissionDetails(db, draft.journalId, draft.id, request.viewer.user!.userId, { prefix: publication.prefix, title: only(form.title), subtitle: only(form.subtitle), abstract: only(form.abstract), keywords }, clock.now());
    await reachStep(db, draft.journalId, draft.id, 'contributors');
    return reply.redirect(stepHref(ctx, draft.id, 'contributors'), 303);
  });

  // Step 4: contributors.

  const rowOf = (c: ContributorForEditing, locale: string): ContributorRow => ({
    id: c.id,
    name: personName(c, locale, '') || c.email || '—',
    email: c.email,
    orcid: c.orcid,
    role: c.userGroup ?? null,
    affiliations: c.affiliations.map((a) => ({ name: localizeText(a.name, locale), ror: a.ror ?? null })),
    isPrimaryContact: c.isPrimaryContact,
  });

  async function contributorsPage(request: FastifyRequest, reply: FastifyReply, draft: SubmissionRecord, errors: FormErrors = {}, notice?: string, status = 200) {
    const { ctx } = await formPage(db, request, reply);
    const list = await publicationContributors(db, draft.publicationId);
    return sendPrivatePage(reply, ContributorsPage({ ctx, draft: await summaryOf(draft), contributors: list.map((c) => rowOf(c, draft.locale)), errors, ...(notice ? { notice } : {}) }), status);
  }

  function readContributor(request: FastifyRequest, t: Translate, locales: string[], existing: ContributorForEditing | undefined): { form: ContributorForm; fields: ContributorFields; errors: FormErrors } {
    const body = formBody(request);
    const main = locales[0]!;
    const form: ContributorForm = { givenName: {}, familyName: {}, email: formText(body, 'email', 320), orcid: formText(body, 'orcid', 100), role: formText(body, 'role', 50), affiliations: [], isPrimaryContact: formChecked(body, 'isPrimaryContact') };
    for (const l of locales) {
      const given = formText(body, `givenName.${l}`, 300);
      const family = formText(body, `familyName.${l}`, 300);
      if (given !== '') form.givenName[l] = given;
      if (family !== '') form.familyName[l] = family;
    }
    const errors: FormErrors = {};
    const fields: ContributorFields = { givenName: form.givenName, familyName: form.familyName, email: null, orcid: null, affiliations: [], isPrimaryContact: form.isPrimaryContact, includeInBrowse: existing?.includeInBrowse ?? true, userGroup: Object.hasOwn(CONTRIBUTOR_ROLES, form.role) ? form.role : 'Author' };
    if (!form.givenName[main]) errors[`givenName.${main}`] = t('wizard.contributors.givenNameRequired');
    if (form.email !== '') {
      fields.email = normaliseEmail(form.email);
      if (!fields.email) errors.email = t('wizard.contributors.emailInvalid');
    } else if (form.isPrimaryContact) errors.email = t('wizard.contributors.emailRequired');
    if (form.orcid !== '') {
      fields.orcid = normaliseOrcid(form.orcid);
      if (!fields.orcid) errors.orcid = t('wizard.contributors.orcidInvalid');
    }
    for (let i = 0; i < AFFILIATION_ROWS; i++) {
      const name = formText(body, `affiliation${i}`, 500);
      const ror = formText(body, `ror${i}`, 100);
      if (name === '' && ror === '') continue;
      const row = form.affiliations.length;
      form.affiliations.push({ name, ror });
      const rorUrl = ror === '' ? undefined : normaliseRor(ror);
      if (rorUrl === null) errors[`ror${row}`] = t('wizard.contributors.rorInvalid');
      else if (name === '') errors[`affiliation${row}`] = t('wizard.contributors.rorWithoutName');
      // An unchanged name keeps its other languages (the profile's affiliation may have several).
      const before = existing?.affiliations[row];
      const unchanged = before && localizeText(before.name, main) === name;
      fields.affiliations.push({ name: unchanged ? before.name : { [main]: name }, ...(rorUrl ? { ror: rorUrl } : {}) });
    }
    return { form, fields, errors };
  }

  async function contributorFormPage(request: FastifyRequest, reply: FastifyReply, draft: SubmissionRecord, form: ContributorForm, errors: FormErrors, existing?: ContributorForEditing, status = 200) {
    const { ctx, journal } = await formPage(db, request, reply);
    return sendPrivatePage(
      reply,
      ContributorFormPage({ ctx, draft: await summaryOf(draft), locales: localesFor(journal!, draft.locale), form, errors, ...(existing ? { contributorId: existing.id, name: personName(existing, draft.locale, '') } : {}) }),
      status,
    );
  }

  async function contributorOr404(draft: SubmissionRecord, idText: string): Promise<ContributorForEditing> {
    const id = parseId(idText);
    const found = (await publicationContributors(db, draft.publicationId)).find((c) => c.id === id);
    if (!found) throw new NotFoundError();
    return found;
  }

  routes.get('/:journal/submission/:id/contributors', { config: SUBMIT, schema: { params: DraftParams, querystring: NoticeQuery } }, async (request, reply) => {
    const draft = await draftOrElsewhere(request, request.params.id);
    if (typeof draft === 'string') return reply.redirect(draft, 303);
    const { ctx } = await formPage(db, request, reply);
    const notices: Record<string, MessageKey> = { changed: 'wizard.contributors.changed', removed: 'wizard.contributors.removed' };
    const key = request.query.notice ? notices[request.query.notice] : undefined;
    return contributorsPage(request, reply, draft, {}, key ? ctx.t(key) : undefined);
  });

  routes.post('/:journal/submission/:id/contributors', { config: SUBMIT, schema: { params: DraftParams } }, async (request, reply) => {
    const draft = await draftOrElsewhere(request, request.params.id);
    if (typeof draft === 'string') return reply.redirect(draft, 303);
    const { ctx } = await formPage(db, request, reply);
    // Moving on needs what the journal asks of contributors; the rest can wait for the review.
    const problems = (await submissionProblems(db, draft)).filter((p) => p.step === 'contributors');
    if (problems.length > 0) return contributorsPage(request, reply, draft, Object.fromEntries(problems.map((p) => [p.code === 'contributors-missing' ? '' : 'primary', ctx.t(PROBLEM_KEYS[p.code], p.params)])), undefined, 400);
    await reachStep(db, draft.journalId, draft.id, 'references');
    return reply.redirect(stepHref(ctx, draft.id, 'references'), 303);
  });

  routes.post('/:journal/submission/:id/contributors/primary', { config: SUBMIT, schema: { params: DraftParams } }, async (request, reply) => {
    const draft = await draftOrElsewhere(request, request.params.id);
    if (typeof draft === 'string') return reply.redirect(draft, 303);
    const { ctx } = await formPage(db, request, reply);
    const chosen = formText(formBody(request), 'primary', 12);
    if (!/^[0-9]{1,10}$/.test(chosen)) return contributorsPage(request, reply, draft, { primary: ctx.t('workflow.problem.primary-contact-missing') }, undefined, 400);
    const c = await contributorOr404(draft, chosen);
    if (!c.email) return contributorsPage(request, reply, draft, { primary: ctx.t('workflow.problem.contributor-email-missing') }, undefined, 400);
    await changeSubmissionContributors(db, draft.journalId, draft.id, request.viewer.user!.userId, { op: 'save', contributorId: c.id, fields: { ...c, isPrimaryContact: true } }, clock.now());
    return reply.redirect(`${stepHref(ctx, draft.id, 'contributors')}?notice=changed`, 303);
  });

  const emptyContributor: ContributorForm = { givenName: {}, familyName: {}, email: '', orcid: '', role: 'Author', affiliations: [], isPrimaryContact: false };

  routes.get('/:journal/submission/:id/contributors/new', { config: SUBMIT, schema: { params: DraftParams } }, async (request, reply) => {
    const draft = await draftOrElsewhere(request, request.params.id);
    if (typeof draft === 'string') return reply.redirect(draft, 303);
    return contributorFormPage(request, reply, draft, emptyContributor, {});
  });

  routes.post('/:journal/submission/:id/contributors/new', { config: SUBMIT, schema: { params: DraftParams } }, async (request, reply) => {
    const draft = await draftOrElsewhere(request, request.params.id);
    if (typeof draft === 'string') return reply.redirect(draft, 303);
    const { ctx, journal } = await formPage(db, request, reply);
    const { form, fields, errors } = readContributor(request, ctx.t, localesFor(journal!, draft.locale), undefined);
    if (Object.keys(errors).length > 0) return contributorFormPage(request, reply, draft, form, errors, undefined, 400);
    await changeSubmissionContributors(db, draft.journalId, draft.id, request.viewer.user!.userId, { op: 'add', fields }, clock.now());
    return reply.redirect(`${stepHref(ctx, draft.id, 'contributors')}?notice=changed`, 303);
  });

  routes.get('/:journal/submission/:id/contributors/:contributorId', { config: SUBMIT, schema: { params: ContributorParams } }, async (request, reply) => {
    const draft = await draftOrElsewhere(request, request.params.id);
    if (typeof draft === 'string') return reply.redirect(draft, 303);
    const c = await contributorOr404(draft, request.params.contributorId);
    const main = draft.locale;
    const form: ContributorForm = {
      givenName: c.givenName,
      familyName: c.familyName,
      email: c.email ?? '',
      orcid: c.orcid ?? '',
      role: c.userGroup ?? 'Author',
      affiliations: c.affiliations.map((a) => ({ name: localizeText(a.name, main), ror: a.ror ?? '' })),
      isPrimaryContact: c.isPrimaryContact,
    };
    return contributorFormPage(request, reply, draft, form, {}, c);
  });

  routes.post('/:journal/submission/:id/contributors/:contributorId', { config: SUBMIT, schema: { params: ContributorParams } }, async (request, reply) => {
    const draft = await draftOrElsewhere(request, request.params.id);
    if (typeof draft === 'string') return reply.redirect(draft, 303);
    const c = await contributorOr404(draft, request.params.contributorId);
    const { ctx, journal } = await formPage(db, request, reply);
    const { form, fields, errors } = readContributor(request, ctx.t, localesFor(journal!, draft.locale), c);
    if (Object.keys(errors).length > 0) return contributorFormPage(request, reply, draft, form, errors, c, 400);
    await changeSubmissionContributors(db, draft.journalId, draft.id, request.viewer.user!.userId, { op: 'save', contributorId: c.id, fields }, clock.now());
    return reply.redirect(`${stepHref(ctx, draft.id, 'contributors')}?notice=changed`, 303);
  });

  routes.post('/:journal/submission/:id/contributors/:contributorId/move', { config: SUBMIT, schema: { params: ContributorParams } }, async (request, reply) => {
    const draft = await draftOrElsewhere(request, request.params.id);
    if (typeof draft === 'string') return reply.redirect(draft, 303);
    const c = await contributorOr404(draft, request.params.contributorId);
    const direction = formText(formBody(request), 'direction', 10) === 'up' ? 'up' : 'down';
    await changeSubmissionContributors(db, draft.journalId, draft.id, request.viewer.user!.userId, { op: 'move', contributorId: c.id, direction }, clock.now());
    return reply.redirect(`${stepHref((await formPage(db, request, reply)).ctx, draft.id, 'contributors')}?notice=changed`, 303);
  });

  routes.post('/:journal/submission/:id/contributors/:contributorId/remove', { config: SUBMIT, schema: { params: ContributorParams } }, async (request, reply) => {
    const draft = await draftOrElsewhere(request, request.params.id);
    if (typeof draft === 'string') return reply.redirect(draft, 303);
    const c = await contributorOr404(draft, request.params.contributorId);
    await changeSubmissionContributors(db, draft.journalId, draft.id, request.viewer.user!.userId, { op: 'remove', contributorId: c.id }, clock.now());
    return reply.redirect(`${stepHref((await formPage(db, request, reply)).ctx, draft.id, 'contributors')}?notice=removed`, 303);
  });

  // Step 5: references.

  routes.get('/:journal/submission/:id/references', { config: SUBMIT, schema: { params: DraftParams, querystring: NoticeQuery } }, async (request, reply) => {
    const draft = await draftOrElsewhere(request, request.params.id);
    if (typeof draft === 'string') return reply.redirect(draft, 303);
    const { ctx } = await formPage(db, request, reply);
    const texts = (await publicationReferences(db, draft.publicationId)).map((r) => r.text);
    const notice = request.query.notice === 'saved' ? ctx.t('wizard.references.saved') : undefined;
    return sendPrivatePage(reply, ReferencesPage({ ctx, draft: await summaryOf(draft), text: texts.join('\n'), checked: checkReferences(texts, ctx.locale), saved: true, errors: {}, ...(notice ? { notice } : {}) }));
  });

  routes.post('/:journal/submission/:id/references', { config: SUBMIT, schema: { params: DraftParams } }, async (request, reply) => {
    const draft = await draftOrElsewhere(request, request.params.id);
    if (typeof draft === 'string') return reply.redirect(draft, 303);
    const { ctx } = await formPage(db, request, reply);
    const body = formBody(request);
    const raw = typeof body.references === 'string' ? body.references : formText(body, 'references', MAX_REFERENCES_TEXT + 1);
    const summary = await summaryOf(draft);
    const page = (props: { text: string; checked: CheckedReference[]; saved: boolean; errors?: FormErrors; notice?: string }, status = 200) =>
      sendPrivatePage(reply, ReferencesPage({ ctx, draft: summary, errors: {}, ...props }), status);
    if (raw.length > MAX_REFERENCES_TEXT) return page({ text: raw.slice(0, MAX_REFERENCES_TEXT), checked: [], saved: false, errors: { references: ctx.t('wizard.references.tooLong', { max: MAX_REFERENCES_TEXT }) } }, 400);
    const texts = splitReferences(raw);
    if (texts.length > MAX_REFERENCES) return page({ text: raw, checked: [], saved: false, errors: { references: ctx.t('wizard.references.tooMany', { max: MAX_REFERENCES }) } }, 400);
    const checked = checkReferences(texts, ctx.locale);
    if (formText(body, 'action', 10) !== 'save') return page({ text: texts.join('\n'), checked, saved: false });
    await saveSubmissionReferences(db, draft.journalId, draft.id, request.viewer.user!.userId, texts, clock.now());
    await reachStep(db, draft.journalId, draft.id, 'review');
    // With something to look at, the author sees it before moving on; else on to the review.
    const withProblems = checked.filter((r) => r.problems.length > 0).length;
    if (withProblems > 0) return page({ text: texts.join('\n'), checked, saved: true, notice: ctx.t('wizard.references.savedWithProblems', { problems: withProblems }) });
    return reply.redirect(stepHref(ctx, draft.id, 'review'), 303);
  });

  // Step 6: review and submit.

  async function reviewPage(request: FastifyRequest, reply: FastifyReply, draft: SubmissionRecord, status = 200) {
    const { ctx, journal } = await formPage(db, request, reply);
    const [publication, settings, section, list, contributors, references, problems] = await Promise.all([
      publicationOf(draft),
      submissionSettings(db, draft.journalId),
      db.selectFrom('sections').select('title').where('id', '=', draft.sectionId).executeTakeFirst(),
      submissionFiles(db, draft.id, 'submission'),
      publicationContributors(db, draft.publicationId),
      publicationReferences(db, draft.publicationId),
      submissionProblems(db, draft),
    ]);
    const kinds = kindViews(settings, ctx, journal!);
    const checked = checkReferences(references.map((r) => r.text), ctx.locale);
    const locales = localesFor(journal!, draft.locale);
    const kindName = (key: string) => kinds.find((k) => k.key === key)?.name ?? key;
    const view: ReviewView = {
      section: localizeText(section?.title, ctx.locale, journal!.primaryLocale),
      locale: draft.locale,
      comments: draft.commentsForEditor,
      checklist: settings.checklist.length > 0 ? draft.checklistConfirmedAt !== null : null,
      agreements: draft.agreementsAcceptedAt !== null,
      files: list.map((f) => ({ ...f, kindName: kindName(f.kind) })),
      details: locales
        .filter((l) => l === draft.locale || publication.title[l] || publication.abstract[l])
        .map((l) => ({ locale: l, title: richToPlainLine(publication.title[l]), subtitle: richToPlainLine(publication.subtitle[l]), abstract: publication.abstract[l] ?? '', keywords: publication.keywords[l] ?? [] })),
      contributors: contributors.map((c) => rowOf(c, draft.locale)),
      references: { count: checked.length, withProblems: checked.filter((r) => r.problems.length > 0).length },
      problems: problems.map((p) => ({
        step: p.step,
        message: ctx.t(PROBLEM_KEYS[p.code], p.code === 'file-missing' ? { kind: kindName(p.field ?? '') } : (p.params ?? {})),
        anchor: p.code === 'file-missing' ? `#${fieldId('file')}` : p.field ? `#${fieldId(p.field)}` : '',
      })),
    };
    return sendPrivatePage(reply, ReviewPage({ ctx, draft: await summaryOf(draft), view, ...(status !== 200 ? { errors: { '': ctx.t('workflow.error.incomplete') } } : {}) }), status);
  }

  routes.get('/:journal/submission/:id/review', { config: SUBMIT, schema: { params: DraftParams } }, async (request, reply) => {
    const draft = await draftOrElsewhere(request, request.params.id);
    if (typeof draft === 'string') return reply.redirect(draft, 303);
    return reviewPage(request, reply, draft);
  });

  routes.post('/:journal/submission/:id/submit', { config: SUBMIT, schema: { params: DraftParams } }, async (request, reply) => {
    const draft = await draftOrElsewhere(request, request.params.id);
    if (typeof draft === 'string') return reply.redirect(draft, 303);
    try {
      await submitSubmission(db, draft.journalId, draft.id, request.viewer.user!.userId, clock.now());
    } catch (error) {
      if (error instanceof WorkflowError && error.code === 'incomplete') return reviewPage(request, reply, draft, 422);
      throw error;
    }
    request.log.info({ submissionId: draft.id }, 'submission submitted');
    return reply.redirect(`/${request.viewer.journal!.path}/submission/${draft.id}/complete`, 303);
  });

  routes.get('/:journal/submission/:id/complete', { config: SUBMIT, schema: { params: DraftParams } }, async (request, reply) => {
    const submission = await visibleSubmission(request, request.params.id);
    const { ctx, journal } = await formPage(db, request, reply);
    if (submission.status === 'draft') return reply.redirect(stepHref(ctx, submission.id, submission.progress), 303);
    const title = (await summaryOf(submission)).title ?? ctx.t('wizard.untitled');
    return sendPrivatePage(reply, DonePage({ ctx, title, journalName: localizeText(journal!.name, ctx.locale, journal!.primaryLocale) || journal!.path }));
  });

  // Discarding a draft.

  routes.get('/:journal/submission/:id/discard', { config: SUBMIT, schema: { params: DraftParams } }, async (request, reply) => {
    const draft = await draftOrElsewhere(request, request.params.id);
    if (typeof draft === 'string') return reply.redirect(draft, 303);
    const { ctx } = await formPage(db, request, reply);
    return sendPrivatePage(reply, DiscardPage({ ctx, draft: await summaryOf(draft) }));
  });

  routes.post('/:journal/submission/:id/discard', { config: SUBMIT, schema: { params: DraftParams } }, async (request, reply) => {
    const draft = await draftOrElsewhere(request, request.params.id);
    if (typeof draft === 'string') return reply.redirect(draft, 303);
    await discardDraft(db, draft.journalId, draft.id);
    request.log.info({ submissionId: draft.id }, 'submission draft discarded');
    return reply.redirect(`/${request.viewer.journal!.path}/dashboard/mySubmissions?notice=discarded`, 303);
  });

  // The author's dashboard.

  routes.get('/:journal/dashboard/mySubmissions', { config: SUBMIT, schema: { params: JournalParams, querystring: NoticeQuery } }, async (request, reply) => {
    const { ctx, journal } = await formPage(db, request, reply);
    const userId = request.viewer.user!.userId;
    const rows = await db
      .selectFrom('submissions as s')
      .innerJoin('articles as a', 'a.id', 's.id')
      .innerJoin('publications as p', 'p.id', 'a.current_publication_id')
      .select(['s.id', 's.status', 's.stage', 's.progress', 's.submitted_at', 's.created_at', 's.last_activity_at', 'p.title', 'p.locale', 'p.url_path'])
      .where('s.journal_id', '=', journal!.id)
      .where((eb) => eb.exists(eb.selectFrom('submission_participants as sp').select('sp.id').whereRef('sp.submission_id', '=', 's.id').where('sp.user_id', '=', userId).where('sp.role', '=', 'author')))
      .orderBy('s.last_activity_at', 'desc')
      .limit(500)
      .execute();
    const submittedIds = rows.filter((r) => r.status !== 'draft').map((r) => r.id);
    const waiting = await awaitingReply(userId, submittedIds);
    const titleOf = (r: (typeof rows)[number]) => richToPlainLine(localizeText(r.title, r.locale, ctx.locale)) || null;
    const drafts: MyDraft[] = rows.filter((r) => r.status === 'draft').map((r) => ({ id: r.id, title: titleOf(r), progress: r.progress, createdAt: r.created_at, lastActivityAt: r.last_activity_at }));
    const submissions: MySubmission[] = rows
      .filter((r) => r.status !== 'draft')
      .map((r) => ({
        id: r.id,
        title: titleOf(r),
        status: r.status,
        stage: r.stage,
        submittedAt: r.submitted_at,
        awaitingReply: waiting.get(r.id) ?? null,
        articleHref: r.status === 'published' ? `/${journal!.path}/article/view/${r.url_path ?? r.id}` : null,
      }));
    const notices: Record<string, MessageKey> = { discarded: 'mySubmissions.discarded' };
    const key = request.query.notice ? notices[request.query.notice] : undefined;
    return sendPrivatePage(reply, MySubmissionsPage({ ctx, drafts, submissions, ...(key ? { notice: ctx.t(key) } : {}) }));
  });

  /**
   * Per submission, an open discussion the person takes part in whose newest message from someone
   * else is newer than their own last one (or they have written none): they are expected to reply.
   */
  async function awaitingReply(userId: number, submissionIds: number[]): Promise<Map<number, { discussionId: number; subject: string }>> {
    const found = new Map<number, { discussionId: number; subject: string }>();
    if (submissionIds.length === 0) return found;
    const rows = await db
      .selectFrom('discussions as d')
      .innerJoin('discussion_participants as dp', 'dp.discussion_id', 'd.id')
      .select((eb) => [
        'd.id',
        'd.submission_id',
        'd.subject',
        eb.selectFrom('discussion_messages as m').select((m) => m.fn.max('m.created_at').as('at')).whereRef('m.discussion_id', '=', 'd.id').where('m.author_id', '=', userId).as('mine'),
        eb
          .selectFrom('discussion_messages as m')
          .select((m) => m.fn.max('m.created_at').as('at'))
          .whereRef('m.discussion_id', '=', 'd.id')
          .where((w) => w.or([w('m.author_id', '!=', userId), w('m.author_id', 'is', null)]))
          .as('theirs'),
      ])
      .where('dp.user_id', '=', userId)
      .where('d.submission_id', 'in', submissionIds)
      .where('d.closed_at', 'is', null)
      .orderBy('d.id')
      .execute();
    for (const r of rows) {
      if (r.theirs === null) continue;
      const theirs = new Date(r.theirs as Date | string);
      const mine = r.mine === null ? null : new Date(r.mine as Date | string);
      if ((mine === null || theirs > mine) && !found.has(r.submission_id)) found.set(r.submission_id, { discussionId: r.id, subject: r.subject });
    }
    return found;
  }

}
