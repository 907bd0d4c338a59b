import type { FastifyRequest } from 'fastify';
import { can, personName, requireCan } from '../../accounts/index.ts';
import type { Db } from '../../catalog/index.ts';
import type { LocalizedText } from '../../db/schema.ts';
import { localizeText } from '../../i18n/index.ts';
import { IdText, JournalPath, NotFoundError, Type, parseId } from '../../platform/http/index.ts';
import { richToPlainLine, type FormErrors, type PageContext } from '../../ui/index.ts';
import { WorkflowError } from '../errors.ts';
import { findReview, reviewResource, type ReviewRecord } from '../review/index.ts';
import { findSubmission, type SubmissionRecord } from '../queries.ts';
import { ERROR_LABEL } from './views/editorial-labels.tsx';

/**
 * What the editors' review pages (issue 20) share: the submission they may manage the review of, the
 * request of that submission, refusals as words next to their fields, and due dates as days.
 */

export const SubmissionParams = Type.Object({ journal: JournalPath, id: IdText });
export const ReviewParams = Type.Object({ journal: JournalPath, id: IdText, reviewId: IdText });
/** Editors of the journal; what they may do on one submission is decided on the submission. */
export const WORKFLOW = { permission: 'journal.workflow' as const };

export const submissionBase = (request: FastifyRequest, submissionId: number) => `/${request.viewer.journal!.path}/workflow/index/${submissionId}`;

/**
 * The submission whose review the viewer manages: a submission they may not read (another section's,
 * another journal's) is not there (404); one they read without editing it is refused (403).
 */
export async function managedSubmission(db: Db, request: FastifyRequest<{ Params: { id: string } }>): Promise<SubmissionRecord> {
  const submission = await findSubmission(db, request.viewer.journal!.id, parseId(request.params.id));
  if (!submission || !can(request.viewer.user, 'submission.read', submission.resource)) throw new NotFoundError();
  requireCan(request, 'submission.manage-review', submission.resource);
  return submission;
}

/** A review request of that submission the viewer manages (extend, cancel, remind, rate, read). */
export async function managedReview(db: Db, request: FastifyRequest<{ Params: { id: string; reviewId: string } }>): Promise<{ submission: SubmissionRecord; review: ReviewRecord }> {
  const submission = await managedSubmission(db, request);
  const review = await findReview(db, submission.journalId, parseId(request.params.reviewId));
  if (!review || review.submissionId !== submission.id) throw new NotFoundError();
  requireCan(request, 'review.manage', reviewResource(review, submission));
  return { submission, review };
}

export function refusal(ctx: PageContext, error: WorkflowError): string {
  return ctx.t(ERROR_LABEL[error.code], Object.fromEntries(Object.entries(error.params).map(([k, v]) => [k, String(v)])));
}

/** A refusal next to the field it names (`fields`: the form's fields), else for the whole form. */
export function refusalErrors(ctx: PageContext, error: WorkflowError, fields: readonly string[]): FormErrors {
  return { [error.field && fields.includes(error.field) ? error.field : '']: refusal(ctx, error) };
}

/** The status a refused form is shown again with: a thing not found in the form is a form to correct. */
export const refusalStatus = (error: WorkflowError) => (error.status === 404 ? 422 : error.status);

/** A due date as the date field shows it (the day, UTC). */
export const dayOf = (date: Date) => date.toISOString().slice(0, 10);

/** A day from a date field as the due moment: the end of that day (UTC); invalid text gives an invalid date. */
export function dueAt(day: string): Date {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(day)) return new Date(NaN);
  const date = new Date(`${day}T23:59:59Z`);
  return Number.isNaN(date.getTime()) || date.toISOString().slice(0, 10) !== day ? new Date(NaN) : date;
}

/** A person as editors see them: the name in the page's language, else the address. */
export const displayName = (ctx: PageContext, person: { email: string; givenName: LocalizedText; familyName: LocalizedText }) =>
  personName({ given_name: person.givenName, family_name: person.familyName }, ctx.locale) ?? person.email;

/** The submission's title for headings. */
export async function submissionTitle(db: Db, ctx: PageContext, submission: SubmissionRecord): Promise<string> {
  const row = await db.selectFrom('publications').select('title').where('id', '=', submission.publicationId).executeTakeFirst();
  return richToPlainLine(localizeText(row?.title ?? {}, ctx.locale, submission.locale)) || ctx.t('editorial.untitled', { id: submission.id });
}
