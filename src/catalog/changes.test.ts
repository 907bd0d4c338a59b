import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { testDatabases } from '../../test/support/databases.ts';
import { createJournal } from './commands.ts';
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
