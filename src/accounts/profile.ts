import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { formBody, formChecked, formLocalized, formSecret, formText } from '../platform/http/forms.ts';
import { isUiLocale, UI_LOCALES, type Translate } from '../i18n/index.ts';
import { storeTemplated } from '../mail/index.ts';
import type { FormErrors } from '../ui/index.ts';
import type { User } from '../db/index.ts';
import { knownDevice, rememberDevice } from './devices.ts';
import type { SignedInUser } from './sessions.ts';
import { normaliseCountry, normaliseEmail, normaliseOrcid } from '../platform/identifiers/index.ts';
import { currentCountryCode } from '../platform/identifiers/index.ts';
import { personName } from './names.ts';
import { MAX_REVIEWER_INTEREST_LENGTH, MAX_REVIEWER_INTERESTS, parseReviewerInterests, REVIEWER_INTERESTS_TEXT_LENGTH, reviewerInterests, saveReviewerInterests } from './reviewer-interests.ts';
import { verifyPassword } from './passwords.ts';
import { newPasswordErrors, waitMinutes } from './sign-in.ts';
import { clearThrottle, PASSWORD_CHECK, takeTurn, throttleKeys } from './throttle.ts';
import { exportUserData, findUser, findUserByEmail, issueAccountToken, requestDeletion, setPassword, TOKEN_LIFETIME_MS, updateProfile } from './users.ts';
import { accountPath, ProfilePage, type ProfileView } from './views/pages.tsx';
import { emailChangeRoutes } from './email-change.ts';
import { type AccountContext } from './web.ts';
import { absoluteUrl, formPage, sendPrivatePage, siteAndJournal, siteName } from '../platform/web/index.ts';

/** The signed-in person's own account: profile, email, password, their data, deletion. OJS: `/user/profile`. */
export function profileRoutes(app: FastifyInstance, deps: AccountContext): void {
  const { db, clock } = deps;
  const account = { config: { permission: 'account' as const } };

  async function showProfile(request: FastifyRequest, reply: FastifyReply, errors: FormErrors = {}, notice?: string, status = 200, pendingEmail: string | null = null, typedInterests?: string) {
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
      // A withdrawn code stored before the list was current (UK) is shown as its successor (GB).
      country: row.country ? (currentCountryCode(row.country) ?? row.country) : '',
      preferredLocale: row.preferred_locale ?? '',
      privacyConsentAt: row.privacy_consent_at,
      deletionRequestedAt: row.deletion_requested_at,
      roles,
      reviewingInterests: typedInterests ?? (await reviewerInterests(db, row.id)).join('\n'),
    };
    return sendPrivatePage(reply, ProfilePage({ ctx, profile, errors, notice }), status);
  }

  /**
   * The current password, asked again before a change of address or password, throttled as sign-in
   * is: whoever holds a borrowed session must not be able to guess it. Undefined when it is right.
   */
  async function currentPasswordRefusal(reply: FastifyReply, t: Translate, row: User, password: string): Promise<{ message: string; status: number } | undefined> {
    const now = clock.now();
    const key = throttleKeys.passwordCheck(row.id);
    const turn = await takeTurn(db, [{ key, rule: PASSWORD_CHECK }], now);
    if (!turn.granted) return { message: t('profile.throttled', { minutes: waitMinutes(reply, turn.until, now) }), status: 429 };
    if (!(await verifyPassword(row.password_hash, password))) return { message: t('profile.wrongPassword'), status: 400 };
    await clearThrottle(db, [key]);
    return undefined;
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
    // Absent when the form did not show the field (no reviewer role, none written): nothing to change.
    const interestsText = body.reviewingInterests === undefined ? undefined : formText(body, 'reviewingInterests', REVIEWER_INTERESTS_TEXT_LENGTH);
    const interests = interestsText === undefined ? undefined : parseReviewerInterests(interestsText);
    if (interests?.problem === 'too-many') errors.reviewingInterests = ctx.t('profile.reviewingInterestsTooMany', { max: MAX_REVIEWER_INTERESTS });
    if (interests?.problem === 'too-long') errors.reviewingInterests = ctx.t('profile.reviewingInterestsTooLong', { length: MAX_REVIEWER_INTEREST_LENGTH });
    if (Object.keys(errors).length > 0) return showProfile(request, reply, errors, undefined, 400, null, interestsText);
    await updateProfile(db, user.userId, {
      givenName,
      familyName: formLocalized(body, 'familyName', UI_LOCALES, 200),
      affiliation: formLocalized(body, 'affiliation', UI_LOCALES, 500),
      orcid,
      country,
      preferredLocale: isUiLocale(localeText) ? localeText : null,
    });
    if (interests) await saveReviewerInterests(db, user.userId, interests.interests);
    return showProfile(request, reply, {}, ctx.t('profile.saved'));
  });

  siteAndJournal(app, 'POST', '/user/profile/email', account, async (request, reply) => {
    const { ctx, site, journal } = await formPage(db, request, reply);
    const body = formBody(request);
    const user = request.viewer.user as SignedInUser;
    const row = (await findUser(db, user.userId))!;
    const newEmail = normaliseEmail(formText(body, 'newEmail', 254));
    if (!newEmail) return showProfile(request, reply, { newEmail: ctx.t('field.emailInvalid') }, undefined, 400);
    if (deps.isDisposable(newEmail)) return showProfile(request, reply, { newEmail: ctx.t('field.emailDisposable') }, undefined, 400);
    const refusal = await currentPasswordRefusal(reply, ctx.t, row, formSecret(body, 'currentPassword'));
    if (refusal) return showProfile(request, reply, { currentPassword: refusal.message }, undefined, refusal.status);
    const taken = await findUserByEmail(db, newEmail);
    // A taken address gets the same answer (no enumeration); the confirmation would fail anyway.
    if (!taken) {
      const now = clock.now();
      const locale = row.preferred_locale ?? ctx.locale;
      const outboxId = await db.transaction().execute(async (trx) => {
        const token = await issueAccountToken(trx, row.id, 'change-email', now, newEmail);
        return storeTemplated(trx, {
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
      });
      deps.deliverAfterReply(request, outboxId);
    }
    return showProfile(request, reply, {}, ctx.t('profile.emailSent', { email: newEmail }), 200, newEmail);
  });

  emailChangeRoutes(app, deps);

  siteAndJournal(app, 'POST', '/user/profile/password', account, async (request, reply) => {
    const { ctx, site, journal } = await formPage(db, request, reply);
    const body = formBody(request);
    const user = request.viewer.user as SignedInUser;
    const row = (await findUser(db, user.userId))!;
    const refusal = await currentPasswordRefusal(reply, ctx.t, row, formSecret(body, 'oldPassword'));
    if (refusal) return showProfile(request, reply, { oldPassword: refusal.message }, undefined, refusal.status);
    const password = formSecret(body, 'password');
    const errors = newPasswordErrors(ctx.t, password, formSecret(body, 'password2'), row.email);
    if (Object.keys(errors).length > 0) return showProfile(request, reply, errors, undefined, 400);
    const device = knownDevice(request, row);
    await setPassword(db, row.id, password, user.sessionHash);
    // Devices known before the change are strangers now; this one stays known.
    const changed = (await findUser(db, row.id))!;
    rememberDevice(reply, { secure: deps.https || request.protocol === 'https' }, changed, device);
    const locale = row.preferred_locale ?? ctx.locale;
    const outboxId = await storeTemplated(db, {
      to: row.email,
      key: 'password-changed',
      locale,
      journalId: journal?.id ?? null,
      variables: { name: personName(row, locale) ?? row.email, siteName: siteName(site, journal, locale), resetLink: absoluteUrl(deps.baseUrl, accountPath(ctx, '/login/lostPassword')) },
    });
    deps.deliverAfterReply(request, outboxId);
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
    const outboxId = await storeTemplated(db, {
      to: row.email,
      key: 'account-deletion-requested',
      locale,
      journalId: journal?.id ?? null,
      variables: { name: personName(row, locale) ?? row.email, siteName: siteName(site, journal, locale), email: row.email },
    });
    deps.deliverAfterReply(request, outboxId);
    return showProfile(request, reply, {}, ctx.t('profile.deletionRecorded'));
  });
}
