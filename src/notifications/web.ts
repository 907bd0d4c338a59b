import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Kysely } from 'kysely';
import type { SignedInUser } from '../accounts/index.ts';
import type { Clock } from '../clock.ts';
import type { Database } from '../db/index.ts';
import { formBody, formList, formText } from '../platform/http/forms.ts';
import { formSchema, IdText, JournalPath, NotFoundError, parseId, Type, typed } from '../platform/http/index.ts';
import { firstValue, formPage, QueryParameter, sendPrivatePage } from '../platform/web/index.ts';
import { findNotification, listNotifications, markAllNotificationsRead, markNotificationRead, notificationPreferences, saveNotificationPreferences, type Scope } from './queries.ts';
import { NotificationSettingsPage, NotificationsPage } from './views.tsx';
import { notificationsPath, notificationTarget } from './words.ts';

export interface NotificationDeps {
  db: Kysely<Database>;
  clock: Clock;
}

export const PAGE_SIZE = 20;

// Every signed-in person has notifications; the rows decide whose they are.
const account = { permission: 'account' as const };
const PrefixParams = Type.Object({ journal: Type.Optional(JournalPath) });
const ItemParams = Type.Object({ journal: Type.Optional(JournalPath), id: IdText });
const ListQuery = Type.Object({ page: Type.Optional(QueryParameter), notice: Type.Optional(QueryParameter) });
const BackBody = formSchema({ page: Type.Optional(Type.String({ maxLength: 6 })) });
/** The kinds ticked in each column (a browser sends one value per ticked box). */
const KindList = Type.Optional(Type.Union([Type.String({ maxLength: 60 }), Type.Array(Type.String({ maxLength: 60 }), { maxItems: 40 })]));
const SettingsBody = formSchema({ inApp: KindList, byEmail: KindList });

function pageNumber(text: string): number {
  const n = /^[0-9]{1,6}$/.test(text) ? Number(text) : 1;
  return n >= 1 ? n : 1;
}

/**
 * The notification centre (OJS: the bell and its list, and "notification settings" on the profile):
 * `/notifications`, and `/{journal}/notifications` for one journal's. Opening one marks it read and
 * goes where to act; each can be marked read, or all at once. Another person's notification is a 404,
 * as for an id that does not exist.
 */
export async function notificationRoutes(app: FastifyInstance, { db, clock }: NotificationDeps): Promise<void> {
  const routes = typed(app);

  function scopeOf(request: FastifyRequest): Scope {
    const user = request.viewer.user as SignedInUser;
    const journal = request.viewer.journal;
    return { userId: user.userId, ...(journal ? { journalId: journal.id } : {}) };
  }

  const listHref = (request: FastifyRequest, page: string, notice?: string) => {
    const query = new URLSearchParams();
    if (pageNumber(page) > 1) query.set('page', page);
    if (notice) query.set('notice', notice);
    const search = query.toString();
    return notificationsPath(request.viewer.journal?.path, search ? `?${search}` : '');
  };

  for (const prefix of ['', '/:journal']) {
    routes.get(`${prefix}/notifications`, { config: account, schema: { params: PrefixParams, querystring: ListQuery } }, async (request, reply) => {
      const { ctx } = await formPage(db, request, reply);
      const scope = scopeOf(request);
      const wanted = pageNumber(firstValue(request.query.page));
      let page = await listNotifications(db, scope, { limit: PAGE_SIZE, offset: (wanted - 1) * PAGE_SIZE });
      const pages = Math.max(1, Math.ceil(page.total / PAGE_SIZE));
      // Past the last page (after marking or pruning): the last page.
      const shown = Math.min(wanted, pages);
      if (shown !== wanted) page = await listNotifications(db, scope, { limit: PAGE_SIZE, offset: (shown - 1) * PAGE_SIZE });
      const notice = firstValue(request.query.notice);
      const noticeText = notice === 'read' ? ctx.t('notifications.notice.read') : notice === 'all-read' ? ctx.t('notifications.notice.allRead') : undefined;
      const journalPath = request.viewer.journal?.path;
      return sendPrivatePage(reply, NotificationsPage({ ctx, view: { page, pageNumber: shown, pages, csrf: ctx.csrf ?? '', ...(journalPath ? { journalPath } : {}), ...(noticeText ? { notice: noticeText } : {}) } }));
    });

    routes.get(`${prefix}/notifications/:id/open`, { config: account, schema: { params: ItemParams } }, async (request, reply) => {
      const scope = scopeOf(request);
      const notification = await findNotification(db, scope, parseId(request.params.id));
      if (!notification) throw new NotFoundError('no such notification');
      await markNotificationRead(db, scope, notification.id, clock.now());
      return reply.redirect(notificationTarget(notification) ?? listHref(request, ''), 303);
    });

    routes.post(`${prefix}/notifications/:id/read`, { config: account, schema: { params: ItemParams, body: BackBody } }, async (request, reply) => {
      if (!(await markNotificationRead(db, scopeOf(request), parseId(request.params.id), clock.now()))) throw new NotFoundError('no such notification');
      return reply.redirect(listHref(request, formText(formBody(request), 'page', 6), 'read'), 303);
    });

    routes.post(`${prefix}/notifications/read-all`, { config: account, schema: { params: PrefixParams, body: BackBody } }, async (request, reply) => {
      await markAllNotificationsRead(db, scopeOf(request), clock.now());
      return reply.redirect(listHref(request, '', 'all-read'), 303);
    });

    routes.get(`${prefix}/user/profile/notifications`, { config: account, schema: { params: PrefixParams, querystring: ListQuery } }, async (request, reply) => showSettings(request, reply, firstValue(request.query.notice) === 'saved'));

    routes.post(`${prefix}/user/profile/notifications`, { config: account, schema: { params: PrefixParams, body: SettingsBody } }, async (request, reply) => {
      const body = formBody(request);
      const user = request.viewer.user as SignedInUser;
      await saveNotificationPreferences(db, user.userId, { inApp: formList(body, 'inApp'), byEmail: formList(body, 'byEmail') });
      request.log.info({ userId: user.userId }, 'notification settings saved');
      const journal = request.viewer.journal;
      return reply.redirect(`${journal ? `/${journal.path}` : ''}/user/profile/notifications?notice=saved`, 303);
    });
  }

  async function showSettings(request: FastifyRequest, reply: FastifyReply, saved: boolean) {
    const { ctx } = await formPage(db, request, reply);
    const user = request.viewer.user as SignedInUser;
    const preferences = await notificationPreferences(db, user.userId);
    return sendPrivatePage(reply, NotificationSettingsPage({ ctx, preferences, ...(saved ? { notice: ctx.t('notifications.settings.saved') } : {}) }));
  }
}
