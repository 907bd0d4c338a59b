import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import type { Kysely } from 'kysely';
import { normaliseEmail } from '../accounts/index.ts';
import { formPage, sendPrivatePage } from '../platform/web/index.ts';
import type { Clock } from '../clock.ts';
import { updateSiteSettings } from './commands/site.ts';
import type { Database } from '../db/index.ts';
import { formBody, formList, formLocalized, formText, type FormBody } from '../platform/http/forms.ts';
import { NotFoundError, parseId } from '../platform/http/index.ts';
import { isUiLocale, UI_LOCALES, type Translate } from '../i18n/index.ts';
import { findOutboxEntry, listOutbox, type Mailer } from '../mail/index.ts';
import type { FormErrors } from '../ui/index.ts';
import { OutboxMailPage, OutboxPage } from './views/outbox.tsx';
import { AdminOverviewPage, SiteSettingsPage, type SiteForm } from './views/site.tsx';
import { IdParams, QueryValue, SearchQuery } from './schemas.ts';

export interface AdminDeps {
  db: Kysely<Database>;
  clock: Clock;
  mailer: Mailer;
  /** Public address of the site, for links in mail. */
  baseUrl: string;
}

const PAGE_SIZE = 25;
const admin = { config: { permission: 'site.admin' as const } };

/** `?search=` as typed, without control characters (PostgreSQL text holds no NUL), at most 200 characters. */
function searchText(query: FormBody): string {
  return formText(query, 'search', 200);
}

function pageParam(query: FormBody): number {
  const raw = formText(query, 'page', 7);
  return /^\d{1,6}$/.test(raw) && Number(raw) > 0 ? Number(raw) : 1;
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
  const typed = app.withTypeProvider<TypeBoxTypeProvider>();
  const { db, clock } = deps;

  app.get('/admin', admin, async (request, reply) => {
    const { ctx } = await formPage(db, request, reply);
    const count = async (table: 'journals' | 'users' | 'mail_outbox') => Number((await db.selectFrom(table).select((eb) => eb.fn.countAll<string>().as('n')).executeTakeFirstOrThrow()).n);
    const deletionRequests = Number((await db.selectFrom('users').select((eb) => eb.fn.countAll<string>().as('n')).where('deletion_requested_at', 'is not', null).executeTakeFirstOrThrow()).n);
    return sendPrivatePage(reply, AdminOverviewPage({ ctx, counts: { journals: await count('journals'), users: await count('users'), outbox: await count('mail_outbox'), deletionRequests } }));
  });

  const journalRows = () => db.selectFrom('journals').select(['id', 'path', 'name', 'enabled']).orderBy('seq').orderBy('id').execute();

  typed.get('/admin/settings', { ...admin, schema: { querystring: Type.Object({ saved: QueryValue }) } }, async (request, reply) => {
    const { ctx } = await formPage(db, request, reply);
    const site = await db.selectFrom('site').selectAll().executeTakeFirstOrThrow();
    const form: SiteForm = { title: site.title, primaryLocale: site.primary_locale, supportedLocales: site.supported_locales, contactEmail: site.contact_email ?? '', errors: {} };
    const saved = request.query.saved;
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
    await updateSiteSettings(db, { title, primaryLocale: primary, supportedLocales: supported, contactEmail });
    return reply.redirect('/admin/settings?saved=1', 303);
  });

  typed.get('/admin/outbox', { ...admin, schema: { querystring: SearchQuery } }, async (request, reply) => {
    const { ctx } = await formPage(db, request, reply);
    const search = searchText(request.query);
    const page = pageParam(request.query);
    const { mail, total } = await listOutbox(db, { search, limit: PAGE_SIZE, offset: (page - 1) * PAGE_SIZE });
    return sendPrivatePage(reply, OutboxPage({ ctx, mail, page, pages: Math.max(1, Math.ceil(total / PAGE_SIZE)), search, mode: deps.mailer.mode }));
  });

  typed.get('/admin/outbox/:id', { ...admin, schema: { params: IdParams } }, async (request, reply) => {
    const { ctx } = await formPage(db, request, reply);
    const mail = await findOutboxEntry(db, parseId(request.params.id));
    if (!mail) throw new NotFoundError();
    return sendPrivatePage(reply, OutboxMailPage({ ctx, mail }));
  });

}
