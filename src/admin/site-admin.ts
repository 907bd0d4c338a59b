import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Kysely } from 'kysely';
import { findUser, findUserByEmail, formPage, listUsers, mergeUsers, normaliseEmail, removeRole, assignRole, sendPrivatePage, setDisabled } from '../accounts/index.ts';
import type { Clock } from '../clock.ts';
import type { Database, RoleName } from '../db/index.ts';
import { formBody, formChecked, formList, formLocalized, formText, type FormBody } from '../http/forms.ts';
import { NotFoundError, parseId } from '../http/index.ts';
import { isUiLocale, UI_LOCALES, type Translate } from '../i18n/index.ts';
import { findOutboxEntry, listOutbox, type Mailer } from '../mail/index.ts';
import type { FormErrors } from '../ui/index.ts';
import { OutboxMailPage, OutboxPage } from './views/outbox.tsx';
import { AdminOverviewPage, SiteSettingsPage, type SiteForm } from './views/site.tsx';
import { ROLE_CHOICES, UserDetailPage, UserListPage, type UserDetail } from './views/users.tsx';

export interface AdminDeps {
  db: Kysely<Database>;
  clock: Clock;
  mailer: Mailer;
}

const PAGE_SIZE = 25;
const admin = { config: { permission: 'site.admin' as const } };

/** `?search=` as typed, without control characters (PostgreSQL text holds no NUL), at most 200 characters. */
function searchText(request: FastifyRequest): string {
  return formText(request.query as FormBody, 'search', 200);
}

function pageParam(request: FastifyRequest): number {
  const raw = (request.query as { page?: string }).page;
  return raw && /^\d{1,6}$/.test(raw) && Number(raw) > 0 ? Number(raw) : 1;
}

/** Locales chosen in a form: supported ones from the checkboxes, and a primary that is one of them. */
export function readLocales(body: Record<string, unknown>, t: Translate, errors: FormErrors): { primary: string; supported: string[] } {
  const supported = formList(body, 'supportedLocales').filter(isUiLocale);
  const primary = formText(body, 'primaryLocale', 10);
  if (supported.length === 0) errors.supportedLocales = t('admin.localesRequired');
  if (!isUiLocale(primary) || !supported.includes(primary)) errors.primaryLocale = t('admin.primaryNotSupported');
  return { primary, supported };
}

/** Site administration: journals, site settings, users and their roles, the mail outbox. */
export function siteAdminRoutes(app: FastifyInstance, deps: AdminDeps): void {
  const { db, clock } = deps;

  app.get('/admin', admin, async (request, reply) => {
    const { ctx } = await formPage(db, request, reply);
    const count = async (table: 'journals' | 'users' | 'mail_outbox') => Number((await db.selectFrom(table).select((eb) => eb.fn.countAll<string>().as('n')).executeTakeFirstOrThrow()).n);
    const deletionRequests = Number((await db.selectFrom('users').select((eb) => eb.fn.countAll<string>().as('n')).where('deletion_requested_at', 'is not', null).executeTakeFirstOrThrow()).n);
    return sendPrivatePage(reply, AdminOverviewPage({ ctx, counts: { journals: await count('journals'), users: await count('users'), outbox: await count('mail_outbox'), deletionRequests } }));
  });

  const journalRows = () => db.selectFrom('journals').select(['id', 'path', 'name', 'enabled']).orderBy('seq').orderBy('id').execute();

  app.get('/admin/settings', admin, async (request, reply) => {
    const { ctx } = await formPage(db, request, reply);
    const site = await db.selectFrom('site').selectAll().executeTakeFirstOrThrow();
    const form: SiteForm = { title: site.title, primaryLocale: site.primary_locale, supportedLocales: site.supported_locales, contactEmail: site.contact_email ?? '', errors: {} };
    const saved = (request.query as { saved?: string }).saved;
    return sendPrivatePage(reply, SiteSettingsPage({ ctx, form, notice: saved ? ctx.t('admin.saved') : undefined }));
  });

  app.post('/admin/settings', admin, async (request, reply) => {
    const { ctx } = await formPage(db, request, reply);
    const body = formBody(request);
    const errors: FormErrors = {};
    const title = formLocalized(body, 'title', UI_LOCALES, 300);
    if (Object.keys(title).length === 0) errors.title = ctx.t('admin.siteTitleRequired');
    const { primary, supported } = readLocales(body, ctx.t, errors);
    const contactText = formText(body, 'contactEmail', 254);
    const contactEmail = contactText === '' ? null : normaliseEmail(contactText);
    if (contactText !== '' && !contactEmail) errors.contactEmail = ctx.t('field.emailInvalid');
    const form: SiteForm = { title, primaryLocale: primary, supportedLocales: supported, contactEmail: contactText, errors };
    if (Object.keys(errors).length > 0) return sendPrivatePage(reply, SiteSettingsPage({ ctx, form }), 400);
    await db.updateTable('site').set({ title: JSON.stringify(title), primary_locale: primary, supported_locales: supported, contact_email: contactEmail }).execute();
    return reply.redirect('/admin/settings?saved=1', 303);
  });

  app.get('/admin/users', admin, async (request, reply) => {
    const { ctx } = await formPage(db, request, reply);
    const query = request.query as { search?: string; journal?: string };
    const search = searchText(request);
    const page = pageParam(request);
    const journalId = query.journal && /^\d{1,9}$/.test(query.journal) ? Number(query.journal) : undefined;
    const { users, total } = await listUsers(db, { search, journalId, limit: PAGE_SIZE, offset: (page - 1) * PAGE_SIZE });
    return sendPrivatePage(reply, UserListPage({ ctx, users, total, page, pages: Math.max(1, Math.ceil(total / PAGE_SIZE)), search }));
  });

  async function showUser(request: FastifyRequest, reply: FastifyReply, errors: FormErrors = {}, notice?: string, status = 200) {
    const { ctx } = await formPage(db, request, reply);
    const id = parseId((request.params as { id: string }).id);
    const user = await findUser(db, id);
    if (!user) throw new NotFoundError();
    const roles = await db
      .selectFrom('role_assignments')
      .leftJoin('journals', 'journals.id', 'role_assignments.journal_id')
      .select(['role_assignments.journal_id', 'journals.path', 'role_assignments.role'])
      .where('user_id', '=', id)
      .orderBy('role_assignments.id')
      .execute();
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
      roles: roles.map((r) => ({ journalId: r.journal_id, journal: r.path, role: r.role })),
    };
    return sendPrivatePage(reply, UserDetailPage({ ctx, user: detail, journals: await journalRows(), errors, notice }), status);
  }

  const userId = (request: FastifyRequest) => parseId((request.params as { id: string }).id);
  const backToUser = (reply: FastifyReply, id: number, notice: string) => reply.redirect(`/admin/users/${id}?notice=${notice}`, 303);

  app.get('/admin/users/:id', admin, async (request, reply) => {
    const { ctx } = await formPage(db, request, reply);
    const notice = (request.query as { notice?: string }).notice;
    const known = ['roleAdded', 'roleRemoved', 'disabled', 'enabled'] as const;
    return showUser(request, reply, {}, known.find((k) => k === notice) ? ctx.t(`admin.notice.${notice as (typeof known)[number]}`) : undefined);
  });

  app.post('/admin/users/:id/roles', admin, async (request, reply) => {
    const { ctx } = await formPage(db, request, reply);
    const id = userId(request);
    if (!(await findUser(db, id))) throw new NotFoundError();
    const body = formBody(request);
    const role = formText(body, 'role', 30) as RoleName;
    const journalText = formText(body, 'journal', 12);
    const journalId = /^\d{1,9}$/.test(journalText) ? Number(journalText) : -1;
    if (!(ROLE_CHOICES as readonly string[]).includes(role)) return showUser(request, reply, { role: ctx.t('admin.roleInvalid') }, undefined, 400);
    if (role === 'admin' ? journalId !== 0 : journalId <= 0 || !(await db.selectFrom('journals').select('id').where('id', '=', journalId).executeTakeFirst())) {
      return showUser(request, reply, { journal: ctx.t('admin.roleJournalMismatch') }, undefined, 400);
    }
    await assignRole(db, id, role === 'admin' ? null : journalId, role);
    return backToUser(reply, id, 'roleAdded');
  });

  app.post('/admin/users/:id/roles/remove', admin, async (request, reply) => {
    const id = userId(request);
    const [journalText, role] = formText(formBody(request), 'assignment', 60).split(':');
    if (!journalText || !/^\d{1,9}$/.test(journalText) || !(ROLE_CHOICES as readonly string[]).includes(role ?? '')) throw new NotFoundError();
    const journalId = Number(journalText) === 0 ? null : Number(journalText);
    // The last administrator keeps the role: without one nobody could administer the site.
    if (role === 'admin') {
      const admins = await db.selectFrom('role_assignments').select('user_id').where('role', '=', 'admin').execute();
      if (admins.length === 1 && admins[0]!.user_id === id) {
        const { ctx } = await formPage(db, request, reply);
        return showUser(request, reply, { '': ctx.t('admin.lastAdmin') }, undefined, 409);
      }
    }
    await removeRole(db, id, journalId, role as RoleName);
    return backToUser(reply, id, 'roleRemoved');
  });

  app.post('/admin/users/:id/disable', admin, async (request, reply) => {
    const { ctx } = await formPage(db, request, reply);
    const id = userId(request);
    if (!(await findUser(db, id))) throw new NotFoundError();
    if (id === request.viewer.user?.userId) return showUser(request, reply, { '': ctx.t('admin.notYourself') }, undefined, 409);
    await setDisabled(db, id, true, formText(formBody(request), 'reason', 500) || null, clock.now());
    return backToUser(reply, id, 'disabled');
  });

  app.post('/admin/users/:id/enable', admin, async (request, reply) => {
    const id = userId(request);
    if (!(await findUser(db, id))) throw new NotFoundError();
    await setDisabled(db, id, false, null, clock.now());
    return backToUser(reply, id, 'enabled');
  });

  app.post('/admin/users/:id/merge', admin, async (request, reply) => {
    const { ctx } = await formPage(db, request, reply);
    const id = userId(request);
    if (!(await findUser(db, id))) throw new NotFoundError();
    const body = formBody(request);
    const email = normaliseEmail(formText(body, 'into', 254));
    const keep = email ? await findUserByEmail(db, email) : undefined;
    if (!keep) return showUser(request, reply, { into: ctx.t('admin.mergeTargetUnknown') }, undefined, 400);
    if (keep.id === id) return showUser(request, reply, { into: ctx.t('admin.mergeSame') }, undefined, 400);
    if (!formChecked(body, 'confirm')) return showUser(request, reply, { confirm: ctx.t('admin.confirmRequired') }, undefined, 400);
    if (id === request.viewer.user?.userId) return showUser(request, reply, { '': ctx.t('admin.notYourself') }, undefined, 409);
    await mergeUsers(db, id, keep.id);
    request.log.info({ merged: id, into: keep.id }, 'users merged');
    return reply.redirect(`/admin/users/${keep.id}?notice=roleAdded`, 303);
  });

  app.post('/admin/users/:id/delete', admin, async (request, reply) => {
    const { ctx } = await formPage(db, request, reply);
    const id = userId(request);
    const user = await findUser(db, id);
    if (!user) throw new NotFoundError();
    if (!formChecked(formBody(request), 'confirm')) return showUser(request, reply, { deleteConfirm: ctx.t('admin.confirmRequired') }, undefined, 400);
    if (id === request.viewer.user?.userId) return showUser(request, reply, { '': ctx.t('admin.notYourself') }, undefined, 409);
    await db.deleteFrom('users').where('id', '=', id).execute();
    request.log.info({ userId: id }, 'account deleted by administrator');
    return reply.redirect('/admin/users', 303);
  });

  app.get('/admin/outbox', admin, async (request, reply) => {
    const { ctx } = await formPage(db, request, reply);
    const search = searchText(request);
    const page = pageParam(request);
    const { mail, total } = await listOutbox(db, { search, limit: PAGE_SIZE, offset: (page - 1) * PAGE_SIZE });
    return sendPrivatePage(reply, OutboxPage({ ctx, mail, page, pages: Math.max(1, Math.ceil(total / PAGE_SIZE)), search, mode: deps.mailer.mode }));
  });

  app.get('/admin/outbox/:id', admin, async (request, reply) => {
    const { ctx } = await formPage(db, request, reply);
    const mail = await findOutboxEntry(db, parseId((request.params as { id: string }).id));
    if (!mail) throw new NotFoundError();
    return sendPrivatePage(reply, OutboxMailPage({ ctx, mail }));
  });

}
