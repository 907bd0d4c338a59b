import type { SafeHtml } from '#jsx/jsx-runtime';
import { CheckboxField, TextField, type FormErrors, type PageContext } from '../../ui/index.ts';
import { PASSWORD_MIN_LENGTH } from '../../platform/identifiers/index.ts';

/** Fields of a new account, shared by registration and by the links that make one on accepting (an invitation, a review request). */

/** A new password, typed twice (registration, an invitation's or a review request's acceptance). */
export function NewPasswordFields({ ctx, errors }: { ctx: PageContext; errors: FormErrors }): SafeHtml {
  return (
    <>
      <TextField ctx={ctx} name="password" label={ctx.t('field.password')} type="password" autocomplete="new-password" required hint={ctx.t('field.passwordHint', { min: PASSWORD_MIN_LENGTH })} error={errors.password} />
      <TextField ctx={ctx} name="password2" label={ctx.t('field.passwordRepeat')} type="password" autocomplete="new-password" required error={errors.password2} />
    </>
  );
}

/** Consent to the privacy statement, which an account needs. */
export function PrivacyConsentField({ ctx, checked, error, privacyHref }: { ctx: PageContext; checked: boolean; error: string | undefined; privacyHref: string }): SafeHtml {
  return (
    <CheckboxField
      name="privacyConsent"
      checked={checked}
      error={error}
      label={
        <>
          {ctx.t('register.consent')} <a href={privacyHref}>{ctx.t('register.privacyStatement')}</a>
        </>
      }
    />
  );
}

/** What an account made on accepting something needs: a name, a password, consent (fields `givenName`, `familyName`, `password`, `password2`, `privacyConsent`). */
export function NewAccountFields({ ctx, form, privacyHref }: { ctx: PageContext; form: { givenName: string; familyName: string; consent: boolean; errors: FormErrors }; privacyHref: string }): SafeHtml {
  return (
    <>
      <TextField ctx={ctx} name="givenName" label={ctx.t('field.givenName')} value={form.givenName} required maxlength={200} autocomplete="given-name" error={form.errors.givenName} />
      <TextField ctx={ctx} name="familyName" label={ctx.t('field.familyName')} value={form.familyName} maxlength={200} autocomplete="family-name" hint={ctx.t('field.familyNameHint')} />
      <NewPasswordFields ctx={ctx} errors={form.errors} />
      <PrivacyConsentField ctx={ctx} checked={form.consent} error={form.errors.privacyConsent} privacyHref={privacyHref} />
    </>
  );
}
