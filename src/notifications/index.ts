// Notifications (issue 20): stored for the interface, mailed where the person wants them.
import type { FastifyInstance } from 'fastify';
import { notificationRoutes, type NotificationDeps } from './web.ts';

export * from './notify.ts';
export { listNotifications, findNotification, markNotificationRead, markAllNotificationsRead, notificationPreferences, saveNotificationPreferences, pruneNotifications, KEEP_READ_DAYS, type NotificationEntry, type NotificationPage, type NotificationPreference, type Scope } from './queries.ts';
export { notificationWords, notificationTarget } from './words.ts';
export { notificationJobs, notificationSchedules, PRUNE_NOTIFICATIONS_JOB } from './jobs.ts';
export type { NotificationDeps } from './web.ts';

/** The notification centre's pages: the list and the person's settings. */
export async function notificationsPlugin(app: FastifyInstance, deps: NotificationDeps): Promise<void> {
  await notificationRoutes(app, deps);
}
