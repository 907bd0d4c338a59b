import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startTestApp, type TestApp } from '../../test/support/app.ts';
import { testDatabases } from '../../test/support/databases.ts';
import { Session, signedInAs } from '../../test/support/session.ts';

/**
 * Rich text a manager saves is stored clean (the HTML allow-list), not only cleaned when shown:
 * what is stored is also exported (OJS Native XML) and read by other code. Plain text is stored as
 * written. The article-edit abstract and the journal's copyright notice were stored raw.
 */

const HOSTILE = '<p>Welcome</p><script>alert(1)</script><img src=x onerror=alert(2)><a href="javascript:alert(3)">x</a>';

for (const database of await testDatabases()) {
  describe(`rich text saved by managers, on ${database.name}`, () => {
    let t: TestApp;
    let manager: Session;

    before(async () => {
      t = await startTestApp(database);
      manager = await signedInAs(t.app, t.database.db, { email: 'manager@example.org', role: 'manager', journalId: 1 });
    });
    after(() => t.close());

    it('stores an edited abstract cleaned, and a plain-text one as escaped paragraphs, which the form shows again', async () => {
      await manager.get('/sm/management/articles/1786');
      const saved = await manager.post('/sm/management/articles/1786', { 'title.en': 'Russia’s approaches', 'abstract.en': HOSTILE, 'abstract.pl': 'Smith & Jones <3', sectionId: '1' });
      assert.equal(saved.statusCode, 303);
      const current = await t.database.db.selectFrom('articles as a').innerJoin('publications as p', 'p.id', 'a.current_publication_id').select('p.abstract').where('a.id', '=', 1786).executeTakeFirstOrThrow();
      // Abstracts are stored as rich text, as OJS stores them: plain text becomes its paragraphs.
      assert.deepEqual(current.abstract, { en: '<p>Welcome</p><a>x</a>', pl: '<p>Smith &amp; Jones &lt;3</p>' });
      const form = await manager.get('/sm/management/articles/1786');
      assert.ok(form.body.includes('&lt;p&gt;Smith &amp;amp; Jones &amp;lt;3&lt;/p&gt;</textarea>'), 'the form edits the stored HTML');
      const page = await t.app.inject({ url: '/sm/article/view/1786?locale=pl' });
      assert.ok(page.body.includes('<p>Smith &amp; Jones &lt;3</p>'), 'the page shows the text, not its tags');
    });

    it('stores the journal’s copyright notice cleaned', async () => {
      await manager.get('/sm/management/settings');
      const saved = await manager.post('/sm/management/settings', { 'name.pl': 'Sprawy Międzynarodowe', license: 'https://creativecommons.org/licenses/by/4.0/', copyrightHolderType: 'author', 'copyrightNotice.en': HOSTILE, 'copyrightNotice.pl': '© Autorzy & PISM' });
      assert.equal(saved.statusCode, 303);
      const journal = await t.database.db.selectFrom('journals').select('copyright_notice').where('path', '=', 'sm').executeTakeFirstOrThrow();
      assert.deepEqual(journal.copyright_notice, { en: '<p>Welcome</p><a>x</a>', pl: '© Autorzy & PISM' });
    });
  });
}
