import type { FastifyRequest } from 'fastify';
import { can, requireCan } from '../../accounts/index.ts';
import type { ContributorFields } from '../../catalog/index.ts';
import { localizeText, type MessageKey, type Translate } from '../../i18n/index.ts';
import { IdText, JournalPath, NotFoundError, parseId, Type } from '../../platform/http/index.ts';
import { formatFileSize, type FrameJournal } from '../../platform/web/index.ts';
import { richToPlainLine, type FormErrors, type PageContext } from '../../ui/index.ts';
import { WorkflowError, type SubmissionProblem } from '../errors.ts';
import { findSubmission, type SubmissionRecord } from '../queries.ts';
import { MAX_SUBMISSION_FILE_BYTES, type SubmissionSettings } from '../settings/read.ts';
import type { WorkflowWebDeps } from './deps.ts';
import type { DraftSummary, FileKindView } from './views/wizard.tsx';
import { ERROR_LABEL } from './views/editorial-labels.tsx';

/** Shared by the wizard's steps (wizard*.ts): address schemas, refusals as messages, the draft of the address. */
export const SUBMIT = { permission: 'journal.submit' as const };
export const DraftParams = Type.Object({ journal: JournalPath, id: IdText });
export const FileParams = Type.Object({ journal: JournalPath, id: IdText, fileId: IdText });
export const ContributorParams = Type.Object({ journal: JournalPath, id: IdText, contributorId: IdText });
export const NoticeQuery = Type.Object({ notice: Type.Optional(Type.String({ maxLength: 40 })), file: Type.Optional(Type.String({ maxLength: 12 })) });


export const PROBLEM_KEYS: Record<SubmissionProblem['code'], MessageKey> = {
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
export function errorOf(t: Translate, error: WorkflowError): FormErrors {
  const params = { ...error.params };
  if (error.code === 'file-too-large' && typeof params.max === 'number') params.max = formatFileSize(params.max, 'en');
  return { [error.field ?? '']: t(ERROR_LABEL[error.code], params) };
}

export const journalLocales = (journal: FrameJournal) => (journal.supportedLocales.length > 0 ? journal.supportedLocales : [journal.primaryLocale]);

/** The submission's language first, then the journal's others. */
export const localesFor = (journal: FrameJournal, main: string) => [main, ...journalLocales(journal).filter((l) => l !== main)];

export function personName(c: Pick<ContributorFields, 'givenName' | 'familyName'>, locale: string, fallback: string): string {
  return [localizeText(c.givenName, locale, fallback), localizeText(c.familyName, locale, fallback)].filter(Boolean).join(' ');
}


/** What every step's routes need: the draft of the address (or a 404), its title, the journal's file kinds. */
export function submissionHelpers(deps: WorkflowWebDeps) {
  const { db } = deps;
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
  return { visibleSubmission, draftOrElsewhere, publicationOf, summaryOf, kindViews };
}

export type WizardHelpers = ReturnType<typeof submissionHelpers>;
