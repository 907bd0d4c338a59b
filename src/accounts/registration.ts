import type { FastifyInstance } from 'fastify';
import type { JournalSummary } from '../catalog/index.ts';
import type { User } from '../db/index.ts';
import { formBody, formChecked, formLocalized, formSecret, formText } from '../http/forms.ts';
import { isUiLocale, localize, UI_LOCALES, type UiLocale } from '../i18n/index.ts';
import { sendTemplated } from '../mail/index.ts';
import type { PageContext } from '../ui/index.ts';
import { normaliseCountry, normaliseEmail, normaliseOrcid, passwordProblem } from './identifiers.ts';
import { personName } from './names.ts';
import { newPasswordErrors } from './sign-in.ts';
import { consumeAccountToken, findUserByEmail, issueAccountToken, markEmailVerified, registerUser, TOKEN_LIFETIME_MS } from './users.ts';
import { accountPath, MessagePage, RegisterPage, type RegistrationForm } from './views/pages.tsx';
import { absoluteUrl, formPage, sendPrivatePage, siteAndJournal, type AccountDeps } from './web.ts';
import type { SiteInfo } from '../reader/index.ts';

/** Registration and email confirmation: OJS's `/user/register`, plus `/user/verify`. */
export function registrationRoutes(app: FastifyInstance, deps: AccountDeps): void {
  const { db, clock } = deps;

  const localesOf = (journal: JournalSummary | undefined, site: SiteInfo): UiLocale[] => {
    const locales = (journal?.supportedLocales ?? site.supportedLocales).filter(isUiLocale);
    return locales.length > 0 ? locales : [...UI_LOCALES];
  };
  const privacyHref = (journal: JournalSummary | undefined) => (journal ? `/${journal.path}/about/privacy` : '/about/privacy');

  siteAndJournal(app, 'GET', '/user/register', {}, async (request, reply) => {
    const { ctx, site, journal } = await formPage(db, request, reply);
    if (request.viewer.user) return reply.redirect(accountPath(ctx, '/user/profile'), 303);
    const form: RegistrationForm = { givenName: {}, familyName: {}, affiliation: {}, email: '', orcid: '', country: '', consent: false, errors: {} };
    return sendPrivatePage(reply, RegisterPage({ ctx, form, locales: localesOf(journal, site), privacyHref: privacyHref(journal) }));
  });

  siteAndJournal(app, 'POST', '/user/register', {}, async (request, reply) => {
    const { ctx, site, journal } = await formPage(db, request, reply);
    const locales = localesOf(journal, site);
    const body = formBody(request);
    const form: RegistrationForm = {
      givenName: formLocalized(body, 'givenName', locales, 200),
      familyName: formLocalized(body, 'familyName', locales, 200),
      affiliation: formLocalized(body, 'affiliation', locales, 500),
      email: formText(body, 'email', 254),
      orcid: formText(body, 'orcid', 100),
      country: formText(body, 'country', 2),
      consent: formChecked(body, 'privacyConsent'),
      errors: {},
    };
    const password = formSecret(body, 'password');
    const errors = form.errors;
    if (Object.keys(form.givenName).length === 0) errors.givenName = ctx.t('field.givenNameRequired');
    const email = normaliseEmail(form.email);
    if (!email) errors.email = ctx.t('field.emailInvalid');
    const orcid = form.orcid === '' ? null : normaliseOrcid(form.orcid);
    if (form.orcid !== '' && !orcid) errors.orcid = ctx.t('field.orcidInvalid');
    const country = form.country === '' ? null : normaliseCountry(form.country);
    if (form.country !== '' && !country) errors.country = ctx.t('field.countryInvalid');
    Object.assign(errors, newPasswordErrors(ctx.t, password, formSecret(body, 'password2')));
    if (!errors.password && email && passwordProblem(password, email) === 'same-as-email') errors.password = ctx.t('password.sameAsEmail');
    if (!form.consent) errors.privacyConsent = ctx.t('register.consentRequired');
    if (Object.keys(errors).length > 0 || !email) {
      return sendPrivatePage(reply, RegisterPage({ ctx, form, locales, privacyHref: privacyHref(journal) }), 400);
    }
    const now = clock.now();
    const result = await registerUser(
      db,
      { email, password, givenName: form.givenName, familyName: form.familyName, affiliation: form.affiliation, orcid, country, preferredLocale: ctx.locale, privacyConsentAt: now },
      journal?.id ?? null,
    );
    if (result.created) {
      await sendVerification(result.user, ctx, site, journal);
      request.log.info({ userId: result.user.id }, 'registered');
    } else {
      // The address has an account: tell its owner by mail, and the visitor exactly what a new one would see.
      await sendTemplated(db, deps.mailer, {
        to: result.user.email,
        key: 'registration-attempt',
        locale: result.user.preferred_locale ?? ctx.locale,
        journalId: journal?.id ?? null,
        variables: {
          siteName: siteName(site, journal, ctx.locale),
          loginLink: absoluteUrl(deps.baseUrl, accountPath(ctx, '/login')),
          resetLink: absoluteUrl(deps.baseUrl, accountPath(ctx, '/login/lostPassword')),
        },
      });
    }
    return sendPrivatePage(reply, MessagePage({ ctx, title: ctx.t('register.checkEmailTitle'), lines: [ctx.t('register.checkEmail', { email })] }));
  });

  async function sendVerification(user: User, ctx: PageContext, site: SiteInfo, journal: JournalSummary | undefined): Promise<void> {
    const token = await issueAccountToken(db, user.id, 'verify-email', clock.now());
    const locale = user.preferred_locale ?? ctx.locale;
    await sendTemplated(db, deps.mailer, {
      to: user.email,
      key: 'verify-email',
      locale,
      journalId: journal?.id ?? null,
      variables: {
        name: personName(user, locale) ?? user.email,
        siteName: siteName(site, journal, locale),
        link: absoluteUrl(deps.baseUrl, `${accountPath(ctx, '/user/verify')}?token=${token}`),
        expiresHours: String(TOKEN_LIFETIME_MS['verify-email'] / 3_600_000),
      },
    });
  }

  // Opening the link is the confirmation; the token works once and proves only that the mail arrived.
  siteAndJournal(app, 'GET', '/user/verify', {}, async (request, reply) => {
    const { ctx } = await formPage(db, request, reply);
    const token = String((request.query as { token?: string }).token ?? '');
    const used = token ? await consumeAccountToken(db, token, 'verify-email', clock.now()) : undefined;
    if (!used) {
      return sendPrivatePage(reply, MessagePage({ ctx, title: ctx.t('verify.title'), lines: [ctx.t('link.invalid')], status: 'warning', link: { href: accountPath(ctx, '/login'), label: ctx.t('account.signIn') } }), 410);
    }
    await markEmailVerified(db, used.userId, clock.now());
    return sendPrivatePage(reply, MessagePage({ ctx, title: ctx.t('verify.title'), lines: [ctx.t('verify.done')], link: { href: accountPath(ctx, '/login'), label: ctx.t('account.signIn') } }));
  });

  siteAndJournal(app, 'POST', '/user/verify/resend', {}, async (request, reply) => {
    const { ctx, site, journal } = await formPage(db, request, reply);
    const email = normaliseEmail(formText(formBody(request), 'email', 254));
    const user = email ? await findUserByEmail(db, email) : undefined;
    if (user && !user.email_verified_at && !user.disabled_at) await sendVerification(user, ctx, site, journal);
    return sendPrivatePage(reply, MessagePage({ ctx, title: ctx.t('register.checkEmailTitle'), lines: [ctx.t('register.checkEmail', { email: email ?? '' })] }));
  });
}

export function siteName(site: SiteInfo, journal: JournalSummary | undefined, locale: string): string {
  return localize(journal?.name ?? site.title, locale, journal?.primaryLocale ?? site.primaryLocale)?.text ?? 'Revista';
}
