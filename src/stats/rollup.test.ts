import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { testDatabases } from '../../test/support/databases.ts';
import type { DatabaseHandle } from '../db/index.ts';
import { countByMonth, type UsageEvent } from './counter.ts';
import { itemMetrics, itemMetricsFromEvents, monthlyDownloads, monthStart } from './queries.ts';
import { createUsageRecorder } from './recorder.ts';

const BROWSER = 'Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0';

describe('monthStart', () => {
  it('takes years before 100 as they are (Date.UTC would move them to the 1900s)', () => {
    assert.equal(monthStart('0050-03').toISOString(), '0050-03-01T00:00:00.000Z');
    assert.equal(monthStart('0001-01').toISOString(), '0001-01-01T00:00:00.000Z');
    assert.equal(monthStart('2026-02', 'Europe/Warsaw').toISOString(), '2026-01-31T23:00:00.000Z');
  });
});

/**
 * A stream of clicks around the turn of January and February 2026 (UTC), dense enough that double
 * clicks cross batches, hours, midnight and the month boundary: the hourly and monthly counts the
 * recorder keeps must equal the COUNTER rules (counter.ts) applied to the stored events.
 */
function* clicks(): Generator<{ at: number; ip: string; userAgent: string; articleId: number; galleyId: number | null; kind: 'investigation' | 'request' }> {
  let seed = 7;
  const random = () => ((seed = (seed * 16807) % 2147483647) - 1) / 2147483646;
  let at = Date.parse('2026-01-31T21:58:00Z');
  for (let i = 0; i < 900; i++) {
    at += Math.floor(random() * 20_000);
    const request = random() < 0.5;
    yield {
      at,
      ip: `198.51.100.${1 + Math.floor(random() * 3)}`,
      userAgent: random() < 0.1 ? 'Googlebot/2.1 (+http://www.google.com/bot.html)' : BROWSER,
      articleId: 1 + Math.floor(random() * 3),
      galleyId: request ? 10 + Math.floor(random() * 1.2) : null,
      kind: request ? 'request' : 'investigation',
    };
  }
}

const sortMetrics = <T extends { articleId: number; month: string }>(rows: T[]) => [...rows].sort((a, b) => a.articleId - b.articleId || a.month.localeCompare(b.month));

for (const database of await testDatabases()) {
  describe(`usage rollups on ${database.name}`, () => {
    let handle: DatabaseHandle;
    let events: UsageEvent[] = [];

    before(async () => {
      handle = await database.open();
      let now = new Date();
      const recorder = createUsageRecorder(handle.db, { clock: { now: () => now }, maxBatch: 7, lazyBatchMs: 1 });
      let inFlight: Promise<void>[] = [];
      let n = 0;
      for (const click of clicks()) {
        now = new Date(click.at);
        inFlight.push(recorder.record({ journalId: 1, articleId: click.articleId, galleyId: click.galleyId, kind: click.kind, ip: click.ip, userAgent: click.userAgent }, { urgent: n % 3 === 0 }));
        // Some clicks wait for their batch, others pile up: batches of 1 to 7 events.
        if (++n % 5 === 0) {
          await Promise.all(inFlight);
          inFlight = [];
        }
      }
      await Promise.all(inFlight);
      await recorder.close();
      const stored = await handle.db.selectFrom('usage_events').selectAll().orderBy('id').execute();
      events = stored.map((e) => ({
        at: new Date(e.at),
        sessionKey: e.session_key,
        itemId: e.article_id!,
        titleId: e.journal_id,
        kind: e.kind as 'investigation' | 'request',
        ...(e.galley_id !== null ? { galleyId: e.galley_id } : {}),
        robot: e.filter_reason === 'robot',
      }));
    });
    after(() => handle.close());

    it('stores every click, some filtered as double clicks, across batches and the month boundary', async () => {
      assert.equal(events.length, 900);
      const reasons = await handle.db.selectFrom('usage_events').select(['filter_reason', (eb) => eb.fn.countAll<string>().as('n')]).groupBy('filter_reason').execute();
      const doubles = Number(reasons.find((r) => r.filter_reason === 'double-click')?.n ?? 0);
      assert.ok(doubles > 20, `double clicks happened (${doubles})`);
      const months = new Set(events.map((e) => e.at.toISOString().slice(0, 7)));
      assert.deepEqual([...months].sort(), ['2026-01', '2026-02']);
    });

    for (const timeZone of ['UTC', 'Europe/Warsaw', 'Asia/Kolkata']) {
      it(`keeps monthly item metrics equal to the COUNTER rules over the stored events (${timeZone})`, async () => {
        const expected = [...countByMonth(events, timeZone)].map(([key, m]) => {
          const [articleId, month] = key.split(' ') as [string, string];
          return { articleId: Number(articleId), month, ...m };
        });
        const range = { from: monthStart('2026-01', timeZone), to: monthStart('2026-03', timeZone), timeZone };
        assert.deepEqual(sortMetrics(await itemMetrics(handle.db, range)), sortMetrics(expected));
        assert.deepEqual(sortMetrics(await itemMetricsFromEvents(handle.db, range)), sortMetrics(expected));
      });
    }

    it('draws the article chart from the same monthly requests', async () => {
      const expected = [...countByMonth(events)].filter(([key]) => key.startsWith('2 ')).map(([key, m]) => ({ month: key.slice(2), requests: m.Total_Item_Requests }));
      assert.deepEqual(await monthlyDownloads(handle.db, 2), expected);
    });
  });

  describe(`usage rollups across an hour on ${database.name}`, () => {
    it('keeps a session counted in an hour whose last click a click of the next hour supersedes', async () => {
      const handle = await database.open();
      try {
        let now = new Date();
        const recorder = createUsageRecorder(handle.db, { clock: { now: () => now }, lazyBatchMs: 1 });
        // Each click in a batch of its own: 10:58:00 and 10:59:50 count in the 10 o'clock session,
        // 11:00:10 supersedes 10:59:50 (20 s before) — the 10 o'clock session still has 10:58:00.
        for (const at of ['2026-02-10T10:58:00Z', '2026-02-10T10:59:50Z', '2026-02-10T11:00:10Z']) {
          now = new Date(at);
          await recorder.record({ journalId: 1, articleId: 5, kind: 'investigation', ip: '203.0.113.9', userAgent: BROWSER }, { urgent: true });
        }
        await recorder.close();
        const reasons = await handle.db.selectFrom('usage_events').select('filter_reason').orderBy('at').execute();
        assert.deepEqual(reasons.map((r) => r.filter_reason), [null, 'double-click', null]);
        const [metrics] = await itemMetrics(handle.db, { from: monthStart('2026-02'), to: monthStart('2026-03') });
        assert.equal(metrics?.Total_Item_Investigations, 2);
        assert.equal(metrics?.Unique_Item_Investigations, 2, 'one user-session at 10 o\'clock, one at 11');
      } finally {
        await handle.close();
      }
    });
  });
}
