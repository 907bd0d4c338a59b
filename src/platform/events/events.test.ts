import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Clock } from '../../clock.ts';
import { openDatabase, type DatabaseHandle } from '../../db/index.ts';
import { TEST_DATABASE_URL, testDatabases } from '../../../test/support/databases.ts';
import { runJobsUntilIdle, startJobRunner } from '../jobs/index.ts';
import { createSubscriptions, emit, listEvents, type DomainEvent, type EventType, type Subscriptions } from './index.ts';

function movableClock(): Clock & { advance(ms: number): void } {
  let offset = 0;
  return { now: () => new Date(Date.now() + offset), advance: (ms) => void (offset += ms) };
}

/** Subscriptions whose subscribers write down what they were handed. */
function recording(types: Record<string, EventType[]>, fail: Set<string> = new Set()): { subscriptions: Subscriptions; seen: Array<{ subscriber: string; eventId: number; event: DomainEvent }> } {
  const subscriptions = createSubscriptions();
  const seen: Array<{ subscriber: string; eventId: number; event: DomainEvent }> = [];
  for (const [name, list] of Object.entries(types)) {
    for (const type of list) {
      subscriptions.subscribe(type, {
        name,
        async handle(event, ctx) {
          if (fail.has(name)) throw new Error(`${name} is down`);
          seen.push({ subscriber: name, eventId: ctx.eventId, event });
        },
      });
    }
  }
  return { subscriptions, seen };
}

const published = (issueId: number): DomainEvent => ({ type: 'IssuePublished', journalId: 1, issueId });

for (const database of await testDatabases()) {
  describe(`domain events (${database.name})`, () => {
    let handle: DatabaseHandle;
    before(async () => {
      handle = await database.open();
    });
    after(async () => {
      await handle.close();
    });
    const clean = async () => {
      await handle.db.deleteFrom('jobs').execute();
      await handle.db.deleteFrom('domain_events').execute();
    };

    it('are delivered when their transaction commits, never when it rolls back, and once', async () => {
      await clean();
      const { subscriptions, seen } = recording({ 'test.mail': ['IssuePublished'], 'test.search': ['IssuePublished', 'IssueUnpublished'] });
      await handle.db
        .transaction()
        .execute(async (trx) => {
          await emit(trx, published(1));
          throw new Error('the change failed');
        })
        .catch(() => {});
      const id = await handle.db.transaction().execute((trx) => emit(trx, published(2)));
      await handle.db.transaction().execute((trx) => emit(trx, { type: 'IssueUnpublished', journalId: 1, issueId: 2 }));
      await runJobsUntilIdle(handle.db, subscriptions.jobHandlers());
      assert.deepEqual(
        seen.map((s) => [s.subscriber, s.event.type, 'issueId' in s.event ? s.event.issueId : undefined]).sort(),
        [
          ['test.mail', 'IssuePublished', 2],
          ['test.search', 'IssuePublished', 2],
          ['test.search', 'IssueUnpublished', 2],
        ],
        'the rolled-back issue 1 reached nobody; the mail subscriber does not follow unpublishing',
      );
      assert.ok(seen.every((s) => s.eventId >= id));
      const events = await listEvents(handle.db);
      assert.deepEqual(events.map((e) => e.event.type), ['IssuePublished', 'IssueUnpublished'], 'the outbox has no trace of the rolled-back event');
      assert.ok(events.every((e) => e.dispatchedAt !== null));
      await runJobsUntilIdle(handle.db, subscriptions.jobHandlers());
      assert.equal(seen.length, 3, 'running the queue again delivers nothing again');
    });

    it('a failing subscriber is retried on its own and does not hold up the others', async () => {
      await clean();
      const down = new Set(['test.flaky']);
      const { subscriptions, seen } = recording({ 'test.flaky': ['IssuePublished'], 'test.steady': ['IssuePublished'] }, down);
      const clock = movableClock();
      await handle.db.transaction().execute((trx) => emit(trx, published(3)));
      const first = await runJobsUntilIdle(handle.db, subscriptions.jobHandlers(), { clock });
      assert.deepEqual(seen.map((s) => s.subscriber), ['test.steady']);
      assert.equal(first.retried, 1, 'the flaky delivery waits for its next try');
      const waiting = await handle.db.selectFrom('jobs').select(['kind', 'state', 'last_error']).where('state', '=', 'queued').execute();
      assert.deepEqual(waiting.map((j) => [j.kind, j.last_error]), [['event:test.flaky', 'test.flaky is down']]);
      down.clear();
      clock.advance(3600_000);
      await runJobsUntilIdle(handle.db, subscriptions.jobHandlers(), { clock });
      assert.deepEqual(seen.map((s) => s.subscriber), ['test.steady', 'test.flaky'], 'delivered on retry; the steady one not again');
    });

    it('reach each subscriber once with two workers running at the same time', async () => {
      await clean();
      // Two processes' worth: on PostgreSQL two pools on the schema, on PGlite two runners on its one connection.
      const second = database.name === 'postgres' ? await openDatabase({ kind: 'postgres', url: TEST_DATABASE_URL, schema: handle.schema }) : undefined;
      const counts = new Map<string, number>();
      const subscriptions = (): Subscriptions => {
        const s = createSubscriptions();
        for (const name of ['test.one', 'test.two']) {
          s.subscribe('IssuePublished', {
            name,
            async handle(_event, ctx) {
              await sleep(2);
              counts.set(`${name}:${ctx.eventId}`, (counts.get(`${name}:${ctx.eventId}`) ?? 0) + 1);
            },
          });
        }
        return s;
      };
      const runners = [handle, second ?? handle].map((h) => startJobRunner({ db: h.db, handlers: subscriptions().jobHandlers(), concurrency: 3, pollMs: 20, listen: h.listen }));
      try {
        const ids: number[] = [];
        for (let n = 0; n < 25; n++) ids.push(await handle.db.transaction().execute((trx) => emit(trx, published(100 + n))));
        const deadline = Date.now() + 30_000;
        while (counts.size < ids.length * 2 && Date.now() < deadline) await sleep(50);
        await sleep(200);
        for (const id of ids) for (const name of ['test.one', 'test.two']) assert.equal(counts.get(`${name}:${id}`), 1, `${name} got event ${id} once`);
        assert.equal(counts.size, ids.length * 2);
      } finally {
        await Promise.all(runners.map((r) => r.stop()));
        await second?.close();
      }
    });
  });
}
