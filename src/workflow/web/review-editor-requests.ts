import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Anonymity } from '../../db/schema.ts';
import { isUiLocale, localizeText } from '../../i18n/index.ts';
import { formBody, formText } from '../../platform/http/forms.ts';
import { NotFoundError, Type, typed } from '../../platform/http/index.ts';
import { formPage, sendPrivatePage } from '../../platform/web/index.ts';
import type { FormErrors, PageContext } from '../../ui/index.ts';
import { WorkflowError } from '../errors.ts';
import { activeReviewForms, ANONYMITY_MODES, currentRound, requestReview, reviewSettings, type ReviewRequestInput } from '../review/index.ts';
import type { SubmissionRecord } from '../queries.ts';
import type { WorkflowWebDeps } from './deps.ts';
import { manageAccess } from './manage-access.ts';
import { dayOf, displayName, dueAt, managedSubmission, refusalErrors, refusalStatus, SubmissionParams, submissionBase, submissionTitle, WORKFLOW } from './review-editor-shared.ts';
import { reviewerConflicts } from './review-editor-search.ts';
import { RequestReviewPage, type RequestFormValues, type RequestFormView } from './views/review-stage-requests.tsx';

/** Finding a reviewer and asking them (issue 20, items 2–3): someone with an account, or someone new by name and address. */

const RequestQuery = Type.Object({ reviewerId: Type.Optional(Type.String({ maxLength: 12 })) });
const FIELDS = ['responseDue', 'reviewDue', 'anonymity', 'reviewFormId', 'message', 'givenName', 'familyName', 'email', 'locale', 'reviewerId'];
const MAX_MESSAGE = 20000;

export async function reviewRequestRoutes(app: FastifyInstance, deps: WorkflowWebDeps): Promise<void> {
  const { db, clock } = deps;
  const routes = typed(app);

  /** The journal's active review forms, for the request's choice. */
  async function activeForms(ctx: PageContext, journalId: number) {
    return (await activeReviewForms(db, journalId)).map((f) => ({ id: f.id, title: localizeText(f.title, ctx.locale) || `#${f.id}` }));
  }

  async function defaults(submission: SubmissionRecord): Promise<RequestFormValues> {
    const [settings, round] = await Promise.all([reviewSettings(db, submission.journalId), currentRound(db, submission.id)]);
    const now = clock.now().getTime();
    return {
      responseDue: dayOf(new Date(now + settings.responseDays * 86400_000)),
      reviewDue: dayOf(new Date(now + settings.reviewDays * 86400_000)),
      anonymity: settings.anonymity,
      reviewFormId: round?.reviewFormId ? String(round.reviewFormId) : '',
      message: '',
      givenName: '',
      familyName: '',
      email: '',
      locale: 'en',
    };
  }

  /** The journal's reviewer named by `?reviewerId=` (or the form's field); anyone else is not there. */
  async function chosenReviewer(ctx: PageContext, journalId: number, idText: string | undefined) {
    if (!idText || !/^[0-9]{1,9}$/.test(idText)) throw new NotFoundError();
    const row = await db
      .selectFrom('role_assignments as r')
      .innerJoin('users as u', 'u.id', 'r.user_id')
      .select(['u.id', 'u.email', 'u.given_name', 'u.family_name'])
      .where('r.journal_id', '=', journalId)
      .where('r.role', '=', 'reviewer')
      .where('u.id', '=', Number(idText))
      .where('u.disabled_at', 'is', null)
      .executeTakeFirst();
    if (!row) throw new NotFoundError();
    return { userId: row.id, email: row.email, name: displayName(ctx, { email: row.email, givenName: row.given_name, familyName: row.family_name }) };
  }

  async function showForm(request: FastifyRequest, reply: FastifyReply, ctx: PageContext, submission: SubmissionRecord, reviewer: RequestFormView['reviewer'], values: RequestFormValues, errors: FormErrors, status: number) {
    const view: RequestFormView = {
      base: submissionBase(request, submission.id),
      submissionTitle: await submissionTitle(db, ctx, submission),
      ...(reviewer ? { reviewer } : {}),
      warnings: reviewer ? await reviewerConflicts(db, ctx, submission, reviewer) : [],
      forms: await activeForms(ctx, submission.journalId),
      values,
      errors,
    };
    return sendPrivatePage(reply, RequestReviewPage({ ctx, access: manageAccess(request.viewer.user, submission.journalId), view }), status);
  }

  function postedValues(request: FastifyRequest, fallback: RequestFormValues): RequestFormValues {
    const body = formBody(request);
    const anonymity = formText(body, 'anonymity', 30);
    const locale = formText(body, 'locale', 10);
    return {
      responseDue: formText(body, 'responseDue', 20),
      reviewDue: formText(body, 'reviewDue', 20),
      anonymity: (ANONYMITY_MODES as readonly string[]).includes(anonymity) ? (anonymity as Anonymity) : fallback.anonymity,
      reviewFormId: formText(body, 'reviewFormId', 12),
      message: formText(body, 'message', MAX_MESSAGE + 1),
      givenName: formText(body, 'givenName', 200),
      familyName: formText(body, 'familyName', 200),
      email: formText(body, 'email', 254),
      locale: isUiLocale(locale) ? locale : fallback.locale,
    };
  }

  /** Asks, or shows the form again with the refusal next to its field (and everything typed). */
  async function send(request: FastifyRequest, reply: FastifyReply, submission: SubmissionRecord, reviewer: RequestFormView['reviewer'], values: RequestFormValues) {
    const { ctx } = await formPage(db, request, reply);
    const errors: FormErrors = {};
    const responseDue = dueAt(values.responseDue);
    const reviewDue = dueAt(values.reviewDue);
    if (Number.isNaN(responseDue.getTime())) errors.responseDue = ctx.t('reviewEditor.request.dateFormat');
    if (Number.isNaN(reviewDue.getTime())) errors.reviewDue = ctx.t('reviewEditor.request.dateFormat');
    if (values.reviewFormId !== '' && !/^[0-9]{1,9}$/.test(values.reviewFormId)) errors.reviewFormId = ctx.t('workflow.error.form-unknown');
    if (Object.keys(errors).length > 0) return showForm(request, reply, ctx, submission, reviewer, values, errors, 400);
    const input: ReviewRequestInput = {
      journalId: submission.journalId,
      submissionId: submission.id,
      reviewer: reviewer
        ? { userId: reviewer.userId }
        : { newReviewer: { email: values.email, givenName: values.givenName ? { [values.locale]: values.givenName } : {}, familyName: values.familyName ? { [values.locale]: values.familyName } : {}, locale: values.locale } },
      anonymity: values.anonymity,
      responseDue,
      reviewDue,
      reviewFormId: values.reviewFormId === '' ? null : Number(values.reviewFormId),
      message: values.message,
      requestedBy: request.viewer.user!.userId,
      now: clock.now(),
    };
    try {
      const reviewId = await requestReview(db, input);
      request.log.info({ submissionId: submission.id, reviewId, invited: !reviewer }, 'review requested');
    } catch (error) {
      if (!(error instanceof WorkflowError)) throw error;
      // "Who" is refused: for someone new, next to their address; for a chosen account, for the form.
      const errors = refusalErrors(ctx, error, FIELDS);
      if (errors.reviewerId !== undefined) {
        errors[reviewer ? '' : 'email'] = errors.reviewerId;
        delete errors.reviewerId;
      }
      return showForm(request, reply, ctx, submission, reviewer, values, errors, refusalStatus(error));
    }
    return reply.redirect(`${submissionBase(request, submission.id)}?reviewNotice=requested#review`, 303);
  }

  /** Reviewers are asked in an open round only: the forms say so at once, rather than after being filled in. */
  async function closedForRequests(ctx: PageContext, submission: SubmissionRecord): Promise<FormErrors> {
    if (submission.status !== 'active' || submission.stage !== 'review') return { '': ctx.t('workflow.error.not-in-review') };
    const round = await currentRound(db, submission.id);
    return round?.status === 'open' ? {} : { '': ctx.t('workflow.error.round-closed') };
  }

  routes.get('/:journal/workflow/index/:id/review/request', { config: WORKFLOW, schema: { params: SubmissionParams, querystring: RequestQuery } }, async (request, reply) => {
    const submission = await managedSubmission(db, request);
    const { ctx } = await formPage(db, request, reply);
    const reviewer = await chosenReviewer(ctx, submission.journalId, request.query.reviewerId);
    const closed = await closedForRequests(ctx, submission);
    return showForm(request, reply, ctx, submission, reviewer, await defaults(submission), closed, closed[''] ? 409 : 200);
  });

  routes.post('/:journal/workflow/index/:id/review/request', { config: WORKFLOW, schema: { params: SubmissionParams } }, async (request, reply) => {
    const submission = await managedSubmission(db, request);
    const { ctx } = await formPage(db, request, reply);
    const reviewer = await chosenReviewer(ctx, submission.journalId, formText(formBody(request), 'reviewerId', 12));
    return send(request, reply, submission, reviewer, postedValues(request, await defaults(submission)));
  });

  routes.get('/:journal/workflow/index/:id/review/request-new', { config: WORKFLOW, schema: { params: SubmissionParams } }, async (request, reply) => {
    const submission = await managedSubmission(db, request);
    const { ctx } = await formPage(db, request, reply);
    const values = await defaults(submission);
    const closed = await closedForRequests(ctx, submission);
    return showForm(request, reply, ctx, submission, undefined, { ...values, locale: ctx.locale }, closed, closed[''] ? 409 : 200);
  });

  routes.post('/:journal/workflow/index/:id/review/request-new', { config: WORKFLOW, schema: { params: SubmissionParams } }, async (request, reply) => {
    const submission = await managedSubmission(db, request);
    return send(request, reply, submission, undefined, postedValues(request, await defaults(submission)));
  });
}
