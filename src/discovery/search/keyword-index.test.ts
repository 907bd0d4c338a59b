import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { addPublishedArticle, createJournal, createSection } from '../../catalog/index.ts';
import { startTestApp, visibleText, type TestApp } from '../../../test/support/app.ts';
import { testDatabases } from '../../../test/support/databases.ts';
import { indexPending } from './index.ts';

for (const database of await testDatabases()) {
  describe(`the keyword index on ${database.name}`, () => {
    let t: TestApp;
    before(async () => {
      t = await startTestApp(database, { demo: false });
      const db = t.database.db;
      const journalId = await createJournal(db, { path: 'kw', name: { en: 'Keywords' }, primaryLocale: 'en', supportedLocales: ['en', 'pl'] });
      const sectionId = await createSection(db, { journalId, title: { en: 'Articles' } });
      const article = (title: string, keywords: Record<string, string[]>) => addPublishedArticle(db, { journalId, sectionId, issueId: null, locale: 'en', title: { en: title }, keywords, datePublished: '2024-01-01' });
      await article('One', { en: ['NATO', 'Energy security', 'iPhone'] });
      await article('Two', { en: ['NATO', 'energy security'], pl: ['bezpieczeństwo energetyczne'] });
      await article('Three', { en: [' nato ', 'Baltic States'] });
      await indexPending(db);
    });
    after(async () => t.close());

    it('keeps the case authors wrote, one entry per keyword whatever its case, named as most wrote it', async () => {
      const page = await t.app.inject({ method: 'GET', url: '/kw/search/keywords?locale=en' });
      assert.equal(page.statusCode, 200);
      const entries = [...page.body.matchAll(/<li><a href="\/kw\/search\/keywords\/view\?keyword=[^"]*">([^<]*)<\/a> \(([^)]*)\)/g)].map((m) => `${m[1]} (${m[2]})`);
      // "Energy security" and "energy security" are as common: the capitalised form is taken.
      assert.deepEqual(entries, ['Baltic States (1 article)', 'bezpieczeństwo energetyczne (1 article)', 'Energy security (2 articles)', 'iPhone (1 article)', 'NATO (3 articles)']);
    });

    it('lists every article of a keyword from its entry, whatever case the link carries', async () => {
      for (const keyword of ['NATO', 'nato']) {
        const page = await t.app.inject({ method: 'GET', url: `/kw/search/keywords/view?keyword=${keyword}&locale=en` });
        assert.equal(page.statusCode, 200);
        const text = visibleText(page.body);
        for (const title of ['One', 'Two', 'Three']) assert.match(text, new RegExp(`\\b${title}\\b`), `${keyword}: ${title}`);
      }
    });
  });
}
