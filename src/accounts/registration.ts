import type { FastifyInstance } from 'fastify';
import type { Kysely } from 'kysely';
import type { Database, User } from '../db/index.ts';
import { formBody, formChecked, formLocalized, formSecret, formText } from '../platform/http/forms.ts';
import { isUiLocale, UI_LOCALES, type UiLocale } from '../i18n/index.ts';
import { storeTemplated } from '../mail/index.ts';
import type { PageContext } from '../ui/index.ts';
import { normaliseCountry, normaliseEmail, normaliseOrcid } from '../platform/identifiers/index.ts';
import { personName } from './names.ts';
import { hashPassword } from './passwords.ts';
import { newPasswordErrors, resendProofUser, waitMinutes } from './sign-in.ts';
import { accountMailClaims, domainAllowsNewAddress, takeTurn } from './throttle.ts';
import { confirmAddress, consumeAccountToken, findUser, findUserByEmail, insertUser, issueAccountToken, registeredThrough, TOKEN_LIFETIME_MS } from './users.ts';
import { accountPath, HONEYPOT_FIELD, MessagePage, RegisterPage, type RegistrationForm } from './views/pages.tsx';
import { tokenQuery, type AccountContext } from './web.ts';
import { absoluteUrl, formPage, firstValue, sendPrivatePage, siteAndJournal, siteName, type FrameJournal, type SiteInfo } from '../platform/web/index.ts';
import { emit } from '../platform/events/index.ts';

/** Registration and email confirmation: OJS's `/user/register`, plus `/user/verify`. */
export function registrationRoutes(app: FastifyInstance, deps: AccountContext): void {
  const { db, clock } = deps;

  const localesOf = (journal: FrameJournal | undefined, site: SiteInfo): UiLocale[] => {
    const locales = (journal?.supportedLocales ?? site.supportedLocales).filter(isUiLocale);
    return locales.length > 0 ? locales : [...UI_LOCALES];
  };
  const privacyHref = (journal: FrameJournal | undefined) => (journal ? `/${journal.path}/about/privacy` : '/about/privacy');
  const checkEmail = (ctx: PageContext, email: string) => MessagePage({ ctx, title: ctx.t('register.checkEmailTitle'), lines: [ctx.t('register.checkEmail', { email })] });

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
    // A program filled in the field people never see: it is told what a person would be, and nothing happens.
    if (formText(body, HONEYPOT_FIELD, 1000) !== '') {
      request.log.info('registration refused: the hidden field was filled in');
      return sendPrivatePage(reply, checkEmail(ctx, form.email));
    }
    const password = formSecret(body, 'password');
    const errors = form.errors;
    if (Object.keys(form.givenName).length === 0) errors.givenName = ctx.t('field.givenNameRequired');
    const email = normaliseEmail(form.email);
    if (!email) errors.email = ctx.t('field.emailInvalid');
    else if (deps.isDisposable(email)) errors.email = ctx.t('field.emailDisposable');
    const orcid = form.orcid === '' ? null : normaliseOrcid(form.orcid);
    if (form.orcid !== '' && !orcid) errors.orcid = ctx.t('field.orcidInvalid');
    const country = form.country === '' ? null : normaliseCountry(form.country);
    if (form.country !== '' && !country) errors.country = ctx.t('field.countryInvalid');
    Object.assign(errors, newPasswordErrors(ctx.t, password, formSecret(body, 'password2'), email ?? undefined));
    if (!form.consent) errors.privacyConsent = ctx.t('register.consentRequired');
    if (Object.keys(errors).length > 0 || !email) {
      return sendPrivatePage(reply, RegisterPage({ ctx, form, locales, privacyHref: privacyHref(journal) }), 400);
    }
    const now = clock.now();
    const turn = await takeTurn(db, accountMailClaims(email, request.ip), now);
    if (!turn.granted) {
      errors[''] = ctx.t('mail.throttled', { minutes: waitMinutes(reply, turn.until, now) });
      return sendPrivatePage(reply, RegisterPage({ ctx, form, locales, privacyHref: privacyHref(journal) }), 429);
    }
    // Hashed whether or not the address has an account, so the answer takes as long either way; then
    // one transaction writes the account (or finds it taken) and one mail to the outbox, delivered
    // after the answer: the confirmation link, or word to the owner that someone tried their address.
    const taken = (await findUserByEmail(db, email)) !== undefined;
    const domainAllows = await domainAllowsNewAddress(db, email, now);
    const passwordHash = await hashPassword(password);
    if (!taken && !domainAllows) {
      request.log.warn('registration: the mail domain has had its hour of mail to addresses without an account; nothing created');
      return sendPrivatePage(reply, checkEmail(ctx, email));
    }
    const outcome = await db.transaction().execute(async (trx) => {
      const created = await insertUser(trx, { email, givenName: form.givenName, familyName: form.familyName, affiliation: form.affiliation, orcid, country, preferredLocale: ctx.locale, privacyConsentAt: now }, passwordHash);
      if (created) await emit(trx, { type: 'UserRegistered', userId: created.id, journalId: journal?.id ?? null, via: 'registration' });
      if (created) return { created, outboxId: await storeVerification(trx, created, ctx, site, journal?.id ?? null, journal) };
      const owner = (await findUserByEmail(trx, email))!;
      const outboxId = await storeTemplated(trx, {
        to: owner.email,
        key: 'registration-attempt',
        locale: owner.preferred_locale ?? ctx.locale,
        journalId: journal?.id ?? null,
        variables: {
          siteName: siteName(site, journal, owner.preferred_locale ?? ctx.locale),
          loginLink: absoluteUrl(deps.baseUrl, accountPath(ctx, '/login')),
          resetLink: absoluteUrl(deps.baseUrl, accountPath(ctx, '/login/lostPassword')),
        },
      });
      return { created: undefined, outboxId };
    });
    deps.deliverAfterReply(request, outcome.outboxId);
    if (outcome.created) request.log.info({ userId: outcome.created.id }, 'registered');
    return sendPrivatePage(reply, checkEmail(ctx, email));
  });

  /** The confirmation link, written to the outbox; `registeredThrough` is the journal whose roles confirming grants. */
  async function storeVerification(trx: Kysely<Database>, user: User, ctx: PageContext, site: SiteInfo, registeredThroughId: number | null, journal: FrameJournal | undefined): Promise<number> {
    const token = await issueAccountToken(trx, user.id, 'verify-email', clock.now(), null, registeredThroughId);
    const locale = user.preferred_locale ?? ctx.locale;
    return storeTemplated(trx, {
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
  siteAndJournal(app, 'GET', '/user/verify', { querystring: tokenQuery }, async (request, reply) => {
    const { ctx } = await formPage(db, request, reply);
    const token = firstValue(request.query.token);
    const now = clock.now();
    const confirmed = token
      ? await db.transaction().execute(async (trx) => {
          const used = await consumeAccountToken(trx, token, 'verify-email', now);
          if (used) await confirmAddress(trx, used.userId, now);
          return used !== undefined;
        })
      : false;
    if (!confirmed) {
      return sendPrivatePage(reply, MessagePage({ ctx, title: ctx.t('verify.title'), lines: [ctx.t('link.invalid')], status: 'warning', link: { href: accountPath(ctx, '/login'), label: ctx.t('account.signIn') } }), 410);
    }
    return sendPrivatePage(reply, MessagePage({ ctx, title: ctx.t('verify.title'), lines: [ctx.t('verify.done')], link: { href: accountPath(ctx, '/login'), label: ctx.t('account.signIn') } }));
  });

  // Only from the button shown after the right password for an unconfirmed account: it carries a
  // signed proof naming the account, so this form tells nobody anything about other addresses.
  siteAndJournal(app, 'POST', '/user/verify/resend', {}, async (request, reply) => {
    const { ctx, site, journal } = await formPage(db, request, reply);
    const now = clock.now();
    const userId = resendProofUser((value) => request.unsignCookie(value), formText(formBody(request), 'proof', 500), now);
    const user = userId === undefined ? undefined : await findUser(db, userId);
    const signIn = { href: accountPath(ctx, '/login'), label: ctx.t('account.signIn') };
    if (!user || user.disabled_at) return sendPrivatePage(reply, MessagePage({ ctx, title: ctx.t('verify.title'), lines: [ctx.t('verify.resendExpired')], status: 'warning', link: signIn }), 400);
    if (user.email_verified_at) return sendPrivatePage(reply, MessagePage({ ctx, title: ctx.t('verify.title'), lines: [ctx.t('verify.already')], link: signIn }));
    const turn = await takeTurn(db, accountMailClaims(user.email, request.ip), now);
    if (!turn.granted) {
      return sendPrivatePage(reply, MessagePage({ ctx, title: ctx.t('verify.title'), lines: [ctx.t('mail.throttled', { minutes: waitMinutes(reply, turn.until, now) })], status: 'warning' }), 429);
    }
    // The new link keeps the journal the person registered through.
    const outboxId = await db.transaction().execute(async (trx) => storeVerification(trx, user, ctx, site, await registeredThrough(trx, user.id), journal));
    deps.deliverAfterReply(request, outboxId);
    return sendPrivatePage(reply, checkEmail(ctx, user.email));
  });
}
