import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { requireCan } from '../../accounts/index.ts';
import { ManageConfirmPage, manageContext } from '../../admin/index.ts';
import { localizeText } from '../../i18n/index.ts';
import { formBody, formChecked, formLocalized, formText, type FormBody } from '../../platform/http/forms.ts';
import { IdText, JournalPath, NotFoundError, parseId, Type, typed } from '../../platform/http/index.ts';
import { firstValue, QueryParameter, sendPrivatePage } from '../../platform/web/index.ts';
import {
  addReviewFormElement,
  createReviewForm,
  deleteReviewForm,
  deleteReviewFormElement,
  makeDefaultReviewForm,
  moveReviewFormElement,
  optionsFromLines,
  optionsToLines,
  REVIEW_FORM_LIMITS,
  ReviewFormInvalid,
  ReviewFormRefused,
  updateReviewForm,
  updateReviewFormElement,
  type ReviewFormElementInput,
} from '../review/forms/commands.ts';
import { reviewForm, reviewFormList, reviewFormUse, type ReviewForm } from '../review/forms/read.ts';
import { saveReviewSettings } from '../review/settings-commands.ts';
import { reviewSettings, type ReviewSettings } from '../review/settings.ts';
import { SettingsInvalid } from '../settings/commands.ts';
import type { WorkflowWebDeps } from './deps.ts';
import { formFieldMessages, NewReviewFormPage, ReviewFormElementPage, ReviewFormPage, ReviewFormPreviewPage, ReviewFormsPage, type ElementForm, type FormDetailsForm } from './views/review-forms-manage.tsx';
import { ReviewSettingsPage, type ReviewSettingsForm } from './views/review-forms-settings.tsx';
import { wholeNumber } from './settings.ts';
import { fieldMessages } from './views/settings.tsx';

const PERMISSION = { permission: 'journal.submission-settings' as const };
const NoticeQuery = Type.Object({ notice: Type.Optional(QueryParameter) });
const JournalOnly = Type.Object({ journal: JournalPath });
const FormParams = Type.Object({ journal: JournalPath, formId: IdText });
const ElementParams = Type.Object({ journal: JournalPath, formId: IdText, elementId: IdText });

const NOTICES = ['saved', 'created', 'deleted', 'default', 'question-deleted'] as const;
type Notice = (typeof NOTICES)[number];
const NOTICE_KEY = {
  saved: 'review-forms.notice.saved',
  created: 'review-forms.notice.created',
  deleted: 'review-forms.notice.deleted',
  default: 'review-forms.notice.default',
  'question-deleted': 'review-forms.notice.question-deleted',
} as const;
const noticeOf = (query: { notice?: string | string[] }): Notice | undefined => NOTICES.find((n) => n === firstValue(query.notice));

function readSettingsForm(body: FormBody): ReviewSettingsForm {
  return {
    anonymity: formText(body, 'anonymity', 40),
    responseDays: formText(body, 'responseDays', 20),
    reviewDays: formText(body, 'reviewDays', 20),
    remindDaysBefore: formText(body, 'remindDaysBefore', 20),
    remindDaysAfter: formText(body, 'remindDaysAfter', 20),
    minReviews: formText(body, 'minReviews', 20),
    waitForReviews: formChecked(body, 'waitForReviews'),
    errors: {},
  };
}

function settingsFormOf(s: ReviewSettings): ReviewSettingsForm {
  return {
    anonymity: s.anonymity,
    responseDays: String(s.responseDays),
    reviewDays: String(s.reviewDays),
    remindDaysBefore: String(s.remindDaysBefore),
    remindDaysAfter: String(s.remindDaysAfter),
    minReviews: String(s.minReviews),
    waitForReviews: s.waitForReviews,
    errors: {},
  };
}

function readDetails(body: FormBody, locales: readonly string[]): FormDetailsForm {
  return {
    title: formLocalized(body, 'title', locales, REVIEW_FORM_LIMITS.title + 1),
    description: formLocalized(body, 'description', locales, REVIEW_FORM_LIMITS.description + 1),
    isActive: formChecked(body, 'isActive'),
    errors: {},
  };
}

function readElement(body: FormBody, locales: readonly string[]): ElementForm {
  return {
    kind: formText(body, 'kind', 40),
    question: formLocalized(body, 'question', locales, REVIEW_FORM_LIMITS.question + 1),
    description: formLocalized(body, 'description', locales, REVIEW_FORM_LIMITS.questionDescription + 1),
    // Enough for one choice more than allowed, each one character longer: the command says which limit.
    options: formLocalized(body, 'options', locales, (REVIEW_FORM_LIMITS.option + 2) * (REVIEW_FORM_LIMITS.options + 1)),
    required: formChecked(body, 'required'),
    visibleToAuthor: formChecked(body, 'visibleToAuthor'),
    errors: {},
  };
}

/**
 * The command's input from the question's form. A form with answers keeps each question's kind,
 * choices and flags: those come from the stored question, whatever was sent.
 */
function elementInput(form: ElementForm, stored: ReviewForm['elements'][number] | undefined, locked: boolean): ReviewFormElementInput {
  const input = { kind: form.kind, question: form.question, description: form.description, options: optionsFromLines(form.options), required: form.required, visibleToAuthor: form.visibleToAuthor };
  return locked && stored ? { ...input, kind: stored.kind, options: stored.options, required: stored.required, visibleToAuthor: stored.visibleToAuthor } : input;
}

/** The manager's review settings and review forms (issue 20, items 4, 5 and 7). */
export async function reviewSettingsRoutes(app: FastifyInstance, deps: WorkflowWebDeps): Promise<void> {
  const routes = typed(app);
  const { db, clock } = deps;

  const context = async (request: FastifyRequest, reply: FastifyReply) => {
    const m = await manageContext(db, request, reply);
    requireCan(request, 'journal.submission-settings', { kind: 'journal', journalId: m.journal.id });
    return m;
  };
  type Context = Awaited<ReturnType<typeof context>>;

  const settingsBase = (m: Context) => `/${m.journal.path}/management/settings/review`;
  const formsBase = (m: Context) => `/${m.journal.path}/management/settings/reviewForms`;

  // --- review settings -------------------------------------------------------------------------

  routes.get('/:journal/management/settings/review', { config: PERMISSION, schema: { params: JournalOnly, querystring: NoticeQuery } }, async (request, reply) => {
    const m = await context(request, reply);
    const notice = noticeOf(request.query) === 'saved' ? m.ctx.t('review-forms.settings.saved') : undefined;
    return sendPrivatePage(reply, ReviewSettingsPage({ ...m, form: settingsFormOf(await reviewSettings(db, m.journal.id)), notice }));
  });

  routes.post('/:journal/management/settings/review', { config: PERMISSION, schema: { params: JournalOnly } }, async (request, reply) => {
    const m = await context(request, reply);
    const form = readSettingsForm(formBody(request));
    try {
      await saveReviewSettings(
        db,
        m.journal.id,
        {
          anonymity: form.anonymity,
          responseDays: wholeNumber(form.responseDays),
          reviewDays: wholeNumber(form.reviewDays),
          remindDaysBefore: wholeNumber(form.remindDaysBefore),
          remindDaysAfter: wholeNumber(form.remindDaysAfter),
          minReviews: wholeNumber(form.minReviews),
          waitForReviews: form.waitForReviews,
        },
        clock.now(),
      );
    } catch (error) {
      if (!(error instanceof SettingsInvalid)) throw error;
      const errors = fieldMessages(m.ctx, error.errors);
      if (errors.anonymity) errors.anonymity = m.ctx.t('review-forms.settings.anonymityMissing');
      return sendPrivatePage(reply, ReviewSettingsPage({ ...m, form: { ...form, errors } }), 400);
    }
    request.log.info({ journalId: m.journal.id }, 'review settings saved');
    return reply.redirect(`${settingsBase(m)}?notice=saved`, 303);
  });

  // --- the forms -------------------------------------------------------------------------------

  const showList = async (request: FastifyRequest, reply: FastifyReply, notice?: Notice, errors = {}, status = 200) => {
    const m = await context(request, reply);
    return sendPrivatePage(reply, ReviewFormsPage({ ...m, forms: await reviewFormList(db, m.journal.id), notice: notice ? m.ctx.t(NOTICE_KEY[notice]) : undefined, errors }), status);
  };

  routes.get('/:journal/management/settings/reviewForms', { config: PERMISSION, schema: { params: JournalOnly, querystring: NoticeQuery } }, async (request, reply) => showList(request, reply, noticeOf(request.query)));

  routes.get('/:journal/management/settings/reviewForms/new', { config: PERMISSION, schema: { params: JournalOnly } }, async (request, reply) => {
    const m = await context(request, reply);
    return sendPrivatePage(reply, NewReviewFormPage({ ...m, form: { title: {}, description: {}, isActive: true, errors: {} } }));
  });

  routes.post('/:journal/management/settings/reviewForms/new', { config: PERMISSION, schema: { params: JournalOnly } }, async (request, reply) => {
    const m = await context(request, reply);
    const form = readDetails(formBody(request), m.locales);
    let id: number;
    try {
      id = await createReviewForm(db, m.journal.id, form, clock.now());
    } catch (error) {
      if (!(error instanceof ReviewFormInvalid)) throw error;
      return sendPrivatePage(reply, NewReviewFormPage({ ...m, form: { ...form, errors: formFieldMessages(m.ctx, error.errors) } }), 400);
    }
    request.log.info({ journalId: m.journal.id, reviewFormId: id }, 'review form created');
    return reply.redirect(`${formsBase(m)}/${id}?notice=created`, 303);
  });

  /** The journal's form the address names, or a 404. */
  const formOr404 = async (m: Context, formIdText: string) => {
    const form = await reviewForm(db, m.journal.id, parseId(formIdText));
    if (!form) throw new NotFoundError();
    return form;
  };

  const showForm = async (m: Context, reply: FastifyReply, review: ReviewForm, options: { form?: FormDetailsForm; notice?: Notice; status?: number } = {}) => {
    const use = await reviewFormUse(db, review.id);
    const form = options.form ?? { title: review.title, description: review.description, isActive: review.isActive, errors: {} };
    return sendPrivatePage(reply, ReviewFormPage({ ...m, review, form, use, notice: options.notice ? m.ctx.t(NOTICE_KEY[options.notice]) : undefined }), options.status ?? 200);
  };

  /** A refusal the form's use explains, shown on the form's page (409). */
  const refusal = async (m: Context, reply: FastifyReply, review: ReviewForm, error: unknown) => {
    if (!(error instanceof ReviewFormRefused)) throw error;
    if (error.reason === 'unknown') throw new NotFoundError();
    const message = m.ctx.t(error.reason === 'answered' ? 'review-forms.error.answered' : 'review-forms.error.in-use');
    const fresh = (await reviewForm(db, m.journal.id, review.id)) ?? review;
    return showForm(m, reply, fresh, { form: { title: fresh.title, description: fresh.description, isActive: fresh.isActive, errors: { '': message } }, status: 409 });
  };

  routes.get('/:journal/management/settings/reviewForms/:formId', { config: PERMISSION, schema: { params: FormParams, querystring: NoticeQuery } }, async (request, reply) => {
    const m = await context(request, reply);
    return showForm(m, reply, await formOr404(m, request.params.formId), { notice: noticeOf(request.query) });
  });

  routes.post('/:journal/management/settings/reviewForms/:formId', { config: PERMISSION, schema: { params: FormParams } }, async (request, reply) => {
    const m = await context(request, reply);
    const review = await formOr404(m, request.params.formId);
    const form = readDetails(formBody(request), m.locales);
    try {
      await updateReviewForm(db, m.journal.id, review.id, form, clock.now());
    } catch (error) {
      if (error instanceof ReviewFormInvalid) return showForm(m, reply, review, { form: { ...form, errors: formFieldMessages(m.ctx, error.errors) }, status: 400 });
      return refusal(m, reply, review, error);
    }
    request.log.info({ journalId: m.journal.id, reviewFormId: review.id }, 'review form saved');
    return reply.redirect(`${formsBase(m)}/${review.id}?notice=saved`, 303);
  });

  routes.post('/:journal/management/settings/reviewForms/:formId/default', { config: PERMISSION, schema: { params: FormParams } }, async (request, reply) => {
    const m = await context(request, reply);
    const review = await formOr404(m, request.params.formId);
    try {
      await makeDefaultReviewForm(db, m.journal.id, review.id, clock.now());
    } catch (error) {
      return refusal(m, reply, review, error);
    }
    request.log.info({ journalId: m.journal.id, reviewFormId: review.id }, 'default review form chosen');
    return reply.redirect(`${formsBase(m)}/${review.id}?notice=default`, 303);
  });

  routes.get('/:journal/management/settings/reviewForms/:formId/preview', { config: PERMISSION, schema: { params: FormParams } }, async (request, reply) => {
    const m = await context(request, reply);
    return sendPrivatePage(reply, ReviewFormPreviewPage({ ...m, review: await formOr404(m, request.params.formId) }));
  });

  routes.get('/:journal/management/settings/reviewForms/:formId/delete', { config: PERMISSION, schema: { params: FormParams } }, async (request, reply) => {
    const m = await context(request, reply);
    const review = await formOr404(m, request.params.formId);
    if ((await reviewFormUse(db, review.id)).used) return refusal(m, reply, review, new ReviewFormRefused('in-use'));
    const { t } = m.ctx;
    const title = localizeText(review.title, m.ctx.locale) || `#${review.id}`;
    return sendPrivatePage(
      reply,
      ManageConfirmPage({
        ...m,
        title: t('review-forms.delete.title'),
        action: `${formsBase(m)}/${review.id}/delete`,
        question: t('review-forms.delete.question', { form: title }),
        consequences: [t('review-forms.delete.what'), ...(review.isDefault ? [t('review-forms.delete.default')] : [])],
        confirmLabel: t('review-forms.delete.confirm'),
        cancelHref: `${formsBase(m)}/${review.id}`,
      }),
    );
  });

  routes.post('/:journal/management/settings/reviewForms/:formId/delete', { config: PERMISSION, schema: { params: FormParams } }, async (request, reply) => {
    const m = await context(request, reply);
    const review = await formOr404(m, request.params.formId);
    try {
      await deleteReviewForm(db, m.journal.id, review.id);
    } catch (error) {
      return refusal(m, reply, review, error);
    }
    request.log.info({ journalId: m.journal.id, reviewFormId: review.id }, 'review form deleted');
    return reply.redirect(`${formsBase(m)}?notice=deleted`, 303);
  });

  // --- the questions ---------------------------------------------------------------------------

  const elementOr404 = (review: ReviewForm, elementIdText: string) => {
    const element = review.elements.find((e) => e.id === parseId(elementIdText));
    if (!element) throw new NotFoundError();
    return element;
  };

  routes.get('/:journal/management/settings/reviewForms/:formId/questions/new', { config: PERMISSION, schema: { params: FormParams } }, async (request, reply) => {
    const m = await context(request, reply);
    const review = await formOr404(m, request.params.formId);
    if ((await reviewFormUse(db, review.id)).answered) return refusal(m, reply, review, new ReviewFormRefused('answered'));
    const form: ElementForm = { kind: 'long-text', question: {}, description: {}, options: {}, required: false, visibleToAuthor: true, errors: {} };
    return sendPrivatePage(reply, ReviewFormElementPage({ ...m, review, form, locked: false }));
  });

  routes.post('/:journal/management/settings/reviewForms/:formId/questions/new', { config: PERMISSION, schema: { params: FormParams } }, async (request, reply) => {
    const m = await context(request, reply);
    const review = await formOr404(m, request.params.formId);
    const form = readElement(formBody(request), m.locales);
    try {
      await addReviewFormElement(db, m.journal.id, review.id, elementInput(form, undefined, false), clock.now());
    } catch (error) {
      if (error instanceof ReviewFormInvalid) return sendPrivatePage(reply, ReviewFormElementPage({ ...m, review, form: { ...form, errors: formFieldMessages(m.ctx, error.errors) }, locked: false }), 400);
      return refusal(m, reply, review, error);
    }
    request.log.info({ journalId: m.journal.id, reviewFormId: review.id }, 'review form question added');
    return reply.redirect(`${formsBase(m)}/${review.id}?notice=saved`, 303);
  });

  routes.get('/:journal/management/settings/reviewForms/:formId/questions/:elementId', { config: PERMISSION, schema: { params: ElementParams } }, async (request, reply) => {
    const m = await context(request, reply);
    const review = await formOr404(m, request.params.formId);
    const element = elementOr404(review, request.params.elementId);
    const { answered } = await reviewFormUse(db, review.id);
    const form: ElementForm = {
      kind: element.kind,
      question: element.question,
      description: element.description,
      options: optionsToLines(element.options, m.locales),
      required: element.required,
      visibleToAuthor: element.visibleToAuthor,
      errors: {},
    };
    return sendPrivatePage(reply, ReviewFormElementPage({ ...m, review, elementId: element.id, form, locked: answered }));
  });

  routes.post('/:journal/management/settings/reviewForms/:formId/questions/:elementId', { config: PERMISSION, schema: { params: ElementParams } }, async (request, reply) => {
    const m = await context(request, reply);
    const review = await formOr404(m, request.params.formId);
    const element = elementOr404(review, request.params.elementId);
    const { answered } = await reviewFormUse(db, review.id);
    const form = readElement(formBody(request), m.locales);
    try {
      await updateReviewFormElement(db, m.journal.id, review.id, element.id, elementInput(form, element, answered), clock.now());
    } catch (error) {
      if (error instanceof ReviewFormInvalid) return sendPrivatePage(reply, ReviewFormElementPage({ ...m, review, elementId: element.id, form: { ...form, errors: formFieldMessages(m.ctx, error.errors) }, locked: answered }), 400);
      return refusal(m, reply, review, error);
    }
    request.log.info({ journalId: m.journal.id, reviewFormId: review.id, elementId: element.id }, 'review form question saved');
    return reply.redirect(`${formsBase(m)}/${review.id}?notice=saved`, 303);
  });

  routes.post('/:journal/management/settings/reviewForms/:formId/questions/:elementId/move', { config: PERMISSION, schema: { params: ElementParams } }, async (request, reply) => {
    const m = await context(request, reply);
    const review = await formOr404(m, request.params.formId);
    const element = elementOr404(review, request.params.elementId);
    const direction = formText(formBody(request), 'direction', 10) === 'up' ? 'up' : 'down';
    try {
      await moveReviewFormElement(db, m.journal.id, review.id, element.id, direction);
    } catch (error) {
      return refusal(m, reply, review, error);
    }
    return reply.redirect(`${formsBase(m)}/${review.id}?notice=saved`, 303);
  });

  routes.get('/:journal/management/settings/reviewForms/:formId/questions/:elementId/delete', { config: PERMISSION, schema: { params: ElementParams } }, async (request, reply) => {
    const m = await context(request, reply);
    const review = await formOr404(m, request.params.formId);
    const element = elementOr404(review, request.params.elementId);
    if ((await reviewFormUse(db, review.id)).answered) return refusal(m, reply, review, new ReviewFormRefused('answered'));
    const { t } = m.ctx;
    return sendPrivatePage(
      reply,
      ManageConfirmPage({
        ...m,
        title: t('review-forms.deleteQuestion.title'),
        action: `${formsBase(m)}/${review.id}/questions/${element.id}/delete`,
        question: t('review-forms.deleteQuestion.question', { question: localizeText(element.question, m.ctx.locale) || `#${element.id}` }),
        consequences: [t('review-forms.deleteQuestion.what')],
        confirmLabel: t('review-forms.deleteQuestion.confirm'),
        cancelHref: `${formsBase(m)}/${review.id}`,
      }),
    );
  });

  routes.post('/:journal/management/settings/reviewForms/:formId/questions/:elementId/delete', { config: PERMISSION, schema: { params: ElementParams } }, async (request, reply) => {
    const m = await context(request, reply);
    const review = await formOr404(m, request.params.formId);
    const element = elementOr404(review, request.params.elementId);
    try {
      await deleteReviewFormElement(db, m.journal.id, review.id, element.id);
    } catch (error) {
      return refusal(m, reply, review, error);
    }
    request.log.info({ journalId: m.journal.id, reviewFormId: review.id, elementId: element.id }, 'review form question deleted');
    return reply.redirect(`${formsBase(m)}/${review.id}?notice=question-deleted`, 303);
  });
}
