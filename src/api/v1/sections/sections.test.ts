import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Static } from '../../../platform/http/index.ts';
import { assertAllExercised, assertProblem, startApiTestApp, type ApiTestApp } from '../../../../test/support/api.ts';
import { testDatabases } from '../../../../test/support/databases.ts';
import type { Section } from './schema.ts';

type SectionData = Static<typeof Section>;

const SECTIONS = '/{journal}/api/v1/sections';
const SECTION = '/{journal}/api/v1/sections/{sectionId}';

/** Sections through the API: public reading; managers create and change them as the management page does. */
for (const database of await testDatabases()) {
  describe(`API sections on ${database.name}`, () => {
    let t: ApiTestApp;
    let manager: string;
    const sm = { journal: 'sm' };

    before(async () => {
      t = await startApiTestApp(database);
      manager = await t.tokenFor('manager');
    });
    after(() => t.close());

    it('lists the journal’s sections for anyone, in the journal’s order', async () => {
      const list = await t.call<{ itemsMax: number; items: SectionData[] }>('GET', SECTIONS, sm);
      assert.equal(list.data.itemsMax, 1);
      assert.deepEqual(list.data.items[0]!.title, { pl: 'Świat zewnętrzny a państwa Kaukazu Południowego' });
      const one = await t.call<SectionData>('GET', SECTION, { ...sm, sectionId: 1 });
      assert.equal(one.data.contextId, 1);
      assertProblem(await t.call('GET', SECTION, { ...sm, sectionId: 4242 }), 404);
      assertProblem(await t.call('GET', SECTION, { ...sm, sectionId: 'abc' }), 404);
    });

    it('creates a section with a manager’s token, sanitizing its policy, and the management page shows it', async () => {
      const created = await t.call<SectionData>('POST', SECTIONS, sm, { token: manager, body: { title: { en: 'Reviews', pl: 'Recenzje' }, abbrev: { en: 'REV' }, policy: { en: '<p>Short <script>alert(1)</script>reviews.</p>' } } });
      assert.equal(created.statusCode, 201);
      assert.equal(created.headers.location, `/sm/api/v1/sections/${created.data.id}`);
      assert.deepEqual(created.data.title, { en: 'Reviews', pl: 'Recenzje' });
      assert.doesNotMatch(created.data.policy.en!, /script/);
      const row = await t.database.db.selectFrom('sections').select(['title', 'seq']).where('id', '=', created.data.id).executeTakeFirstOrThrow();
      assert.deepEqual(row.title, { en: 'Reviews', pl: 'Recenzje' });
      assert.equal(row.seq, 1);
    });

    it('changes only the fields sent', async () => {
      const changed = await t.call<SectionData>('PUT', SECTION, { ...sm, sectionId: 1 }, { token: manager, body: { abbrev: { pl: 'ŚZ' } } });
      assert.equal(changed.statusCode, 200);
      assert.deepEqual(changed.data.abbrev, { pl: 'ŚZ' });
      assert.deepEqual(changed.data.title, { pl: 'Świat zewnętrzny a państwa Kaukazu Południowego' });
    });

    it('names each field at fault', async () => {
      const bad = assertProblem(await t.call('POST', SECTIONS, sm, { token: manager, body: { title: { de: 'Rezensionen' }, abbrev: { en: 'x'.repeat(31) }, colour: 'red' } }), 400);
      const pointers = (bad.errors as Array<{ pointer: string }>).map((e) => e.pointer).sort();
      assert.deepEqual(pointers, ['/abbrev/en', '/colour']);
      const locale = assertProblem(await t.call('POST', SECTIONS, sm, { token: manager, body: { title: { de: 'Rezensionen' } } }), 400);
      assert.deepEqual(locale.errors, [{ in: 'body', pointer: '/title/de', detail: 'the journal does not publish in de; it uses pl, en' }]);
      const empty = assertProblem(await t.call('PUT', SECTION, { ...sm, sectionId: 1 }, { token: manager, body: { title: { en: '  ' } } }), 400);
      assert.equal((empty.errors as Array<{ pointer: string }>)[0]!.pointer, '/title');
      assertProblem(await t.call('PUT', SECTION, { ...sm, sectionId: 1 }, { token: manager, body: {} }), 400);
      const notJson = await t.app.inject({ method: 'POST', url: '/sm/api/v1/sections', headers: { authorization: `Bearer ${manager}`, 'content-type': 'application/json' }, payload: '{"title":' });
      assertProblem(notJson, 400);
    });

    it('refuses writes without a token, and from an editor (sections are the manager’s)', async () => {
      assertProblem(await t.call('POST', SECTIONS, sm, { body: { title: { en: 'X' } } }), 401);
      assertProblem(await t.call('PUT', SECTION, { ...sm, sectionId: 1 }, { token: await t.tokenFor('editor'), body: { title: { en: 'X' } } }), 403);
      const count = await t.database.db.selectFrom('sections').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
      assert.equal(Number(count.n), 2);
    });

    it('has called every section operation of the document', () => {
      assertAllExercised(t, 'sections');
    });
  });
}
