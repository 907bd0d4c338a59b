import type { FastifyRequest } from 'fastify';
import { NotFoundError, TokenRequiredError } from '../../../platform/http/index.ts';
import { findNotification, listNotifications, markNotificationRead, type Scope } from '../../../notifications/index.ts';
import { PageQuery, pageOf } from '../common.ts';
import type { ApiDeps, ApiRoutes } from '../deps.ts';
import { presentNotification } from './presenter.ts';
import { Notification, NotificationList, NotificationParams } from './schema.ts';

const tags = ['notifications'];
const csrf = { csrf: false } as const;

/**
 * The token's person's notifications (issue 20, item 9), as the notification centre shows them. A
 * token limited to one journal sees that journal's only; another person's notification is a 404.
 */
export function notificationRoutes(routes: ApiRoutes, { db, baseUrl, clock }: ApiDeps): void {
  function scopeOf(request: FastifyRequest): Scope {
    if (!request.apiCaller) throw new TokenRequiredError('missing');
    const { userId, onlyJournalId } = request.apiCaller.principal;
    return { userId, ...(onlyJournalId !== undefined ? { journalId: onlyJournalId } : {}) };
  }

  routes.get(
    '/api/v1/notifications',
    { config: csrf, schema: { summary: 'List your notifications', description: 'Newest first, with how many are unread.', tags, operationId: 'getNotifications', tokenRequired: true, querystring: PageQuery, response: { 200: NotificationList } } },
    async (request) => {
      const page = await listNotifications(db, scopeOf(request), pageOf(request.query));
      return { itemsMax: page.total, unread: page.unread, items: page.items.map((n) => presentNotification(n, baseUrl)) };
    },
  );

  routes.put(
    '/api/v1/notifications/:notificationId/read',
    { config: csrf, schema: { summary: 'Mark a notification read', description: 'Reading it again keeps the first time it was read.', tags, operationId: 'markNotificationRead', tokenRequired: true, params: NotificationParams, response: { 200: Notification } } },
    async (request) => {
      const scope = scopeOf(request);
      if (!(await markNotificationRead(db, scope, request.params.notificationId, clock.now()))) throw new NotFoundError('no such notification');
      return presentNotification((await findNotification(db, scope, request.params.notificationId))!, baseUrl);
    },
  );
}
