import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { formBody, formChecked, formSecret, formText } from '../platform/http/forms.ts';
import { isUiLocale, localizeText } from '../i18n/index.ts';
import type { PageContext } from '../ui/index.ts';
import { acceptInvitation, lookUpInvitation, type InvitationLink } from './invitations.ts';
import { personName } from './names.ts';
import { hashPassword } from './passwords.ts';
import { startSession } from './sessions.ts';
import { newPasswordErrors } from './sign-in.ts';
import { AcceptInvitationPage, type AcceptForm } from './views/invitation.tsx';
import { accountPath, MessagePage } from './views/pages.tsx';
import { tokenQuery, type AccountContext } from './web.ts';
import { formPage, firstValue, sendPrivatePage, siteAndJournal } from '../platform/web/index.ts';

/** Roles whose holders land on the journal's management pages after accepting. */
const MANAGING_ROLES = new Set(['manager', 'editor', 'section-editor']);

/** The public side of invitations: `/user/invitation?token=…` shows the invitation, posting it accepts. */
export function invitationRoutes(app: FastifyInstance, deps: AccountContext): void {
  const { db, clock } = deps;

  /** Why a link no longer works, in words; nothing changes (410 Gone). */
  const closed = (ctx: PageContext, reply: FastifyReply, state: Exclude<InvitationLink['state'], 'open'>) =>
    sendPrivatePage(
      reply,
      MessagePage({ ctx, title: ctx.t('accept.title', { journal: ctx.journal?.name ?? ctx.siteTitle }), lines: [ctx.t(`accept.${state}`)], status: 'warning', link: { href: accountPath(ctx, '/login'), label: ctx.t('account.signIn') } }),
      410,
    );

  async function showOpen(request: FastifyRequest, reply: FastifyReply, ctx: PageContext, link: Extract<InvitationLink, { state: 'open' }>, form: AcceptForm, status = 200) {
    const { invitation } = link;
    const [journal, inviter] = await Promise.all([
      db.selectFrom('journals').select(['path', 'name', 'primary_locale']).where('id', '=', invitation.journalId).executeTakeFirstOrThrow(),
      invitation.invitedBy === null ? undefined : db.selectFrom('users').select(['given_name', 'family_name', 'email']).where('id', '=', invitation.invitedBy).executeTakeFirst(),
    ]);
    return sendPrivatePage(
      reply,
      AcceptInvitationPage({
        ctx,
        form,
        journal: localizeText(journal.name, ctx.locale, journal.primary_locale) || journal.path,
        inviter: inviter ? (personName(inviter, ctx.locale) ?? inviter.email) : null,
        roles: invitation.roles.map((r) => ctx.t(`role.${r}`)).join(', '),
        hasAccount: link.hasAccount,
        privacyHref: `/${journal.path}/about/privacy`,
      }),
      status,
    );
  }

  siteAndJournal(app, 'GET', '/user/invitation', { querystring: tokenQuery }, async (request, reply) => {
    const { ctx } = await formPage(db, request, reply);
    const token = firstValue(request.query.token);
    const link = await lookUpInvitation(db, token, clock.now());
    if (link.state !== 'open') return closed(ctx, reply, link.state);
    const { invitation } = link;
    const form: AcceptForm = { token, email: invitation.email, givenName: localizeText(invitation.givenName, invitation.locale ?? ctx.locale), familyName: localizeText(invitation.familyName, invitation.locale ?? ctx.locale), consent: false, errors: {} };
    return showOpen(request, reply, ctx, link, form);
  });

  siteAndJournal(app, 'POST', '/user/invitation', {}, async (request, reply) => {
    const { ctx } = await formPage(db, request, reply);
    const body = formBody(request);
    const token = formText(body, 'token', 200);
    const now = clock.now();
    const link = await lookUpInvitation(db, token, now);
    if (link.state !== 'open') return closed(ctx, reply, link.state);
    const { invitation } = link;
    const locale = invitation.locale && isUiLocale(invitation.locale) ? invitation.locale : ctx.locale;
    const journalPath = (await db.selectFrom('journals').select('path').where('id', '=', invitation.journalId).executeTakeFirstOrThrow()).path;

    const doneExisting = () =>
      sendPrivatePage(reply, MessagePage({ ctx, title: ctx.t('accept.title', { journal: ctx.journal?.name ?? journalPath }), lines: [ctx.t('accept.doneExisting')], link: { href: `/${journalPath}/login`, label: ctx.t('account.signIn') } }));
    if (link.hasAccount) {
      // The address got an account meanwhile: the roles go to it, its password stays, its owner signs in as usual.
      const accepted = await acceptInvitation(db, token, { givenName: {}, familyName: {}, passwordHash: null, locale }, now);
      if (!accepted) return closed(ctx, reply, 'unknown');
      return doneExisting();
    }

    const form: AcceptForm = { token, email: invitation.email, givenName: formText(body, 'givenName', 200), familyName: formText(body, 'familyName', 200), consent: formChecked(body, 'privacyConsent'), errors: {} };
    const password = formSecret(body, 'password');
    if (form.givenName === '') form.errors.givenName = ctx.t('field.givenNameRequired');
    Object.assign(form.errors, newPasswordErrors(ctx.t, password, formSecret(body, 'password2'), invitation.email));
    if (!form.consent) form.errors.privacyConsent = ctx.t('register.consentRequired');
    if (Object.keys(form.errors).length > 0) return showOpen(request, reply, ctx, link, form, 400);

    const passwordHash = await hashPassword(password);
    const accepted = await acceptInvitation(
      db,
      token,
      { givenName: { [locale]: form.givenName }, familyName: form.familyName ? { [locale]: form.familyName } : {}, passwordHash, locale },
      now,
    );
    if (!accepted) return closed(ctx, reply, 'unknown');
    if (accepted.existingAccount) return doneExisting();
    request.log.info({ userId: accepted.userId, journalId: accepted.journalId }, 'invitation accepted');
    await startSession(db, request, reply, accepted.userId, now, deps.https);
    return reply.redirect(accepted.roles.some((r) => MANAGING_ROLES.has(r)) ? `/${journalPath}/management` : `/${journalPath}`, 303);
  });
}
