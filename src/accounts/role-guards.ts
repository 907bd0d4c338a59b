import { sql, type Kysely } from 'kysely';
import type { Database, RoleName } from '../db/index.ts';
import { removeRole } from './users.ts';

type Db = Kysely<Database>;

/**
 * Why a role may not be taken away (issue 17: a manager removed their own role with one click and
 * was locked out at once): nobody removes their own manager or administrator role, a journal keeps
 * at least one manager whose account works, the site at least one administrator.
 */
export type RemovalRefusal = 'own-role' | 'own-admin' | 'last-manager' | 'last-admin';

export interface RoleRemoval {
  /** Who asks. */
  actorId: number;
  userId: number;
  /** null for the site administrator role. */
  journalId: number | null;
  role: RoleName;
}

/** Others than `userId` holding `role` (in `journalId`) on an account that is not disabled; rows locked when in a transaction. */
async function othersHolding(db: Db, role: RoleName, journalId: number | null, userId: number): Promise<number> {
  const rows = await sql<{ user_id: number }>`
    SELECT ra.user_id FROM role_assignments ra JOIN users u ON u.id = ra.user_id
    WHERE ra.role = ${role} AND ${journalId === null ? sql`ra.journal_id IS NULL` : sql`ra.journal_id = ${journalId}`}
      AND ra.user_id <> ${userId} AND u.disabled_at IS NULL
    ORDER BY ra.id FOR UPDATE OF ra`.execute(db);
  return rows.rows.length;
}

export async function removalRefusal(db: Db, removal: RoleRemoval): Promise<RemovalRefusal | undefined> {
  const { actorId, userId, journalId, role } = removal;
  // "The last" first: it says what to do (give someone else the role), which holds for oneself too.
  if (role === 'admin') {
    if ((await othersHolding(db, 'admin', null, userId)) === 0) return 'last-admin';
    if (userId === actorId) return 'own-admin';
  }
  if (role === 'manager' && journalId !== null) {
    if ((await othersHolding(db, 'manager', journalId, userId)) === 0) return 'last-manager';
    if (userId === actorId) return 'own-role';
  }
  return undefined;
}

/**
 * Removes the role unless a rule refuses it; checked and done in one transaction that locks the
 * holders of the role, so two managers removing each other at once cannot leave the journal with none.
 */
export async function removeRoleGuarded(db: Db, removal: RoleRemoval): Promise<RemovalRefusal | undefined> {
  return db.transaction().execute(async (trx) => {
    const refusal = await removalRefusal(trx, removal);
    if (refusal) return refusal;
    await removeRole(trx, removal.userId, removal.journalId, removal.role);
    return undefined;
  });
}

/** True when `userId` is the only administrator whose account works: it may not be disabled or deleted. */
export async function isLastAdministrator(db: Db, userId: number): Promise<boolean> {
  const holds = await db.selectFrom('role_assignments').select('id').where('user_id', '=', userId).where('role', '=', 'admin').executeTakeFirst();
  return holds !== undefined && (await othersHolding(db, 'admin', null, userId)) === 0;
}
