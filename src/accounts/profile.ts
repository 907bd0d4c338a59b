import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { formBody, formChecked, formLocalized, formSecret, formText } from '../http/forms.ts';
import { isUiLocale, UI_LOCALES } from '../i18n/index.ts';
import { sendTemplated } from '../mail/index.ts';
import type { FormErrors } from '../ui/index.ts';
import type { SignedInUser } from './sessions.ts';
import { normaliseCountry, normaliseEmail, normaliseOrcid, passwordProblem } from './identifiers.ts';
import { personName } from './names.ts';
import { hashToken } from './tokens.ts';
import { verifyPassword } from './passwords.ts';
import { siteName } from './registration.ts';
import { newPasswordErrors } from './sign-in.ts';
import { changeEmail, consumeAccountToken, exportUserData, findUser, findUserByEmail, issueAccountToken, requestDeletion, setPassword, TOKEN_LIFETIME_MS, updateProfile } from './users.ts';
import { accountPath, ConfirmEmailChangePage, MessagePage, ProfilePage, type ProfileView } from './views/pages.tsx';
import { absoluteUrl, formPage, sendPrivatePage, siteAndJournal, type AccountDeps } from './web.ts';

/** The signed-in person's own account: profile, email, password, their data, deletion. OJS: `/user/profile`. */
export function profileRoutes(app: FastifyInstance, deps: AccountDeps): void {
  const { db, clock } = deps;
  const account = { config: { permission: 'account' as const } };

  async function showProfile(request: FastifyRequest, reply: FastifyReply, errors: FormErrors = {}, notice?: string, status = 200, pendingEmail: string | null = null) {
    const { ctx } = await formPage(db, request, reply);
    const user = request.viewer.user as SignedInUser;
    const row = await findUser(db, user.userId);
    if (!row) return reply.redirect(accountPath(ctx, '/login'), 303);
    const roles = await db
      .selectFrom('role_assignments')
      .leftJoin('journals', 'journals.id', 'role_assignments.journal_id')
      .select(['journals.path as journal', 'role_assignments.role'])
      .where('user_id', '=', row.id)
      .orderBy('journals.path')
      .orderBy('role_assignments.id')
      .execute();
    const profile: ProfileView = {
      email: row.email,
      emailVerified: row.email_verified_at !== null,
      pendingEmail,
      givenName: row.given_name,
      familyName: row.family_name,
      affiliation: row.affiliation,
      orcid: row.orcid ?? '',
      country: row.country ?? '',
      preferredLocale: row.preferred_locale ?? '',
      privacyConsentAt: row.privacy_consent_at,
      deletionRequestedAt: row.deletion_requested_at,
      roles,
    };
    return sendPrivatePage(reply, ProfilePage({ ctx, profile, errors, notice }), status);
  }

  siteAndJournal(app, 'GET', '/user/profile', account, async (request, reply) => showProfile(request, reply));

  siteAndJournal(app, 'POST', '/user/profile', account, async (request, reply) => {
    const { ctx } = await formPage(db, request, reply);
    const body = formBody(request);
    const user = request.viewer.user as SignedInUser;
    const errors: FormErrors = {};
    const givenName = formLocalized(body, 'givenName', UI_LOCALES, 200);
    if (Object.keys(givenName).length === 0) errors.givenName = ctx.t('field.givenNameRequired');
    const orcidText = formText(body, 'orcid', 100);
    const orcid = orcidText === '' ? null : normaliseOrcid(orcidText);
    if (orcidText !== '' && !orcid) errors.orcid = ctx.t('field.orcidInvalid');
    const countryText = formText(body, 'country', 2);
    const country = countryText === '' ? null : normaliseCountry(countryText);
    if (countryText !== '' && !country) errors.country = ctx.t('field.countryInvalid');
    const localeText = formText(body, 'preferredLocale', 10);
    if (Object.keys(errors).length > 0) return showProfile(request, reply, errors, undefined, 400);
    await updateProfile(db, user.userId, {
      givenName,
      familyName: formLocalized(body, 'familyName', UI_LOCALES, 200),
      affiliation: formLocalized(body, 'affiliation', UI_LOCALES, 500),
      orcid,
      country,
      preferredLocale: isUiLocale(localeText) ? localeText : null,
    });
    return showProfile(request, reply, {}, ctx.t('profile.saved'));
  });

  siteAndJournal(app, 'POST', '/user/profile/email', account, async (request, reply) => {
    const { ctx, site, journal } = await formPage(db, request, reply);
    const body = formBody(request);
    const user = request.viewer.user as SignedInUser;
    const row = (await findUser(db, user.userId))!;
    const newEmail = normaliseEmail(formText(body, 'newEmail', 254));
    if (!newEmail) return showProfile(request, reply, { newEmail: ctx.t('field.emailInvalid') }, undefined, 400);
    if (!(await verifyPassword(row.password_hash, formSecret(body, 'currentPassword')))) {
      return showProfile(request, reply, { currentPassword: ctx.t('profile.wrongPassword') }, undefined, 400);
    }
    const taken = await findUserByEmail(db, newEmail);
    // A taken address gets the same answer (no enumeration); the confirmation would fail anyway.
    if (!taken) {
      const token = await issueAccountToken(db, row.id, 'change-email', clock.now(), newEmail);
      const locale = row.preferred_locale ?? ctx.locale;
      await sendTemplated(db, deps.mailer, {
        to: newEmail,
        key: 'change-email',
        locale,
        journalId: journal?.id ?? null,
        variables: {
          name: personName(row, locale) ?? row.email,
          siteName: siteName(site, journal, locale),
          email: newEmail,
          link: absoluteUrl(deps.baseUrl, `${accountPath(ctx, '/user/email/confirm')}?token=${token}`),
          expiresHours: String(TOKEN_LIFETIME_MS['change-email'] / 3_600_000),
        },
      });
    }
    return showProfile(request, reply, {}, ctx.t('profile.emailSent', { email: newEmail }), 200, newEmail);
  });

  // The link shows a button: mail scanners that open links must not change the address by themselves.
  siteAndJournal(app, 'GET', '/user/email/confirm', {}, async (request, reply) => {
    const { ctx } = await formPage(db, request, reply);
    const token = String((request.query as { token?: string }).token ?? '');
    const row = await db
      .selectFrom('account_tokens')
      .select('new_email')
      .where('token_hash', '=', hashToken(token))
      .where('purpose', '=', 'change-email')
      .where('used_at', 'is', null)
      .where('expires_at', '>', clock.now())
      .executeTakeFirst();
    if (!row?.new_email) return sendPrivatePage(reply, MessagePage({ ctx, title: ctx.t('changeEmail.confirmTitle'), lines: [ctx.t('link.invalid')], status: 'warning' }), 410);
    return sendPrivatePage(reply, ConfirmEmailChangePage({ ctx, token, email: row.new_email }));
  });

  siteAndJournal(app, 'POST', '/user/email/confirm', {}, async (request, reply) => {
    const { ctx } = await formPage(db, request, reply);
    const used = await consumeAccountToken(db, formText(formBody(request), 'token', 200), 'change-email', clock.now());
    const ok = used?.newEmail ? await changeEmail(db, used.userId, used.newEmail, clock.now()) : false;
    if (!ok) return sendPrivatePage(reply, MessagePage({ ctx, title: ctx.t('changeEmail.confirmTitle'), lines: [ctx.t('link.invalid')], status: 'warning' }), 410);
    return sendPrivatePage(reply, MessagePage({ ctx, title: ctx.t('changeEmail.confirmTitle'), lines: [ctx.t('changeEmail.done', { email: used!.newEmail! })], link: { href: accountPath(ctx, '/user/profile'), label: ctx.t('profile.title') } }));
  });

  siteAndJournal(app, 'POST', '/user/profile/password', account, async (request, reply) => {
    const { ctx, site, journal } = await formPage(db, request, reply);
    const body = formBody(request);
    const user = request.viewer.user as SignedInUser;
    const row = (await findUser(db, user.userId))!;
    if (!(await verifyPassword(row.password_hash, formSecret(body, 'oldPassword')))) {
      return showProfile(request, reply, { oldPassword: ctx.t('profile.wrongPassword') }, undefined, 400);
    }
    const password = formSecret(body, 'password');
    const errors = newPasswordErrors(ctx.t, password, formSecret(body, 'password2'));
    if (!errors.password && passwordProblem(password, row.email) === 'same-as-email') errors.password = ctx.t('password.sameAsEmail');
    if (Object.keys(errors).length > 0) return showProfile(request, reply, errors, undefined, 400);
    await setPassword(db, row.id, password, user.sessionHash);
    const locale = row.preferred_locale ?? ctx.locale;
    await sendTemplated(db, deps.mailer, {
      to: row.email,
      key: 'password-changed',
      locale,
      journalId: journal?.id ?? null,
      variables: { name: personName(row, locale) ?? row.email, siteName: siteName(site, journal, locale), resetLink: absoluteUrl(deps.baseUrl, accountPath(ctx, '/login/lostPassword')) },
    });
    return showProfile(request, reply, {}, ctx.t('profile.passwordChanged'));
  });

  siteAndJournal(app, 'GET', '/user/profile/export', account, async (request, reply) => {
    const user = request.viewer.user as SignedInUser;
    const data = await exportUserData(db, user.userId);
    return reply
      .header('cache-control', 'private, no-store')
      .header('content-disposition', 'attachment; filename="revista-account.json"')
      .type('application/json; charset=utf-8')
      .send(JSON.stringify(data, null, 2));
  });

  siteAndJournal(app, 'POST', '/user/profile/delete', account, async (request, reply) => {
    const { ctx, site, journal } = await formPage(db, request, reply);
    if (!formChecked(formBody(request), 'confirm')) return showProfile(request, reply, { confirm: ctx.t('profile.deleteConfirmRequired') }, undefined, 400);
    const user = request.viewer.user as SignedInUser;
    await requestDeletion(db, user.userId, clock.now());
    request.log.info({ userId: user.userId }, 'account deletion requested');
    const row = (await findUser(db, user.userId))!;
    const locale = row.preferred_locale ?? ctx.locale;
    await sendTemplated(db, deps.mailer, {
      to: row.email,
      key: 'account-deletion-requested',
      locale,
      journalId: journal?.id ?? null,
      variables: { name: personName(row, locale) ?? row.email, siteName: siteName(site, journal, locale), email: row.email },
    });
    return showProfile(request, reply, {}, ctx.t('profile.deletionRecorded'));
  });
}
