import type { Kysely } from 'kysely';
import type { Database } from '../db/index.ts';
import { ALWAYS_BY_EMAIL, NOTIFICATION_KINDS, type NotificationKind } from './notify.ts';

/**
 * Reading and marking a person's notifications. Every function takes the person's id and touches only
 * their rows: an id of someone else's notification finds nothing, exactly like an id that does not exist.
 */

export interface NotificationEntry {
  id: number;
  kind: string;
  params: Record<string, string | number>;
  createdAt: Date;
  readAt: Date | null;
  journalId: number | null;
  journalPath: string | null;
  submissionId: number | null;
  /** The submission's title as it is now (its current version), per locale, with the locale it was written in. */
  title: Record<string, string> | null;
  titleLocale: string | null;
}

export interface NotificationPage {
  items: NotificationEntry[];
  /** Notifications in all (of the journal when filtered). */
  total: number;
  unread: number;
}

export interface Scope {
  userId: number;
  /** Only this journal's notifications. */
  journalId?: number;
}

function scoped(db: Kysely<Database>, scope: Scope) {
  let query = db.selectFrom('notifications as n').where('n.user_id', '=', scope.userId);
  if (scope.journalId !== undefined) query = query.where('n.journal_id', '=', scope.journalId);
  return query;
}

/** The person's notifications with what the list shows of each: the journal's path, the submission's title. */
function entries(db: Kysely<Database>, scope: Scope) {
  return scoped(db, scope)
    .leftJoin('journals as j', 'j.id', 'n.journal_id')
    .leftJoin('articles as a', 'a.id', 'n.submission_id')
    .leftJoin('publications as p', 'p.id', 'a.current_publication_id')
    .select(['n.id', 'n.kind', 'n.params', 'n.created_at', 'n.read_at', 'n.journal_id', 'n.submission_id', 'j.path as journal_path', 'p.title', 'p.locale as title_locale']);
}

type EntryRow = Awaited<ReturnType<ReturnType<typeof entries>['executeTakeFirstOrThrow']>>;

function entryOf(r: EntryRow): NotificationEntry {
  return {
    id: r.id,
    kind: r.kind,
    params: r.params,
    createdAt: r.created_at,
    readAt: r.read_at,
    journalId: r.journal_id,
    journalPath: r.journal_path,
    submissionId: r.submission_id,
    title: r.title,
    titleLocale: r.title_locale,
  };
}

/** A page of the person's notifications, newest first, with the counts a list shows. */
export async function listNotifications(db: Kysely<Database>, scope: Scope, page: { limit: number; offset: number }): Promise<NotificationPage> {
  const [rows, counts] = await Promise.all([
    entries(db, scope).orderBy('n.id', 'desc').limit(page.limit).offset(page.offset).execute(),
    scoped(db, scope)
      .select((eb) => [eb.fn.countAll<string>().as('total'), eb.fn.count<string>('n.read_at').as('read')])
      .executeTakeFirstOrThrow(),
  ]);
  const total = Number(counts.total);
  return { total, unread: total - Number(counts.read), items: rows.map(entryOf) };
}

/** One of the person's notifications, or undefined (someone else's, or none). */
export async function findNotification(db: Kysely<Database>, scope: Scope, id: number): Promise<NotificationEntry | undefined> {
  const found = await entries(db, scope).where('n.id', '=', id).executeTakeFirst();
  return found ? entryOf(found) : undefined;
}

/** Marks one of the person's notifications read (kept as first read). False when it is not theirs. */
export async function markNotificationRead(db: Kysely<Database>, scope: Scope, id: number, now: Date): Promise<boolean> {
  const mine = await scoped(db, scope).select('n.id').where('n.id', '=', id).executeTakeFirst();
  if (!mine) return false;
  await db.updateTable('notifications').set({ read_at: now }).where('id', '=', id).where('user_id', '=', scope.userId).where('read_at', 'is', null).execute();
  return true;
}

/** Marks every unread notification of the person (of the journal, when filtered) read. */
export async function markAllNotificationsRead(db: Kysely<Database>, scope: Scope, now: Date): Promise<number> {
  let query = db.updateTable('notifications').set({ read_at: now }).where('user_id', '=', scope.userId).where('read_at', 'is', null);
  if (scope.journalId !== undefined) query = query.where('journal_id', '=', scope.journalId);
  const result = await query.executeTakeFirst();
  return Number(result.numUpdatedRows);
}

export interface NotificationPreference {
  kind: NotificationKind;
  inApp: boolean;
  byEmail: boolean;
  /** Sent by email whatever the choice (ALWAYS_BY_EMAIL). */
  alwaysByEmail: boolean;
}

/** The person's choice for every kind: what they stored, else shown and emailed. */
export async function notificationPreferences(db: Kysely<Database>, userId: number): Promise<NotificationPreference[]> {
  const stored = await db.selectFrom('notification_preferences').select(['kind', 'in_app', 'by_email']).where('user_id', '=', userId).execute();
  const byKind = new Map(stored.map((row) => [row.kind, row]));
  return NOTIFICATION_KINDS.map((kind) => {
    const row = byKind.get(kind);
    const alwaysByEmail = ALWAYS_BY_EMAIL.includes(kind);
    return { kind, inApp: row?.in_app ?? true, byEmail: alwaysByEmail || (row?.by_email ?? true), alwaysByEmail };
  });
}

/** Stores the person's choice for every kind at once (a kind left out is neither shown nor emailed). */
export async function saveNotificationPreferences(db: Kysely<Database>, userId: number, choice: { inApp: readonly string[]; byEmail: readonly string[] }): Promise<void> {
  const rows = NOTIFICATION_KINDS.map((kind) => ({ user_id: userId, kind, in_app: choice.inApp.includes(kind), by_email: ALWAYS_BY_EMAIL.includes(kind) || choice.byEmail.includes(kind) }));
  await db
    .insertInto('notification_preferences')
    .values(rows)
    .onConflict((oc) => oc.columns(['user_id', 'kind']).doUpdateSet((eb) => ({ in_app: eb.ref('excluded.in_app'), by_email: eb.ref('excluded.by_email') })))
    .execute();
}

/** Read notifications older than this are removed by the daily pruning job. */
export const KEEP_READ_DAYS = 180;

/** Removes read notifications made more than `keepDays` before `now`; unread ones stay until read. */
export async function pruneNotifications(db: Kysely<Database>, now: Date, keepDays = KEEP_READ_DAYS): Promise<number> {
  const before = new Date(now.getTime() - keepDays * 24 * 3600_000);
  const result = await db.deleteFrom('notifications').where('read_at', 'is not', null).where('created_at', '<', before).executeTakeFirst();
  return Number(result.numDeletedRows);
}
