import { translator, UI_LOCALES } from '../../../i18n/index.ts';
import type { Static } from '../../../platform/http/index.ts';
import { notificationTarget, notificationWords, type NotificationEntry } from '../../../notifications/index.ts';
import type { Notification } from './schema.ts';

/** A notification as the API gives it: its message in every language of the interface, and where to act. */
export function presentNotification(n: NotificationEntry, baseUrl: string): Static<typeof Notification> {
  const target = notificationTarget(n);
  return {
    id: n.id,
    kind: n.kind,
    message: Object.fromEntries(UI_LOCALES.map((locale) => [locale, notificationWords({ t: translator(locale), locale }, n).text])),
    params: n.params,
    journalId: n.journalId,
    journalPath: n.journalPath,
    submissionId: n.submissionId,
    read: n.readAt !== null,
    dateCreated: n.createdAt.toISOString(),
    dateRead: n.readAt ? n.readAt.toISOString() : null,
    url: target ? `${baseUrl}${target}` : null,
  };
}
