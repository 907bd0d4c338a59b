import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance, FastifyReply } from 'fastify';
import {
  assignRole, findOpenInvitation, findUser, findUserByEmail, insertUser, issueAccountToken, listOpenInvitations, listUsers, hashPassword, newPasswordErrors,
  normaliseEmail, personName, removalRefusal, removeRoleGuarded, resendInvitation, revokeInvitation, storeInvitationMail, viewerName, waitMinutes, type UserListRole,
} from '../accounts/index.ts';
import { sendPrivatePage, formPage } from '../platform/web/index.ts';
import type { RoleName } from '../db/index.ts';
import { formBody, formSecret, formText, type FormBody } from '../platform/http/forms.ts';
import { NotFoundError, parseId } from '../platform/http/index.ts';
import { localizeText } from '../i18n/index.ts';
import { storeTemplated } from '../mail/index.ts';
import { INVITATION_DAYS, inviteOrAssign, readInviteForm } from './invite-person.ts';
import { siteUserActionRoutes } from './site-user-actions.tsx';
import { refusalMessage } from './journal-users.ts';
import { formRoles, PEOPLE_PAGE_SIZE, readPeopleQuery } from './people-query.ts';
import type { AdminDeps } from './site-admin.ts';
import { EMPTY_INVITE, personDisplayName, type InviteFormValues } from './views/people.tsx';
import { NewUserPage, ROLE_CHOICES, SiteConfirmPage, UserDetailPage, UserListPage, type NewUserForm, type UserDetail } from './views/users.tsx';
import { IdParams, PeopleListQuery, PersonQuery, type WithParams, type WithQuery } from './schemas.ts';

const admin = { config: { permission: 'site.admin' as const } };

const LIST_NOTICES = { invited: 'invite.sent', assigned: 'invite.assigned', resent: 'invite.resent', revoked: 'invite.revoked', deleted: 'people.saved' } as const;
const DETAIL_NOTICES = { roleAdded: 'admin.notice.roleAdded', roleRemoved: 'admin.notice.roleRemoved', disabled: 'admin.notice.disabled', enabled: 'admin.notice.enabled', created: 'newUser.created', createdMailed: 'newUser.createdMailed' } as const;

/** Site administration of people: the list, invitations, new accounts, roles, disabling, merging, deleting. */
export function siteUserRoutes(app: FastifyInstance, deps: AdminDeps & { baseUrl: string }): void {
  const typed = app.withTypeProvider<TypeBoxTypeProvider>();
  const { db, clock } = deps;
  const journalRows = () => db.selectFrom('journals').select(['id', 'path', 'name', 'enabled', 'primary_locale']).orderBy('seq').orderBy('id').execute();
  const noticeText = (query: FormBody, t: (key: never, params?: Record<string, string>) => string, notices: Record<string, string>) => {
    const notice = formText(query, 'notice', 40);
    return notice && Object.hasOwn(notices, notice) ? t(notices[notice] as never, { email: formText(query, 'email', 254) }) : undefined;
  };
  const listRoute = { ...admin, schema: { querystring: PeopleListQuery } };
  const personRoute = { ...admin, schema: { params: IdParams, querystring: PersonQuery } };
  // Invitations are acted on from the people list, which they show again.
  const invitationRoute = { ...admin, schema: { params: IdParams, querystring: PeopleListQuery } };

  async function showList(request: WithQuery<typeof PeopleListQuery>, reply: FastifyReply, invite: InviteFormValues = EMPTY_INVITE, status = 200) {
    const { ctx } = await formPage(db, request, reply);
    const query = readPeopleQuery(request.query, { adminRole: true });
    const { users, total, more } = await listUsers(db, {
      search: query.search,
      journalId: query.journal ? Number(query.journal) : undefined,
      role: query.role === '' ? undefined : (query.role as RoleName),
      deletionRequested: query.deletion,
      sort: query.sort,
      dir: query.dir,
      limit: PEOPLE_PAGE_SIZE,
      offset: (query.page - 1) * PEOPLE_PAGE_SIZE,
    });
    const journals = await journalRows();
    const invitations = await listOpenInvitations(db);
    const pages = Math.max(1, Math.ceil(total / PEOPLE_PAGE_SIZE));
    const notice = noticeText(request.query, ctx.t as never, LIST_NOTICES);
    return sendPrivatePage(reply, UserListPage({ ctx, users, total, more, query, pages, journals, invitations, invite, days: INVITATION_DAYS, now: clock.now(), notice }), status);
  }

  const listDone = (reply: FastifyReply, notice: keyof typeof LIST_NOTICES, email?: string) => reply.redirect(`/admin/users?notice=${notice}${email ? `&email=${encodeURIComponent(email)}` : ''}`, 303);

  typed.get('/admin/users', listRoute, async (request, reply) => showList(request, reply));

  typed.post('/admin/users/invite', listRoute, async (request, reply) => {
    const { ctx } = await formPage(db, request, reply);
    const input = readInviteForm(formBody(request), ctx);
    const journal = /^\d{1,9}$/.test(input.form.journal) ? (await journalRows()).find((j) => j.id === Number(input.form.journal)) : undefined;
    if (!journal) input.form.errors.journal = ctx.t('invite.journalRequired');
    const result = journal ? await inviteOrAssign({ ...deps, baseUrl: deps.baseUrl }, request, reply, ctx, journal, input) : { kind: 'refused' as const, status: 400 };
    if (result.kind === 'refused') return showList(request, reply, input.form, result.status);
    return listDone(reply, result.kind, result.email);
  });

  const idParam = (request: WithParams<typeof IdParams>) => parseId(request.params.id);

  typed.post('/admin/invitations/:id/resend', invitationRoute, async (request, reply) => {
    const { ctx } = await formPage(db, request, reply);
    const now = clock.now();
    const result = await resendInvitation(db, idParam(request), undefined, request.viewer.user!.userId, now);
    if (result.kind === 'gone') throw new NotFoundError();
    if (result.kind === 'throttled') return showList(request, reply, { ...EMPTY_INVITE, errors: { '': ctx.t('invite.throttled', { minutes: waitMinutes(reply, result.until, now) }) } }, 429);
    const journal = (await journalRows()).find((j) => j.id === result.invitation.journalId)!;
    const id = await storeInvitationMail(db, { invitation: result.invitation, token: result.token, journal, inviterName: viewerName(request.viewer.user!, result.invitation.locale ?? ctx.locale), baseUrl: deps.baseUrl });
    await deps.mailer.deliver(id);
    return listDone(reply, 'resent', result.invitation.email);
  });

  typed.get('/admin/invitations/:id/revoke', invitationRoute, async (request, reply) => {
    const { ctx } = await formPage(db, request, reply);
    const invitation = await findOpenInvitation(db, idParam(request));
    if (!invitation) throw new NotFoundError();
    return sendPrivatePage(
      reply,
      SiteConfirmPage({
        ctx,
        title: ctx.t('invite.revoke'),
        confirm: { action: `/admin/invitations/${invitation.id}/revoke`, question: ctx.t('invite.revokeQuestion', { email: `${personDisplayName(ctx, invitation)} <${invitation.email}>` }), consequences: [ctx.t('invite.revokeConsequence'), ctx.t('invite.revokeKeeps')], label: ctx.t('invite.revoke') },
        backHref: '/admin/users',
      }),
    );
  });

  typed.post('/admin/invitations/:id/revoke', invitationRoute, async (request, reply) => {
    const invitation = await findOpenInvitation(db, idParam(request));
    if (!invitation || !(await revokeInvitation(db, invitation.id, undefined, clock.now()))) throw new NotFoundError();
    return listDone(reply, 'revoked', invitation.email);
  });

  const emptyNewUser: NewUserForm = { givenName: '', familyName: '', email: '', journal: '', roles: [], passwordMode: 'mail', errors: {} };

  app.get('/admin/users/new', admin, async (request, reply) => {
    const { ctx } = await formPage(db, request, reply);
    return sendPrivatePage(reply, NewUserPage({ ctx, form: emptyNewUser, journals: await journalRows(), days: INVITATION_DAYS }));
  });

  app.post('/admin/users/new', admin, async (request, reply) => {
    const { ctx, site } = await formPage(db, request, reply);
    const body = formBody(request);
    const journals = await journalRows();
    const roles = formRoles(body);
    const form: NewUserForm = {
      givenName: formText(body, 'givenName', 200),
      familyName: formText(body, 'familyName', 200),
      email: formText(body, 'email', 254),
      journal: formText(body, 'journal', 10),
      roles,
      passwordMode: formText(body, 'passwordMode', 10) === 'set' ? 'set' : 'mail',
      errors: {},
    };
    const errors = form.errors;
    if (form.givenName === '') errors.givenName = ctx.t('field.givenNameRequired');
    const email = normaliseEmail(form.email);
    if (!email) errors.email = ctx.t('field.emailInvalid');
    else if (await findUserByEmail(db, email)) errors.email = ctx.t('newUser.emailTaken');
    const journal = journals.find((j) => String(j.id) === form.journal);
    if (roles.length > 0 && !journal) errors.journal = ctx.t('invite.journalRequired');
    const password = formSecret(body, 'password');
    if (form.passwordMode === 'set') Object.assign(errors, newPasswordErrors(ctx.t, password, formSecret(body, 'password2'), email ?? undefined));
    if (Object.keys(errors).length > 0 || !email) return sendPrivatePage(reply, NewUserPage({ ctx, form, journals, days: INVITATION_DAYS }), 400);

    const now = clock.now();
    const locale = site.primaryLocale;
    const passwordHash = form.passwordMode === 'set' ? await hashPassword(password) : null;
    const created = await db.transaction().execute(async (trx) => {
      // A password the administrator typed is as good as a confirmed address; a mailed link confirms it when used.
      const user = await insertUser(
        trx,
        { email, givenName: { [locale]: form.givenName }, familyName: form.familyName ? { [locale]: form.familyName } : {}, affiliation: {}, orcid: null, country: null, preferredLocale: null, privacyConsentAt: null, emailVerifiedAt: passwordHash ? now : null },
        passwordHash,
      );
      if (!user) return undefined;
      for (const role of roles) await assignRole(trx, user.id, journal!.id, role);
      if (passwordHash) return { user, outboxId: undefined };
      const token = await issueAccountToken(trx, user.id, 'reset-password', now, null, null, INVITATION_DAYS * 24 * 3600 * 1000);
      const outboxId = await storeTemplated(trx, {
        to: email,
        key: 'account-created',
        locale,
        journalId: null,
        variables: { name: personName(user, locale) ?? email, siteName: localizeText(site.title, locale, site.primaryLocale) || 'Revista', email, link: `${deps.baseUrl}/login/resetPassword?token=${token}`, expiresDays: String(INVITATION_DAYS) },
      });
      return { user, outboxId };
    });
    if (!created) {
      errors.email = ctx.t('newUser.emailTaken');
      return sendPrivatePage(reply, NewUserPage({ ctx, form, journals, days: INVITATION_DAYS }), 400);
    }
    if (created.outboxId !== undefined) await deps.mailer.deliver(created.outboxId);
    request.log.info({ userId: created.user.id }, 'account created by administrator');
    return reply.redirect(`/admin/users/${created.user.id}?notice=${created.outboxId === undefined ? 'created' : 'createdMailed'}&email=${encodeURIComponent(email)}`, 303);
  });

  async function userRoles(id: number): Promise<UserListRole[]> {
    const rows = await db
      .selectFrom('role_assignments')
      .leftJoin('journals', 'journals.id', 'role_assignments.journal_id')
      .select(['role_assignments.journal_id', 'journals.path', 'journals.name', 'role_assignments.role'])
      .where('user_id', '=', id)
      .orderBy('role_assignments.id')
      .execute();
    return rows.map((r) => ({ journalId: r.journal_id, journal: r.path, journalName: r.name, role: r.role }));
  }

  async function showUser(request: WithParams<typeof IdParams> & WithQuery<typeof PersonQuery>, reply: FastifyReply, errors: Record<string, string> = {}, status = 200) {
    const { ctx } = await formPage(db, request, reply);
    const id = idParam(request);
    const user = await findUser(db, id);
    if (!user) throw new NotFoundError();
    const detail: UserDetail = {
      id,
      email: user.email,
      givenName: user.given_name,
      familyName: user.family_name,
      verified: user.email_verified_at !== null,
      disabled: user.disabled_at !== null,
      disabledReason: user.disabled_reason,
      deletionRequestedAt: user.deletion_requested_at,
      createdAt: user.created_at,
      lastLoginAt: user.last_login_at,
      roles: await userRoles(id),
    };
    const notice = noticeText(request.query, ctx.t as never, DETAIL_NOTICES);
    return sendPrivatePage(reply, UserDetailPage({ ctx, user: detail, journals: await journalRows(), errors, notice }), status);
  }

  const backToUser = (reply: FastifyReply, id: number, notice: keyof typeof DETAIL_NOTICES) => reply.redirect(`/admin/users/${id}?notice=${notice}`, 303);

  typed.get('/admin/users/:id', personRoute, async (request, reply) => showUser(request, reply));

  typed.post('/admin/users/:id/roles', personRoute, async (request, reply) => {
    const { ctx } = await formPage(db, request, reply);
    const id = idParam(request);
    if (!(await findUser(db, id))) throw new NotFoundError();
    const body = formBody(request);
    const role = formText(body, 'role', 30) as RoleName;
    const journalText = formText(body, 'journal', 12);
    const journalId = /^\d{1,9}$/.test(journalText) ? Number(journalText) : -1;
    if (!(ROLE_CHOICES as readonly string[]).includes(role)) return showUser(request, reply, { role: ctx.t('admin.roleInvalid') }, 400);
    if (role === 'admin' ? journalId !== 0 : journalId <= 0 || !(await db.selectFrom('journals').select('id').where('id', '=', journalId).executeTakeFirst())) {
      return showUser(request, reply, { journal: ctx.t('admin.roleJournalMismatch') }, 400);
    }
    await assignRole(db, id, role === 'admin' ? null : journalId, role);
    return backToUser(reply, id, 'roleAdded');
  });

  /** The person and the role named by `assignment` (journal id, 0 for the site, and role), or 404. */
  async function assignmentOf(request: WithParams<typeof IdParams> & WithQuery<typeof PersonQuery>) {
    const id = idParam(request);
    const source = request.method === 'POST' ? { ...request.query, ...formBody(request) } : request.query;
    const [journalText, role] = formText(source, 'assignment', 60).split(':');
    if (!journalText || !/^\d{1,9}$/.test(journalText) || !(ROLE_CHOICES as readonly string[]).includes(role ?? '')) throw new NotFoundError();
    const journalId = role === 'admin' ? null : Number(journalText);
    const holds = (await userRoles(id)).find((r) => r.role === role && r.journalId === journalId);
    const user = holds && (await findUser(db, id));
    if (!user || !holds) throw new NotFoundError();
    return { user, held: holds, role: role as RoleName, journalId };
  }

  async function removalPage(request: WithParams<typeof IdParams> & WithQuery<typeof PersonQuery>, reply: FastifyReply, refusal: ReturnType<typeof removalRefusal> extends Promise<infer R> ? R : never, status: number) {
    const { ctx } = await formPage(db, request, reply);
    const { user, held, role, journalId } = await assignmentOf(request);
    const name = personName(user, ctx.locale) ?? user.email;
    const journal = (held.journalName && localizeText(held.journalName, ctx.locale)) || held.journal || '';
    const roleName = ctx.t(`role.${role}`);
    const consequences = [ctx.t('remove.consequence', { name }), ...(role === 'section-editor' ? [ctx.t('remove.sectionsToo')] : [])];
    return sendPrivatePage(
      reply,
      SiteConfirmPage({
        ctx,
        title: refusal ? ctx.t('remove.refusedTitle') : ctx.t('admin.removeRole'),
        refusal: refusal ? refusalMessage({ ctx }, refusal, { name, journal, role: roleName }) : undefined,
        confirm: { action: `/admin/users/${user.id}/roles/remove?assignment=${journalId ?? 0}:${role}`, question: role === 'admin' ? ctx.t('remove.questionSite', { name }) : ctx.t('remove.question', { role: roleName, name, journal }), consequences, label: ctx.t('remove.submit') },
        backHref: `/admin/users/${user.id}`,
      }),
      status,
    );
  }

  typed.get('/admin/users/:id/roles/remove', personRoute, async (request, reply) => {
    const { user, role, journalId } = await assignmentOf(request);
    const refusal = await removalRefusal(db, { actorId: request.viewer.user!.userId, userId: user.id, journalId, role });
    return removalPage(request, reply, refusal, refusal ? 409 : 200);
  });

  typed.post('/admin/users/:id/roles/remove', personRoute, async (request, reply) => {
    const { user, role, journalId } = await assignmentOf(request);
    const refusal = await removeRoleGuarded(db, { actorId: request.viewer.user!.userId, userId: user.id, journalId, role });
    if (refusal) return removalPage(request, reply, refusal, 409);
    return backToUser(reply, user.id, 'roleRemoved');
  });

  siteUserActionRoutes(app, deps, { showUser, backToUser: (reply, id, notice) => backToUser(reply, id, notice), idParam });
}
