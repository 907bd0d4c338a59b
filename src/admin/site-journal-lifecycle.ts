import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { formPage, sendPrivatePage } from '../platform/web/index.ts';
import { journalDeletionSummary, updateJournal } from '../catalog/index.ts';
import { deleteJournalEverywhere } from './commands/journals.ts';
import { formBody, formText } from '../platform/http/forms.ts';
import { NotFoundError, parseId } from '../platform/http/index.ts';
import { formatNumber, localizeText, type UiLocale } from '../i18n/index.ts';
import type { FileStore } from '../storage/index.ts';
import { TextField, type FormErrors } from '../ui/index.ts';
import type { AdminDeps } from './site-admin.ts';
import { SiteConfirmPage } from './views/confirm-pages.tsx';
import { JournalListPage } from './views/site.tsx';
import { IdParams, type WithParams } from './schemas.ts';

const admin = { config: { permission: 'site.admin' as const } };

/** The journal's name in the page's language, else its primary language's, else its path. */
export function journalName(journal: { path: string; name: Record<string, string>; primary_locale: string }, locale: string): string {
  return localizeText(journal.name, locale, journal.primary_locale) || journal.path;
}

/** "12.3 MB", "4 kB": a size in the largest unit that keeps it at 1 or more. */
function fileSize(locale: UiLocale, bytes: number): string {
  const units = [['gigabyte', 1e9], ['megabyte', 1e6], ['kilobyte', 1e3]] as const;
  const [unit, size] = units.find(([, size]) => bytes >= size) ?? ['byte', 1];
  return new Intl.NumberFormat(locale, { style: 'unit', unit, maximumFractionDigits: 1 }).format(bytes / size);
}

/** Enabling, disabling and deleting a journal: each from a confirmation page that says what readers see. */
export function siteJournalLifecycleRoutes(app: FastifyInstance, deps: AdminDeps & { files: FileStore }): void {
  const typed = app.withTypeProvider<TypeBoxTypeProvider>();
  const { db, files } = deps;

  const journalOr404 = async (request: WithParams<typeof IdParams>) => {
    const id = parseId(request.params.id);
    const journal = await db.selectFrom('journals').select(['id', 'path', 'name', 'primary_locale', 'enabled']).where('id', '=', id).executeTakeFirst();
    if (!journal) throw new NotFoundError();
    return journal;
  };

  for (const change of ['disable', 'enable'] as const) {
    typed.get(`/admin/journals/:id/${change}`, { ...admin, schema: { params: IdParams } }, async (request, reply) => {
      const { ctx } = await formPage(db, request, reply);
      const { t } = ctx;
      const journal = await journalOr404(request);
      const name = journalName(journal, ctx.locale);
      return sendPrivatePage(
        reply,
        SiteConfirmPage({
          ctx,
          title: t(change === 'disable' ? 'journals.disable' : 'journals.enable'),
          action: `/admin/journals/${journal.id}/${change}`,
          question: t(change === 'disable' ? 'journals.disableQuestion' : 'journals.enableQuestion', { journal: name }),
          consequences: change === 'disable' ? [t('journals.disableReaders'), t('journals.disableOai'), t('journals.disableKept')] : [t('journals.enableReaders')],
          confirmLabel: t(change === 'disable' ? 'journals.disable' : 'journals.enable'),
          cancelHref: `/admin/journals/${journal.id}`,
          danger: change === 'disable',
        }),
      );
    });

    typed.post(`/admin/journals/:id/${change}`, { ...admin, schema: { params: IdParams } }, async (request, reply) => {
      const journal = await journalOr404(request);
      await updateJournal(db, journal.id, { enabled: change === 'enable' });
      request.log.info({ journalId: journal.id, path: journal.path }, change === 'enable' ? 'journal enabled' : 'journal disabled');
      return reply.redirect(`/admin/journals/${journal.id}?${change}d=${journal.id}`, 303);
    });
  }

  async function deletionPage(request: FastifyRequest, reply: Parameters<typeof sendPrivatePage>[0], journal: Awaited<ReturnType<typeof journalOr404>>, typed: string, wrong: boolean) {
    const { ctx } = await formPage(db, request, reply);
    const { t } = ctx;
    const s = await journalDeletionSummary(db, journal.id);
    const n = (value: number) => formatNumber(ctx.locale, value);
    const errors: FormErrors = wrong ? { confirmPath: t('journals.typePathWrong', { path: journal.path }) } : {};
    return sendPrivatePage(
      reply,
      SiteConfirmPage({
        ctx,
        title: t('journals.delete'),
        action: `/admin/journals/${journal.id}/delete`,
        question: t('journals.deleteQuestion', { journal: journalName(journal, ctx.locale) }),
        consequences: [
          t('journals.deleteContent', { issues: n(s.issues), articles: n(s.articles) }),
          t('journals.deleteFiles', { files: n(s.files), size: fileSize(ctx.locale, s.fileBytes) }),
          t('journals.deleteRoles', { roles: n(s.roles), people: n(s.people) }),
          t('journals.deleteOther', { pages: n(s.pages), announcements: n(s.announcements) }),
          t('journals.deleteStats', { events: n(s.usageEvents), months: n(s.usageMonths) }),
          t('journals.deleteForever'),
        ],
        confirmLabel: t('journals.deleteConfirm'),
        cancelHref: `/admin/journals/${journal.id}`,
        errors,
        children: TextField({ ctx, name: 'confirmPath', label: t('journals.typePath', { path: journal.path }), value: typed, required: true, error: errors.confirmPath, autocomplete: 'off' }),
      }),
      wrong ? 400 : 200,
    );
  }

  typed.get('/admin/journals/:id/delete', { ...admin, schema: { params: IdParams } }, async (request, reply) => deletionPage(request, reply, await journalOr404(request), '', false));

  typed.post('/admin/journals/:id/delete', { ...admin, schema: { params: IdParams } }, async (request, reply) => {
    const journal = await journalOr404(request);
    const typed = formText(formBody(request), 'confirmPath', 100);
    if (typed !== journal.path) return deletionPage(request, reply, journal, typed, true);
    const summary = await journalDeletionSummary(db, journal.id);
    const outcome = await deleteJournalEverywhere(db, journal.id);
    if (!outcome) throw new NotFoundError();
    // The rows are gone for good: a file that cannot be removed now is left for the store's sweep.
    let unremoved = 0;
    for (const key of outcome.storageKeys) await files.remove(key).catch(() => unremoved++);
    request.log.info({ journalId: journal.id, path: journal.path, ...summary, filesRemoved: outcome.storageKeys.length - unremoved, filesUnremoved: unremoved }, 'journal deleted');
    const { ctx } = await formPage(db, request, reply);
    const rows = await db.selectFrom('journals').select(['id', 'path', 'name', 'enabled']).orderBy('seq').orderBy('id').execute();
    return sendPrivatePage(reply, JournalListPage({ ctx, journals: rows, notice: ctx.t('journals.deleted', { journal: journalName(journal, ctx.locale) }) }));
  });
}
