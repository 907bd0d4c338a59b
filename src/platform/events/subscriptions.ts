import { PermanentJobError, enqueue, type JobContext, type JobHandler, type Schedule } from '../jobs/index.ts';
import { DISPATCH_JOB, loadEvent, pruneEvents } from './outbox.ts';
import type { EventOf, EventType } from './types.ts';

/**
 * Who reacts to which event. A capability registers its subscribers on the Subscriptions object the
 * process builds at startup (main.ts; a test builds its own), and the worker runs them as jobs:
 *
 *   emit (in the change's transaction) → `events.dispatch` job → one `event:{subscriber}` job per
 *   subscriber, keyed by event and subscriber → the subscriber's `handle`.
 *
 * Each delivery is its own job: a subscriber that fails is retried (with backoff) on its own, shows
 * in the admin's failed jobs when it gives up, and never holds up the others. A delivery can run
 * again after a crash, so `handle` must be idempotent, as every job is.
 */
export interface DeliveryContext extends JobContext {
  eventId: number;
  occurredAt: Date;
}

export interface Subscriber<T extends EventType = EventType> {
  /**
   * Stable name, lower case with dots or dashes (`identifiers.deposit-on-publication`): it names the
   * delivery jobs (`event:{name}`), so renaming a subscriber leaves its waiting deliveries unrun.
   */
  name: string;
  handle(event: EventOf<T>, ctx: DeliveryContext): Promise<void>;
  /** Tries before a delivery stays failed (default: the queue's). */
  maxAttempts?: number;
}

export interface Subscriptions {
  subscribe<T extends EventType>(type: T, subscriber: Subscriber<T>): void;
  /** The names of the subscribers of `type`, in the order they subscribed. */
  subscribersOf(type: EventType): readonly string[];
  /** The job handlers that deliver events: dispatch, one per subscriber, and pruning. */
  jobHandlers(): JobHandler[];
}

export const PRUNE_JOB = 'events.prune';
/** Dispatched events are removed after 30 days, looked for daily. */
export const eventSchedules: Schedule[] = [{ name: PRUNE_JOB, kind: PRUNE_JOB, dailyAt: '03:17', maxAttempts: 1 }];

export function deliveryKind(subscriber: string): string {
  return `event:${subscriber}`;
}

export function deliveryKey(eventId: number, subscriber: string): string {
  return `event:${eventId}:${subscriber}`;
}

type AnyHandle = (event: EventOf<EventType>, ctx: DeliveryContext) => Promise<void>;

function eventIdOf(payload: { eventId?: unknown }): number {
  if (!Number.isInteger(payload?.eventId)) throw new PermanentJobError(`the job names no event: ${JSON.stringify(payload)}`);
  return payload.eventId as number;
}

export function createSubscriptions(): Subscriptions {
  // type → subscriber names; name → (type → handle). One subscriber may follow several types.
  const byType = new Map<EventType, string[]>();
  const byName = new Map<string, { handles: Map<EventType, AnyHandle>; maxAttempts?: number }>();

  return {
    subscribe(type, subscriber) {
      if (!/^[a-z][a-z0-9.-]{0,80}$/.test(subscriber.name)) throw new Error(`a subscriber's name is lower case with dots or dashes, got "${subscriber.name}"`);
      const entry = byName.get(subscriber.name) ?? { handles: new Map<EventType, AnyHandle>(), ...(subscriber.maxAttempts ? { maxAttempts: subscriber.maxAttempts } : {}) };
      if (entry.handles.has(type)) throw new Error(`${subscriber.name} already subscribes to ${type}`);
      entry.handles.set(type, subscriber.handle as AnyHandle);
      byName.set(subscriber.name, entry);
      byType.set(type, [...(byType.get(type) ?? []), subscriber.name]);
    },

    subscribersOf(type) {
      return byType.get(type) ?? [];
    },

    jobHandlers() {
      // Queues the deliveries and marks the event dispatched in one transaction: run twice (a
      // crash before the job was marked done), the second run finds it dispatched and adds nothing.
      const dispatch: JobHandler<{ eventId: number }> = {
        kind: DISPATCH_JOB,
        async run(payload, ctx) {
          const eventId = eventIdOf(payload);
          await ctx.db.transaction().execute(async (trx) => {
            const stored = await loadEvent(trx, eventId, { lock: true });
            if (!stored || stored.dispatchedAt) return;
            for (const name of byType.get(stored.event.type) ?? []) {
              const maxAttempts = byName.get(name)?.maxAttempts;
              await enqueue(trx, { kind: deliveryKind(name), payload: { eventId }, key: deliveryKey(eventId, name), ...(maxAttempts ? { maxAttempts } : {}) });
            }
            await trx.updateTable('domain_events').set({ dispatched_at: ctx.clock.now() }).where('id', '=', eventId).execute();
          });
        },
      };
      const deliveries = [...byName].map(([name, entry]): JobHandler<{ eventId: number }> => ({
        kind: deliveryKind(name),
        async run(payload, ctx) {
          const stored = await loadEvent(ctx.db, eventIdOf(payload));
          if (!stored) throw new PermanentJobError(`event ${eventIdOf(payload)} is no longer kept`);
          const handle = entry.handles.get(stored.event.type);
          if (!handle) return;
          await handle(stored.event, { ...ctx, eventId: stored.id, occurredAt: stored.occurredAt });
        },
      }));
      const prune: JobHandler = {
        kind: PRUNE_JOB,
        async run(_payload, ctx) {
          await pruneEvents(ctx.db, ctx.clock.now());
        },
      };
      return [dispatch, ...deliveries, prune];
    },
  };
}
