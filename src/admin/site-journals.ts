import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { Static } from '@sinclair/typebox';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { journalPathProblem } from '../accounts/index.ts';
import { formPage, sendPrivatePage } from '../platform/web/index.ts';
import { createJournal, updateJournal } from '../catalog/index.ts';
import { formBody, formLocalized, formText } from '../platform/http/forms.ts';
import { NotFoundError, parseId } from '../platform/http/index.ts';
import { UI_LOCALES, type Translate } from '../i18n/index.ts';
import type { FileStore } from '../storage/index.ts';
import type { FormErrors } from '../ui/index.ts';
import { readLocales, type AdminDeps } from './site-admin.ts';
import { journalName, siteJournalLifecycleRoutes } from './site-journal-lifecycle.ts';
import { JournalFormPage, JournalListPage, type JournalForm } from './views/site.tsx';
import { IdParams, JournalNoticeQuery } from './schemas.ts';

const admin = { config: { permission: 'site.admin' as const } };

/** Site administration of journals: list, create, edit (enable, disable, delete: site-journal-lifecycle.ts). */
export function siteJournalRoutes(app: FastifyInstance, deps: AdminDeps & { files: FileStore }): void {
  const typed = app.withTypeProvider<TypeBoxTypeProvider>();
  const { db } = deps;
  const journalRows = () => db.selectFrom('journals').select(['id', 'path', 'name', 'enabled']).orderBy('seq').orderBy('id').execute();

  /** `?created=7` (or saved, enabled, disabled) after a redirect: the notice, naming the journal. */
  const NOTICES = { created: 'journals.created', saved: 'journals.saved', enabled: 'journals.enabled', disabled: 'journals.disabled' } as const;
  async function journalNotice(query: Static<typeof JournalNoticeQuery>, t: Translate, locale: string): Promise<string | undefined> {
    for (const [name, key] of Object.entries(NOTICES)) {
      const raw = formText(query, name, 10);
      if (!/^\d{1,9}$/.test(raw)) continue;
      const journal = await db.selectFrom('journals').select(['path', 'name', 'primary_locale']).where('id', '=', Number(raw)).executeTakeFirst();
      if (journal) return t(key, { journal: journalName(journal, locale) });
    }
    return undefined;
  }

  typed.get('/admin/journals', { ...admin, schema: { querystring: JournalNoticeQuery } }, async (request, reply) => {
    const { ctx } = await formPage(db, request, reply);
    return sendPrivatePage(reply, JournalListPage({ ctx, journals: await journalRows(), notice: await journalNotice(request.query, ctx.t, ctx.locale) }));
  });

  app.get('/admin/journals/new', admin, async (request, reply) => {
    const { ctx } = await formPage(db, request, reply);
    const form: JournalForm = { path: '', name: {}, primaryLocale: 'pl', supportedLocales: ['pl', 'en'], enabled: true, errors: {} };
    return sendPrivatePage(reply, JournalFormPage({ ctx, form }));
  });

  async function readJournalForm(request: FastifyRequest, t: Translate, id?: number): Promise<JournalForm> {
    const body = formBody(request);
    const errors: FormErrors = {};
    const path = formText(body, 'path', 100);
    const problem = journalPathProblem(path);
    if (problem) errors.path = t(`admin.path.${problem}`);
    else {
      const taken = await db.selectFrom('journals').select('id').where('path', '=', path).executeTakeFirst();
      if (taken && taken.id !== id) errors.path = t('admin.path.taken');
    }
    const name = formLocalized(body, 'name', UI_LOCALES, 300);
    if (Object.keys(name).length === 0) errors.name = t('admin.journalNameRequired');
    const { primary, supported } = readLocales(body, t, errors);
    return { path, name, primaryLocale: primary, supportedLocales: supported, enabled: true, errors };
  }

  app.post('/admin/journals/new', admin, async (request, reply) => {
    const { ctx } = await formPage(db, request, reply);
    const form = await readJournalForm(request, ctx.t);
    if (Object.keys(form.errors).length > 0) return sendPrivatePage(reply, JournalFormPage({ ctx, form }), 400);
    const id = await createJournal(db, { path: form.path, name: form.name, primaryLocale: form.primaryLocale, supportedLocales: form.supportedLocales });
    request.log.info({ path: form.path }, 'journal created');
    return reply.redirect(`/admin/journals?created=${id}`, 303);
  });

  typed.get('/admin/journals/:id', { ...admin, schema: { params: IdParams, querystring: JournalNoticeQuery } }, async (request, reply) => {
    const { ctx } = await formPage(db, request, reply);
    const id = parseId(request.params.id);
    const journal = await db.selectFrom('journals').selectAll().where('id', '=', id).executeTakeFirst();
    if (!journal) throw new NotFoundError();
    const form: JournalForm = { path: journal.path, name: journal.name, primaryLocale: journal.primary_locale, supportedLocales: journal.supported_locales, enabled: journal.enabled, errors: {} };
    return sendPrivatePage(reply, JournalFormPage({ ctx, form, id, current: journal, notice: await journalNotice(request.query, ctx.t, ctx.locale) }));
  });

  typed.post('/admin/journals/:id', { ...admin, schema: { params: IdParams, querystring: JournalNoticeQuery } }, async (request, reply) => {
    const { ctx } = await formPage(db, request, reply);
    const id = parseId(request.params.id);
    const journal = await db.selectFrom('journals').select(['id', 'path', 'name', 'enabled']).where('id', '=', id).executeTakeFirst();
    if (!journal) throw new NotFoundError();
    const form = await readJournalForm(request, ctx.t, id);
    if (Object.keys(form.errors).length > 0) return sendPrivatePage(reply, JournalFormPage({ ctx, form: { ...form, enabled: journal.enabled }, id, current: journal }), 400);
    // Enabling and disabling are actions of their own, with a confirmation: saving the form leaves it as it is.
    await updateJournal(db, id, { path: form.path, name: form.name, primaryLocale: form.primaryLocale, supportedLocales: form.supportedLocales });
    return reply.redirect(`/admin/journals/${id}?saved=${id}`, 303);
  });

  siteJournalLifecycleRoutes(app, deps);
}

