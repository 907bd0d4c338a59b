import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { testDatabases } from '../../test/support/databases.ts';
import { createJournal } from './index.ts';
import { watchContentChanges } from './changes.ts';

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
