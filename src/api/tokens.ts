import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import type { Kysely } from 'kysely';
import { JOURNAL_ROLES, loadPrincipal, type JournalRole, type Principal } from '../accounts/index.ts';
import type { Database, RoleName } from '../db/index.ts';

/**
 * Personal API tokens: a person's key for the JSON API, limited to some of their roles (and
 * optionally one journal). The token is 256 random bits, shown once; only its SHA-256 is stored, so
 * reading the database gives nobody a usable key. A slow hash would add nothing to a random secret.
 */

type Db = Kysely<Database>;

/** Tokens start with this, so a leaked one is recognisable (secret scanners, logs). */
export const TOKEN_PREFIX = 'rvt_';
const TOKEN_SHAPE = /^rvt_[A-Za-z0-9_-]{43}$/;
/** How stale "last used" may be: one write a minute at most, however busy a script is. */
export const LAST_USED_INTERVAL_MS = 60_000;

export interface ApiTokenEntry {
  id: number;
  name: string;
  roles: RoleName[];
  journal: { id: number; path: string } | null;
  createdAt: Date;
  lastUsedAt: Date | null;
}

/** Who calls the API with a token: the person, with only the roles the token allows them. */
export interface ApiCaller {
  tokenId: number;
  principal: Principal;
}

function digest(token: string): string {
  return createHash('sha256').update(token).digest('base64url');
}

/** The roles a person may put on a token: their own, per journal (null: the site administrator's). */
export async function grantableRoles(db: Db, userId: number): Promise<Array<{ journalId: number | null; journalPath: string | null; role: RoleName }>> {
  const rows = await db
    .selectFrom('role_assignments')
    .leftJoin('journals', 'journals.id', 'role_assignments.journal_id')
    .select(['role_assignments.journal_id', 'journals.path', 'role_assignments.role'])
    .where('role_assignments.user_id', '=', userId)
    .orderBy('journals.path')
    .orderBy('role_assignments.role')
    .execute();
  return rows.map((r) => ({ journalId: r.journal_id, journalPath: r.path, role: r.role }));
}

export async function createApiToken(db: Db, input: { userId: number; name: string; roles: RoleName[]; journalId: number | null }, now: Date): Promise<{ id: number; token: string }> {
  const token = TOKEN_PREFIX + randomBytes(32).toString('base64url');
  const row = await db
    .insertInto('api_tokens')
    .values({ user_id: input.userId, name: input.name, token_hash: digest(token), roles: input.roles, journal_id: input.journalId, created_at: now })
    .returning('id')
    .executeTakeFirstOrThrow();
  return { id: row.id, token };
}

/** A person's tokens that still work, newest first. */
export async function listApiTokens(db: Db, userId: number): Promise<ApiTokenEntry[]> {
  const rows = await db
    .selectFrom('api_tokens as t')
    .leftJoin('journals as j', 'j.id', 't.journal_id')
    .select(['t.id', 't.name', 't.roles', 't.journal_id', 'j.path', 't.created_at', 't.last_used_at'])
    .where('t.user_id', '=', userId)
    .where('t.revoked_at', 'is', null)
    .orderBy('t.created_at', 'desc')
    .orderBy('t.id', 'desc')
    .execute();
  return rows.map((r) => ({ id: r.id, name: r.name, roles: r.roles, journal: r.journal_id !== null && r.path !== null ? { id: r.journal_id, path: r.path } : null, createdAt: r.created_at, lastUsedAt: r.last_used_at }));
}

export async function findApiToken(db: Db, userId: number, id: number): Promise<ApiTokenEntry | undefined> {
  return (await listApiTokens(db, userId)).find((t) => t.id === id);
}

/** Revokes one of the person's tokens; false when it is not theirs or already revoked. */
export async function revokeApiToken(db: Db, userId: number, id: number, now: Date): Promise<boolean> {
  const result = await db.updateTable('api_tokens').set({ revoked_at: now }).where('id', '=', id).where('user_id', '=', userId).where('revoked_at', 'is', null).executeTakeFirst();
  return Number(result.numUpdatedRows) > 0;
}

/**
 * The caller a token stands for, or undefined for a malformed, unknown or revoked token or a disabled
 * account. Its rights are the person's roles today narrowed to the token's: a role taken from the
 * person since is gone from the token too.
 */
export async function findTokenCaller(db: Db, token: string, now: Date): Promise<ApiCaller | undefined> {
  if (!TOKEN_SHAPE.test(token)) return undefined;
  const hash = digest(token);
  const row = await db
    .selectFrom('api_tokens as t')
    .innerJoin('users as u', 'u.id', 't.user_id')
    .select(['t.id', 't.user_id', 't.token_hash', 't.roles', 't.journal_id', 't.last_used_at'])
    .where('t.token_hash', '=', hash)
    .where('t.revoked_at', 'is', null)
    .where('u.disabled_at', 'is', null)
    .executeTakeFirst();
  // The index finds the row by its hash; comparing again in constant time leaves no timing to learn from.
  if (!row || !timingSafeEqual(Buffer.from(row.token_hash), Buffer.from(hash))) return undefined;
  if (row.last_used_at === null || now.getTime() - row.last_used_at.getTime() >= LAST_USED_INTERVAL_MS) {
    await db.updateTable('api_tokens').set({ last_used_at: now }).where('id', '=', row.id).execute();
  }
  return { tokenId: row.id, principal: narrowed(await loadPrincipal(db, row.user_id), row.roles, row.journal_id) };
}

/** The person's rights limited to `roles` (and to one journal when `journalId` is set). */
export function narrowed(person: Principal, roles: readonly RoleName[], journalId: number | null): Principal {
  const allowed = new Set<RoleName>(roles);
  const byJournal = new Map<number, Set<JournalRole>>();
  for (const [id, held] of person.roles) {
    if (journalId !== null && id !== journalId) continue;
    const kept = new Set([...held].filter((role) => allowed.has(role)));
    if (kept.size > 0) byJournal.set(id, kept);
  }
  return {
    userId: person.userId,
    // The administrator's token may be limited to one journal: then it is no administrator's.
    isAdmin: person.isAdmin && allowed.has('admin') && journalId === null,
    roles: byJournal,
    sectionIds: person.sectionIds,
    ...(journalId !== null ? { onlyJournalId: journalId } : {}),
  };
}

/** The roles a token may carry, in the order people read them. */
export const TOKEN_ROLES: readonly RoleName[] = ['admin', ...JOURNAL_ROLES];
