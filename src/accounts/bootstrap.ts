import { randomBytes } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { Database } from '../db/index.ts';
import { normaliseEmail, passwordProblem } from '../platform/identifiers/index.ts';
import { assignRole, findUserByEmail, registerUser } from './users.ts';

export class AccountSetupError extends Error {}

/** A password to print once: 20 characters from an unambiguous alphabet (~115 bits). */
export function generatePassword(): string {
  const alphabet = 'abcdefghijkmnopqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789';
  const bytes = randomBytes(20);
  return Array.from(bytes, (b) => alphabet[b % alphabet.length]).join('');
}

export interface CreatedAdministrator {
  email: string;
  /** Present when Revista chose the password (to be shown once). */
  generatedPassword?: string;
}

/**
 * First start with no administrator: creates one, from ADMIN_EMAIL/ADMIN_PASSWORD when given, else
 * `admin@localhost` with a random password that the start log prints once. Later starts do nothing.
 */
export async function ensureAdministrator(db: Kysely<Database>, first: { email: string | undefined; password: string | undefined }, now: Date): Promise<CreatedAdministrator | undefined> {
  const existing = await db.selectFrom('role_assignments').select('id').where('role', '=', 'admin').limit(1).executeTakeFirst();
  if (existing) return undefined;
  const email = normaliseEmail(first.email ?? 'admin@localhost.localdomain');
  if (!email) throw new AccountSetupError(`ADMIN_EMAIL "${first.email}" is not an email address`);
  const generated = first.password ? undefined : generatePassword();
  const password = first.password ?? generated!;
  const problem = passwordProblem(password, email);
  if (problem) throw new AccountSetupError(`ADMIN_PASSWORD is not acceptable (${problem}); use at least 10 characters`);
  await createUserWithRole(db, { email, password, role: 'admin', now });
  return { email, ...(generated ? { generatedPassword: generated } : {}) };
}

/** `revista user create`: a verified account with a role, or the role added to an existing account. */
export async function createUserWithRole(
  db: Kysely<Database>,
  input: { email: string; password: string; role: 'admin' | 'manager' | 'editor' | 'section-editor' | 'copyeditor' | 'layout-editor' | 'reviewer' | 'author' | 'reader'; journalId?: number | null; givenName?: string; now: Date },
): Promise<{ userId: number; created: boolean }> {
  const existing = await findUserByEmail(db, input.email);
  let userId: number;
  let created = false;
  if (existing) userId = existing.id;
  else {
    const result = await registerUser(
      db,
      {
        email: input.email,
        password: input.password,
        givenName: { en: input.givenName ?? (input.role === 'admin' ? 'Administrator' : input.email.split('@')[0]!) },
        familyName: {},
        affiliation: {},
        orcid: null,
        country: null,
        preferredLocale: null,
        privacyConsentAt: null,
        emailVerifiedAt: input.now,
      },
    );
    userId = result.user.id;
    created = result.created;
  }
  await assignRole(db, userId, input.role === 'admin' ? null : (input.journalId ?? null), input.role);
  return { userId, created };
}
