import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { createJournal } from '../../../catalog/index.ts';
import type { Static } from '../../../platform/http/index.ts';
import { assertAllExercised, assertProblem, startApiTestApp, type ApiTestApp } from '../../../../test/support/api.ts';
import { testDatabases } from '../../../../test/support/databases.ts';
import type { Context } from './schema.ts';

type ContextData = Static<typeof Context>;

/** Journals through the API (OJS: contexts): every enabled journal, to anyone. */
for (const database of await testDatabases()) {
  describe(`API contexts on ${database.name}`, () => {
    let t: ApiTestApp;
    let hidden: number;
    before(async () => {
      t = await startApiTestApp(database);
      await createJournal(t.database.db, { path: 'second', name: { en: 'Second Journal' }, primaryLocale: 'en', supportedLocales: ['en'] });
      hidden = await createJournal(t.database.db, { path: 'disabled', name: { en: 'Disabled' }, primaryLocale: 'en', supportedLocales: ['en'] });
      await t.database.db.updateTable('journals').set({ enabled: false }).where('id', '=', hidden).execute();
    });
    after(() => t.close());

    it('lists enabled journals with OJS’s field names, in pages', async () => {
      const all = await t.call<{ itemsMax: number; items: ContextData[] }>('GET', '/api/v1/contexts', {});
      assert.equal(all.data.itemsMax, 2);
      assert.deepEqual(all.data.items.map((c) => c.urlPath).sort(), ['second', 'sm']);
      const sm = all.data.items.find((c) => c.urlPath === 'sm')!;
      assert.deepEqual(sm.name, { pl: 'Sprawy Międzynarodowe' });
      assert.equal(sm.url, 'http://localhost:3000/sm');
      const second = await t.call<{ itemsMax: number; items: ContextData[] }>('GET', '/api/v1/contexts', {}, { query: 'count=1&offset=1' });
      assert.equal(second.data.items.length, 1);
      assert.equal(second.data.itemsMax, 2);
    });

    it('gives one journal by id, and 404 problem details for a disabled or unknown one', async () => {
      const one = await t.call<ContextData>('GET', '/api/v1/contexts/{contextId}', { contextId: 1 });
      assert.equal(one.data.urlPath, 'sm');
      assertProblem(await t.call('GET', '/api/v1/contexts/{contextId}', { contextId: hidden }), 404);
      assertProblem(await t.call('GET', '/api/v1/contexts/{contextId}', { contextId: 0 }), 404);
      const unknown = assertProblem(await t.app.inject({ url: '/api/v1/journals' }), 404);
      assert.equal(unknown.instance, '/api/v1/journals');
      const wrongMethod = await t.app.inject({ method: 'DELETE', url: '/api/v1/contexts/1' });
      assertProblem(wrongMethod, 405);
      assert.equal(wrongMethod.headers.allow, 'GET, HEAD');
    });

    it('has called every context operation of the document', () => {
      assertAllExercised(t, 'contexts');
    });
  });
}
