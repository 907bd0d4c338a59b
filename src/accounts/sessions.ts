import type { FastifyReply, FastifyRequest } from 'fastify';
import { sql, type Kysely } from 'kysely';
import type { Database, RoleName } from '../db/index.ts';
import { JOURNAL_ROLES, type JournalRole, type Principal } from './policy.ts';
import { hashToken, newToken } from './tokens.ts';

export const SESSION_COOKIE = 'revista_session';
/** Sessions last 30 days from the last visit; the expiry moves forward at most every 10 minutes. */
export const SESSION_LIFETIME_MS = 30 * 24 * 3600 * 1000;
const TOUCH_INTERVAL_MS = 10 * 60 * 1000;

export interface SignedInUser extends Principal {
  email: string;
  givenName: Record<string, string>;
  familyName: Record<string, string>;
  preferredLocale: string | null;
  sessionHash: string;
  /** Unread notifications (notifications/), counted up to UNREAD_SHOWN_MAX: the header shows "99+" beyond. */
  unreadNotifications: number;
}

/** The header's unread count stops here, so a person with thousands unread costs no more to count. */
export const UNREAD_SHOWN_MAX = 100;

export async function createSession(db: Kysely<Database>, userId: number, now: Date, userAgent: string | undefined): Promise<string> {
  const token = newToken();
  await db
    .insertInto('sessions')
    .values({
      token_hash: hashToken(token),
      user_id: userId,
      created_at: now,
      last_seen_at: now,
      expires_at: new Date(now.getTime() + SESSION_LIFETIME_MS),
      user_agent: userAgent?.slice(0, 300) ?? null,
    })
    .execute();
  await db.updateTable('users').set({ last_login_at: now }).where('id', '=', userId).execute();
  return token;
}

/**
 * Signs `userId` in on this answer: a new session and its cookie. For flows that proved who someone is
 * by other means than a password form (an invitation's or a review request's link, with the new password).
 */
export async function startSession(db: Kysely<Database>, request: FastifyRequest, reply: FastifyReply, userId: number, now: Date, https: boolean): Promise<void> {
  const session = await createSession(db, userId, now, request.headers['user-agent']);
  reply.setCookie(SESSION_COOKIE, session, { path: '/', httpOnly: true, sameSite: 'lax', secure: https || request.protocol === 'https', signed: true, maxAge: SESSION_LIFETIME_MS / 1000 });
}

/** The person a session token belongs to, with their roles; undefined for an unknown, expired or disabled one. */
export async function findSessionUser(db: Kysely<Database>, token: string, now: Date): Promise<SignedInUser | undefined> {
  const tokenHash = hashToken(token);
  const row = await db
    .selectFrom('sessions')
    .innerJoin('users', 'users.id', 'sessions.user_id')
    .select(['users.id', 'users.email', 'users.given_name', 'users.family_name', 'users.preferred_locale', 'sessions.last_seen_at'])
    // The header's unread count rides on this query (partial index notifications_unread), so a signed-in
    // page costs no extra round trip for it; visitors have no session and are never counted.
    .select(sql<number>`(SELECT count(*)::int FROM (SELECT 1 FROM notifications n WHERE n.user_id = users.id AND n.read_at IS NULL LIMIT ${UNREAD_SHOWN_MAX}) AS unread)`.as('unread_notifications'))
    .where('sessions.token_hash', '=', tokenHash)
    .where('sessions.expires_at', '>', now)
    .where('users.disabled_at', 'is', null)
    .executeTakeFirst();
  if (!row) return undefined;
  if (now.getTime() - row.last_seen_at.getTime() > TOUCH_INTERVAL_MS) {
    await db
      .updateTable('sessions')
      .set({ last_seen_at: now, expires_at: new Date(now.getTime() + SESSION_LIFETIME_MS) })
      .where('token_hash', '=', tokenHash)
      .execute();
  }
  const principal = await loadPrincipal(db, row.id);
  return {
    ...principal,
    email: row.email,
    givenName: row.given_name,
    familyName: row.family_name,
    preferredLocale: row.preferred_locale,
    sessionHash: tokenHash,
    unreadNotifications: Number(row.unread_notifications),
  };
}

export async function loadPrincipal(db: Kysely<Database>, userId: number): Promise<Principal> {
  const [roles, sections] = await Promise.all([
    db.selectFrom('role_assignments').select(['journal_id', 'role']).where('user_id', '=', userId).execute(),
    db.selectFrom('section_editor_sections').select('section_id').where('user_id', '=', userId).execute(),
  ]);
  return principalFrom(userId, roles, sections.map((s) => s.section_id));
}

export function principalFrom(userId: number, roles: Array<{ journal_id: number | null; role: RoleName }>, sectionIds: number[]): Principal {
  const byJournal = new Map<number, Set<JournalRole>>();
  let isAdmin = false;
  for (const { journal_id, role } of roles) {
    if (role === 'admin') isAdmin = true;
    else if (journal_id !== null && (JOURNAL_ROLES as readonly string[]).includes(role)) {
      const set = byJournal.get(journal_id) ?? new Set<JournalRole>();
      set.add(role as JournalRole);
      byJournal.set(journal_id, set);
    }
  }
  return { userId, isAdmin, roles: byJournal, sectionIds: new Set(sectionIds) };
}

export async function endSession(db: Kysely<Database>, token: string): Promise<void> {
  await db.deleteFrom('sessions').where('token_hash', '=', hashToken(token)).execute();
}

/** After a password change or reset, or when an account is disabled: every other device is signed out. */
export async function endUserSessions(db: Kysely<Database>, userId: number, keepHash?: string): Promise<void> {
  let query = db.deleteFrom('sessions').where('user_id', '=', userId);
  if (keepHash) query = query.where('token_hash', '<>', keepHash);
  await query.execute();
}
