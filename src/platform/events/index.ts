/**
 * Domain events (issue 18): commands emit typed events in their own transaction (an outbox), and
 * subscribers that capabilities register are run by the job queue, each on its own, retried on its
 * own, once per event.
 */
export { EVENT_TYPES, isEventType, type DomainEvent, type EventOf, type EventType } from './types.ts';
export { emit, listEvents, loadEvent, pruneEvents, DISPATCH_JOB, type StoredEvent } from './outbox.ts';
export { createSubscriptions, deliveryKind, deliveryKey, eventSchedules, PRUNE_JOB, type DeliveryContext, type Subscriber, type Subscriptions } from './subscriptions.ts';
