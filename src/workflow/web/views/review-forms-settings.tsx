import type { SafeHtml } from '#jsx/jsx-runtime';
import type { Anonymity } from '../../../db/schema.ts';
import type { MessageKey } from '../../../i18n/index.ts';
import { ManagePage, type ManageAccess } from '../../../platform/web/index.ts';
import { CheckboxField, ErrorSummary, FieldGroup, fieldId, Form, SubmitButton, TextField, type FormErrors, type PageContext } from '../../../ui/index.ts';
import { REVIEW_SETTINGS_RANGES } from '../../review/settings-commands.ts';
import { ANONYMITY_MODES } from '../../review/settings.ts';

/** The review settings as shown: stored values, or what was sent when it was refused. */
export interface ReviewSettingsForm {
  anonymity: string;
  responseDays: string;
  reviewDays: string;
  remindDaysBefore: string;
  remindDaysAfter: string;
  minReviews: string;
  waitForReviews: boolean;
  errors: FormErrors;
}

export const ANONYMITY_LABEL: Record<Anonymity, { label: MessageKey; hint: MessageKey }> = {
  'double-anonymous': { label: 'review-forms.settings.anonymity.double-anonymous', hint: 'review-forms.settings.anonymity.double-anonymousHint' },
  'anonymous-reviewer': { label: 'review-forms.settings.anonymity.anonymous-reviewer', hint: 'review-forms.settings.anonymity.anonymous-reviewerHint' },
  open: { label: 'review-forms.settings.anonymity.open', hint: 'review-forms.settings.anonymity.openHint' },
};

function DaysField({ ctx, form, name, label, hint }: { ctx: PageContext; form: ReviewSettingsForm; name: keyof typeof REVIEW_SETTINGS_RANGES; label: MessageKey; hint: MessageKey }): SafeHtml {
  const range = REVIEW_SETTINGS_RANGES[name];
  return <TextField ctx={ctx} name={name} label={ctx.t(label)} hint={ctx.t(hint, range)} value={form[name]} type="number" inputmode="numeric" maxlength={3} required error={form.errors[name]} />;
}

/** `/{journal}/management/settings/review`: how the journal reviews (issue 20, items 3, 4 and 7). */
export function ReviewSettingsPage({ ctx, access, form, notice }: { ctx: PageContext; access: ManageAccess; form: ReviewSettingsForm; notice?: string }): SafeHtml {
  const { t } = ctx;
  const path = ctx.journal!.path;
  return (
    <ManagePage ctx={ctx} access={access} title={t('review-forms.settings.title')} notice={notice}>
      <p>
        <a href={`/${path}/management/settings/reviewForms`}>{t('review-forms.settings.formsLink')}</a>
      </p>
      <ErrorSummary ctx={ctx} errors={form.errors} />
      <Form action={`/${path}/management/settings/review`} csrf={ctx.csrf ?? ''}>
        <FieldGroup name="anonymity" legend={t('review-forms.settings.anonymity')} hint={t('review-forms.settings.anonymityHint')} error={form.errors.anonymity}>
          {/* One below the other (not the grid of short choices): each mode is explained. */}
          <div>
          {ANONYMITY_MODES.map((mode) => {
            const id = `${fieldId('anonymity')}-${mode}`;
            return (
              <div class="field field--checkbox">
                <input type="radio" id={id} name="anonymity" value={mode} checked={form.anonymity === mode} aria-describedby={`${id}-hint`} />
                <label for={id}>{t(ANONYMITY_LABEL[mode].label)}</label>
                <p class="hint" id={`${id}-hint`}>
                  {t(ANONYMITY_LABEL[mode].hint)}
                </p>
              </div>
            );
          })}
          </div>
        </FieldGroup>
        <h2>{t('review-forms.settings.deadlines')}</h2>
        <DaysField ctx={ctx} form={form} name="responseDays" label="review-forms.settings.responseDays" hint="review-forms.settings.responseDaysHint" />
        <DaysField ctx={ctx} form={form} name="reviewDays" label="review-forms.settings.reviewDays" hint="review-forms.settings.reviewDaysHint" />
        <h2>{t('review-forms.settings.reminders')}</h2>
        <DaysField ctx={ctx} form={form} name="remindDaysBefore" label="review-forms.settings.remindDaysBefore" hint="review-forms.settings.remindDaysBeforeHint" />
        <DaysField ctx={ctx} form={form} name="remindDaysAfter" label="review-forms.settings.remindDaysAfter" hint="review-forms.settings.remindDaysAfterHint" />
        <h2>{t('review-forms.settings.decisions')}</h2>
        <DaysField ctx={ctx} form={form} name="minReviews" label="review-forms.settings.minReviews" hint="review-forms.settings.minReviewsHint" />
        <CheckboxField name="waitForReviews" label={t('review-forms.settings.waitForReviews')} hint={t('review-forms.settings.waitForReviewsHint')} checked={form.waitForReviews} />
        <SubmitButton label={t('form.save')} />
      </Form>
    </ManagePage>
  );
}
