import type { FastifyInstance, FastifyReply } from 'fastify';
import { formBody, formText } from '../platform/http/forms.ts';
import { storeTemplated } from '../mail/index.ts';
import type { PageContext } from '../ui/index.ts';
import { personName } from './names.ts';
import { clearAccountThrottle } from './throttle.ts';
import { changeEmail, consumeAccountToken, findUser, issueAccountToken, peekAccountToken, TOKEN_LIFETIME_MS } from './users.ts';
import { accountPath, ConfirmEmailChangePage, MessagePage, ResetPasswordPage, RevertEmailPage } from './views/pages.tsx';
import { tokenQuery, type AccountContext } from './web.ts';
import { absoluteUrl, formPage, firstValue, sendPrivatePage, siteAndJournal, siteName } from '../platform/web/index.ts';

/**
 * The links of a change of address: the one to the new address that makes the change, and the one
 * then sent to the old address that undoes it. Both show a button first, so a mail scanner that
 * opens links changes nothing.
 */
export function emailChangeRoutes(app: FastifyInstance, deps: AccountContext): void {
  const { db, clock } = deps;
  const invalid = (ctx: PageContext, reply: FastifyReply, title: string) => sendPrivatePage(reply, MessagePage({ ctx, title, lines: [ctx.t('link.invalid')], status: 'warning' }), 410);

  siteAndJournal(app, 'GET', '/user/email/confirm', { querystring: tokenQuery }, async (request, reply) => {
    const { ctx } = await formPage(db, request, reply);
    const token = firstValue(request.query.token);
    const link = await peekAccountToken(db, token, 'change-email', clock.now());
    if (!link?.newEmail) return invalid(ctx, reply, ctx.t('changeEmail.confirmTitle'));
    return sendPrivatePage(reply, ConfirmEmailChangePage({ ctx, token, email: link.newEmail }));
  });

  siteAndJournal(app, 'POST', '/user/email/confirm', {}, async (request, reply) => {
    const { ctx, site, journal } = await formPage(db, request, reply);
    const token = formText(formBody(request), 'token', 200);
    const now = clock.now();
    const viewer = request.viewer.user;
    // One transaction: the address moves, every other session of the person ends (the one confirming
    // stays), and the old address gets word with a way back, or none of it happens.
    const moved = await db.transaction().execute(async (trx) => {
      const used = await consumeAccountToken(trx, token, 'change-email', now);
      if (!used?.newEmail) return undefined;
      const keep = viewer?.userId === used.userId ? viewer.sessionHash : undefined;
      const oldEmail = await changeEmail(trx, used.userId, used.newEmail, now, keep);
      const user = await findUser(trx, used.userId);
      if (oldEmail === undefined || !user) return undefined;
      const back = await issueAccountToken(trx, user.id, 'revert-email', now, oldEmail);
      const locale = user.preferred_locale ?? ctx.locale;
      const outboxId = await storeTemplated(trx, {
        to: oldEmail,
        key: 'email-changed',
        locale,
        journalId: journal?.id ?? null,
        variables: {
          name: personName(user, locale) ?? oldEmail,
          siteName: siteName(site, journal, locale),
          oldEmail,
          newEmail: used.newEmail,
          link: absoluteUrl(deps.baseUrl, `${accountPath(ctx, '/user/email/revert')}?token=${back}`),
          expiresHours: String(TOKEN_LIFETIME_MS['revert-email'] / 3_600_000),
        },
      });
      return { newEmail: used.newEmail, outboxId };
    });
    if (!moved) return invalid(ctx, reply, ctx.t('changeEmail.confirmTitle'));
    deps.deliverAfterReply(request, moved.outboxId);
    return sendPrivatePage(reply, MessagePage({ ctx, title: ctx.t('changeEmail.confirmTitle'), lines: [ctx.t('changeEmail.done', { email: moved.newEmail })], link: { href: accountPath(ctx, '/user/profile'), label: ctx.t('profile.title') } }));
  });

  siteAndJournal(app, 'GET', '/user/email/revert', { querystring: tokenQuery }, async (request, reply) => {
    const { ctx } = await formPage(db, request, reply);
    const token = firstValue(request.query.token);
    const link = await peekAccountToken(db, token, 'revert-email', clock.now());
    if (!link?.newEmail) return invalid(ctx, reply, ctx.t('revertEmail.title'));
    return sendPrivatePage(reply, RevertEmailPage({ ctx, token, email: link.newEmail }));
  });

  /**
   * The owner of the old address takes the account back: the address returns, everyone is signed
   * out, the password stops working (whoever moved the account may know it) and pending links die;
   * the person sets a new password on the page that follows.
   */
  siteAndJournal(app, 'POST', '/user/email/revert', {}, async (request, reply) => {
    const { ctx } = await formPage(db, request, reply);
    const token = formText(formBody(request), 'token', 200);
    const now = clock.now();
    const outcome = await db.transaction().execute(async (trx) => {
      const used = await consumeAccountToken(trx, token, 'revert-email', now);
      if (!used?.newEmail) return undefined;
      if ((await changeEmail(trx, used.userId, used.newEmail, now)) === undefined) return { moved: false as const, email: used.newEmail };
      await trx.updateTable('users').set({ password_hash: null }).where('id', '=', used.userId).execute();
      await trx.deleteFrom('account_tokens').where('user_id', '=', used.userId).where('purpose', 'in', ['change-email', 'reset-password']).execute();
      return { moved: true as const, email: used.newEmail, reset: await issueAccountToken(trx, used.userId, 'reset-password', now) };
    });
    if (!outcome) return invalid(ctx, reply, ctx.t('revertEmail.title'));
    if (!outcome.moved) {
      return sendPrivatePage(reply, MessagePage({ ctx, title: ctx.t('revertEmail.title'), lines: [ctx.t('revertEmail.taken', { email: outcome.email })], status: 'warning' }), 409);
    }
    await clearAccountThrottle(db, outcome.email);
    return sendPrivatePage(reply, ResetPasswordPage({ ctx, token: outcome.reset, errors: {}, notice: ctx.t('revertEmail.done', { email: outcome.email }) }));
  });
}
