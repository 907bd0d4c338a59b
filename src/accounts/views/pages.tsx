import type { Child, SafeHtml } from '#jsx/jsx-runtime';
import type { LocalizedText } from '../../db/index.ts';
import { UI_LOCALES, type UiLocale } from '../../i18n/index.ts';
import {
  ActionButton,
  CheckboxField,
  ErrorSummary,
  Form,
  Layout,
  LocalizedFields,
  Notice,
  SelectField,
  SubmitButton,
  TextArea,
  TextField,
  type FormErrors,
  type PageContext,
} from '../../ui/index.ts';
import { countryOptions, PASSWORD_MIN_LENGTH } from '../../platform/identifiers/index.ts';
import { NewPasswordFields, PrivacyConsentField } from './account-fields.tsx';
import { MAX_REVIEWER_INTEREST_LENGTH, MAX_REVIEWER_INTERESTS } from '../reviewer-interests.ts';

/** Account pages live at the site root or inside a journal (`/{journal}/login`), as in OJS. */
export function accountPath(ctx: PageContext, path: string): string {
  return ctx.journal ? `/${ctx.journal.path}${path}` : path;
}

export function Page({ ctx, title, children }: { ctx: PageContext; title: string; children?: Child }): SafeHtml {
  return (
    <Layout ctx={ctx} title={`${title} | ${ctx.journal?.name ?? ctx.siteTitle}`}>
      <h1>{title}</h1>
      {children}
    </Layout>
  );
}

export interface LoginForm {
  email: string;
  source: string;
  errors: FormErrors;
  /** Set when the account waits after too many failures. */
  waitMinutes?: number;
  /** Signed in correctly but the address is not confirmed yet: the signed proof the resend button carries. */
  resendProof?: string;
  notice?: string;
}

export function LoginPage({ ctx, form }: { ctx: PageContext; form: LoginForm }): SafeHtml {
  return (
    <Page ctx={ctx} title={ctx.t('login.title')}>
      {form.notice ? <Notice>{form.notice}</Notice> : null}
      <ErrorSummary ctx={ctx} errors={form.errors} />
      {form.resendProof ? (
        <ActionButton action={accountPath(ctx, '/user/verify/resend')} csrf={ctx.csrf ?? ''} label={ctx.t('login.resendVerification')} name="proof" value={form.resendProof} />
      ) : null}
      <Form action={accountPath(ctx, '/login/signIn')} csrf={ctx.csrf ?? ''}>
        <input type="hidden" name="source" value={form.source} />
        <TextField ctx={ctx} name="email" label={ctx.t('field.email')} type="email" autocomplete="username" value={form.email} required error={form.errors.email} />
        <TextField ctx={ctx} name="password" label={ctx.t('field.password')} type="password" autocomplete="current-password" required error={form.errors.password} />
        <SubmitButton label={ctx.t('login.submit')} />
      </Form>
      <p>
        <a href={accountPath(ctx, '/login/lostPassword')}>{ctx.t('login.forgot')}</a>
      </p>
      <p>
        {ctx.t('login.noAccount')} <a href={accountPath(ctx, '/user/register')}>{ctx.t('account.register')}</a>
      </p>
    </Page>
  );
}

export interface RegistrationForm {
  givenName: LocalizedText;
  familyName: LocalizedText;
  affiliation: LocalizedText;
  email: string;
  orcid: string;
  country: string;
  consent: boolean;
  errors: FormErrors;
}

export function RegisterPage({ ctx, form, locales, privacyHref }: { ctx: PageContext; form: RegistrationForm; locales: readonly UiLocale[]; privacyHref: string }): SafeHtml {
  return (
    <Page ctx={ctx} title={ctx.t('register.title')}>
      <p>{ctx.t('register.intro')}</p>
      <ErrorSummary ctx={ctx} errors={form.errors} />
      <Form action={accountPath(ctx, '/user/register')} csrf={ctx.csrf ?? ''}>
        <LocalizedFields ctx={ctx} name="givenName" label={ctx.t('field.givenName')} values={form.givenName} locales={locales} required error={form.errors.givenName} />
        <LocalizedFields ctx={ctx} name="familyName" label={ctx.t('field.familyName')} values={form.familyName} locales={locales} hint={ctx.t('field.familyNameHint')} />
        <LocalizedFields ctx={ctx} name="affiliation" label={ctx.t('field.affiliation')} values={form.affiliation} locales={locales} />
        <SelectField ctx={ctx} name="country" label={ctx.t('field.country')} value={form.country} options={countryOptions(ctx.locale).map((c) => ({ value: c.code, label: c.name }))} empty={ctx.t('field.countryNone')} error={form.errors.country} />
        <TextField ctx={ctx} name="orcid" label={ctx.t('field.orcid')} value={form.orcid} hint={ctx.t('field.orcidHint')} error={form.errors.orcid} />
        <TextField ctx={ctx} name="email" label={ctx.t('field.email')} type="email" autocomplete="email" value={form.email} required error={form.errors.email} />
        <NewPasswordFields ctx={ctx} errors={form.errors} />
        <Honeypot ctx={ctx} />
        <PrivacyConsentField ctx={ctx} checked={form.consent} error={form.errors.privacyConsent} privacyHref={privacyHref} />
        <SubmitButton label={ctx.t('register.submit')} />
      </Form>
      <p>
        {ctx.t('register.haveAccount')} <a href={accountPath(ctx, '/login')}>{ctx.t('account.signIn')}</a>
      </p>
    </Page>
  );
}

/** The registration form's field that people never see and programs fill in. */
export const HONEYPOT_FIELD = 'website';

/**
 * `hidden` takes it out of the page and the accessibility tree alike (no stylesheet needed, so it
 * holds under the CSP); out of the tab order and autofill too. Where it still shows (a text browser,
 * a stylesheet switched off) its label asks people to leave it empty.
 */
function Honeypot({ ctx }: { ctx: PageContext }): SafeHtml {
  return (
    <div hidden>
      <label for={`field-${HONEYPOT_FIELD}`}>{ctx.t('register.honeypot')}</label>
      <input type="text" id={`field-${HONEYPOT_FIELD}`} name={HONEYPOT_FIELD} value="" tabindex="-1" autocomplete="off" />
    </div>
  );
}

/** A page that only tells something: check your email, link expired, address confirmed. */
export function MessagePage({ ctx, title, lines, link, status }: { ctx: PageContext; title: string; lines: string[]; link?: { href: string; label: string }; status?: 'status' | 'warning' }): SafeHtml {
  return (
    <Page ctx={ctx} title={title}>
      <Notice kind={status}>
        {lines.map((line) => (
          <p>{line}</p>
        ))}
      </Notice>
      {link ? (
        <p>
          <a href={link.href}>{link.label}</a>
        </p>
      ) : null}
    </Page>
  );
}

export function LostPasswordPage({ ctx, email, errors }: { ctx: PageContext; email: string; errors: FormErrors }): SafeHtml {
  return (
    <Page ctx={ctx} title={ctx.t('lostPassword.title')}>
      <p>{ctx.t('lostPassword.intro')}</p>
      <ErrorSummary ctx={ctx} errors={errors} />
      <Form action={accountPath(ctx, '/login/lostPassword')} csrf={ctx.csrf ?? ''}>
        <TextField ctx={ctx} name="email" label={ctx.t('field.email')} type="email" autocomplete="email" value={email} required error={errors.email} />
        <SubmitButton label={ctx.t('lostPassword.submit')} />
      </Form>
    </Page>
  );
}

export function ResetPasswordPage({ ctx, token, errors, notice }: { ctx: PageContext; token: string; errors: FormErrors; notice?: string }): SafeHtml {
  return (
    <Page ctx={ctx} title={ctx.t('resetPassword.title')}>
      {notice ? <Notice>{notice}</Notice> : null}
      <ErrorSummary ctx={ctx} errors={errors} />
      <Form action={accountPath(ctx, '/login/resetPassword')} csrf={ctx.csrf ?? ''}>
        <input type="hidden" name="token" value={token} />
        <TextField ctx={ctx} name="password" label={ctx.t('field.newPassword')} type="password" autocomplete="new-password" required hint={ctx.t('field.passwordHint', { min: PASSWORD_MIN_LENGTH })} error={errors.password} />
        <TextField ctx={ctx} name="password2" label={ctx.t('field.passwordRepeat')} type="password" autocomplete="new-password" required error={errors.password2} />
        <SubmitButton label={ctx.t('resetPassword.submit')} />
      </Form>
    </Page>
  );
}

export function ConfirmEmailChangePage({ ctx, token, email }: { ctx: PageContext; token: string; email: string }): SafeHtml {
  return (
    <Page ctx={ctx} title={ctx.t('changeEmail.confirmTitle')}>
      <p>{ctx.t('changeEmail.confirmText', { email })}</p>
      <Form action={accountPath(ctx, '/user/email/confirm')} csrf={ctx.csrf ?? ''}>
        <input type="hidden" name="token" value={token} />
        <SubmitButton label={ctx.t('changeEmail.confirmSubmit')} />
      </Form>
    </Page>
  );
}

/** From the mail to the old address: a button, so a mail scanner opening the link changes nothing. */
export function RevertEmailPage({ ctx, token, email }: { ctx: PageContext; token: string; email: string }): SafeHtml {
  return (
    <Page ctx={ctx} title={ctx.t('revertEmail.title')}>
      <p>{ctx.t('revertEmail.text', { email })}</p>
      <Form action={accountPath(ctx, '/user/email/revert')} csrf={ctx.csrf ?? ''}>
        <input type="hidden" name="token" value={token} />
        <SubmitButton label={ctx.t('revertEmail.submit')} />
      </Form>
    </Page>
  );
}

export interface ProfileView {
  email: string;
  emailVerified: boolean;
  pendingEmail: string | null;
  givenName: LocalizedText;
  familyName: LocalizedText;
  affiliation: LocalizedText;
  orcid: string;
  country: string;
  preferredLocale: string;
  privacyConsentAt: Date | null;
  deletionRequestedAt: Date | null;
  roles: Array<{ journal: string | null; role: string }>;
  /** One a line; the field is shown to reviewers and to whoever has written some. */
  reviewingInterests: string;
}

export function ProfilePage({ ctx, profile, errors, notice }: { ctx: PageContext; profile: ProfileView; errors: FormErrors; notice?: string }): SafeHtml {
  const csrf = ctx.csrf ?? '';
  const date = (d: Date) => new Intl.DateTimeFormat(ctx.locale, { dateStyle: 'long', timeZone: 'UTC' }).format(d);
  return (
    <Page ctx={ctx} title={ctx.t('profile.title')}>
      {notice ? <Notice>{notice}</Notice> : null}
      <ErrorSummary ctx={ctx} errors={errors} />
      <section aria-labelledby="profile-details">
        <h2 id="profile-details">{ctx.t('profile.details')}</h2>
        <Form action={accountPath(ctx, '/user/profile')} csrf={csrf}>
          <LocalizedFields ctx={ctx} name="givenName" label={ctx.t('field.givenName')} values={profile.givenName} locales={UI_LOCALES} required error={errors.givenName} />
          <LocalizedFields ctx={ctx} name="familyName" label={ctx.t('field.familyName')} values={profile.familyName} locales={UI_LOCALES} />
          <LocalizedFields ctx={ctx} name="affiliation" label={ctx.t('field.affiliation')} values={profile.affiliation} locales={UI_LOCALES} />
          <SelectField ctx={ctx} name="country" label={ctx.t('field.country')} value={profile.country} options={countryOptions(ctx.locale).map((c) => ({ value: c.code, label: c.name }))} empty={ctx.t('field.countryNone')} error={errors.country} />
          <TextField ctx={ctx} name="orcid" label={ctx.t('field.orcid')} value={profile.orcid} hint={ctx.t('field.orcidHint')} error={errors.orcid} />
          <SelectField ctx={ctx} name="preferredLocale" label={ctx.t('field.preferredLocale')} value={profile.preferredLocale} options={UI_LOCALES.map((l) => ({ value: l, label: ctx.t(`language.${l}`) }))} empty={ctx.t('field.localeAny')} />
          {profile.reviewingInterests !== '' || profile.roles.some((r) => r.role === 'reviewer') ? (
            <TextArea
              ctx={ctx}
              name="reviewingInterests"
              label={ctx.t('profile.reviewingInterests')}
              value={profile.reviewingInterests}
              rows={4}
              hint={ctx.t('profile.reviewingInterestsHint', { max: MAX_REVIEWER_INTERESTS, length: MAX_REVIEWER_INTEREST_LENGTH })}
              error={errors.reviewingInterests}
            />
          ) : null}
          <SubmitButton label={ctx.t('form.save')} />
        </Form>
      </section>
      <section aria-labelledby="profile-email">
        <h2 id="profile-email">{ctx.t('profile.email')}</h2>
        <p>
          {ctx.t('profile.currentEmail', { email: profile.email })} {profile.emailVerified ? ctx.t('profile.verified') : ctx.t('profile.unverified')}
        </p>
        {profile.pendingEmail ? <p>{ctx.t('profile.pendingEmail', { email: profile.pendingEmail })}</p> : null}
        <Form action={accountPath(ctx, '/user/profile/email')} csrf={csrf}>
          <TextField ctx={ctx} name="newEmail" label={ctx.t('field.newEmail')} type="email" autocomplete="email" required error={errors.newEmail} />
          <TextField ctx={ctx} name="currentPassword" label={ctx.t('field.currentPassword')} type="password" autocomplete="current-password" required error={errors.currentPassword} />
          <SubmitButton label={ctx.t('profile.changeEmail')} />
        </Form>
      </section>
      <section aria-labelledby="profile-password">
        <h2 id="profile-password">{ctx.t('profile.password')}</h2>
        <Form action={accountPath(ctx, '/user/profile/password')} csrf={csrf}>
          <TextField ctx={ctx} name="oldPassword" label={ctx.t('field.currentPassword')} type="password" autocomplete="current-password" required error={errors.oldPassword} />
          <TextField ctx={ctx} name="password" label={ctx.t('field.newPassword')} type="password" autocomplete="new-password" required hint={ctx.t('field.passwordHint', { min: PASSWORD_MIN_LENGTH })} error={errors.password} />
          <TextField ctx={ctx} name="password2" label={ctx.t('field.passwordRepeat')} type="password" autocomplete="new-password" required error={errors.password2} />
          <SubmitButton label={ctx.t('profile.changePassword')} />
        </Form>
      </section>
      <section aria-labelledby="profile-roles">
        <h2 id="profile-roles">{ctx.t('profile.roles')}</h2>
        {profile.roles.length === 0 ? (
          <p>{ctx.t('profile.noRoles')}</p>
        ) : (
          <ul>
            {profile.roles.map((r) => (
              <li>{r.journal ? `${r.journal}: ${ctx.t(`role.${r.role}` as 'role.reader')}` : ctx.t('role.admin')}</li>
            ))}
          </ul>
        )}
        <p>
          <a href={accountPath(ctx, '/user/profile/api-tokens')}>{ctx.t('api.tokens.profileLink')}</a>
        </p>
        <p>
          <a href={accountPath(ctx, '/user/profile/notifications')}>{ctx.t('notifications.settingsLink')}</a>
        </p>
      </section>
      <section aria-labelledby="profile-data">
        <h2 id="profile-data">{ctx.t('profile.yourData')}</h2>
        {profile.privacyConsentAt ? <p>{ctx.t('profile.consentGiven', { date: date(profile.privacyConsentAt) })}</p> : null}
        <p>
          <a href={accountPath(ctx, '/user/profile/export')} download="revista-account.json">
            {ctx.t('profile.export')}
          </a>
        </p>
        {profile.deletionRequestedAt ? (
          <p>{ctx.t('profile.deletionRequested', { date: date(profile.deletionRequestedAt) })}</p>
        ) : (
          <Form action={accountPath(ctx, '/user/profile/delete')} csrf={csrf}>
            <CheckboxField name="confirm" label={ctx.t('profile.deleteConfirm')} error={errors.confirm} />
            <SubmitButton label={ctx.t('profile.requestDeletion')} />
          </Form>
        )}
      </section>
    </Page>
  );
}
