import { sql, type Kysely, type Transaction } from 'kysely';
import type { Database } from '../../db/index.ts';
import { enqueue } from '../jobs/index.ts';
import { isEventType, type DomainEvent } from './types.ts';

/** The job that hands one event to its subscribers (see subscriptions.ts). */
export const DISPATCH_JOB = 'events.dispatch';

export function dispatchKey(eventId: number): string {
  return `${DISPATCH_JOB}:${eventId}`;
}

/**
 * Records `event` in the transaction of the change it tells of: rolled back with the change, or
 * committed with it and then delivered to every subscriber. Takes a transaction and nothing else,
 * so an event cannot be written beside its change rather than with it. Returns the event's id.
 *
 * Emit knows no subscribers: it queues one dispatch job, and the worker, which has the
 * subscriptions the capabilities registered at startup, queues a delivery per subscriber. So a
 * command needs nothing passed in to emit, and a subscriber added later still gets events that were
 * waiting.
 */
export async function emit(trx: Transaction<Database>, event: DomainEvent): Promise<number> {
  if (!trx.isTransaction) throw new Error(`emit(${event.type}) needs the transaction of the change`);
  const row = await trx.insertInto('domain_events').values({ type: event.type, payload: JSON.stringify(event) }).returning('id').executeTakeFirstOrThrow();
  await enqueue(trx, { kind: DISPATCH_JOB, payload: { eventId: row.id }, key: dispatchKey(row.id) });
  return row.id;
}

export interface StoredEvent {
  id: number;
  event: DomainEvent;
  occurredAt: Date;
  dispatchedAt: Date | null;
}

type EventRow = { id: number; type: string; payload: unknown; occurred_at: Date; dispatched_at: Date | null };
const EVENT_COLUMNS = ['id', 'type', 'payload', 'occurred_at', 'dispatched_at'] as const;

function toStored(row: EventRow): StoredEvent {
  const payload = row.payload as { type?: unknown };
  // Written by emit from a typed event: a type this version does not know is a newer version's event.
  if (!isEventType(row.type) || payload.type !== row.type) throw new Error(`event ${row.id} has a type this version does not know: ${row.type}`);
  return { id: row.id, event: payload as DomainEvent, occurredAt: row.occurred_at, dispatchedAt: row.dispatched_at };
}

/** One event as written, or undefined when there is none (removed after its time, or never committed). */
export async function loadEvent(db: Kysely<Database> | Transaction<Database>, id: number, options: { lock?: boolean } = {}): Promise<StoredEvent | undefined> {
  let query = db.selectFrom('domain_events').select(EVENT_COLUMNS).where('id', '=', id);
  if (options.lock) query = query.forUpdate();
  const row = await query.executeTakeFirst();
  return row && toStored(row);
}

/** Events in the order they were written (tests, and looking into what happened). */
export async function listEvents(db: Kysely<Database>, options: { type?: DomainEvent['type']; afterId?: number; limit?: number } = {}): Promise<StoredEvent[]> {
  let query = db.selectFrom('domain_events').select(EVENT_COLUMNS).orderBy('id').limit(options.limit ?? 100);
  if (options.type) query = query.where('type', '=', options.type);
  if (options.afterId !== undefined) query = query.where('id', '>', options.afterId);
  return (await query.execute()).map(toStored);
}

/** Dispatched events older than `keepMs` go, a bounded batch at a time (the `events.prune` schedule). */
export async function pruneEvents(db: Kysely<Database>, now: Date, keepMs = 30 * 24 * 3600_000): Promise<number> {
  const before = new Date(now.getTime() - keepMs);
  const result = await sql`DELETE FROM domain_events WHERE id IN (SELECT id FROM domain_events WHERE dispatched_at < ${before} ORDER BY id LIMIT 1000)`.execute(db);
  return Number(result.numAffectedRows ?? 0n);
}
