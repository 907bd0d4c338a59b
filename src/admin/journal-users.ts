import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Kysely } from 'kysely';
import { findOpenInvitation, listOpenInvitations, listUsers, removalRefusal, removeRoleGuarded, resendInvitation, revokeInvitation, storeInvitationMail, viewerName, waitMinutes, findUser, personName, setSectionEditorSections, type RemovalRefusal } from '../accounts/index.ts';
import { sendPrivatePage } from '../platform/web/index.ts';
import { listSections } from '../catalog/index.ts';
import type { Clock } from '../clock.ts';
import type { Database, RoleName } from '../db/index.ts';
import { formBody, formList, formText } from '../platform/http/forms.ts';
import { NotFoundError, parseId } from '../platform/http/index.ts';
import { localizeText } from '../i18n/index.ts';
import type { Mailer } from '../mail/index.ts';
import { INVITATION_DAYS, inviteOrAssign, readInviteForm } from './invite-person.ts';
import { manageContext, type ManageContext } from './manage-context.ts';
import { PEOPLE_PAGE_SIZE, readPeopleQuery } from './people-query.ts';
import { JOURNAL_ROLE_CHOICES, JournalConfirmPage, JournalUsersPage } from './views/journal-users.tsx';
import { EMPTY_INVITE, personDisplayName, type InviteFormValues } from './views/people.tsx';
import { IdParams, PeopleListQuery, PersonQuery, type WithParams, type WithQuery } from './schemas.ts';

const usersPermission = { config: { permission: 'journal.users' as const } };

/** Notices after a redirect: the key, and the address it names (shown escaped, as typed by the team). */
const NOTICES = { saved: 'people.saved', roleRemoved: 'people.roleRemoved', invited: 'invite.sent', assigned: 'invite.assigned', resent: 'invite.resent', revoked: 'invite.revoked' } as const;

export function refusalMessage(m: Pick<ManageContext, 'ctx'>, refusal: RemovalRefusal, names: { name: string; journal: string; role: string }): string {
  const { t } = m.ctx;
  switch (refusal) {
    case 'last-manager':
      return t('remove.lastManager', { name: names.name, journal: names.journal });
    case 'own-role':
      return t('remove.ownRole', { role: names.role });
    case 'own-admin':
      return t('remove.ownAdmin');
    case 'last-admin':
      return t('admin.lastAdmin');
  }
}

/** A request to a person's address in the journal, checked: `…/users/:id/…` with its query. */
type PersonRequest = WithParams<typeof IdParams> & WithQuery<typeof PersonQuery>;

/** A journal's people: who has which role in it, invitations, and which sections each section editor handles. */
export function journalUserRoutes(app: FastifyInstance, deps: { db: Kysely<Database>; mailer: Mailer; baseUrl: string; clock: Clock }): void {
  const typed = app.withTypeProvider<TypeBoxTypeProvider>();
  const { db, clock } = deps;

  const listRoute = { ...usersPermission, schema: { querystring: PeopleListQuery } };
  const personRoute = { ...usersPermission, schema: { params: IdParams, querystring: PersonQuery } };
  const invitationRoute = { ...usersPermission, schema: { params: IdParams, querystring: PeopleListQuery } };

  async function show(request: WithQuery<typeof PeopleListQuery>, reply: FastifyReply, invite: InviteFormValues = EMPTY_INVITE, status = 200) {
    const m = await manageContext(db, request, reply);
    const query = readPeopleQuery(request.query, { adminRole: false });
    const { users, total, more } = await listUsers(db, {
      journalId: m.journal.id,
      search: query.search,
      role: query.role === '' ? undefined : (query.role as RoleName),
      sort: query.sort,
      dir: query.dir,
      limit: PEOPLE_PAGE_SIZE,
      offset: (query.page - 1) * PEOPLE_PAGE_SIZE,
    });
    const sections = await listSections(db, m.journal.id);
    const shownIds = users.map((u) => u.id);
    const rows = sections.length && shownIds.length
      ? await db.selectFrom('section_editor_sections').selectAll().where('section_id', 'in', sections.map((s) => s.id)).where('user_id', 'in', shownIds).execute()
      : [];
    const assignments = new Map<number, Set<number>>();
    for (const row of rows) assignments.set(row.user_id, (assignments.get(row.user_id) ?? new Set()).add(row.section_id));
    const noticeName = formText(request.query, 'notice', 40);
    const key = Object.hasOwn(NOTICES, noticeName) ? NOTICES[noticeName as keyof typeof NOTICES] : undefined;
    const notice = key ? m.ctx.t(key, { email: formText(request.query, 'email', 254) }) : undefined;
    const invitations = await listOpenInvitations(db, m.journal.id);
    const pages = Math.max(1, Math.ceil(total / PEOPLE_PAGE_SIZE));
    return sendPrivatePage(reply, JournalUsersPage({ ...m, users, total, more, query, pages, sections, sectionAssignments: assignments, invitations, invite, days: INVITATION_DAYS, now: clock.now(), notice }), status);
  }

  const base = (request: FastifyRequest) => `/${request.viewer.journal!.path}/management/users`;
  const done = (request: FastifyRequest, reply: FastifyReply, notice: keyof typeof NOTICES, email?: string) =>
    reply.redirect(`${base(request)}?notice=${notice}${email ? `&email=${encodeURIComponent(email)}` : ''}`, 303);

  typed.get('/:journal/management/users', listRoute, async (request, reply) => show(request, reply));

  // Add someone with an account, or invite someone without one.
  typed.post('/:journal/management/users', listRoute, async (request, reply) => {
    const m = await manageContext(db, request, reply);
    const input = readInviteForm(formBody(request), m.ctx);
    const result = await inviteOrAssign(deps, request, reply, m.ctx, m.journal, input);
    if (result.kind === 'refused') return show(request, reply, input.form, result.status);
    return done(request, reply, result.kind, result.email);
  });

  /** The person and their role in this journal named by the address, or 404. */
  async function roleToRemove(request: PersonRequest) {
    const id = parseId(request.params.id);
    const role = formText({ ...request.query, ...(request.method === 'POST' ? formBody(request) : {}) }, 'role', 30);
    if (!(JOURNAL_ROLE_CHOICES as readonly string[]).includes(role)) throw new NotFoundError();
    const journalId = request.viewer.journal!.id;
    const holds = await db.selectFrom('role_assignments').select('id').where('user_id', '=', id).where('journal_id', '=', journalId).where('role', '=', role as RoleName).executeTakeFirst();
    const user = holds && (await findUser(db, id));
    if (!user) throw new NotFoundError();
    return { user, role: role as RoleName, journalId };
  }

  async function removalPage(request: PersonRequest, reply: FastifyReply, refusal: RemovalRefusal | undefined, status: number) {
    const m = await manageContext(db, request, reply);
    const { user, role } = await roleToRemove(request);
    const name = personName(user, m.ctx.locale) ?? user.email;
    const journal = localizeText(m.journal.name, m.ctx.locale, m.journal.primary_locale) || m.journal.path;
    const roleName = m.ctx.t(`role.${role as (typeof JOURNAL_ROLE_CHOICES)[number]}`);
    const consequences = [m.ctx.t('remove.consequence', { name }), ...(role === 'section-editor' ? [m.ctx.t('remove.sectionsToo')] : [])];
    return sendPrivatePage(
      reply,
      JournalConfirmPage({
        ...m,
        title: refusal ? m.ctx.t('remove.refusedTitle') : m.ctx.t('admin.removeRole'),
        refusal: refusal ? refusalMessage(m, refusal, { name, journal, role: roleName }) : undefined,
        confirm: { action: `${base(request)}/${user.id}/roles/remove?role=${role}`, question: m.ctx.t('remove.question', { role: roleName, name, journal }), consequences, label: m.ctx.t('remove.submit') },
        backHref: base(request),
      }),
      status,
    );
  }

  typed.get('/:journal/management/users/:id/roles/remove', personRoute, async (request, reply) => {
    const { user, role, journalId } = await roleToRemove(request);
    const refusal = await removalRefusal(db, { actorId: request.viewer.user!.userId, userId: user.id, journalId, role });
    return removalPage(request, reply, refusal, refusal ? 409 : 200);
  });

  typed.post('/:journal/management/users/:id/roles/remove', personRoute, async (request, reply) => {
    const { user, role, journalId } = await roleToRemove(request);
    const refusal = await removeRoleGuarded(db, { actorId: request.viewer.user!.userId, userId: user.id, journalId, role });
    if (refusal) return removalPage(request, reply, refusal, 409);
    request.log.info({ userId: user.id, journalId, role }, 'role removed');
    return done(request, reply, 'roleRemoved');
  });

  typed.post('/:journal/management/users/:id/sections', personRoute, async (request, reply) => {
    const id = parseId(request.params.id);
    const journalId = request.viewer.journal!.id;
    const sections = await listSections(db, journalId);
    const chosen = formList(formBody(request), 'sections').map(Number).filter((s) => sections.some((x) => x.id === s));
    await setSectionEditorSections(db, id, sections.map((s) => s.id), chosen);
    return done(request, reply, 'saved');
  });

  const invitationId = (request: WithParams<typeof IdParams>) => parseId(request.params.id);

  typed.post('/:journal/management/users/invitations/:id/resend', invitationRoute, async (request, reply) => {
    const m = await manageContext(db, request, reply);
    const now = clock.now();
    const result = await resendInvitation(db, invitationId(request), m.journal.id, request.viewer.user!.userId, now);
    if (result.kind === 'gone') throw new NotFoundError();
    if (result.kind === 'throttled') {
      return show(request, reply, { ...EMPTY_INVITE, errors: { '': m.ctx.t('invite.throttled', { minutes: waitMinutes(reply, result.until, now) }) } }, 429);
    }
    const id = await storeInvitationMail(db, { invitation: result.invitation, token: result.token, journal: m.journal, inviterName: viewerName(request.viewer.user!, result.invitation.locale ?? m.ctx.locale), baseUrl: deps.baseUrl });
    await deps.mailer.deliver(id);
    return done(request, reply, 'resent', result.invitation.email);
  });

  typed.get('/:journal/management/users/invitations/:id/revoke', invitationRoute, async (request, reply) => {
    const m = await manageContext(db, request, reply);
    const invitation = await findOpenInvitation(db, invitationId(request), m.journal.id);
    if (!invitation) throw new NotFoundError();
    return sendPrivatePage(
      reply,
      JournalConfirmPage({
        ...m,
        title: m.ctx.t('invite.revoke'),
        confirm: {
          action: `${base(request)}/invitations/${invitation.id}/revoke`,
          question: m.ctx.t('invite.revokeQuestion', { email: `${personDisplayName(m.ctx, invitation)} <${invitation.email}>` }),
          consequences: [m.ctx.t('invite.revokeConsequence'), m.ctx.t('invite.revokeKeeps')],
          label: m.ctx.t('invite.revoke'),
        },
        backHref: base(request),
      }),
    );
  });

  typed.post('/:journal/management/users/invitations/:id/revoke', invitationRoute, async (request, reply) => {
    const invitation = await findOpenInvitation(db, invitationId(request), request.viewer.journal!.id);
    if (!invitation || !(await revokeInvitation(db, invitation.id, request.viewer.journal!.id, clock.now()))) throw new NotFoundError();
    return done(request, reply, 'revoked', invitation.email);
  });
}
