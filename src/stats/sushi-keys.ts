import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { Database } from '../db/index.ts';
import { sushiException, type SushiException } from './sushi-exceptions.ts';

function hash(key: string): string {
  return createHash('sha256').update(key).digest('hex');
}

/** Makes a requestor_id/api_key pair for a harvester; the key is returned once and kept only as a hash. */
export async function createSushiKey(db: Kysely<Database>, journalId: number, label: string): Promise<{ requestorId: string; apiKey: string }> {
  const requestorId = `r-${randomBytes(6).toString('hex')}`;
  const apiKey = randomBytes(24).toString('base64url');
  await db.insertInto('sushi_keys').values({ journal_id: journalId, requestor_id: requestorId, label: label || requestorId, key_hash: hash(apiKey) }).execute();
  return { requestorId, apiKey };
}

export async function revokeSushiKey(db: Kysely<Database>, journalId: number, id: number, now: Date): Promise<void> {
  await db.updateTable('sushi_keys').set({ revoked_at: now }).where('id', '=', id).where('journal_id', '=', journalId).execute();
}

export function listSushiKeys(db: Kysely<Database>, journalId: number) {
  return db.selectFrom('sushi_keys').select(['id', 'requestor_id', 'label', 'created_at', 'revoked_at']).where('journal_id', '=', journalId).orderBy('id').execute();
}

/**
 * Whether a SUSHI request may see the journal's usage: always, unless the journal requires
 * credentials; then a requestor_id and its api_key (COUNTER exceptions 1030, 2000, 2020 otherwise).
 */
export async function checkSushiCredentials(db: Kysely<Database>, journal: { id: number; requiresKey: boolean }, requestorId: string | undefined, apiKey: string | undefined): Promise<SushiException | undefined> {
  if (!journal.requiresKey) return undefined;
  if (!requestorId || !apiKey) return sushiException(1030, undefined, 'This journal asks for requestor_id and api_key');
  // No requestor_id is made with control characters or over 200 characters (and PostgreSQL cannot
  // even compare a NUL): such a one is not authorized, without asking the database.
  if (requestorId.length > 200 || /[\u0000-\u001f\u007f]/.test(requestorId)) return sushiException(2000, undefined, 'this requestor_id is not authorized');
  const row = await db.selectFrom('sushi_keys').select(['key_hash', 'revoked_at']).where('journal_id', '=', journal.id).where('requestor_id', '=', requestorId).executeTakeFirst();
  if (!row || row.revoked_at) return sushiException(2000, undefined, `requestor_id ${requestorId} is not authorized`);
  const given = Buffer.from(hash(apiKey));
  const stored = Buffer.from(row.key_hash);
  if (given.length !== stored.length || !timingSafeEqual(given, stored)) return sushiException(2020, undefined, 'the api_key does not match the requestor_id');
  return undefined;
}
