import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { testDatabases } from '../../test/support/databases.ts';
import { sql } from 'kysely';
import { startTestApp } from '../../test/support/app.ts';
import type { DatabaseHandle } from '../db/index.ts';
import { DEMO_JOURNAL_PATH } from '../demo/index.ts';
import { createPageCache } from '../platform/web/index.ts';
import { createJournal } from './index.ts';
import { contentChannel, watchContentChanges } from './changes.ts';

for (const database of await testDatabases()) {
  describe(`catalog change notifications on ${database.name}`, () => {
    it('move the generation when a change commits, and not for a rolled-back one', async () => {
      const handle = await database.open();
      const changes = await watchContentChanges(handle);
      try {
        await changes.sync();
        const before = changes.generation();
        await handle.db
          .transaction()
          .execute(async (tx) => {
            await createJournal(tx, { path: 'rolled-back', name: { en: 'X' }, primaryLocale: 'en', supportedLocales: ['en'] });
            throw new Error('abort');
          })
          .catch(() => {});
        await changes.sync();
        const afterRollback = changes.generation();
        assert.equal(afterRollback, before + 1, 'only the sync marker itself arrived');

        await createJournal(handle.db, { path: 'committed', name: { en: 'Y' }, primaryLocale: 'en', supportedLocales: ['en'] });
        await changes.sync();
        assert.ok(changes.generation() >= afterRollback + 2, 'the commit and the marker arrived');
        assert.equal(changes.reliable(), true);
      } finally {
        await changes.close();
        await handle.close();
      }
    });
  });
}

for (const database of (await testDatabases()).filter((d) => d.name === 'postgres')) {
  describe('catalog change notifications of two installations in one PostgreSQL database', () => {
    it('reach only the installation whose schema changed', async () => {
      const mine = await database.open();
      const neighbour = await database.open();
      const changes = await watchContentChanges(mine);
      try {
        assert.notEqual(mine.schema, neighbour.schema);
        await changes.sync();
        const before = changes.generation();
        await createJournal(neighbour.db, { path: 'next-door', name: { en: 'N' }, primaryLocale: 'en', supportedLocales: ['en'] });
        await changes.sync();
        assert.equal(changes.generation(), before + 1, 'the neighbour’s change did not reach this cache; only the sync marker did');
        await createJournal(mine.db, { path: 'mine', name: { en: 'M' }, primaryLocale: 'en', supportedLocales: ['en'] });
        await changes.sync();
        assert.ok(changes.generation() >= before + 3, 'its own change arrived');
      } finally {
        await changes.close();
        await neighbour.close();
        await mine.close();
      }
    });
  });
}

for (const database of await testDatabases()) {
  describe(`modification dates on ${database.name}`, () => {
    it('move forward on every update of a journal', async () => {
      const handle = await database.open();
      try {
        const journalId = await createJournal(handle.db, { path: 'dates', name: { en: 'Dates' }, primaryLocale: 'en', supportedLocales: ['en'] });
        const before = await handle.db.selectFrom('journals').select('updated_at').where('id', '=', journalId).executeTakeFirstOrThrow();
        await new Promise((r) => setTimeout(r, 20));
        await handle.db.updateTable('journals').set({ online_issn: '1234-5679' }).where('id', '=', journalId).execute();
        const after = await handle.db.selectFrom('journals').select('updated_at').where('id', '=', journalId).executeTakeFirstOrThrow();
        assert.ok(after.updated_at.getTime() > before.updated_at.getTime());
      } finally {
        await handle.close();
      }
    });
  });
}

/** Ends the server session that listens on the schema's content channel, as a restart or failover would. */
async function terminateListener(handle: DatabaseHandle): Promise<number> {
  const { rows } = await sql<{ pid: number; ended: boolean }>`
    SELECT pid, pg_terminate_backend(pid) AS ended FROM pg_stat_activity
     WHERE query = ${`LISTEN "${contentChannel(handle.schema)}"`} AND pid <> pg_backend_pid()`.execute(handle.db);
  assert.equal(rows.length, 1, 'one session listens on the channel');
  assert.equal(rows[0]!.ended, true);
  return rows[0]!.pid;
}

async function until(condition: () => boolean | Promise<boolean>, what: string, ms = 10_000): Promise<void> {
  const end = Date.now() + ms;
  while (!(await condition())) {
    if (Date.now() > end) throw new Error(`timed out waiting until ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

for (const database of (await testDatabases()).filter((d) => d.name === 'postgres')) {
  describe('the catalog change listener on PostgreSQL when its connection is terminated', () => {
    it('bypasses caches while it is down, listens again, and retires what was cached before', async () => {
      const handle = await database.open();
      // A long first wait, so the test sees the time between losing the connection and listening again.
      const changes = await watchContentChanges(handle, { retry: { firstMs: 1500, maxMs: 1500 } });
      const cache = createPageCache(changes, { maxEntries: 10, enabled: true });
      let renders = 0;
      const page = () => cache.get('/page', async () => `render ${++renders}`);
      try {
        await page();
        assert.equal((await page()).body, 'render 1', 'cached while listening');
        const cachedAt = changes.generation();
        await terminateListener(handle);
        await until(() => !changes.reliable(), 'the loss is noticed');
        assert.equal((await page()).body, 'render 2', 'rendered afresh while nobody listens');
        assert.equal((await page()).body, 'render 3', 'and not cached meanwhile');
        await until(() => changes.reliable(), 'it listens again');
        assert.ok(changes.generation() > cachedAt);
        assert.equal((await page()).body, 'render 4', 'what was cached before the loss is not used');
        assert.equal((await page()).body, 'render 4', 'cached again');
        await createJournal(handle.db, { path: 'after-reconnect', name: { en: 'R' }, primaryLocale: 'en', supportedLocales: ['en'] });
        await changes.sync();
        assert.equal((await page()).body, 'render 5', 'a change after the reconnection retires the page');
      } finally {
        await changes.close();
        await handle.close();
      }
    });

    it('an edit made after the connection is terminated is on the next page view', async () => {
      const t = await startTestApp(database, { pageCache: true });
      try {
        const url = `/${DEMO_JOURNAL_PATH}`;
        const before = await t.app.inject({ url, headers: { 'accept-language': 'pl' } });
        assert.equal(before.statusCode, 200);
        assert.match(before.body, /Sprawy Międzynarodowe/);
        await terminateListener(t.database);
        await t.database.db.updateTable('journals').set({ name: JSON.stringify({ pl: 'Sprawy Zagraniczne' }) }).where('path', '=', DEMO_JOURNAL_PATH).execute();
        await t.changes.sync();
        const after = await t.app.inject({ url, headers: { 'accept-language': 'pl' } });
        assert.match(after.body, /Sprawy Zagraniczne/);
        assert.doesNotMatch(after.body, /Sprawy Międzynarodowe/);
        // Listening again (a new session), and changes reach the cache through it.
        await until(() => t.changes.reliable(), 'it listens again');
        await t.database.db.updateTable('journals').set({ name: JSON.stringify({ pl: 'Sprawy Światowe' }) }).where('path', '=', DEMO_JOURNAL_PATH).execute();
        await t.changes.sync();
        assert.match((await t.app.inject({ url, headers: { 'accept-language': 'pl' } })).body, /Sprawy Światowe/);
      } finally {
        await t.close();
      }
    });
  });
}
