import { createHash, createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { sql, type Kysely } from 'kysely';
import type { Database } from '../db/index.ts';

/** A new random token for a cookie or an emailed link: 256 bits, URL-safe. */
export function newToken(): string {
  return randomBytes(32).toString('base64url');
}

/** Tokens are stored only as hashes, so reading the database does not give anyone a usable link or session. */
export function hashToken(token: string): string {
  return createHash('sha256').update(token).digest('base64url');
}

export function hmac(secret: string, value: string): string {
  return createHmac('sha256', secret).update(value).digest('base64url');
}

export function equalInConstantTime(a: string, b: string): boolean {
  const left = Buffer.from(a);
  const right = Buffer.from(b);
  return left.length === right.length && timingSafeEqual(left, right);
}

/**
 * The site's secret of this name: from the environment when given, else generated once and kept in
 * the database so every server process (and every restart) signs cookies with the same key.
 */
export async function siteSecret(db: Kysely<Database>, name: string, fromEnvironment?: string): Promise<string> {
  if (fromEnvironment) return fromEnvironment;
  await db
    .insertInto('secrets')
    .values({ name, value: randomBytes(48).toString('base64url') })
    .onConflict((oc) => oc.column('name').doNothing())
    .execute();
  const row = await db.selectFrom('secrets').select('value').where('name', '=', name).executeTakeFirstOrThrow();
  return row.value;
}

/** The database's own clock, for rows compared with `now()` in SQL. */
export const dbNow = sql<Date>`now()`;
