import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Kysely } from 'kysely';
import { normaliseEmail, normaliseIssn } from '../accounts/index.ts';
import { sendPrivatePage } from '../platform/web/index.ts';
import { updateJournal } from '../catalog/index.ts';
import type { Database } from '../db/index.ts';
import { createAnnouncement, deleteAnnouncement, deleteJournalPage, saveJournalPage, updateAnnouncement } from './commands/journal-site.ts';
import { formBody, formLocalized, formText } from '../platform/http/forms.ts';
import { NotFoundError, parseId } from '../platform/http/index.ts';
import type { FormErrors } from '../ui/index.ts';
import { manageContext, noticeFrom } from './manage-context.ts';
import { ManageConfirmPage } from './views/confirm-pages.tsx';
import { localizeText } from '../i18n/index.ts';
import { cleanRichTextPerLocale, sanitizeRichTextPerLocale } from '../ui/index.ts';
import {
  AnnouncementEditPage,
  AnnouncementsPage,
  FIXED_PAGES,
  JournalSettingsPage,
  LICENSES,
  PageEditPage,
  PagesListPage,
  type AnnouncementForm,
  type SettingsForm,
} from './views/manage.tsx';
import { IdParams, PagePathParams, type WithParams } from './schemas.ts';

const settings = { config: { permission: 'journal.settings' as const } };


function httpUrl(value: string): string | null {
  try {
    const url = new URL(value);
    return url.protocol === 'https:' || url.protocol === 'http:' ? url.toString() : null;
  } catch {
    return null;
  }
}

const journalId = (request: FastifyRequest) => request.viewer.journal!.id;
const base = (request: FastifyRequest) => `/${request.viewer.journal!.path}/management`;

/** A journal's public face, as its managers edit it: settings, pages, menu, announcements. */
export function journalSiteRoutes(app: FastifyInstance, deps: { db: Kysely<Database> }): void {
  const typed = app.withTypeProvider<TypeBoxTypeProvider>();
  const { db } = deps;

  // Settings: masthead, identifiers, contact, licence and copyright.
  app.get('/:journal/management/settings', settings, async (request, reply) => {
    const m = await manageContext(db, request, reply);
    const j = m.journal;
    const known = LICENSES.some((l) => l.url === j.license_url);
    const form: SettingsForm = {
      name: j.name,
      acronym: j.acronym,
      description: j.description,
      onlineIssn: j.online_issn ?? '',
      printIssn: j.print_issn ?? '',
      publisher: j.publisher ?? '',
      publisherUrl: j.publisher_url ?? '',
      contactName: j.contact_name ?? '',
      contactEmail: j.contact_email ?? '',
      license: j.license_url ? (known ? j.license_url : 'other') : '',
      licenseOther: j.license_url && !known ? j.license_url : '',
      copyrightHolderType: j.copyright_holder_type,
      copyrightHolderOther: j.copyright_holder_other,
      copyrightNotice: j.copyright_notice,
      errors: {},
    };
    const notice = noticeFrom(request, ['saved']) ? m.ctx.t('admin.saved') : undefined;
    return sendPrivatePage(reply, JournalSettingsPage({ ...m, form, notice }));
  });

  app.post('/:journal/management/settings', settings, async (request, reply) => {
    const m = await manageContext(db, request, reply);
    const { t } = m.ctx;
    const body = formBody(request);
    const errors: FormErrors = {};
    const text = (name: string, max = 500) => formText(body, name, max);
    const form: SettingsForm = {
      name: formLocalized(body, 'name', m.locales, 300),
      acronym: formLocalized(body, 'acronym', m.locales, 50),
      description: formLocalized(body, 'description', m.locales, 20_000),
      onlineIssn: text('onlineIssn', 20),
      printIssn: text('printIssn', 20),
      publisher: text('publisher'),
      publisherUrl: text('publisherUrl', 1000),
      contactName: text('contactName'),
      contactEmail: text('contactEmail', 254),
      license: text('license', 1000),
      licenseOther: text('licenseOther', 1000),
      copyrightHolderType: text('copyrightHolderType', 20),
      copyrightHolderOther: formLocalized(body, 'copyrightHolderOther', m.locales, 300),
      copyrightNotice: formLocalized(body, 'copyrightNotice', m.locales, 5000),
      errors,
    };
    if (Object.keys(form.name).length === 0) errors.name = t('admin.journalNameRequired');
    const onlineIssn = form.onlineIssn === '' ? null : normaliseIssn(form.onlineIssn);
    if (form.onlineIssn !== '' && !onlineIssn) errors.onlineIssn = t('manage.issnInvalid');
    const printIssn = form.printIssn === '' ? null : normaliseIssn(form.printIssn);
    if (form.printIssn !== '' && !printIssn) errors.printIssn = t('manage.issnInvalid');
    if (onlineIssn && printIssn && onlineIssn === printIssn) errors.printIssn = t('manage.issnSame');
    const publisherUrl = form.publisherUrl === '' ? null : httpUrl(form.publisherUrl);
    if (form.publisherUrl !== '' && !publisherUrl) errors.publisherUrl = t('manage.urlInvalid');
    const contactEmail = form.contactEmail === '' ? null : normaliseEmail(form.contactEmail);
    if (form.contactEmail !== '' && !contactEmail) errors.contactEmail = t('field.emailInvalid');
    let licenseUrl: string | null = null;
    if (form.license === 'other') {
      licenseUrl = httpUrl(form.licenseOther);
      if (!licenseUrl) errors.licenseOther = t('manage.urlInvalid');
    } else if (form.license !== '') {
      licenseUrl = LICENSES.find((l) => l.url === form.license)?.url ?? null;
      if (!licenseUrl) errors.license = t('manage.licenseInvalid');
    }
    const holder = ['author', 'journal', 'other'].includes(form.copyrightHolderType) ? (form.copyrightHolderType as 'author' | 'journal' | 'other') : 'author';
    if (holder === 'other' && Object.keys(form.copyrightHolderOther).length === 0) errors.copyrightHolderOther = t('manage.copyrightHolderOtherRequired');
    if (Object.keys(errors).length > 0) return sendPrivatePage(reply, JournalSettingsPage({ ...m, form }), 400);
    await updateJournal(db, m.journal.id, {
      name: form.name,
      acronym: form.acronym,
      description: sanitizeRichTextPerLocale(form.description),
      onlineIssn,
      printIssn,
      publisher: form.publisher || null,
      publisherUrl,
      contactName: form.contactName || null,
      contactEmail,
      licenseUrl,
      copyrightHolderType: holder,
      copyrightHolderOther: form.copyrightHolderOther,
      copyrightNotice: cleanRichTextPerLocale(form.copyrightNotice),
    });
    return reply.redirect(`${base(request)}/settings?notice=saved`, 303);
  });

  // Static pages: the four OJS "About" pages and the manager's own.
  const fixedPaths = new Set<string>(FIXED_PAGES.map((p) => p.path));
  const listPages = (id: number) => db.selectFrom('journal_pages').selectAll().where('journal_id', '=', id).orderBy('path').execute();

  app.get('/:journal/management/pages', settings, async (request, reply) => {
    const m = await manageContext(db, request, reply);
    const notice = noticeFrom(request, ['deleted']) ? m.ctx.t('manage.pageDeleted') : undefined;
    return sendPrivatePage(reply, PagesListPage({ ...m, pages: await listPages(m.journal.id), notice, errors: {} }));
  });

  app.post('/:journal/management/pages', settings, async (request, reply) => {
    const m = await manageContext(db, request, reply);
    const path = formText(formBody(request), 'path', 64);
    const exists = await db.selectFrom('journal_pages').select('id').where('journal_id', '=', m.journal.id).where('path', '=', path).executeTakeFirst();
    const problem = !/^[a-z0-9][a-z0-9-]*$/.test(path) ? m.ctx.t('admin.path.format') : exists || fixedPaths.has(path) ? m.ctx.t('admin.path.taken') : undefined;
    if (problem) return sendPrivatePage(reply, PagesListPage({ ...m, pages: await listPages(m.journal.id), errors: { path: problem } }), 400);
    await saveJournalPage(db, m.journal.id, path, { title: { [m.journal.primary_locale]: path }, content: {} });
    return reply.redirect(`${base(request)}/pages/${path}`, 303);
  });

  // The path's pattern is checked by the route's schema (PagePathParams): a malformed one is a 404.
  const pageParams = (request: WithParams<typeof PagePathParams>) => request.params.path;

  typed.get('/:journal/management/pages/:path', { ...settings, schema: { params: PagePathParams } }, async (request, reply) => {
    const m = await manageContext(db, request, reply);
    const path = pageParams(request);
    const page = await db.selectFrom('journal_pages').selectAll().where('journal_id', '=', m.journal.id).where('path', '=', path).executeTakeFirst();
    const fixed = FIXED_PAGES.find((p) => p.path === path);
    if (!page && !fixed) throw new NotFoundError();
    const notice = noticeFrom(request, ['saved']) ? m.ctx.t('admin.saved') : undefined;
    return sendPrivatePage(reply, PageEditPage({ ...m, path, title: page?.title ?? {}, content: page?.content ?? {}, errors: {}, notice, fixedLabel: fixed ? m.ctx.t(fixed.label) : undefined }));
  });

  typed.post('/:journal/management/pages/:path', { ...settings, schema: { params: PagePathParams } }, async (request, reply) => {
    const m = await manageContext(db, request, reply);
    const path = pageParams(request);
    const fixed = FIXED_PAGES.find((p) => p.path === path);
    const existing = await db.selectFrom('journal_pages').select('id').where('journal_id', '=', m.journal.id).where('path', '=', path).executeTakeFirst();
    if (!existing && !fixed) throw new NotFoundError();
    const body = formBody(request);
    const title = fixed ? {} : formLocalized(body, 'title', m.locales, 300);
    const content = sanitizeRichTextPerLocale(formLocalized(body, 'content', m.locales, 200_000));
    if (!fixed && Object.keys(title).length === 0) {
      return sendPrivatePage(reply, PageEditPage({ ...m, path, title, content, errors: { title: m.ctx.t('manage.pageTitleRequired') } }), 400);
    }
    await saveJournalPage(db, m.journal.id, path, { title, content });
    return reply.redirect(`${base(request)}/pages/${path}?notice=saved`, 303);
  });

  typed.get('/:journal/management/pages/:path/delete', { ...settings, schema: { params: PagePathParams } }, async (request, reply) => {
    const m = await manageContext(db, request, reply);
    const path = pageParams(request);
    if (fixedPaths.has(path)) throw new NotFoundError();
    const page = await db.selectFrom('journal_pages').selectAll().where('journal_id', '=', m.journal.id).where('path', '=', path).executeTakeFirst();
    if (!page) throw new NotFoundError();
    const items = await db.selectFrom('navigation_items').select('id').where('journal_id', '=', m.journal.id).where('kind', '=', 'page').where('target', '=', path).execute();
    const { t } = m.ctx;
    return sendPrivatePage(
      reply,
      ManageConfirmPage({
        ...m,
        title: t('manage.deletePage'),
        action: `${base(request)}/pages/${path}/delete`,
        question: t('pages.deleteQuestion', { page: localizeText(page.title, m.ctx.locale, m.journal.primary_locale) || path }),
        consequences: [t('pages.deleteWhat', { address: `/${m.journal.path}/page/${path}` }), ...(items.length > 0 ? [t('pages.deleteMenu', { count: items.length })] : [])],
        confirmLabel: t('pages.deleteConfirm'),
        cancelHref: `${base(request)}/pages/${path}`,
      }),
    );
  });

  typed.post('/:journal/management/pages/:path/delete', { ...settings, schema: { params: PagePathParams } }, async (request, reply) => {
    const path = pageParams(request);
    if (fixedPaths.has(path)) throw new NotFoundError();
    await deleteJournalPage(db, journalId(request), path);
    return reply.redirect(`${base(request)}/pages?notice=deleted`, 303);
  });

  // Announcements.
  app.get('/:journal/management/announcements', settings, async (request, reply) => {
    const m = await manageContext(db, request, reply);
    const announcements = await db.selectFrom('announcements').selectAll().where('journal_id', '=', m.journal.id).orderBy('posted_at', 'desc').execute();
    const notice = noticeFrom(request, ['saved', 'deleted']);
    return sendPrivatePage(reply, AnnouncementsPage({ ...m, announcements, notice: notice ? m.ctx.t(notice === 'saved' ? 'admin.saved' : 'manage.announcementDeleted') : undefined }));
  });

  app.get('/:journal/management/announcements/new', settings, async (request, reply) => {
    const m = await manageContext(db, request, reply);
    return sendPrivatePage(reply, AnnouncementEditPage({ ...m, form: { title: {}, summary: {}, body: {}, expiresOn: '', errors: {} } }));
  });

  function readAnnouncement(request: FastifyRequest, locales: readonly string[], t: (k: 'manage.announcementTitleRequired' | 'manage.dateInvalid') => string): AnnouncementForm {
    const body = formBody(request);
    const form: AnnouncementForm = {
      title: formLocalized(body, 'title', locales, 300),
      summary: sanitizeRichTextPerLocale(formLocalized(body, 'summary', locales, 10_000)),
      body: sanitizeRichTextPerLocale(formLocalized(body, 'body', locales, 100_000)),
      expiresOn: formText(body, 'expiresOn', 10),
      errors: {},
    };
    if (Object.keys(form.title).length === 0) form.errors.title = t('manage.announcementTitleRequired');
    if (form.expiresOn !== '' && !isCalendarDate(form.expiresOn)) form.errors.expiresOn = t('manage.dateInvalid');
    return form;
  }

  app.post('/:journal/management/announcements/new', settings, async (request, reply) => {
    const m = await manageContext(db, request, reply);
    const form = readAnnouncement(request, m.locales, m.ctx.t);
    if (Object.keys(form.errors).length > 0) return sendPrivatePage(reply, AnnouncementEditPage({ ...m, form }), 400);
    await createAnnouncement(db, m.journal.id, { ...form, expiresOn: form.expiresOn || null });
    return reply.redirect(`${base(request)}/announcements?notice=saved`, 303);
  });

  const announcementId = async (request: WithParams<typeof IdParams>) => {
    const id = parseId(request.params.id);
    const row = await db.selectFrom('announcements').selectAll().where('id', '=', id).where('journal_id', '=', journalId(request)).executeTakeFirst();
    if (!row) throw new NotFoundError();
    return row;
  };

  typed.get('/:journal/management/announcements/:id', { ...settings, schema: { params: IdParams } }, async (request, reply) => {
    const m = await manageContext(db, request, reply);
    const a = await announcementId(request);
    return sendPrivatePage(reply, AnnouncementEditPage({ ...m, id: a.id, form: { title: a.title, summary: a.summary, body: a.body, expiresOn: a.expires_on ?? '', errors: {} } }));
  });

  typed.post('/:journal/management/announcements/:id', { ...settings, schema: { params: IdParams } }, async (request, reply) => {
    const m = await manageContext(db, request, reply);
    const a = await announcementId(request);
    const form = readAnnouncement(request, m.locales, m.ctx.t);
    if (Object.keys(form.errors).length > 0) return sendPrivatePage(reply, AnnouncementEditPage({ ...m, id: a.id, form }), 400);
    await updateAnnouncement(db, m.journal.id, a.id, { ...form, expiresOn: form.expiresOn || null });
    return reply.redirect(`${base(request)}/announcements?notice=saved`, 303);
  });

  typed.get('/:journal/management/announcements/:id/delete', { ...settings, schema: { params: IdParams } }, async (request, reply) => {
    const m = await manageContext(db, request, reply);
    const a = await announcementId(request);
    const { t } = m.ctx;
    return sendPrivatePage(
      reply,
      ManageConfirmPage({
        ...m,
        title: t('announcements.deleteConfirm'),
        action: `${base(request)}/announcements/${a.id}/delete`,
        question: t('announcements.deleteQuestion', { title: localizeText(a.title, m.ctx.locale, m.journal.primary_locale) || `#${a.id}` }),
        consequences: [t('announcements.deleteWhat')],
        confirmLabel: t('announcements.deleteConfirm'),
        cancelHref: `${base(request)}/announcements/${a.id}`,
      }),
    );
  });

  typed.post('/:journal/management/announcements/:id/delete', { ...settings, schema: { params: IdParams } }, async (request, reply) => {
    const a = await announcementId(request);
    await deleteAnnouncement(db, a.journal_id, a.id);
    return reply.redirect(`${base(request)}/announcements?notice=deleted`, 303);
  });

}

/** `YYYY-MM-DD`, a real day from 0001-01-01 on (PostgreSQL's dates have no year 0: it refuses 0000-01-01). */
export function isCalendarDate(value: string): boolean {
  if (!/^(?!0000)\d{4}-\d{2}-\d{2}$/.test(value)) return false;
  const date = new Date(`${value}T00:00:00Z`);
  return !Number.isNaN(date.getTime()) && date.toISOString().slice(0, 10) === value;
}
