import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { sql } from 'kysely';
import type { Clock } from '../../clock.ts';
import type { DatabaseHandle } from '../../db/index.ts';
import { testDatabases } from '../../../test/support/databases.ts';
import { backoffMs, claimJobs } from './queue.ts';
import { enqueue, ensureScheduled, nextSlot, PermanentJobError, retryFailedJob, runJobsUntilIdle, startJobRunner, type JobHandler } from './index.ts';

/** A clock the test moves; starts at the real time, so jobs queued for "now" are due. */
function movableClock(): Clock & { advance(ms: number): void } {
  let offset = 0;
  return { now: () => new Date(Date.now() + offset), advance: (ms) => void (offset += ms) };
}

async function jobRow(handle: DatabaseHandle, id: number) {
  return handle.db.selectFrom('jobs').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
}

for (const database of await testDatabases()) {
  describe(`job queue (${database.name})`, () => {
    let handle: DatabaseHandle;
    before(async () => {
      handle = await database.open();
    });
    after(async () => {
      await handle.close();
    });
    const clean = () => handle.db.deleteFrom('jobs').execute();

    it('queues a job in the caller’s transaction: rolled back with it, run once when committed', async () => {
      await clean();
      const seen: unknown[] = [];
      const handler: JobHandler<{ articleId: number }> = { kind: 'test.record', run: async (payload) => void seen.push(payload.articleId) };
      await handle.db.transaction().execute(async (trx) => {
        await enqueue(trx, { kind: 'test.record', payload: { articleId: 1 } });
        throw new Error('the change failed');
      }).catch(() => {});
      await handle.db.transaction().execute(async (trx) => {
        await enqueue(trx, { kind: 'test.record', payload: { articleId: 2 } });
      });
      assert.deepEqual(await runJobsUntilIdle(handle.db, [handler]), { done: 1, failed: 0, retried: 0 });
      assert.deepEqual(seen, [2]);
      assert.deepEqual(await runJobsUntilIdle(handle.db, [handler]), { done: 0, failed: 0, retried: 0 }, 'a done job does not run again');
    });

    it('adds no second job for a key while the first is unfinished, and a new one after it finished', async () => {
      await clean();
      const first = await enqueue(handle.db, { kind: 'test.key', payload: { n: 1 }, key: 'deposit:7' });
      const second = await enqueue(handle.db, { kind: 'test.key', payload: { n: 2 }, key: 'deposit:7' });
      assert.ok(first);
      assert.equal(second, undefined);
      const payloads: unknown[] = [];
      await runJobsUntilIdle(handle.db, [{ kind: 'test.key', run: async (p) => void payloads.push(p) }]);
      assert.deepEqual(payloads, [{ n: 1 }]);
      const third = await enqueue(handle.db, { kind: 'test.key', payload: { n: 3 }, key: 'deposit:7' });
      assert.ok(third, 'the key is free once its job is done');
    });

    it('does not claim a job whose run-at time is in the future, until that time', async () => {
      await clean();
      const clock = movableClock();
      let runs = 0;
      await enqueue(handle.db, { kind: 'test.later', payload: {}, runAt: new Date(Date.now() + 3600_000) });
      const handler: JobHandler = { kind: 'test.later', run: async () => void runs++ };
      await runJobsUntilIdle(handle.db, [handler], { clock });
      assert.equal(runs, 0);
      clock.advance(3601_000);
      await runJobsUntilIdle(handle.db, [handler], { clock });
      assert.equal(runs, 1);
    });

    it('retries a failing job with growing waits, then keeps it failed with its error; the admin’s retry runs it again', async () => {
      await clean();
      const clock = movableClock();
      let fail = true;
      const handler: JobHandler = {
        kind: 'test.flaky',
        run: async () => {
          if (fail) throw new Error('endpoint answered 503');
        },
      };
      const id = (await enqueue(handle.db, { kind: 'test.flaky', payload: {}, maxAttempts: 3 }))!;
      const waits: number[] = [];
      for (let attempt = 1; attempt <= 3; attempt++) {
        const before = clock.now().getTime();
        await runJobsUntilIdle(handle.db, [handler], { clock });
        const row = await jobRow(handle, id);
        assert.equal(row.attempts, attempt);
        assert.equal(row.last_error, 'endpoint answered 503');
        if (attempt < 3) {
          assert.equal(row.state, 'queued');
          waits.push(new Date(row.run_at).getTime() - before);
          clock.advance(new Date(row.run_at).getTime() - before + 1);
        } else {
          assert.equal(row.state, 'failed');
          assert.ok(row.finished_at);
        }
      }
      assert.ok(waits[0]! >= 1000 && waits[0]! <= 2100, `first wait about 1-2 s, was ${waits[0]}`);
      assert.ok(waits[1]! >= 2000 && waits[1]! <= 4100, `second wait about 2-4 s, was ${waits[1]}`);
      clock.advance(24 * 3600_000);
      assert.equal((await runJobsUntilIdle(handle.db, [handler], { clock })).done, 0, 'a failed job stays failed');
      fail = false;
      assert.equal(await retryFailedJob(handle.db, id, clock), 'queued');
      assert.equal(await retryFailedJob(handle.db, id, clock), 'not-failed');
      assert.equal((await runJobsUntilIdle(handle.db, [handler], { clock })).done, 1);
      assert.equal((await jobRow(handle, id)).state, 'done');
    });

    it('fails a job at once on a permanent error', async () => {
      await clean();
      const id = (await enqueue(handle.db, { kind: 'test.permanent', payload: {} }))!;
      await runJobsUntilIdle(handle.db, [{ kind: 'test.permanent', run: async () => { throw new PermanentJobError('the journal has no Crossref password'); } }]);
      const row = await jobRow(handle, id);
      assert.equal(row.state, 'failed');
      assert.equal(row.attempts, 1);
      assert.equal(row.last_error, 'the journal has no Crossref password');
    });

    it('takes a job again when the lease of the process running it ran out', async () => {
      await clean();
      const clock = movableClock();
      const id = (await enqueue(handle.db, { kind: 'test.lease', payload: {} }))!;
      // A process claims it and dies without a word.
      const [taken] = await claimJobs(handle.db, { worker: 'dead-process', kinds: ['test.lease'], limit: 1, leaseMs: 60_000, now: clock.now() });
      assert.equal(taken?.id, id);
      let runs = 0;
      const handler: JobHandler = { kind: 'test.lease', run: async () => void runs++ };
      await runJobsUntilIdle(handle.db, [handler], { clock });
      assert.equal(runs, 0, 'not while the lease holds');
      clock.advance(61_000);
      await runJobsUntilIdle(handle.db, [handler], { clock });
      assert.equal(runs, 1);
      const row = await jobRow(handle, id);
      assert.equal(row.state, 'done');
      assert.equal(row.attempts, 2);
    });

    it('queues each run of a schedule once however many runners ask', async () => {
      await clean();
      const now = new Date('2030-01-01T10:15:00Z');
      const daily = { name: 'usage-rollup', kind: 'test.daily', dailyAt: '03:00' };
      assert.equal(nextSlot(daily, now).toISOString(), '2030-01-02T03:00:00.000Z');
      assert.equal(nextSlot({ name: 'x', kind: 'k', everyMs: 60_000 }, now).toISOString(), '2030-01-01T10:16:00.000Z');
      const queued = await Promise.all([1, 2, 3].map(() => ensureScheduled(handle.db, daily, now)));
      assert.equal(queued.filter((id) => id !== undefined).length, 1);
      const rows = await handle.db.selectFrom('jobs').select(['run_at', 'key']).execute();
      assert.equal(rows.length, 1);
      assert.equal(new Date(rows[0]!.run_at).toISOString(), '2030-01-02T03:00:00.000Z');
    });

    it('runs jobs with a runner, which stop() waits for', async () => {
      await clean();
      const finished: number[] = [];
      const runner = startJobRunner({
        db: handle.db,
        pollMs: 100,
        concurrency: 2,
        handlers: [{ kind: 'test.slow', run: async (p) => { await sleep(300); finished.push((p as { n: number }).n); } }],
      });
      for (const n of [1, 2, 3]) await enqueue(handle.db, { kind: 'test.slow', payload: { n } });
      await sleep(500);
      await runner.stop();
      const states = await handle.db.selectFrom('jobs').select('state').execute();
      assert.ok(finished.length >= 2, `two ran side by side before stop, ran ${finished.length}`);
      assert.equal(states.filter((s) => s.state === 'running').length, 0, 'stop waited: no job is left running');
    });

    if (database.name === 'postgres') {
      it('two runners on PostgreSQL never run a job twice', async () => {
        await clean();
        const runs = new Map<number, number>();
        const handler: JobHandler<{ n: number }> = {
          kind: 'test.once',
          run: async (p) => {
            runs.set(p.n, (runs.get(p.n) ?? 0) + 1);
            await sleep(5);
          },
        };
        await handle.db.transaction().execute(async (trx) => {
          for (let n = 0; n < 200; n++) await enqueue(trx, { kind: 'test.once', payload: { n } });
        });
        const runners = [1, 2].map(() => startJobRunner({ db: handle.db, handlers: [handler], concurrency: 4, pollMs: 50 }));
        for (let i = 0; i < 200 && runs.size < 200; i++) await sleep(100);
        await Promise.all(runners.map((r) => r.stop()));
        assert.equal(runs.size, 200);
        assert.deepEqual([...new Set(runs.values())], [1]);
        const { rows } = await sql<{ n: number }>`SELECT count(*)::int AS n FROM jobs WHERE state = 'done'`.execute(handle.db);
        assert.equal(rows[0]?.n, 200);
      });
    }
  });
}

describe('backoff', () => {
  it('doubles per try with jitter between half and all of the wait, capped at an hour', () => {
    assert.equal(backoffMs(1, () => 0), 1000);
    assert.equal(backoffMs(1, () => 1), 2000);
    assert.equal(backoffMs(4, () => 1), 16_000);
    assert.equal(backoffMs(30, () => 1), 3600_000);
  });
});
