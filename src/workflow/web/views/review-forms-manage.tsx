import type { SafeHtml } from '#jsx/jsx-runtime';
import type { LocalizedText, ReviewFormElementKind } from '../../../db/schema.ts';
import { localizeText, type MessageKey, type UiLocale } from '../../../i18n/index.ts';
import { ManagePage, type ManageAccess } from '../../../platform/web/index.ts';
import { ActionButton, Badge, CheckboxField, ConfirmLink, EmptyState, ErrorSummary, Form, LocalizedFields, Notice, SelectField, SubmitButton, type FormErrors, type PageContext } from '../../../ui/index.ts';
import { REVIEW_FORM_LIMITS, type ReviewFormErrorCode, type ReviewFormFieldError } from '../../review/forms/commands.ts';
import { ELEMENT_KINDS, isChoice, type ReviewForm, type ReviewFormElement, type ReviewFormSummary } from '../../review/forms/read.ts';
import { ReviewFormAnswers, ReviewFormFields } from './review-forms-fields.tsx';

/** The manager's review forms (issue 20, item 5): the list, a form and its questions, a question, the preview. */

export interface FormDetailsForm {
  title: LocalizedText;
  description: LocalizedText;
  isActive: boolean;
  errors: FormErrors;
}

export interface ElementForm {
  kind: string;
  question: LocalizedText;
  description: LocalizedText;
  /** The choices, one per line, a text per language. */
  options: LocalizedText;
  required: boolean;
  visibleToAuthor: boolean;
  errors: FormErrors;
}

export const KIND_LABEL: Record<ReviewFormElementKind, MessageKey> = {
  'short-text': 'review-forms.kind.short-text',
  'long-text': 'review-forms.kind.long-text',
  'single-choice': 'review-forms.kind.single-choice',
  'multiple-choice': 'review-forms.kind.multiple-choice',
};

const ERROR_KEYS: Record<ReviewFormErrorCode, MessageKey> = {
  required: 'review-forms.error.required',
  'too-long': 'review-forms.error.too-long',
  'too-many': 'review-forms.error.too-many',
  'options-missing': 'review-forms.error.options-missing',
  'kind-unknown': 'review-forms.error.kind-unknown',
};

export function formFieldMessages(ctx: PageContext, errors: readonly ReviewFormFieldError[]): FormErrors {
  const out: FormErrors = {};
  for (const error of errors) out[error.field] ??= ctx.t(ERROR_KEYS[error.code], error.params);
  return out;
}

const formsBase = (ctx: PageContext) => `/${ctx.journal!.path}/management/settings/reviewForms`;
const titleOf = (ctx: PageContext, title: LocalizedText, id: number) => localizeText(title, ctx.locale) || `#${id}`;

/** `/{journal}/management/settings/reviewForms`: the journal's forms. */
export function ReviewFormsPage({ ctx, access, forms, notice, errors = {} }: { ctx: PageContext; access: ManageAccess; forms: ReviewFormSummary[]; notice?: string; errors?: FormErrors }): SafeHtml {
  const { t } = ctx;
  const base = formsBase(ctx);
  return (
    <ManagePage ctx={ctx} access={access} title={t('review-forms.list.title')} notice={notice}>
      <ErrorSummary ctx={ctx} errors={errors} />
      <p>{t('review-forms.list.intro')}</p>
      <p>
        <a href={`/${ctx.journal!.path}/management/settings/review`}>{t('review-forms.list.settingsLink')}</a>
      </p>
      {forms.length === 0 ? (
        <EmptyState message={t('review-forms.list.none')} action={{ href: `${base}/new`, label: t('review-forms.list.new') }} />
      ) : (
        <>
          <p>
            <a class="button button--primary" href={`${base}/new`}>
              {t('review-forms.list.new')}
            </a>
          </p>
          <table class="data-table">
            <caption class="visually-hidden">{t('review-forms.list.title')}</caption>
            <thead>
              <tr>
                <th scope="col">{t('review-forms.list.form')}</th>
                <th scope="col">{t('review-forms.list.questions')}</th>
                <th scope="col">{t('review-forms.list.reviews')}</th>
                <th scope="col">{t('review-forms.list.status')}</th>
                <th scope="col">{t('admin.actions')}</th>
              </tr>
            </thead>
            <tbody>
              {forms.map((f) => {
                const title = titleOf(ctx, f.title, f.id);
                return (
                  <tr>
                    <th scope="row">
                      <a href={`${base}/${f.id}`}>{title}</a>
                    </th>
                    <td>{String(f.questions)}</td>
                    <td>{String(f.reviews)}</td>
                    <td>
                      {f.isDefault ? <Badge tone="success">{t('review-forms.status.default')}</Badge> : null}{' '}
                      {f.isActive ? <Badge>{t('review-forms.status.active')}</Badge> : <Badge tone="warning">{t('review-forms.status.inactive')}</Badge>}
                    </td>
                    <td>
                      <a href={`${base}/${f.id}/preview`}>
                        {t('review-forms.preview')}
                        <span class="visually-hidden">: {title}</span>
                      </a>
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </>
      )}
    </ManagePage>
  );
}

function DetailsFields({ ctx, locales, form }: { ctx: PageContext; locales: readonly UiLocale[]; form: FormDetailsForm }): SafeHtml {
  const { t } = ctx;
  return (
    <>
      <LocalizedFields ctx={ctx} name="title" label={t('review-forms.form.title')} values={form.title} locales={locales} required error={form.errors.title} />
      <LocalizedFields ctx={ctx} name="description" label={t('review-forms.form.description')} hint={t('review-forms.form.descriptionHint')} values={form.description} locales={locales} multiline rows={3} error={form.errors.description} />
      <CheckboxField name="isActive" label={t('review-forms.form.active')} hint={t('review-forms.form.activeHint')} checked={form.isActive} />
    </>
  );
}

/** `/{journal}/management/settings/reviewForms/new`. */
export function NewReviewFormPage({ ctx, access, locales, form }: { ctx: PageContext; access: ManageAccess; locales: readonly UiLocale[]; form: FormDetailsForm }): SafeHtml {
  const { t } = ctx;
  return (
    <ManagePage ctx={ctx} access={access} title={t('review-forms.new.title')}>
      <p>
        <a href={formsBase(ctx)}>{t('review-forms.back')}</a>
      </p>
      <ErrorSummary ctx={ctx} errors={form.errors} />
      <Form action={`${formsBase(ctx)}/new`} csrf={ctx.csrf ?? ''}>
        <DetailsFields ctx={ctx} locales={locales} form={form} />
        <SubmitButton label={t('review-forms.new.create')} />
      </Form>
    </ManagePage>
  );
}

function Flags({ ctx, element }: { ctx: PageContext; element: ReviewFormElement }): SafeHtml {
  const { t } = ctx;
  return (
    <>
      {t(KIND_LABEL[element.kind])}
      {element.required ? `; ${t('review-forms.question.isRequired')}` : ''}
      {`; ${t(element.visibleToAuthor ? 'review-forms.question.authorSees' : 'review-forms.question.editorsOnly')}`}
    </>
  );
}

function Questions({ ctx, form, answered }: { ctx: PageContext; form: ReviewForm; answered: boolean }): SafeHtml {
  const { t } = ctx;
  const base = `${formsBase(ctx)}/${form.id}/questions`;
  const csrf = ctx.csrf ?? '';
  if (form.elements.length === 0) return <p>{t('review-forms.questions.none')}</p>;
  return (
    <ol class="review-form-questions">
      {form.elements.map((element, i) => {
        const question = localizeText(element.question, ctx.locale) || `#${element.id}`;
        const flagsId = `question-${element.id}-flags`;
        return (
          <li>
            <p>
              <strong>{question}</strong>
              <br />
              <span class="hint" id={flagsId}>
                <Flags ctx={ctx} element={element} />
              </span>
            </p>
            <div class="page-actions">
              <a class="button button--secondary" href={`${base}/${element.id}`} aria-describedby={flagsId}>
                {t('review-forms.questions.edit')}
                <span class="visually-hidden">: {question}</span>
              </a>
              {i > 0 ? <ActionButton action={`${base}/${element.id}/move`} csrf={csrf} label={t('review-forms.questions.up', { n: i + 1 })} name="direction" value="up" /> : null}
              {i < form.elements.length - 1 ? <ActionButton action={`${base}/${element.id}/move`} csrf={csrf} label={t('review-forms.questions.down', { n: i + 1 })} name="direction" value="down" /> : null}
              {answered ? null : <ConfirmLink href={`${base}/${element.id}/delete`} label={t('review-forms.questions.delete', { n: i + 1 })} />}
            </div>
          </li>
        );
      })}
    </ol>
  );
}

/** `/{journal}/management/settings/reviewForms/{id}`: a form's texts, its questions, and what can be done with it. */
export function ReviewFormPage({
  ctx,
  access,
  locales,
  review,
  form,
  use,
  notice,
}: {
  ctx: PageContext;
  access: ManageAccess;
  locales: readonly UiLocale[];
  review: ReviewForm;
  form: FormDetailsForm;
  use: { used: boolean; answered: boolean };
  notice?: string;
}): SafeHtml {
  const { t } = ctx;
  const base = `${formsBase(ctx)}/${review.id}`;
  const title = titleOf(ctx, review.title, review.id);
  return (
    <ManagePage ctx={ctx} access={access} title={t('review-forms.edit.title', { form: title })} notice={notice}>
      <p>
        <a href={formsBase(ctx)}>{t('review-forms.back')}</a> · <a href={`${base}/preview`}>{t('review-forms.preview')}</a>
      </p>
      <p>
        {review.isDefault ? <Badge tone="success">{t('review-forms.status.default')}</Badge> : null}{' '}
        {review.isActive ? <Badge>{t('review-forms.status.active')}</Badge> : <Badge tone="warning">{t('review-forms.status.inactive')}</Badge>}
      </p>
      {review.isDefault ? <p>{t('review-forms.edit.isDefault')}</p> : <ActionButton action={`${base}/default`} csrf={ctx.csrf ?? ''} label={t('review-forms.edit.makeDefault')} />}
      <ErrorSummary ctx={ctx} errors={form.errors} />
      <h2>{t('review-forms.edit.details')}</h2>
      <Form action={base} csrf={ctx.csrf ?? ''}>
        <DetailsFields ctx={ctx} locales={locales} form={form} />
        <SubmitButton label={t('form.save')} />
      </Form>
      <h2>{t('review-forms.questions.title')}</h2>
      {use.answered ? <Notice kind="warning">{t('review-forms.questions.answered')}</Notice> : null}
      <Questions ctx={ctx} form={review} answered={use.answered} />
      {use.answered ? null : (
        <p>
          <a class="button button--primary" href={`${base}/questions/new`}>
            {t('review-forms.questions.add')}
          </a>
        </p>
      )}
      <h2>{t('review-forms.edit.deleteTitle')}</h2>
      {use.used ? <p>{t('review-forms.edit.inUse')}</p> : <ConfirmLink href={`${base}/delete`} label={t('review-forms.edit.delete')} />}
    </ManagePage>
  );
}

/** `/{journal}/management/settings/reviewForms/{id}/questions/{new|id}`: one question. */
export function ReviewFormElementPage({
  ctx,
  access,
  locales,
  review,
  elementId,
  form,
  locked,
}: {
  ctx: PageContext;
  access: ManageAccess;
  locales: readonly UiLocale[];
  review: ReviewForm;
  elementId?: number;
  form: ElementForm;
  /** The form has answers: only the texts may change. */
  locked: boolean;
}): SafeHtml {
  const { t } = ctx;
  const base = `${formsBase(ctx)}/${review.id}`;
  const action = elementId === undefined ? `${base}/questions/new` : `${base}/questions/${elementId}`;
  const stored = elementId === undefined ? undefined : review.elements.find((e) => e.id === elementId);
  return (
    <ManagePage ctx={ctx} access={access} title={t(elementId === undefined ? 'review-forms.question.new' : 'review-forms.question.edit', { form: titleOf(ctx, review.title, review.id) })}>
      <p>
        <a href={base}>{t('review-forms.question.back')}</a>
      </p>
      <ErrorSummary ctx={ctx} errors={form.errors} />
      {locked ? <Notice kind="warning">{t('review-forms.question.locked')}</Notice> : null}
      <Form action={action} csrf={ctx.csrf ?? ''}>
        <LocalizedFields ctx={ctx} name="question" label={t('review-forms.question.question')} values={form.question} locales={locales} required error={form.errors.question} />
        <LocalizedFields ctx={ctx} name="description" label={t('review-forms.question.description')} hint={t('review-forms.question.descriptionHint')} values={form.description} locales={locales} multiline rows={3} error={form.errors.description} />
        {locked && stored ? (
          <>
            <p>
              <Flags ctx={ctx} element={stored} />
            </p>
            {isChoice(stored.kind) ? (
              <ul>
                {stored.options.map((o) => (
                  <li>{localizeText(o, ctx.locale)}</li>
                ))}
              </ul>
            ) : null}
          </>
        ) : (
          <>
            <SelectField ctx={ctx} name="kind" label={t('review-forms.question.kind')} value={form.kind} options={ELEMENT_KINDS.map((k) => ({ value: k, label: t(KIND_LABEL[k]) }))} required error={form.errors.kind} />
            <LocalizedFields
              ctx={ctx}
              name="options"
              label={t('review-forms.question.options')}
              hint={t('review-forms.question.optionsHint', { max: REVIEW_FORM_LIMITS.options })}
              values={form.options}
              locales={locales}
              multiline
              rows={5}
              error={form.errors.options}
            />
            <CheckboxField name="required" label={t('review-forms.question.required')} checked={form.required} />
            <CheckboxField name="visibleToAuthor" label={t('review-forms.question.visibleToAuthor')} hint={t('review-forms.question.visibleToAuthorHint')} checked={form.visibleToAuthor} />
          </>
        )}
        <SubmitButton label={t('form.save')} />
      </Form>
    </ManagePage>
  );
}

/** `/{journal}/management/settings/reviewForms/{id}/preview`: the form as reviewers fill it in, and what the author reads of it. */
export function ReviewFormPreviewPage({ ctx, access, review }: { ctx: PageContext; access: ManageAccess; review: ReviewForm }): SafeHtml {
  const { t } = ctx;
  const title = titleOf(ctx, review.title, review.id);
  return (
    <ManagePage ctx={ctx} access={access} title={t('review-forms.previewPage.title', { form: title })}>
      <p>
        <a href={`${formsBase(ctx)}/${review.id}`}>{t('review-forms.question.back')}</a>
      </p>
      <h2>{t('review-forms.previewPage.reviewer')}</h2>
      {review.elements.length === 0 ? <p>{t('review-forms.questions.none')}</p> : <ReviewFormFields ctx={ctx} form={review} values={new Map()} />}
      <h2>{t('review-forms.previewPage.author')}</h2>
      {review.elements.some((e) => e.visibleToAuthor) ? <ReviewFormAnswers ctx={ctx} form={review} values={new Map()} audience="author" /> : <p>{t('review-forms.previewPage.authorNone')}</p>}
    </ManagePage>
  );
}
