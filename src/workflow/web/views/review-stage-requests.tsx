import type { SafeHtml } from '#jsx/jsx-runtime';
import type { Anonymity } from '../../../db/schema.ts';
import { LANGUAGE_NAMES } from '../../../i18n/index.ts';
import { ManagePage, type ManageAccess } from '../../../platform/web/index.ts';
import { type Child, Confirmation, ErrorSummary, Form, Notice, SelectField, SubmitButton, TextArea, TextField, type FormErrors, type PageContext } from '../../../ui/index.ts';
import { ANONYMITY_MODES } from '../../review/index.ts';
import { ANONYMITY_LABEL } from './review-stage-labels.tsx';

/** Asking a reviewer (one with an account, or someone new), changing a request's dates, and the confirmations of cancel, reinstate and remind. */

export interface RequestFormValues {
  responseDue: string;
  reviewDue: string;
  anonymity: Anonymity;
  reviewFormId: string;
  message: string;
  givenName: string;
  familyName: string;
  email: string;
  locale: string;
}

export interface RequestFormView {
  base: string;
  submissionTitle: string;
  /** The chosen account; absent: a new reviewer's name and address are asked for. */
  reviewer?: { userId: number; name: string; email: string };
  /** What reviewer search found against this person (shared affiliation, co-authorship…), as words. */
  warnings: string[];
  forms: Array<{ id: number; title: string }>;
  values: RequestFormValues;
  errors: FormErrors;
}

/** A page of the review pages: the management frame, a way back to the submission. */
export function ReviewEditorPage({ ctx, access, title, back, notice, children }: { ctx: PageContext; access: ManageAccess; title: string; back: string; notice?: string; children?: Child }): SafeHtml {
  return (
    <ManagePage ctx={ctx} access={access} title={title} notice={notice}>
      <p>
        <a href={back}>{ctx.t('reviewEditor.backToSubmission')}</a>
      </p>
      {children}
    </ManagePage>
  );
}

function DueDates({ ctx, values, errors }: { ctx: PageContext; values: Pick<RequestFormValues, 'responseDue' | 'reviewDue'>; errors: FormErrors }): SafeHtml {
  return (
    <>
      <TextField ctx={ctx} name="responseDue" type="date" label={ctx.t('reviewEditor.responseDue')} hint={ctx.t('reviewEditor.request.responseDueHint')} value={values.responseDue} required error={errors.responseDue} />
      <TextField ctx={ctx} name="reviewDue" type="date" label={ctx.t('reviewEditor.reviewDue')} hint={ctx.t('reviewEditor.request.reviewDueHint')} value={values.reviewDue} required error={errors.reviewDue} />
    </>
  );
}

export function RequestReviewPage({ ctx, access, view }: { ctx: PageContext; access: ManageAccess; view: RequestFormView }): SafeHtml {
  const { t } = ctx;
  const v = view.values;
  const title = view.reviewer ? t('reviewEditor.request.title', { name: view.reviewer.name }) : t('reviewEditor.request.newTitle');
  return (
    <ReviewEditorPage ctx={ctx} access={access} title={title} back={`${view.base}#review`}>
      <p>{t('reviewEditor.request.intro', { title: view.submissionTitle })}</p>
      {view.warnings.length > 0 ? (
        <Notice kind="warning">
          <p>{t('reviewEditor.request.conflicts')}</p>
          <ul>
            {view.warnings.map((w) => (
              <li>{w}</li>
            ))}
          </ul>
        </Notice>
      ) : null}
      <ErrorSummary ctx={ctx} errors={view.errors} />
      <Form action={`${view.base}/review/${view.reviewer ? 'request' : 'request-new'}`} csrf={ctx.csrf ?? ''}>
        {view.reviewer ? (
          <>
            <input type="hidden" name="reviewerId" value={String(view.reviewer.userId)} />
            <dl class="summary-list">
              <dt>{t('reviewEditor.reviewer')}</dt>
              <dd>
                {view.reviewer.name} ({view.reviewer.email})
              </dd>
            </dl>
          </>
        ) : (
          <>
            <p>{t('reviewEditor.request.newIntro')}</p>
            <TextField ctx={ctx} name="givenName" label={t('reviewEditor.request.givenName')} value={v.givenName} autocomplete="off" maxlength={200} error={view.errors.givenName} />
            <TextField ctx={ctx} name="familyName" label={t('reviewEditor.request.familyName')} value={v.familyName} autocomplete="off" maxlength={200} />
            <TextField ctx={ctx} name="email" type="email" label={t('reviewEditor.request.email')} value={v.email} autocomplete="off" maxlength={254} required error={view.errors.email} />
            <SelectField ctx={ctx} name="locale" label={t('reviewEditor.request.locale')} hint={t('reviewEditor.request.localeHint')} value={v.locale} options={ctx.locales.map((l) => ({ value: l, label: LANGUAGE_NAMES[l] }))} />
          </>
        )}
        <DueDates ctx={ctx} values={v} errors={view.errors} />
        <SelectField
          ctx={ctx}
          name="anonymity"
          label={t('reviewEditor.anonymity')}
          hint={t('reviewEditor.request.anonymityHint')}
          value={v.anonymity}
          options={ANONYMITY_MODES.map((m) => ({ value: m, label: t(ANONYMITY_LABEL[m]) }))}
          error={view.errors.anonymity}
        />
        <SelectField
          ctx={ctx}
          name="reviewFormId"
          label={t('reviewEditor.request.form')}
          value={v.reviewFormId}
          options={[{ value: '', label: t('reviewEditor.request.noForm') }, ...view.forms.map((f) => ({ value: String(f.id), label: f.title }))]}
          error={view.errors.reviewFormId}
        />
        <TextArea ctx={ctx} name="message" label={t('reviewEditor.request.message')} hint={t('reviewEditor.request.messageHint')} value={v.message} rows={8} error={view.errors.message} />
        <SubmitButton label={t('reviewEditor.request.send')} />
      </Form>
    </ReviewEditorPage>
  );
}

export function ReviewDatesPage({ ctx, access, base, action, who, values, accepted, errors: formErrors }: { ctx: PageContext; access: ManageAccess; base: string; action: string; who: string; values: { responseDue: string; reviewDue: string }; accepted: boolean; errors: FormErrors }): SafeHtml {
  const { t } = ctx;
  return (
    <ReviewEditorPage ctx={ctx} access={access} title={t('reviewEditor.datesPage.title', { who })} back={`${base}#review`}>
      <ErrorSummary ctx={ctx} errors={formErrors} />
      <Form action={action} csrf={ctx.csrf ?? ''}>
        {accepted ? (
          <>
            <p>{t('reviewEditor.datesPage.accepted')}</p>
            <input type="hidden" name="responseDue" value={values.responseDue} />
            <TextField ctx={ctx} name="reviewDue" type="date" label={t('reviewEditor.reviewDue')} value={values.reviewDue} required error={formErrors.reviewDue} />
          </>
        ) : (
          <DueDates ctx={ctx} values={values} errors={formErrors} />
        )}
        <SubmitButton label={t('reviewEditor.datesPage.save')} />
      </Form>
    </ReviewEditorPage>
  );
}

export type RequestAction = 'cancel' | 'reinstate' | 'remind';

const ACTION_WORDS = {
  cancel: { title: 'reviewEditor.cancelPage.title', question: 'reviewEditor.cancelPage.question', what: 'reviewEditor.cancelPage.what', confirm: 'reviewEditor.cancelPage.confirm' },
  reinstate: { title: 'reviewEditor.reinstatePage.title', question: 'reviewEditor.reinstatePage.question', what: 'reviewEditor.reinstatePage.what', confirm: 'reviewEditor.reinstatePage.confirm' },
  remind: { title: 'reviewEditor.remindPage.title', question: 'reviewEditor.remindPage.question', what: 'reviewEditor.remindPage.what', confirm: 'reviewEditor.remindPage.confirm' },
} as const;

/** The page before a request is cancelled, reinstated or the reviewer reminded: what happens, and the button. */
export function RequestActionPage({ ctx, access, base, action, kind, who, error }: { ctx: PageContext; access: ManageAccess; base: string; action: string; kind: RequestAction; who: string; error?: string }): SafeHtml {
  const { t } = ctx;
  const words = ACTION_WORDS[kind];
  return (
    <ReviewEditorPage ctx={ctx} access={access} title={t(words.title, { who })} back={`${base}#review`}>
      {error ? <Notice kind="warning">{error}</Notice> : null}
      <Confirmation ctx={ctx} action={action} question={t(words.question, { who })} consequences={[t(words.what)]} confirmLabel={t(words.confirm, { who })} cancelHref={`${base}#review`} danger={kind === 'cancel'} />
    </ReviewEditorPage>
  );
}
