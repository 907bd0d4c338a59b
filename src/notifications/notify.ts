import type { Kysely } from 'kysely';
import type { Database } from '../db/index.ts';

/**
 * Notifications (issue 20, item 9): what happened to someone's work, kept for the interface (an unread
 * count in the header, a list) and, where the person wants it, also sent by email. Every mail the
 * workflow sends to a person about a submission goes through `notify`: it stores the notification
 * and says whether the person takes this kind by email; the caller then writes the mail in the same
 * transaction.
 */

/** The kinds, in the words of the workflow. Preferences are kept per kind. */
export const NOTIFICATION_KINDS = [
  'submission-submitted',
  'submission-assigned',
  'discussion-message',
  'review-requested',
  'review-answered',
  'review-submitted',
  'review-changed',
  'review-reminder',
  'decision',
  'recommendation',
  'revisions-submitted',
  'proofs-requested',
  'proofs-answered',
  'publication-published',
  'notice-published',
] as const;

export type NotificationKind = (typeof NOTIFICATION_KINDS)[number];

/** Kinds that always come by email whatever the preference: a request or a reminder the person must act on. */
export const ALWAYS_BY_EMAIL: readonly NotificationKind[] = ['review-requested', 'review-reminder', 'decision', 'proofs-requested'];

export interface NewNotification {
  userId: number;
  kind: NotificationKind;
  journalId: number | null;
  submissionId: number | null;
  /** Ids and short values the list shows (never message bodies, never a hidden person's name). */
  params?: Record<string, string | number>;
  at: Date;
}

/**
 * Stores a notification for the person (unless they turned this kind off in the interface) and tells
 * whether to email them about it. Pass the transaction of the change or of the subscriber.
 */
export async function notify(db: Kysely<Database>, notification: NewNotification): Promise<{ byEmail: boolean }> {
  const preference = await db.selectFrom('notification_preferences').select(['in_app', 'by_email']).where('user_id', '=', notification.userId).where('kind', '=', notification.kind).executeTakeFirst();
  if (preference?.in_app ?? true) {
    await db
      .insertInto('notifications')
      .values({
        user_id: notification.userId,
        kind: notification.kind,
        journal_id: notification.journalId,
        submission_id: notification.submissionId,
        params: JSON.stringify(notification.params ?? {}),
        created_at: notification.at,
      })
      .execute();
  }
  return { byEmail: ALWAYS_BY_EMAIL.includes(notification.kind) || (preference?.by_email ?? true) };
}
