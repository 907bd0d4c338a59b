import { createHash } from 'node:crypto';
import { isIPv4, isIPv6 } from 'node:net';
import { sql, type Kysely, type RawBuilder, type SelectQueryBuilder } from 'kysely';
import type { Database } from '../db/index.ts';

/**
 * Throttles (OWASP authentication and forgot-password guidance), kept in the `throttle` table so
 * they hold across server processes sharing one PostgreSQL. A key counts hits; the hit that reaches
 * a rule's allowance starts a wait that doubles with each later hit up to a cap; during a wait a
 * hit is refused without being counted, so waiting out a wait never lengthens it. A key left alone
 * for the rule's memory starts again from zero.
 *
 * The hit is taken before the work it guards (checking a password, sending a mail), in one
 * transaction for all the keys of a request, so parallel requests cannot all slip through between a
 * check and a count: exactly the allowance gets its turn. Work that turns out fine is then forgiven
 * (`forgiveHit`, `clearThrottle`).
 */
export interface ThrottleRule {
  /** Hits that pass before a wait; the hit that reaches this number starts the wait. */
  allowed: number;
  firstWaitMs: number;
  maxWaitMs: number;
  /** A key not hit for this long is forgotten. */
  memoryMs: number;
}

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;

export const MAX_WAIT_MS = 15 * MINUTE;

/**
 * Sign-in. Wrong passwords are counted per account *and* address, so a stranger elsewhere cannot
 * lock the owner out; per account from browsers that never signed in to it (a distributed guesser
 * meets this one), which a known device and a password reset get past; per known device; and per
 * address across every account.
 */
export const SIGN_IN = {
  accountFromAddress: { allowed: 5, firstWaitMs: MINUTE, maxWaitMs: MAX_WAIT_MS, memoryMs: HOUR },
  accountFromNewDevices: { allowed: 20, firstWaitMs: MINUTE, maxWaitMs: MAX_WAIT_MS, memoryMs: HOUR },
  knownDevice: { allowed: 5, firstWaitMs: MINUTE, maxWaitMs: MAX_WAIT_MS, memoryMs: HOUR },
  address: { allowed: 30, firstWaitMs: MAX_WAIT_MS, maxWaitMs: MAX_WAIT_MS, memoryMs: HOUR },
} as const satisfies Record<string, ThrottleRule>;

/** The current password asked again on the profile forms (a borrowed session must not guess it). */
export const PASSWORD_CHECK: ThrottleRule = SIGN_IN.accountFromAddress;

/**
 * Mail sent at a visitor's request (registration, lost password, confirmation again), one budget
 * for the three: per recipient and per source address (over them the visitor is told to wait), and per
 * recipient's domain for addresses without an account (a flood spread over one organisation's
 * addresses). The domain's budget never stops mail to an account — else anyone could keep every
 * owner at a large provider from resetting a password — and over it the visitor is answered as
 * always while nothing is sent, so the answer does not tell which addresses have accounts.
 */
export const ACCOUNT_MAIL = {
  toAddress: { allowed: 3, firstWaitMs: HOUR, maxWaitMs: HOUR, memoryMs: HOUR },
  toDomain: { allowed: 100, firstWaitMs: HOUR, maxWaitMs: HOUR, memoryMs: HOUR },
  fromAddress: { allowed: 20, firstWaitMs: HOUR, maxWaitMs: HOUR, memoryMs: HOUR },
} as const satisfies Record<string, ThrottleRule>;

/**
 * Invitations a journal's team sends (and sends again): per invited address, so a mailbox is not
 * flooded by resends, and per person inviting, so a stolen manager's session cannot turn the site
 * into a mail cannon.
 */
export const INVITATION_MAIL = {
  toAddress: { allowed: 3, firstWaitMs: HOUR, maxWaitMs: HOUR, memoryMs: HOUR },
  fromInviter: { allowed: 200, firstWaitMs: HOUR, maxWaitMs: HOUR, memoryMs: HOUR },
} as const satisfies Record<string, ThrottleRule>;

/** The wait started by the `hits`-th hit: none before the allowance, then doubling up to the cap. */
export function waitAfter(rule: ThrottleRule, hits: number): number {
  if (hits < rule.allowed) return 0;
  return Math.min(rule.firstWaitMs * 2 ** Math.min(hits - rule.allowed, 40), rule.maxWaitMs);
}

/** `waitAfter` for 1, 2, … hits until it stops changing: the SQL picks from this list by the count. */
function waitTable(rule: ThrottleRule): number[] {
  const table: number[] = [];
  for (let hits = 1; ; hits++) {
    table.push(waitAfter(rule, hits));
    if (hits >= rule.allowed && table.at(-1) === rule.maxWaitMs) return table;
  }
}

/** Addresses, people and devices never appear in clear in the table: a one-way digest of each. */
function digest(value: string): string {
  return createHash('sha256').update(value).digest('base64url').slice(0, 32);
}

/**
 * The network a client address stands for: an IPv4 address itself (also when written IPv4-mapped),
 * an IPv6 address's /64, which one subscriber usually holds whole.
 */
export function clientNetwork(ip: string): string {
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(ip);
  if (mapped && isIPv4(mapped[1]!)) return mapped[1]!;
  if (!isIPv6(ip)) return ip;
  const [head = '', tail = ''] = ip.split('::');
  const left = head ? head.split(':') : [];
  const right = tail ? tail.split(':') : [];
  // An embedded IPv4 tail takes two groups; only the first four groups matter here.
  const groups = [...left, ...Array<string>(Math.max(0, 8 - left.length - right.length)).fill('0'), ...right];
  return `${groups.slice(0, 4).map((g) => g.toLowerCase().replace(/^0+(?=.)/, '')).join(':')}::/64`;
}

/** Email addresses compare case-insensitively: one key per mailbox however it is typed. */
function mailbox(email: string): string {
  return email.trim().toLowerCase();
}

export const throttleKeys = {
  address: (ip: string) => `address:${clientNetwork(ip)}`,
  accountFromNewDevices: (email: string) => `account:${digest(mailbox(email))}`,
  accountFromAddress: (email: string, ip: string) => `account-address:${digest(mailbox(email))}:${clientNetwork(ip)}`,
  device: (deviceId: string) => `device:${digest(deviceId)}`,
  passwordCheck: (userId: number) => `password-check:${userId}`,
  mailTo: (email: string) => `mail-to:${digest(mailbox(email))}`,
  mailToDomain: (email: string) => `mail-domain:${mailbox(email).split('@').at(-1) ?? ''}`,
  mailFrom: (ip: string) => `mail-from:${clientNetwork(ip)}`,
  invitationTo: (email: string) => `invitation-to:${digest(mailbox(email))}`,
  invitationFrom: (userId: number) => `invitation-from:${userId}`,
};

/** The keys of an invitation mail to `email` sent by `inviterId` (INVITATION_MAIL). */
export function invitationMailClaims(email: string, inviterId: number): Claim[] {
  return [
    { key: throttleKeys.invitationTo(email), rule: INVITATION_MAIL.toAddress },
    { key: throttleKeys.invitationFrom(inviterId), rule: INVITATION_MAIL.fromInviter },
  ];
}

export interface Claim {
  key: string;
  rule: ThrottleRule;
}

/** The keys of an account mail to `email` asked for from `ip` whose waits the visitor is told of. */
export function accountMailClaims(email: string, ip: string): Claim[] {
  return [
    { key: throttleKeys.mailTo(email), rule: ACCOUNT_MAIL.toAddress },
    { key: throttleKeys.mailFrom(ip), rule: ACCOUNT_MAIL.fromAddress },
  ];
}

/**
 * Counts a mail to `email` against its domain's budget — for every address, so the work is the same
 * whether or not it has an account — and says whether a mail to an address *without* an account may
 * still go (ACCOUNT_MAIL).
 */
export async function domainAllowsNewAddress(db: Kysely<Database>, email: string, now: Date): Promise<boolean> {
  return (await takeTurn(db, [{ key: throttleKeys.mailToDomain(email), rule: ACCOUNT_MAIL.toDomain }], now)).granted;
}

/** A granted turn remembers the wait each of its hits started, so forgiving it can lift exactly that. */
export type Turn = { granted: true; waitsStarted: Map<string, Date | null> } | { granted: false; until: Date };

class Refused extends Error {
  constructor(readonly until: Date) {
    super('throttled');
  }
}

/**
 * Counts one hit on every key, or on none when any of them is waiting (then says until when). One
 * transaction; rows are taken in key order, so two requests sharing keys cannot deadlock. The upsert
 * locks the row it finds, so concurrent turns on one key queue behind each other and each sees the
 * count the previous one left.
 */
export async function takeTurn(db: Kysely<Database>, claims: Claim[], now: Date): Promise<Turn> {
  const ordered = [...claims].sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  try {
    return await db.transaction().execute(async (trx) => {
      const waitsStarted = new Map<string, Date | null>();
      for (const { key, rule } of ordered) {
        const forgetBefore = new Date(now.getTime() - rule.memoryMs);
        const table = waitTable(rule);
        const hits = sql<number>`CASE WHEN throttle.last_hit_at <= ${forgetBefore} THEN 1 ELSE throttle.hits + 1 END`;
        const waitFor = (count: RawBuilder<number>) =>
          sql<Date | null>`CASE WHEN (${table}::float8[])[least(${count}, ${table.length})] > 0
            THEN ${now}::timestamptz + (${table}::float8[])[least(${count}, ${table.length})] * interval '1 millisecond' END`;
        const row = await sql<{ blocked_until: Date | null }>`
          INSERT INTO throttle (key, hits, last_hit_at, blocked_until)
          VALUES (${key}, 1, ${now}, ${waitFor(sql<number>`1`)})
          ON CONFLICT (key) DO UPDATE SET hits = ${hits}, last_hit_at = ${now}, blocked_until = ${waitFor(hits)}
          WHERE throttle.blocked_until IS NULL OR throttle.blocked_until <= ${now}
          RETURNING blocked_until`.execute(trx);
        if (row.rows.length === 0) {
          const waiting = await trx.selectFrom('throttle').select('blocked_until').where('key', '=', key).executeTakeFirstOrThrow();
          throw new Refused(waiting.blocked_until ?? now);
        }
        waitsStarted.set(key, row.rows[0]!.blocked_until);
      }
      return { granted: true as const, waitsStarted };
    });
  } catch (error) {
    if (error instanceof Refused) return { granted: false, until: error.until };
    throw error;
  } finally {
    await sweepNowAndThen(db, now);
  }
}

/** Takes back one granted hit on `key` (the work went well), and the wait that hit started, if still in force. */
export async function forgiveHit(db: Kysely<Database>, turn: Turn, key: string): Promise<void> {
  if (!turn.granted || !turn.waitsStarted.has(key)) return;
  const started = turn.waitsStarted.get(key) ?? null;
  await db
    .updateTable('throttle')
    .set((eb) => ({
      hits: sql<number>`greatest(${eb.ref('hits')} - 1, 0)`,
      ...(started ? { blocked_until: sql<Date | null>`CASE WHEN blocked_until = ${started} THEN NULL ELSE blocked_until END` } : {}),
    }))
    .where('key', '=', key)
    .execute();
}

/**
 * Deletes the rows `which` selects, locking them in key order first, as `takeTurn` does: a delete that
 * took them in another order could deadlock with a turn holding one and waiting for the next.
 */
function deleteInKeyOrder(db: Kysely<Database>, which: (query: SelectQueryBuilder<Database, 'throttle', { key: string }>) => SelectQueryBuilder<Database, 'throttle', { key: string }>) {
  return db
    .deleteFrom('throttle')
    .where('key', 'in', which(db.selectFrom('throttle').select('key')).orderBy('key').forUpdate())
    .execute();
}

export async function clearThrottle(db: Kysely<Database>, keys: string[]): Promise<void> {
  if (keys.length > 0) await deleteInKeyOrder(db, (rows) => rows.where('key', 'in', keys));
}

/**
 * Whoever reads the mailbox owns the account: a password reset (or a confirmed address) ends every
 * sign-in wait on the account, from whatever address it was earned. The per-address wait stays.
 */
export async function clearAccountThrottle(db: Kysely<Database>, email: string): Promise<void> {
  const fromAddresses = `account-address:${digest(mailbox(email))}:`;
  await deleteInKeyOrder(db, (rows) => rows.where((eb) => eb.or([eb('key', '=', throttleKeys.accountFromNewDevices(email)), eb(sql<boolean>`starts_with(key, ${fromAddresses})`, '=', true)])));
}

/** Rows nobody has hit for a day can only say "no wait": removed, at most once an hour per process. */
const SWEEP_EVERY_MS = HOUR;
const lastSweep = new WeakMap<Kysely<Database>, number>();

async function sweepNowAndThen(db: Kysely<Database>, now: Date): Promise<void> {
  const last = lastSweep.get(db);
  if (last !== undefined && now.getTime() - last < SWEEP_EVERY_MS && now.getTime() >= last) return;
  lastSweep.set(db, now.getTime());
  await deleteInKeyOrder(db, (rows) => rows.where('last_hit_at', '<', new Date(now.getTime() - 24 * HOUR)).where((eb) => eb.or([eb('blocked_until', 'is', null), eb('blocked_until', '<', now)])));
}
