import { sql, type Kysely, type Transaction } from 'kysely';
import type { Database, LocalizedText, RoleName } from '../db/index.ts';
import type { JournalRole } from './policy.ts';
import { invitationMailClaims, takeTurn } from './throttle.ts';
import { hashToken, newToken } from './tokens.ts';
import { emit } from '../platform/events/index.ts';
import { assignRole, findUserByEmail, insertUser } from './users.ts';

type Db = Kysely<Database>;

/** How long an invitation's link works: long enough for someone back from a conference. */
export const INVITATION_LIFETIME_MS = 14 * 24 * 3600 * 1000;

/** What the team enters to invite someone: the roles are the journal's (issue 17). */
export interface InvitationRequest {
  journalId: number;
  email: string;
  givenName: LocalizedText;
  familyName: LocalizedText;
  roles: JournalRole[];
  /** The language of the mail and of the accept page. */
  locale: string;
  invitedBy: number;
}

export interface OpenInvitation {
  id: number;
  journalId: number;
  email: string;
  givenName: LocalizedText;
  familyName: LocalizedText;
  roles: JournalRole[];
  locale: string | null;
  invitedBy: number | null;
  sentAt: Date;
  expiresAt: Date;
}

export type InviteOutcome =
  /** The address has an account: the roles were given at once, as before invitations existed. */
  | { kind: 'assigned'; userId: number }
  /** A new invitation, or the open one for this address with the roles added: mail it with `token`. */
  | { kind: 'invited'; invitation: OpenInvitation; token: string }
  | { kind: 'throttled'; until: Date }
  /** No account, and `complete` said the request lacks what an invitation needs: nothing done. */
  | { kind: 'incomplete' };

type InvitationRow = Database['invitations'] extends infer T ? { [K in keyof T]: T[K] extends { __select__: infer S } ? S : T[K] } : never;

function toOpen(row: Pick<InvitationRow, 'id' | 'journal_id' | 'email' | 'given_name' | 'family_name' | 'roles' | 'locale' | 'invited_by' | 'sent_at' | 'expires_at'>): OpenInvitation {
  return {
    id: row.id,
    journalId: row.journal_id,
    email: row.email,
    givenName: row.given_name,
    familyName: row.family_name,
    roles: row.roles as JournalRole[],
    locale: row.locale,
    invitedBy: row.invited_by,
    sentAt: row.sent_at,
    expiresAt: row.expires_at,
  };
}

const OPEN_COLUMNS = ['id', 'journal_id', 'email', 'given_name', 'family_name', 'roles', 'locale', 'invited_by', 'sent_at', 'expires_at'] as const;

/**
 * Invites someone to roles in a journal. An address with an account gets the roles at once; any
 * other gets an invitation (or the open one for the address, with the roles added and a new link:
 * the old link stops working). Every mail counts against INVITATION_MAIL first.
 */
export async function invite(db: Db, request: InvitationRequest, now: Date, complete: () => boolean = () => true): Promise<InviteOutcome> {
  const existing = await findUserByEmail(db, request.email);
  if (existing) {
    await db.transaction().execute(async (trx) => {
      for (const role of request.roles) await assignRole(trx, existing.id, request.journalId, role);
    });
    return { kind: 'assigned', userId: existing.id };
  }
  if (!complete()) return { kind: 'incomplete' };
  const turn = await takeTurn(db, invitationMailClaims(request.email, request.invitedBy), now);
  if (!turn.granted) return { kind: 'throttled', until: turn.until };
  const { invitation, token } = await db.transaction().execute((trx) => storeInvitation(trx, request, now));
  return { kind: 'invited', invitation, token };
}

/**
 * Writes an invitation (or renews the open one for the address, adding the roles: the old link stops
 * working) in the caller's transaction, and returns its link's token. No throttling and no mail:
 * `invite` does both around it; the review request (workflow) sends its own mail with its own links.
 */
export async function storeInvitation(trx: Transaction<Database>, request: InvitationRequest, now: Date, expiresAt = new Date(now.getTime() + INVITATION_LIFETIME_MS)): Promise<{ invitation: OpenInvitation; token: string }> {
  const token = newToken();
  const values = {
    token_hash: hashToken(token),
    given_name: JSON.stringify(request.givenName),
    family_name: JSON.stringify(request.familyName),
    locale: request.locale,
    invited_by: request.invitedBy,
    sent_at: now,
    expires_at: expiresAt,
  };
  const written = await trx
    .insertInto('invitations')
    .values({ ...values, journal_id: request.journalId, email: request.email, roles: request.roles })
    .onConflict((oc) =>
      oc
        .expression(sql`journal_id, lower(email)`)
        .where('accepted_at', 'is', null)
        .where('revoked_at', 'is', null)
        .doUpdateSet({
          ...values,
          // The roles asked for before stay asked for: a second invitation adds, it does not replace.
          roles: sql<string[]>`ARRAY(SELECT DISTINCT unnest(invitations.roles || excluded.roles) ORDER BY 1)`,
        }),
    )
    .returning(OPEN_COLUMNS)
    .executeTakeFirstOrThrow();
  await emit(trx, { type: 'UserInvited', journalId: written.journal_id, invitationId: written.id, roles: written.roles });
  return { invitation: toOpen(written), token };
}

/** A new link for an open invitation (expired ones too); the old link stops working. */
export async function resendInvitation(db: Db, id: number, journalId: number | undefined, senderId: number, now: Date): Promise<{ kind: 'sent'; invitation: OpenInvitation; token: string } | { kind: 'throttled'; until: Date } | { kind: 'gone' }> {
  let query = db.selectFrom('invitations').select(OPEN_COLUMNS).where('id', '=', id).where('accepted_at', 'is', null).where('revoked_at', 'is', null);
  if (journalId !== undefined) query = query.where('journal_id', '=', journalId);
  const open = await query.executeTakeFirst();
  if (!open) return { kind: 'gone' };
  const turn = await takeTurn(db, invitationMailClaims(open.email, senderId), now);
  if (!turn.granted) return { kind: 'throttled', until: turn.until };
  const token = newToken();
  const row = await db
    .updateTable('invitations')
    .set({ token_hash: hashToken(token), sent_at: now, expires_at: new Date(now.getTime() + INVITATION_LIFETIME_MS) })
    .where('id', '=', id)
    .where('accepted_at', 'is', null)
    .where('revoked_at', 'is', null)
    .returning(OPEN_COLUMNS)
    .executeTakeFirst();
  return row ? { kind: 'sent', invitation: toOpen(row), token } : { kind: 'gone' };
}

/** Withdraws an open invitation: its link stops working. False when there was none to withdraw. */
export async function revokeInvitation(db: Db, id: number, journalId: number | undefined, now: Date): Promise<boolean> {
  let query = db.updateTable('invitations').set({ revoked_at: now }).where('id', '=', id).where('accepted_at', 'is', null).where('revoked_at', 'is', null);
  if (journalId !== undefined) query = query.where('journal_id', '=', journalId);
  return (await query.returning('id').executeTakeFirst()) !== undefined;
}

export async function findOpenInvitation(db: Db, id: number, journalId?: number): Promise<OpenInvitation | undefined> {
  let query = db.selectFrom('invitations').select(OPEN_COLUMNS).where('id', '=', id).where('accepted_at', 'is', null).where('revoked_at', 'is', null);
  if (journalId !== undefined) query = query.where('journal_id', '=', journalId);
  const row = await query.executeTakeFirst();
  return row && toOpen(row);
}

/** Open invitations (expired ones included, to be sent again or withdrawn), newest first. */
export async function listOpenInvitations(db: Db, journalId?: number, limit = 200): Promise<OpenInvitation[]> {
  let query = db.selectFrom('invitations').select(OPEN_COLUMNS).where('accepted_at', 'is', null).where('revoked_at', 'is', null);
  if (journalId !== undefined) query = query.where('journal_id', '=', journalId);
  return (await query.orderBy('sent_at', 'desc').orderBy('id', 'desc').limit(limit).execute()).map(toOpen);
}

export type InvitationLink =
  | { state: 'open'; invitation: OpenInvitation; hasAccount: boolean }
  | { state: 'accepted' | 'revoked' | 'expired' | 'unknown' };

/** What a link points to, without using it: the accept page says why a link no longer works. */
export async function lookUpInvitation(db: Db, token: string, now: Date): Promise<InvitationLink> {
  if (!/^[A-Za-z0-9_-]{20,100}$/.test(token)) return { state: 'unknown' };
  const row = await db
    .selectFrom('invitations')
    .select([...OPEN_COLUMNS, 'accepted_at', 'revoked_at'])
    .where('token_hash', '=', hashToken(token))
    .executeTakeFirst();
  if (!row) return { state: 'unknown' };
  if (row.accepted_at) return { state: 'accepted' };
  if (row.revoked_at) return { state: 'revoked' };
  if (row.expires_at <= now) return { state: 'expired' };
  return { state: 'open', invitation: toOpen(row), hasAccount: (await findUserByEmail(db, row.email)) !== undefined };
}

export interface Acceptance {
  userId: number;
  journalId: number;
  roles: JournalRole[];
  /** True when the address had an account by then: it got the roles, its password stayed. */
  existingAccount: boolean;
}

/**
 * Accepts an invitation: the account is created with the password already hashed (its address is
 * confirmed: the link came to it), or an account the address got meanwhile is used, and the roles
 * are given. One transaction, spending the link first, so two tabs cannot both accept.
 */
export async function acceptInvitation(db: Db, token: string, account: NewAccount, now: Date): Promise<Acceptance | undefined> {
  return db.transaction().execute((trx) => acceptInvitationWhere(trx, { tokenHash: hashToken(token) }, account, now));
}

type NewAccount = { givenName: LocalizedText; familyName: LocalizedText; passwordHash: string | null; locale: string };

/**
 * Accepts an invitation by its id, in the caller's transaction: for a flow that proved the address
 * with a link of its own (the review request's accept link, issue 20).
 */
export async function acceptInvitationById(trx: Transaction<Database>, id: number, account: NewAccount, now: Date): Promise<Acceptance | undefined> {
  return acceptInvitationWhere(trx, { id }, account, now);
}

async function acceptInvitationWhere(trx: Transaction<Database>, which: { tokenHash: string } | { id: number }, account: NewAccount, now: Date): Promise<Acceptance | undefined> {
  {
    const row = await trx
      .updateTable('invitations')
      .set({ accepted_at: now })
      .where((eb) => ('id' in which ? eb('id', '=', which.id) : eb('token_hash', '=', which.tokenHash)))
      .where('accepted_at', 'is', null)
      .where('revoked_at', 'is', null)
      .where('expires_at', '>', now)
      .returning(['id', 'journal_id', 'email', 'roles'])
      .executeTakeFirst();
    if (!row) return undefined;
    let user = await findUserByEmail(trx, row.email);
    let existingAccount = user !== undefined;
    if (!user) {
      if (account.passwordHash === null) throw new Error('a new account needs a password');
      user = await insertUser(
        trx,
        { email: row.email, givenName: account.givenName, familyName: account.familyName, affiliation: {}, orcid: null, country: null, preferredLocale: account.locale, privacyConsentAt: now, emailVerifiedAt: now },
        account.passwordHash,
      );
      // Registered a moment ago, between the page and this: the roles go to that account, whose password stays.
      if (!user) {
        user = (await findUserByEmail(trx, row.email))!;
        existingAccount = true;
      }
    }
    for (const role of row.roles) await assignRole(trx, user.id, row.journal_id, role as RoleName);
    await trx.updateTable('invitations').set({ accepted_by: user.id }).where('id', '=', row.id).execute();
    if (!existingAccount) await emit(trx, { type: 'UserRegistered', userId: user.id, journalId: row.journal_id, via: 'invitation' });
    await emit(trx, { type: 'InvitationAccepted', journalId: row.journal_id, invitationId: row.id, userId: user.id, roles: row.roles, newAccount: !existingAccount });
    return { userId: user.id, journalId: row.journal_id, roles: row.roles as JournalRole[], existingAccount };
  }
}
