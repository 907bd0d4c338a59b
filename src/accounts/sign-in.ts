import type { FastifyInstance, FastifyReply } from 'fastify';
import type { MessageKey, Translate } from '../i18n/index.ts';
import { formBody, formSecret, formText, safeReturnPath } from '../platform/http/forms.ts';
import { storeTemplated } from '../mail/index.ts';
import type { PageContext } from '../ui/index.ts';
import { knownDevice, rememberDevice, type KnownDevice } from './devices.ts';
import { LoginPage, LostPasswordPage, MessagePage, ResetPasswordPage, accountPath } from './views/pages.tsx';
import { passwordProblem, normaliseEmail } from '../platform/identifiers/index.ts';
import { personName } from './names.ts';
import { hashPassword, verifyPassword } from './passwords.ts';
import { createSession, endSession, SESSION_COOKIE, SESSION_LIFETIME_MS } from './sessions.ts';
import { accountMailClaims, domainAllowsNewAddress, clearAccountThrottle, clearThrottle, forgiveHit, SIGN_IN, takeTurn, throttleKeys, type Claim } from './throttle.ts';
import { confirmAddress, consumeAccountToken, findUser, findUserByEmail, issueAccountToken, peekAccountToken, storePasswordHash, TOKEN_LIFETIME_MS } from './users.ts';
import { tokenQuery, type AccountContext } from './web.ts';
import { Type } from '@sinclair/typebox';
import { absoluteUrl, formPage, firstValue, QueryParameter, sendPrivatePage, siteAndJournal, siteName } from '../platform/web/index.ts';
import type { FormErrors } from '../ui/index.ts';

/** Why another page sent someone to sign in (`?notice=`), said above the form; anything else is ignored. */
const LOGIN_NOTICES: Record<string, MessageKey | undefined> = Object.assign(Object.create(null) as Record<string, MessageKey | undefined>, { 'review-accepted': 'login.notice.reviewAccepted' as const });

/** The keys a sign-in attempt counts on: a known device's own, or the stranger's three. */
function signInClaims(email: string, ip: string, device: KnownDevice | undefined): Claim[] {
  if (device) return [{ key: throttleKeys.device(device.id), rule: SIGN_IN.knownDevice }];
  return [
    { key: throttleKeys.accountFromAddress(email, ip), rule: SIGN_IN.accountFromAddress },
    { key: throttleKeys.accountFromNewDevices(email), rule: SIGN_IN.accountFromNewDevices },
    { key: throttleKeys.address(ip), rule: SIGN_IN.address },
  ];
}

/** Whole minutes until `until` (at least one), with the Retry-After header in seconds. */
export function waitMinutes(reply: FastifyReply, until: Date, now: Date): number {
  const ms = Math.max(0, until.getTime() - now.getTime());
  reply.header('retry-after', String(Math.max(1, Math.ceil(ms / 1000))));
  return Math.max(1, Math.ceil(ms / 60_000));
}

/** The button that sends the confirmation mail again names the account, signed, for an hour. */
const RESEND_PROOF_MS = 3600 * 1000;

export function resendProof(reply: FastifyReply, userId: number, now: Date): string {
  return reply.signCookie(`verify-resend.${userId}.${now.getTime() + RESEND_PROOF_MS}`);
}

/** The account a resend button was given for, if its proof is genuine and fresh. */
export function resendProofUser(unsign: (value: string) => { valid: boolean; value: string | null }, proof: string, now: Date): number | undefined {
  const unsigned = proof ? unsign(proof) : undefined;
  const match = unsigned?.valid ? /^verify-resend\.(\d+)\.(\d+)$/.exec(unsigned.value ?? '') : null;
  if (!match || Number(match[2]) < now.getTime()) return undefined;
  return Number(match[1]);
}

/** Sign in and out, and a forgotten password: OJS's `/login`, `/login/signIn`, `/login/lostPassword`, `/login/resetPassword`. */
export function signInRoutes(app: FastifyInstance, deps: AccountContext): void {
  const { db, clock } = deps;

  siteAndJournal(app, 'GET', '/login', { querystring: Type.Object({ source: Type.Optional(QueryParameter), notice: Type.Optional(QueryParameter) }) }, async (request, reply) => {
    const { ctx } = await formPage(db, request, reply);
    const source = safeReturnPath(firstValue(request.query.source), '');
    if (request.viewer.user) return reply.redirect(source || accountPath(ctx, '/user/profile'), 303);
    const notice = LOGIN_NOTICES[firstValue(request.query.notice)];
    return sendPrivatePage(reply, LoginPage({ ctx, form: { email: '', source, errors: {}, ...(notice ? { notice: ctx.t(notice) } : {}) } }));
  });

  siteAndJournal(app, 'POST', '/login/signIn', {}, async (request, reply) => {
    const { ctx, journal } = await formPage(db, request, reply);
    const body = formBody(request);
    const email = formText(body, 'email', 254);
    const password = formSecret(body, 'password');
    const source = safeReturnPath(formText(body, 'source'), '');
    const again = (errors: FormErrors, status: number, extra: { resendProof?: string } = {}) =>
      sendPrivatePage(reply, LoginPage({ ctx, form: { email, source, errors, ...extra } }), status);

    if (email === '' || password === '') {
      return again({ ...(email === '' ? { email: ctx.t('login.emailRequired') } : {}), ...(password === '' ? { password: ctx.t('login.passwordRequired') } : {}) }, 400);
    }
    const now = clock.now();
    // Looked up for every attempt, whether or not the address has an account: the same query either way.
    const user = await findUserByEmail(db, email);
    const device = knownDevice(request, user);
    const claims = signInClaims(email, request.ip, device);
    // Counted before the password is checked: parallel attempts cannot all get in before the count.
    const turn = await takeTurn(db, claims, now);
    if (!turn.granted) return again({ '': ctx.t('login.throttled', { minutes: waitMinutes(reply, turn.until, now) }) }, 429);
    const passwordOk = await verifyPassword(user?.password_hash ?? null, password);
    if (!user || !passwordOk) return again({ '': ctx.t('login.failed') }, 400);

    // The right password: this attempt was no failure after all.
    const addressKey = throttleKeys.address(request.ip);
    await clearThrottle(db, claims.filter((c) => c.key !== addressKey).map((c) => c.key));
    await forgiveHit(db, turn, addressKey);
    if (user.disabled_at) return again({ '': ctx.t('login.disabled', { reason: user.disabled_reason ?? '' }) }, 403);
    if (!user.email_verified_at) return again({ '': ctx.t('login.unverified') }, 403, { resendProof: resendProof(reply, user.id, now) });
    const token = await createSession(db, user.id, now, request.headers['user-agent']);
    const secure = deps.https || request.protocol === 'https';
    reply.setCookie(SESSION_COOKIE, token, { path: '/', httpOnly: true, sameSite: 'lax', secure, signed: true, maxAge: SESSION_LIFETIME_MS / 1000 });
    rememberDevice(reply, { secure }, user, device);
    request.log.info({ userId: user.id }, 'signed in');
    const home = journal ? `/${journal.path}` : '/';
    return reply.redirect(source || home, 303);
  });

  siteAndJournal(app, 'POST', '/login/signOut', {}, async (request, reply) => {
    const raw = request.cookies[SESSION_COOKIE];
    const unsigned = raw ? request.unsignCookie(raw) : undefined;
    if (unsigned?.valid && unsigned.value) await endSession(db, unsigned.value);
    reply.clearCookie(SESSION_COOKIE, { path: '/' });
    const journalPath = request.params.journal;
    return reply.redirect(journalPath ? `/${journalPath}` : '/', 303);
  });

  siteAndJournal(app, 'GET', '/login/lostPassword', {}, async (request, reply) => {
    const { ctx } = await formPage(db, request, reply);
    return sendPrivatePage(reply, LostPasswordPage({ ctx, email: '', errors: {} }));
  });

  siteAndJournal(app, 'POST', '/login/lostPassword', {}, async (request, reply) => {
    const { ctx, site, journal } = await formPage(db, request, reply);
    const typed = formText(formBody(request), 'email', 254);
    const email = normaliseEmail(typed);
    if (!email) return sendPrivatePage(reply, LostPasswordPage({ ctx, email: typed, errors: { email: ctx.t('field.emailInvalid') } }), 400);
    const now = clock.now();
    const turn = await takeTurn(db, accountMailClaims(email, request.ip), now);
    if (!turn.granted) return sendPrivatePage(reply, LostPasswordPage({ ctx, email, errors: { '': ctx.t('mail.throttled', { minutes: waitMinutes(reply, turn.until, now) }) } }), 429);
    // The one answer, whatever the address and whatever is sent.
    const answered = () => sendPrivatePage(reply, MessagePage({ ctx, title: ctx.t('lostPassword.title'), lines: [ctx.t('lostPassword.sent', { email })] }));
    const user = await findUserByEmail(db, email);
    const domainAllows = await domainAllowsNewAddress(db, email, now);
    if (!user && !domainAllows) {
      request.log.warn('lost password: the mail domain has had its hour of mail to addresses without an account; nothing sent');
      return answered();
    }
    // The same work whether or not the address has an account: one mail written to the outbox in one
    // transaction (the link, or word that no account uses the address), delivered after the answer.
    const outboxId = await db.transaction().execute(async (trx) => {
      if (!user) {
        return storeTemplated(trx, {
          to: email,
          key: 'reset-password-no-account',
          locale: ctx.locale,
          journalId: journal?.id ?? null,
          variables: { siteName: siteName(site, journal, ctx.locale), email, registerLink: absoluteUrl(deps.baseUrl, accountPath(ctx, '/user/register')) },
        });
      }
      const token = await issueAccountToken(trx, user.id, 'reset-password', now);
      const locale = user.preferred_locale ?? ctx.locale;
      return storeTemplated(trx, {
        to: user.email,
        key: 'reset-password',
        locale,
        journalId: journal?.id ?? null,
        variables: {
          name: personName(user, locale) ?? user.email,
          siteName: siteName(site, journal, locale),
          link: absoluteUrl(deps.baseUrl, `${accountPath(ctx, '/login/resetPassword')}?token=${token}`),
          expiresHours: String(TOKEN_LIFETIME_MS['reset-password'] / 3_600_000),
        },
      });
    });
    deps.deliverAfterReply(request, outboxId);
    return answered();
  });

  const invalidLink = (ctx: PageContext, reply: FastifyReply) =>
    sendPrivatePage(reply, MessagePage({ ctx, title: ctx.t('resetPassword.title'), lines: [ctx.t('link.invalid')], status: 'warning', link: { href: accountPath(ctx, '/login/lostPassword'), label: ctx.t('login.forgot') } }), 410);

  siteAndJournal(app, 'GET', '/login/resetPassword', { querystring: tokenQuery }, async (request, reply) => {
    const { ctx } = await formPage(db, request, reply);
    const token = firstValue(request.query.token);
    if (!(await peekAccountToken(db, token, 'reset-password', clock.now()))) return invalidLink(ctx, reply);
    return sendPrivatePage(reply, ResetPasswordPage({ ctx, token, errors: {} }));
  });

  siteAndJournal(app, 'POST', '/login/resetPassword', {}, async (request, reply) => {
    const { ctx } = await formPage(db, request, reply);
    const body = formBody(request);
    const token = formText(body, 'token', 200);
    const password = formSecret(body, 'password');
    const now = clock.now();
    // Everything is checked before the link is spent: a refused password leaves it working.
    const link = await peekAccountToken(db, token, 'reset-password', now);
    const user = link && (await findUser(db, link.userId));
    if (!user) return invalidLink(ctx, reply);
    const errors = newPasswordErrors(ctx.t, password, formSecret(body, 'password2'), user.email);
    if (Object.keys(errors).length > 0) return sendPrivatePage(reply, ResetPasswordPage({ ctx, token, errors }), 400);
    const passwordHash = await hashPassword(password);
    // Spent last, with the change it makes, in one transaction: two tabs cannot both use it.
    const done = await db.transaction().execute(async (trx) => {
      const used = await consumeAccountToken(trx, token, 'reset-password', now);
      if (!used) return false;
      await storePasswordHash(trx, used.userId, passwordHash);
      // Whoever can read the mailbox owns the account: the link confirms the address too.
      await confirmAddress(trx, used.userId, now);
      return true;
    });
    if (!done) return invalidLink(ctx, reply);
    // …and ends every sign-in wait on it.
    await clearAccountThrottle(db, user.email);
    return sendPrivatePage(reply, MessagePage({ ctx, title: ctx.t('resetPassword.title'), lines: [ctx.t('resetPassword.done')], link: { href: accountPath(ctx, '/login'), label: ctx.t('account.signIn') } }));
  });
}

/** Problems with a new password and its repetition (and, given the address, a password that is the address). */
export function newPasswordErrors(t: Translate, password: string, repeated: string, email?: string): FormErrors {
  const problem = passwordProblem(password, email);
  if (problem === 'too-short') return { password: t('password.tooShort', { min: 10 }) };
  if (problem === 'too-long') return { password: t('password.tooLong') };
  if (problem === 'same-as-email') return { password: t('password.sameAsEmail') };
  if (password !== repeated) return { password2: t('password.mismatch') };
  return {};
}
