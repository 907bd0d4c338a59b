import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Kysely } from 'kysely';
import { assignRole, findUserByEmail, findUser, listUsers, normaliseEmail, personName, removeRole, sendPrivatePage } from '../accounts/index.ts';
import { listSections } from '../catalog/index.ts';
import type { Database, RoleName } from '../db/index.ts';
import { formBody, formList, formText } from '../http/forms.ts';
import { NotFoundError, parseId } from '../http/index.ts';
import { localizeText } from '../i18n/index.ts';
import { sendTemplated, type Mailer } from '../mail/index.ts';
import type { FormErrors } from '../ui/index.ts';
import { manageContext, noticeFrom } from './manage-context.ts';
import { JOURNAL_ROLE_CHOICES, JournalUsersPage } from './views/journal-users.tsx';

const usersPermission = { config: { permission: 'journal.users' as const } };

/** A journal's people: who has which role in it, and which sections each section editor handles. */
export function journalUserRoutes(app: FastifyInstance, deps: { db: Kysely<Database>; mailer: Mailer; baseUrl: string }): void {
  const { db } = deps;

  async function show(request: FastifyRequest, reply: FastifyReply, errors: FormErrors = {}, status = 200) {
    const m = await manageContext(db, request, reply);
    const { users } = await listUsers(db, { journalId: m.journal.id, limit: 500, offset: 0 });
    const sections = await listSections(db, m.journal.id);
    const rows = sections.length
      ? await db.selectFrom('section_editor_sections').selectAll().where('section_id', 'in', sections.map((s) => s.id)).execute()
      : [];
    const assignments = new Map<number, Set<number>>();
    for (const row of rows) assignments.set(row.user_id, (assignments.get(row.user_id) ?? new Set()).add(row.section_id));
    const notice = noticeFrom(request, ['saved']) ? m.ctx.t('admin.saved') : undefined;
    return sendPrivatePage(reply, JournalUsersPage({ ...m, users, sections, sectionAssignments: assignments, errors, notice }), status);
  }

  const base = (request: FastifyRequest) => `/${request.viewer.journal!.path}/management/users`;

  app.get('/:journal/management/users', usersPermission, async (request, reply) => show(request, reply));

  app.post('/:journal/management/users', usersPermission, async (request, reply) => {
    const m = await manageContext(db, request, reply);
    const body = formBody(request);
    const email = normaliseEmail(formText(body, 'email', 254));
    const role = formText(body, 'role', 30);
    // Managers see only their journal's people: an unknown address says so, which reveals no more than OJS's user search.
    const user = email ? await findUserByEmail(db, email) : undefined;
    if (!user) return show(request, reply, { email: m.ctx.t('manage.userUnknown') }, 400);
    if (!(JOURNAL_ROLE_CHOICES as readonly string[]).includes(role)) return show(request, reply, { role: m.ctx.t('admin.roleInvalid') }, 400);
    await assignRole(db, user.id, m.journal.id, role as RoleName);
    const locale = user.preferred_locale ?? m.journal.primary_locale;
    await sendTemplated(db, deps.mailer, {
      to: user.email,
      key: 'role-assigned',
      locale,
      journalId: m.journal.id,
      variables: {
        name: personName(user, locale) ?? user.email,
        siteName: 'Revista',
        journalName: localizeText(m.journal.name, locale, m.journal.primary_locale),
        role: m.ctx.t(`role.${role as (typeof JOURNAL_ROLE_CHOICES)[number]}`),
        loginLink: `${deps.baseUrl}/${m.journal.path}/login`,
      },
    });
    return reply.redirect(`${base(request)}?notice=saved`, 303);
  });

  app.post('/:journal/management/users/:id/roles/remove', usersPermission, async (request, reply) => {
    const id = parseId((request.params as { id: string }).id);
    const role = formText(formBody(request), 'role', 30);
    if (!(JOURNAL_ROLE_CHOICES as readonly string[]).includes(role) || !(await findUser(db, id))) throw new NotFoundError();
    await removeRole(db, id, request.viewer.journal!.id, role as RoleName);
    return reply.redirect(`${base(request)}?notice=saved`, 303);
  });

  app.post('/:journal/management/users/:id/sections', usersPermission, async (request, reply) => {
    const id = parseId((request.params as { id: string }).id);
    const journalId = request.viewer.journal!.id;
    const sections = await listSections(db, journalId);
    const chosen = formList(formBody(request), 'sections').map(Number).filter((s) => sections.some((x) => x.id === s));
    await db.transaction().execute(async (trx) => {
      await trx.deleteFrom('section_editor_sections').where('user_id', '=', id).where('section_id', 'in', sections.length ? sections.map((s) => s.id) : [0]).execute();
      if (chosen.length) await trx.insertInto('section_editor_sections').values(chosen.map((sectionId) => ({ user_id: id, section_id: sectionId }))).execute();
    });
    return reply.redirect(`${base(request)}?notice=saved`, 303);
  });
}
