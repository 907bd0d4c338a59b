import { sql, type Kysely } from 'kysely';
import type { AccountTokenPurpose, Database, LocalizedText, RoleName, User } from '../db/index.ts';
import { hashPassword } from './passwords.ts';
import { endUserSessions } from './sessions.ts';
import { hashToken, newToken } from './tokens.ts';

type Db = Kysely<Database>;

export interface NewUser {
  email: string;
  password: string;
  givenName: LocalizedText;
  familyName: LocalizedText;
  affiliation: LocalizedText;
  orcid: string | null;
  country: string | null;
  preferredLocale: string | null;
  privacyConsentAt: Date | null;
  emailVerifiedAt?: Date | null;
}

export function findUserByEmail(db: Db, email: string): Promise<User | undefined> {
  return db.selectFrom('users').selectAll().where(sql`lower(email)`, '=', email.toLowerCase()).executeTakeFirst();
}

export function findUser(db: Db, id: number): Promise<User | undefined> {
  return db.selectFrom('users').selectAll().where('id', '=', id).executeTakeFirst();
}

/** Creates the account, or says the address is taken (the caller must not tell the visitor which). */
export async function registerUser(db: Db, input: NewUser): Promise<{ created: true; user: User } | { created: false; user: User }> {
  const existing = await findUserByEmail(db, input.email);
  if (existing) return { created: false, user: existing };
  const user = await insertUser(db, input, await hashPassword(input.password));
  return user ? { created: true, user } : { created: false, user: (await findUserByEmail(db, input.email))! };
}

/**
 * Inserts the account with a password already hashed, or nothing when the address is taken: one
 * statement either way. No roles: those come with the confirmed address (`confirmAddress`).
 */
export function insertUser(db: Db, input: Omit<NewUser, 'password'>, passwordHash: string | null): Promise<User | undefined> {
  return db
    .insertInto('users')
    .values({
      email: input.email,
      password_hash: passwordHash,
      given_name: JSON.stringify(input.givenName),
      family_name: JSON.stringify(input.familyName),
      affiliation: JSON.stringify(input.affiliation),
      orcid: input.orcid,
      country: input.country,
      preferred_locale: input.preferredLocale,
      privacy_consent_at: input.privacyConsentAt,
      email_verified_at: input.emailVerifiedAt ?? null,
    })
    .onConflict((oc) => oc.expression(sql`lower(email)`).doNothing())
    .returningAll()
    .executeTakeFirst();
}

export const TOKEN_LIFETIME_MS: Record<AccountTokenPurpose, number> = {
  'verify-email': 72 * 3600 * 1000,
  'reset-password': 2 * 3600 * 1000,
  'change-email': 72 * 3600 * 1000,
  // The owner may be away for a few days when someone else moves their account.
  'revert-email': 7 * 24 * 3600 * 1000,
};

/**
 * A one-time link's token; earlier unused tokens of the same purpose stop working (revert-email
 * excepted). `newEmail` is the address a change-email (or revert-email) link moves to; `journalId`
 * the journal a verify-email link makes the person a reader and author of. Inside the caller's
 * transaction when `db` is one.
 */
export async function issueAccountToken(db: Db, userId: number, purpose: AccountTokenPurpose, now: Date, newEmail: string | null = null, journalId: number | null = null, lifetimeMs = TOKEN_LIFETIME_MS[purpose]): Promise<string> {
  const token = newToken();
  const write = async (trx: Db) => {
    // Each change of address sends its own way back to the address it left: a second change must not
    // take the first one's away.
    if (purpose !== 'revert-email') await trx.deleteFrom('account_tokens').where('user_id', '=', userId).where('purpose', '=', purpose).execute();
    await trx
      .insertInto('account_tokens')
      .values({ token_hash: hashToken(token), user_id: userId, purpose, new_email: newEmail, journal_id: journalId, created_at: now, expires_at: new Date(now.getTime() + lifetimeMs) })
      .execute();
  };
  if (db.isTransaction) await write(db);
  else await db.transaction().execute(write);
  return token;
}

export interface ConsumedToken {
  userId: number;
  newEmail: string | null;
}

/** Uses a one-time token: valid once, before it expires; one statement, so two uses cannot both succeed. */
export async function consumeAccountToken(db: Db, token: string, purpose: AccountTokenPurpose, now: Date): Promise<ConsumedToken | undefined> {
  const row = await db
    .updateTable('account_tokens')
    .set({ used_at: now })
    .where('token_hash', '=', hashToken(token))
    .where('purpose', '=', purpose)
    .where('used_at', 'is', null)
    .where('expires_at', '>', now)
    .returning(['user_id', 'new_email'])
    .executeTakeFirst();
  return row && { userId: row.user_id, newEmail: row.new_email };
}

/** Looks at a token without using it: the form behind a link is shown, and checked, before the link is spent. */
export async function peekAccountToken(db: Db, token: string, purpose: AccountTokenPurpose, now: Date): Promise<ConsumedToken | undefined> {
  if (token === '') return undefined;
  const row = await db
    .selectFrom('account_tokens')
    .select(['user_id', 'new_email'])
    .where('token_hash', '=', hashToken(token))
    .where('purpose', '=', purpose)
    .where('used_at', 'is', null)
    .where('expires_at', '>', now)
    .executeTakeFirst();
  return row && { userId: row.user_id, newEmail: row.new_email };
}

/** The journal an account registered through, as its confirmation link remembers it (null: the site itself). */
export async function registeredThrough(db: Db, userId: number): Promise<number | null> {
  const row = await db
    .selectFrom('account_tokens')
    .select('journal_id')
    .where('user_id', '=', userId)
    .where('purpose', '=', 'verify-email')
    .orderBy('created_at', 'desc')
    .executeTakeFirst();
  return row?.journal_id ?? null;
}

/**
 * The address is confirmed (by its confirmation link, or by a password reset through it): from now
 * on the person has the reader and author roles of the journal they registered through, as in OJS.
 * Before that an account holds no role at all, so a mistyped or hijacked address gains nothing.
 */
export async function confirmAddress(db: Db, userId: number, now: Date): Promise<void> {
  const confirm = async (trx: Db) => {
    const confirmed = await trx.updateTable('users').set({ email_verified_at: now }).where('id', '=', userId).where('email_verified_at', 'is', null).returning('id').executeTakeFirst();
    if (!confirmed) return;
    const journalId = await registeredThrough(trx, userId);
    if (journalId !== null) {
      for (const role of ['reader', 'author'] as const) await assignRole(trx, userId, journalId, role);
    }
  };
  if (db.isTransaction) await confirm(db);
  else await db.transaction().execute(confirm);
}

/** Sets a new password and signs the account out everywhere else. */
export async function setPassword(db: Db, userId: number, password: string, keepSessionHash?: string): Promise<void> {
  await storePasswordHash(db, userId, await hashPassword(password), keepSessionHash);
}

/** `setPassword` with the hash made beforehand (outside a transaction: hashing takes a quarter second). */
export async function storePasswordHash(db: Db, userId: number, passwordHash: string, keepSessionHash?: string): Promise<void> {
  await db.updateTable('users').set({ password_hash: passwordHash }).where('id', '=', userId).execute();
  await endUserSessions(db, userId, keepSessionHash);
}

/**
 * Moves the account to `newEmail` (confirmed by its link) and signs it out everywhere except
 * `keepSessionHash`; returns the address it had, or undefined when someone else took the new one
 * meanwhile (or the account is gone).
 */
export async function changeEmail(db: Db, userId: number, newEmail: string, now: Date, keepSessionHash?: string): Promise<string | undefined> {
  const change = async (trx: Db) => {
    const user = await trx.selectFrom('users').select('email').where('id', '=', userId).forUpdate().executeTakeFirst();
    if (!user) return undefined;
    const taken = await findUserByEmail(trx, newEmail);
    if (taken && taken.id !== userId) return undefined;
    await trx.updateTable('users').set({ email: newEmail, email_verified_at: now }).where('id', '=', userId).execute();
    await endUserSessions(trx, userId, keepSessionHash);
    return user.email;
  };
  return db.isTransaction ? change(db) : db.transaction().execute(change);
}

export interface ProfileUpdate {
  givenName: LocalizedText;
  familyName: LocalizedText;
  affiliation: LocalizedText;
  orcid: string | null;
  country: string | null;
  preferredLocale: string | null;
}

export async function updateProfile(db: Db, userId: number, update: ProfileUpdate): Promise<void> {
  await db
    .updateTable('users')
    .set({
      given_name: JSON.stringify(update.givenName),
      family_name: JSON.stringify(update.familyName),
      affiliation: JSON.stringify(update.affiliation),
      orcid: update.orcid,
      country: update.country,
      preferred_locale: update.preferredLocale,
    })
    .where('id', '=', userId)
    .execute();
}

export async function requestDeletion(db: Db, userId: number, now: Date): Promise<void> {
  await db.updateTable('users').set({ deletion_requested_at: now }).where('id', '=', userId).where('deletion_requested_at', 'is', null).execute();
}

/** Everything Revista keeps about a person, for their own download (GDPR art. 15 and 20). */
export async function exportUserData(db: Db, userId: number): Promise<Record<string, unknown>> {
  const user = await db
    .selectFrom('users')
    .select(['id', 'email', 'email_verified_at', 'given_name', 'family_name', 'affiliation', 'orcid', 'country', 'preferred_locale', 'privacy_consent_at', 'deletion_requested_at', 'last_login_at', 'created_at', 'updated_at'])
    .where('id', '=', userId)
    .executeTakeFirstOrThrow();
  const [roles, sessions, mail, reviewingInterests] = await Promise.all([
    db
      .selectFrom('role_assignments')
      .leftJoin('journals', 'journals.id', 'role_assignments.journal_id')
      .select(['role_assignments.role', 'journals.path as journal', 'role_assignments.created_at'])
      .where('user_id', '=', userId)
      .orderBy('role_assignments.id')
      .execute(),
    db.selectFrom('sessions').select(['created_at', 'last_seen_at', 'expires_at', 'user_agent']).where('user_id', '=', userId).orderBy('created_at').execute(),
    db.selectFrom('mail_outbox').select(['created_at', 'subject', 'status']).where(sql`lower(to_address)`, '=', user.email.toLowerCase()).orderBy('created_at').execute(),
    db.selectFrom('reviewer_interests').select('interest').where('user_id', '=', userId).orderBy('interest').execute(),
  ]);
  return { exportedBy: 'Revista', user, roles, sessions, mail, reviewingInterests: reviewingInterests.map((r) => r.interest) };
}

export async function assignRole(db: Db, userId: number, journalId: number | null, role: RoleName): Promise<void> {
  await db
    .insertInto('role_assignments')
    .values({ user_id: userId, journal_id: role === 'admin' ? null : journalId, role })
    .onConflict((oc) => oc.expression(sql`user_id, coalesce(journal_id, 0), role`).doNothing())
    .execute();
}

export async function removeRole(db: Db, userId: number, journalId: number | null, role: RoleName): Promise<void> {
  let query = db.deleteFrom('role_assignments').where('user_id', '=', userId).where('role', '=', role);
  query = role === 'admin' || journalId === null ? query.where('journal_id', 'is', null) : query.where('journal_id', '=', journalId);
  await query.execute();
  if (role === 'section-editor' && journalId !== null) {
    await db
      .deleteFrom('section_editor_sections')
      .where('user_id', '=', userId)
      .where('section_id', 'in', db.selectFrom('sections').select('id').where('journal_id', '=', journalId))
      .execute();
  }
}

export async function setDisabled(db: Db, userId: number, disabled: boolean, reason: string | null, now: Date): Promise<void> {
  await db
    .updateTable('users')
    .set(disabled ? { disabled_at: now, disabled_reason: reason } : { disabled_at: null, disabled_reason: null })
    .where('id', '=', userId)
    .execute();
  if (disabled) await endUserSessions(db, userId);
}

/**
 * Merges a duplicate account into the one kept (OJS: "Merge users"): roles and section assignments
 * move over, the duplicate's sessions end and it is deleted. One transaction.
 */
export async function mergeUsers(db: Db, duplicateId: number, keepId: number): Promise<void> {
  if (duplicateId === keepId) throw new Error('an account cannot be merged into itself');
  await db.transaction().execute(async (trx) => {
    await sql`
      INSERT INTO role_assignments (user_id, journal_id, role, created_at)
      SELECT ${keepId}, journal_id, role, created_at FROM role_assignments WHERE user_id = ${duplicateId}
      ON CONFLICT DO NOTHING
    `.execute(trx);
    await sql`
      INSERT INTO section_editor_sections (user_id, section_id)
      SELECT ${keepId}, section_id FROM section_editor_sections WHERE user_id = ${duplicateId}
      ON CONFLICT DO NOTHING
    `.execute(trx);
    await trx.deleteFrom('users').where('id', '=', duplicateId).execute();
  });
}

/** Deletes an account (the administrator's "Delete"); its roles, sessions and tokens go with it. */
export async function deleteUser(db: Db, userId: number): Promise<void> {
  await db.deleteFrom('users').where('id', '=', userId).execute();
}

/**
 * The sections of one journal a section editor edits: `chosen` replaces the person's sections among
 * `journalSectionIds` (the journal's sections); sections of other journals stay as they are.
 */
export async function setSectionEditorSections(db: Db, userId: number, journalSectionIds: number[], chosen: number[]): Promise<void> {
  await db.transaction().execute(async (trx) => {
    if (journalSectionIds.length > 0) await trx.deleteFrom('section_editor_sections').where('user_id', '=', userId).where('section_id', 'in', journalSectionIds).execute();
    if (chosen.length > 0) await trx.insertInto('section_editor_sections').values(chosen.map((sectionId) => ({ user_id: userId, section_id: sectionId }))).execute();
  });
}
