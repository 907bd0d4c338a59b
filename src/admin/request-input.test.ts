import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { createJournal } from '../catalog/index.ts';
import { createUserWithRole } from '../accounts/index.ts';
import { startTestApp, visibleText, type TestApp } from '../../test/support/app.ts';
import { testDatabases } from '../../test/support/databases.ts';
import { Session, signedInAs } from '../../test/support/session.ts';

/** Odd input typed or sent to the administration: a clear answer, never a 500. */
for (const database of await testDatabases()) {
  describe(`administration input on ${database.name}`, () => {
    let t: TestApp;
    let admin: Session;

    before(async () => {
      t = await startTestApp(database);
      const now = new Date();
      admin = await signedInAs(t.app, t.database.db, { email: 'admin@example.org', role: 'admin' });
    });
    after(() => t.close());

    it('finds only the journal’s people when a search is narrowed to a journal', async () => {
      const otherId = await createJournal(t.database.db, { path: 'acta', name: { en: 'Acta Testica' }, primaryLocale: 'en', supportedLocales: ['en'] });
      const now = new Date();
      await createUserWithRole(t.database.db, { email: 'kowalska.sm@example.org', password: 'a long password', role: 'author', journalId: 1, now });
      await createUserWithRole(t.database.db, { email: 'kowalska.acta@example.org', password: 'a long password', role: 'author', journalId: otherId, now });
      const everywhere = visibleText((await admin.get('/admin/users?search=kowalska')).body);
      assert.match(everywhere, /2 found/);
      for (const [journalId, email, not] of [[1, 'kowalska.sm@example.org', 'kowalska.acta'], [otherId, 'kowalska.acta@example.org', 'kowalska.sm']] as const) {
        const page = await admin.get(`/admin/users?search=kowalska&journal=${journalId}`);
        assert.equal(page.statusCode, 200);
        const text = visibleText(page.body);
        assert.match(text, /1 found/, `journal ${journalId}`);
        assert.ok(text.includes(email));
        assert.ok(!text.includes(not), `journal ${journalId} lists no one of the other journal`);
      }
      // Each branch of the search (address, given name, family name) stays inside the journal.
      await t.database.db.updateTable('users').set({ given_name: JSON.stringify({ en: 'Kowalska' }), family_name: JSON.stringify({ en: 'Kowalska' }) }).where('email', 'like', 'kowalska.%').execute();
      assert.match(visibleText((await admin.get(`/admin/users?search=KOWALSKA&journal=${otherId}`)).body), /1 found/);
    });

    it('answers a search with a NUL or other control characters with a normal page', async () => {
      for (const url of ['/admin/users?search=%00', '/admin/users?search=a%00b', '/admin/users?search=%00&search=%01', '/admin/outbox?search=%00', '/admin/outbox?search=%7F%00x']) {
        const page = await admin.get(url);
        assert.equal(page.statusCode, 200, url);
        assert.doesNotMatch(page.body, /\u0000/, url);
      }
    });

    it('refuses year 0 in date fields with the form’s message (PostgreSQL has no year 0)', async () => {
      await admin.get('/sm/management/announcements/new');
      const announcement = await admin.post('/sm/management/announcements/new', { 'title.en': 'Year zero', expiresOn: '0000-01-01' });
      assert.equal(announcement.statusCode, 400);
      assert.match(visibleText(announcement.body), /Enter a date as YYYY-MM-DD\./);
      const kept = await admin.post('/sm/management/announcements/new', { 'title.en': 'Year one', expiresOn: '0001-01-01' });
      assert.equal(kept.statusCode, 303, 'the first year there is');
      const issue = await t.database.db.selectFrom('issues').select('id').where('journal_id', '=', 1).executeTakeFirstOrThrow();
      await admin.get(`/sm/management/issues/${issue.id}`);
      const publish = await admin.post(`/sm/management/issues/${issue.id}/publish`, { datePublished: '0000-01-01' });
      assert.equal(publish.statusCode, 400);
      assert.match(visibleText(publish.body), /Enter a date as YYYY-MM-DD\./);
    });
  });
}
