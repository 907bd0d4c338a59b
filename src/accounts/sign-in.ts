import type { FastifyInstance } from 'fastify';
import { localize, type Translate } from '../i18n/index.ts';
import { formBody, formSecret, formText, safeReturnPath } from '../http/forms.ts';
import { sendTemplated } from '../mail/index.ts';
import { LoginPage, LostPasswordPage, MessagePage, ResetPasswordPage, accountPath } from './views/pages.tsx';
import { passwordProblem, normaliseEmail } from './identifiers.ts';
import { verifyPassword } from './passwords.ts';
import { createSession, endSession, SESSION_COOKIE, SESSION_LIFETIME_MS } from './sessions.ts';
import { accountKey, accountWaitMs, addressKey, addressWaitMs, clearFailures, recordFailure, waitUntil } from './throttle.ts';
import { accountTokenIsValid, consumeAccountToken, findUser, findUserByEmail, issueAccountToken, setPassword, TOKEN_LIFETIME_MS } from './users.ts';
import { absoluteUrl, formPage, sendPrivatePage, siteAndJournal, type AccountDeps } from './web.ts';
import type { FormErrors } from '../ui/index.ts';
import { personName } from './names.ts';

/** Sign in and out, and a forgotten password: OJS's `/login`, `/login/signIn`, `/login/lostPassword`, `/login/resetPassword`. */
export function signInRoutes(app: FastifyInstance, deps: AccountDeps): void {
  const { db, clock } = deps;

  siteAndJournal(app, 'GET', '/login', {}, async (request, reply) => {
    const { ctx } = await formPage(db, request, reply);
    const source = safeReturnPath((request.query as { source?: string }).source, '');
    if (request.viewer.user) return reply.redirect(source || accountPath(ctx, '/user/profile'), 303);
    return sendPrivatePage(reply, LoginPage({ ctx, form: { email: '', source, errors: {} } }));
  });

  siteAndJournal(app, 'POST', '/login/signIn', {}, async (request, reply) => {
    const { ctx, journal } = await formPage(db, request, reply);
    const body = formBody(request);
    const email = formText(body, 'email', 254);
    const password = formSecret(body, 'password');
    const source = safeReturnPath(formText(body, 'source'), '');
    const again = (errors: FormErrors, status: number, extra: { waitMinutes?: number; unverified?: boolean } = {}) =>
      sendPrivatePage(reply, LoginPage({ ctx, form: { email, source, errors, ...extra } }), status);

    if (email === '' || password === '') {
      return again({ ...(email === '' ? { email: ctx.t('login.emailRequired') } : {}), ...(password === '' ? { password: ctx.t('login.passwordRequired') } : {}) }, 400);
    }
    const keys = [accountKey(email), addressKey(request.ip)];
    const now = clock.now();
    const waitEnds = await waitUntil(db, keys, now);
    if (waitEnds) {
      const minutes = Math.max(1, Math.ceil((waitEnds.getTime() - now.getTime()) / 60_000));
      reply.header('retry-after', String(Math.ceil((waitEnds.getTime() - now.getTime()) / 1000)));
      return again({ '': ctx.t('login.throttled', { minutes }) }, 429);
    }
    const user = await findUserByEmail(db, email);
    const passwordOk = await verifyPassword(user?.password_hash ?? null, password);
    if (!user || !passwordOk) {
      await recordFailure(db, keys[0]!, now, accountWaitMs);
      await recordFailure(db, keys[1]!, now, addressWaitMs);
      return again({ '': ctx.t('login.failed') }, 400);
    }
    if (user.disabled_at) return again({ '': ctx.t('login.disabled', { reason: user.disabled_reason ?? '' }) }, 403);
    if (!user.email_verified_at) return again({ '': ctx.t('login.unverified') }, 403, { unverified: true });
    await clearFailures(db, keys[0]!);
    const token = await createSession(db, user.id, now, request.headers['user-agent']);
    reply.setCookie(SESSION_COOKIE, token, { path: '/', httpOnly: true, sameSite: 'lax', secure: deps.https || request.protocol === 'https', signed: true, maxAge: SESSION_LIFETIME_MS / 1000 });
    request.log.info({ userId: user.id }, 'signed in');
    const home = journal ? `/${journal.path}` : '/';
    return reply.redirect(source || home, 303);
  });

  siteAndJournal(app, 'POST', '/login/signOut', {}, async (request, reply) => {
    const raw = request.cookies[SESSION_COOKIE];
    const unsigned = raw ? request.unsignCookie(raw) : undefined;
    if (unsigned?.valid && unsigned.value) await endSession(db, unsigned.value);
    reply.clearCookie(SESSION_COOKIE, { path: '/' });
    const journalPath = (request.params as { journal?: string }).journal;
    return reply.redirect(journalPath ? `/${journalPath}` : '/', 303);
  });

  siteAndJournal(app, 'GET', '/login/lostPassword', {}, async (request, reply) => {
    const { ctx } = await formPage(db, request, reply);
    return sendPrivatePage(reply, LostPasswordPage({ ctx, email: '', errors: {} }));
  });

  siteAndJournal(app, 'POST', '/login/lostPassword', {}, async (request, reply) => {
    const { ctx, site, journal } = await formPage(db, request, reply);
    const email = normaliseEmail(formText(formBody(request), 'email', 254));
    if (!email) return sendPrivatePage(reply, LostPasswordPage({ ctx, email: formText(formBody(request), 'email', 254), errors: { email: ctx.t('field.emailInvalid') } }), 400);
    const user = await findUserByEmail(db, email);
    // The same answer whether or not the account exists; only its owner learns from the mail.
    if (user && !user.disabled_at) {
      const token = await issueAccountToken(db, user.id, 'reset-password', clock.now());
      const locale = user.preferred_locale ?? ctx.locale;
      await sendTemplated(db, deps.mailer, {
        to: user.email,
        key: 'reset-password',
        locale,
        journalId: journal?.id ?? null,
        variables: {
          name: personName(user, locale) ?? user.email,
          siteName: localize(journal?.name ?? site.title, locale, journal?.primaryLocale ?? site.primaryLocale)?.text ?? 'Revista',
          link: absoluteUrl(deps.baseUrl, `${accountPath(ctx, '/login/resetPassword')}?token=${token}`),
          expiresHours: String(TOKEN_LIFETIME_MS['reset-password'] / 3_600_000),
        },
      });
    }
    return sendPrivatePage(reply, MessagePage({ ctx, title: ctx.t('lostPassword.title'), lines: [ctx.t('lostPassword.sent', { email })] }));
  });

  siteAndJournal(app, 'GET', '/login/resetPassword', {}, async (request, reply) => {
    const { ctx } = await formPage(db, request, reply);
    const token = String((request.query as { token?: string }).token ?? '');
    if (!(await accountTokenIsValid(db, token, 'reset-password', clock.now()))) {
      return sendPrivatePage(reply, MessagePage({ ctx, title: ctx.t('resetPassword.title'), lines: [ctx.t('link.invalid')], status: 'warning', link: { href: accountPath(ctx, '/login/lostPassword'), label: ctx.t('login.forgot') } }), 410);
    }
    return sendPrivatePage(reply, ResetPasswordPage({ ctx, token, errors: {} }));
  });

  siteAndJournal(app, 'POST', '/login/resetPassword', {}, async (request, reply) => {
    const { ctx } = await formPage(db, request, reply);
    const body = formBody(request);
    const token = formText(body, 'token', 200);
    const password = formSecret(body, 'password');
    const errors = newPasswordErrors(ctx.t, password, formSecret(body, 'password2'));
    if (Object.keys(errors).length > 0) return sendPrivatePage(reply, ResetPasswordPage({ ctx, token, errors }), 400);
    const used = await consumeAccountToken(db, token, 'reset-password', clock.now());
    if (!used) {
      return sendPrivatePage(reply, MessagePage({ ctx, title: ctx.t('resetPassword.title'), lines: [ctx.t('link.invalid')], status: 'warning', link: { href: accountPath(ctx, '/login/lostPassword'), label: ctx.t('login.forgot') } }), 410);
    }
    const user = await findUser(db, used.userId);
    if (user && passwordProblem(password, user.email) === 'same-as-email') {
      return sendPrivatePage(reply, ResetPasswordPage({ ctx, token, errors: { password: ctx.t('password.sameAsEmail') } }), 400);
    }
    await setPassword(db, used.userId, password);
    // Whoever can read the mailbox owns the account: the link confirms the address too, and ends the wait.
    if (user) await clearFailures(db, accountKey(user.email));
    await db.updateTable('users').set({ email_verified_at: clock.now() }).where('id', '=', used.userId).where('email_verified_at', 'is', null).execute();
    return sendPrivatePage(reply, MessagePage({ ctx, title: ctx.t('resetPassword.title'), lines: [ctx.t('resetPassword.done')], link: { href: accountPath(ctx, '/login'), label: ctx.t('account.signIn') } }));
  });
}

/** Problems with a new password and its repetition. */
export function newPasswordErrors(t: Translate, password: string, repeated: string): FormErrors {
  const problem = passwordProblem(password);
  if (problem === 'too-short') return { password: t('password.tooShort', { min: 10 }) };
  if (problem === 'too-long') return { password: t('password.tooLong') };
  if (password !== repeated) return { password2: t('password.mismatch') };
  return {};
}
