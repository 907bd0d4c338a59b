import type { SafeHtml } from '#jsx/jsx-runtime';
import { CheckboxField, ErrorSummary, Form, SubmitButton, TextField, type FormErrors, type PageContext } from '../../ui/index.ts';
import { PASSWORD_MIN_LENGTH } from '../../platform/identifiers/index.ts';
import { accountPath, Page } from './pages.tsx';

export interface AcceptForm {
  token: string;
  email: string;
  givenName: string;
  familyName: string;
  consent: boolean;
  errors: FormErrors;
}

/** The page behind an invitation's link: set a password and accept (or only accept, for an existing account). */
export function AcceptInvitationPage({ ctx, form, journal, inviter, roles, hasAccount, privacyHref }: { ctx: PageContext; form: AcceptForm; journal: string; inviter: string | null; roles: string; hasAccount: boolean; privacyHref: string }): SafeHtml {
  return (
    <Page ctx={ctx} title={ctx.t('accept.title', { journal })}>
      <p>{inviter ? ctx.t('accept.explain', { inviter, journal, roles }) : ctx.t('accept.explainNoInviter', { journal, roles })}</p>
      <p>{hasAccount ? ctx.t('accept.hasAccount', { email: form.email }) : ctx.t('accept.createAccount', { email: form.email })}</p>
      <ErrorSummary ctx={ctx} errors={form.errors} />
      <Form action={accountPath(ctx, '/user/invitation')} csrf={ctx.csrf ?? ''}>
        <input type="hidden" name="token" value={form.token} />
        {hasAccount ? null : (
          <>
            <TextField ctx={ctx} name="givenName" label={ctx.t('field.givenName')} value={form.givenName} required maxlength={200} autocomplete="given-name" error={form.errors.givenName} />
            <TextField ctx={ctx} name="familyName" label={ctx.t('field.familyName')} value={form.familyName} maxlength={200} autocomplete="family-name" hint={ctx.t('field.familyNameHint')} />
            <TextField ctx={ctx} name="password" label={ctx.t('field.password')} type="password" autocomplete="new-password" required hint={ctx.t('field.passwordHint', { min: PASSWORD_MIN_LENGTH })} error={form.errors.password} />
            <TextField ctx={ctx} name="password2" label={ctx.t('field.passwordRepeat')} type="password" autocomplete="new-password" required error={form.errors.password2} />
            <CheckboxField
              name="privacyConsent"
              checked={form.consent}
              error={form.errors.privacyConsent}
              label={
                <>
                  {ctx.t('register.consent')} <a href={privacyHref}>{ctx.t('register.privacyStatement')}</a>
                </>
              }
            />
          </>
        )}
        <SubmitButton label={hasAccount ? ctx.t('accept.submitExisting') : ctx.t('accept.submit')} />
      </Form>
    </Page>
  );
}
