import type { SafeHtml } from '#jsx/jsx-runtime';
import { ErrorSummary, Form, SubmitButton, type FormErrors, type PageContext } from '../../ui/index.ts';
import { NewAccountFields } from './account-fields.tsx';
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
            <NewAccountFields ctx={ctx} form={form} privacyHref={privacyHref} />
          </>
        )}
        <SubmitButton label={hasAccount ? ctx.t('accept.submitExisting') : ctx.t('accept.submit')} />
      </Form>
    </Page>
  );
}
