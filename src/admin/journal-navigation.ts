import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Kysely } from 'kysely';
import { sendPrivatePage, BUILTIN_NAVIGATION_TARGETS, defaultNavigation } from '../platform/web/index.ts';
import type { Database } from '../db/index.ts';
import { formBody, formLocalized, formText } from '../platform/http/forms.ts';
import { NotFoundError, parseId } from '../platform/http/index.ts';
import { localizeText } from '../i18n/index.ts';
import type { FormErrors } from '../ui/index.ts';
import { addMenuItem, deleteMenuItem, listMenuItems, moveMenuItem, storeDefaultMenu, updateMenuItem } from './commands/journal-site.ts';
import { managementBase as base, manageContext, noticeFrom, SETTINGS as settings, type ManageContext } from './manage-context.ts';
import { ManageConfirmPage } from './views/confirm-pages.tsx';
import { NavigationItemPage, NavigationPage } from './views/navigation.tsx';
import { IdParams, type WithParams } from './schemas.ts';

const MAX_ITEMS = 50;
const builtins = BUILTIN_NAVIGATION_TARGETS;

function httpUrl(value: string): string | null {
  try {
    const url = new URL(value);
    return url.protocol === 'https:' || url.protocol === 'http:' ? url.toString() : null;
  } catch {
    return null;
  }
}

/**
 * The journal's menu. A journal that never edited it shows readers the default menu (platform/web/context.ts);
 * the editor stores those items first, so an edit changes the menu readers see instead of replacing it.
 */
export function journalNavigationRoutes(app: FastifyInstance, deps: { db: Kysely<Database> }): void {
  const typed = app.withTypeProvider<TypeBoxTypeProvider>();
  const { db } = deps;
  const listPages = (journalId: number) => db.selectFrom('journal_pages').selectAll().where('journal_id', '=', journalId).orderBy('path').execute();
  const defaults = (m: ManageContext) => defaultNavigation(m.locales).map((item) => ({ kind: item.kind, target: item.target, label: item.label }));
  const materialized = (m: ManageContext) => storeDefaultMenu(db, m.journal.id, defaults(m));

  const showMenu = async (request: FastifyRequest, reply: FastifyReply, m: ManageContext, errors: FormErrors = {}, status = 200) => {
    const notice = noticeFrom(request, ['saved', 'removed']);
    return sendPrivatePage(
      reply,
      NavigationPage({ ...m, items: await listMenuItems(db, m.journal.id), pages: await listPages(m.journal.id), builtins, errors, notice: notice ? m.ctx.t(notice === 'saved' ? 'admin.saved' : 'menu.removed') : undefined }),
      status,
    );
  };

  app.get('/:journal/management/navigation', settings, async (request, reply) => {
    const m = await manageContext(db, request, reply);
    // The editor shows what readers see as rows one can rename, move and remove: the stored defaults.
    await materialized(m);
    return showMenu(request, reply, m);
  });

  /** A menu item's label and target from the form, or the errors that keep it from being saved. */
  async function readItem(request: FastifyRequest, m: ManageContext): Promise<{ label: Record<string, string>; kind: 'builtin' | 'page' | 'url'; target: string; errors: FormErrors }> {
    const body = formBody(request);
    const errors: FormErrors = {};
    const label = formLocalized(body, 'label', m.locales, 100);
    if (Object.keys(label).length === 0) errors.label = m.ctx.t('manage.menuLabelRequired');
    const choice = formText(body, 'target', 200);
    let kind: 'builtin' | 'page' | 'url' = 'url';
    let target = '';
    if (choice.startsWith('builtin:') && builtins.includes(choice.slice(8))) [kind, target] = ['builtin', choice.slice(8)];
    else if (choice.startsWith('page:')) {
      const page = await db.selectFrom('journal_pages').select('path').where('journal_id', '=', m.journal.id).where('path', '=', choice.slice(5)).executeTakeFirst();
      if (page) [kind, target] = ['page', page.path];
      else errors.target = m.ctx.t('manage.menuTargetInvalid');
    } else if (choice === 'url') {
      const url = httpUrl(formText(body, 'url', 1000));
      if (url) target = url;
      else errors.url = m.ctx.t('manage.urlInvalid');
    } else errors.target = m.ctx.t('manage.menuTargetInvalid');
    return { label, kind, target, errors };
  }

  app.post('/:journal/management/navigation', settings, async (request, reply) => {
    const m = await manageContext(db, request, reply);
    const { label, kind, target, errors } = await readItem(request, m);
    if (Object.keys(errors).length > 0) return showMenu(request, reply, m, errors, 400);
    const added = await addMenuItem(db, m.journal.id, defaults(m), { label, kind, target }, MAX_ITEMS);
    if (!added) return showMenu(request, reply, m, { '': m.ctx.t('menu.full', { max: MAX_ITEMS }) }, 400);
    return reply.redirect(`${base(request)}/navigation?notice=saved`, 303);
  });

  const itemOr404 = async (request: WithParams<typeof IdParams>) => {
    const id = parseId(request.params.id);
    const item = await db.selectFrom('navigation_items').selectAll().where('id', '=', id).where('journal_id', '=', request.viewer.journal!.id).executeTakeFirst();
    if (!item) throw new NotFoundError();
    return item;
  };

  typed.get('/:journal/management/navigation/:id', { ...settings, schema: { params: IdParams } }, async (request, reply) => {
    const m = await manageContext(db, request, reply);
    const item = await itemOr404(request);
    return sendPrivatePage(reply, NavigationItemPage({ ...m, item, form: { label: item.label, choice: item.kind === 'url' ? 'url' : `${item.kind}:${item.target}`, url: item.kind === 'url' ? item.target : '' }, pages: await listPages(m.journal.id), builtins, errors: {} }));
  });

  typed.post('/:journal/management/navigation/:id', { ...settings, schema: { params: IdParams } }, async (request, reply) => {
    const m = await manageContext(db, request, reply);
    const item = await itemOr404(request);
    const { label, kind, target, errors } = await readItem(request, m);
    if (Object.keys(errors).length > 0) {
      const body = formBody(request);
      const form = { label, choice: formText(body, 'target', 200), url: formText(body, 'url', 1000) };
      return sendPrivatePage(reply, NavigationItemPage({ ...m, item, form, pages: await listPages(m.journal.id), builtins, errors }), 400);
    }
    await updateMenuItem(db, m.journal.id, item.id, { label, kind, target });
    return reply.redirect(`${base(request)}/navigation?notice=saved`, 303);
  });

  typed.post('/:journal/management/navigation/:id/move', { ...settings, schema: { params: IdParams } }, async (request, reply) => {
    const item = await itemOr404(request);
    const direction = formText(formBody(request), 'direction', 10) === 'up' ? 'up' : 'down';
    await moveMenuItem(db, item.journal_id, item.id, direction);
    return reply.redirect(`${base(request)}/navigation?notice=saved`, 303);
  });

  typed.get('/:journal/management/navigation/:id/delete', { ...settings, schema: { params: IdParams } }, async (request, reply) => {
    const m = await manageContext(db, request, reply);
    const item = await itemOr404(request);
    const { t } = m.ctx;
    const others = await db.selectFrom('navigation_items').select('id').where('journal_id', '=', item.journal_id).where('id', '<>', item.id).limit(1).execute();
    return sendPrivatePage(
      reply,
      ManageConfirmPage({
        ...m,
        title: t('menu.removeConfirm'),
        action: `${base(request)}/navigation/${item.id}/delete`,
        question: t('menu.removeQuestion', { label: localizeText(item.label, m.ctx.locale, m.journal.primary_locale) || item.target }),
        consequences: [t('menu.removeWhat'), ...(others.length === 0 ? [t('menu.removeLast')] : [])],
        confirmLabel: t('menu.removeConfirm'),
        cancelHref: `${base(request)}/navigation`,
      }),
    );
  });

  typed.post('/:journal/management/navigation/:id/delete', { ...settings, schema: { params: IdParams } }, async (request, reply) => {
    const item = await itemOr404(request);
    await deleteMenuItem(db, item.journal_id, item.id);
    return reply.redirect(`${base(request)}/navigation?notice=removed`, 303);
  });
}
