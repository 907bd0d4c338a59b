import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { sql } from 'kysely';
import { addPublishedArticle, createJournal, createSection } from '../../catalog/index.ts';
import { initialiseSite } from '../../demo/index.ts';
import type { DatabaseHandle } from '../../db/index.ts';
import { testDatabases } from '../../../test/support/databases.ts';
import { indexPending, parseQuery, searchArticles, type SearchFilters, type SearchSort } from './index.ts';

/**
 * A query joining a word found in every article with rarer ones: its matches are looked for among
 * the rare words' articles only (the planner's statistics say which words are rare), and must be
 * exactly the articles with every word, in the same order, whatever the exclusions and filters.
 */
for (const database of await testDatabases()) {
  describe(`a common word with rare ones on ${database.name}`, () => {
    let handle: DatabaseHandle;
    let journalId: number;
    let reviews: number;
    const name = new Map<number, string>();
    before(async () => {
      handle = await database.open();
      await initialiseSite(handle.db, { demo: false });
      journalId = await createJournal(handle.db, { path: 'cw', name: { en: 'Common Words' }, primaryLocale: 'en', supportedLocales: ['en'] });
      const articles = await createSection(handle.db, { journalId, title: { en: 'Articles' }, seq: 1 });
      reviews = await createSection(handle.db, { journalId, title: { en: 'Reviews' }, seq: 2 });
      const add = async (key: string, title: string, abstract: string, day: number, sectionId = articles) => {
        const { articleId } = await addPublishedArticle(handle.db, {
          journalId, sectionId, issueId: null, locale: 'en', title: { en: title }, abstract: { en: abstract },
          datePublished: `2024-01-${String(day).padStart(2, '0')}`,
        });
        name.set(articleId, key);
      };
      // "borealis" is in every article; "quagga" in four, "zebu" in three of those and one other.
      for (let i = 0; i < 150; i++) await add(`filler${i}`, `Borealis survey number ${i}`, 'Borealis fieldwork on lakes and forests.', 1 + (i % 20));
      await add('titleBoth', 'Quagga and zebu in the borealis', 'Borealis herds.', 21);
      await add('abstractBoth', 'Borealis grasslands', 'The quagga herds met zebu herds in the borealis.', 22);
      await add('withGas', 'Borealis quagga zebu', 'Borealis gas fields.', 23);
      await add('review', 'Quagga zebu review', 'Borealis herds reviewed.', 24, reviews);
      await add('quaggaOnly', 'Quagga of the borealis', 'Borealis herds without the other.', 25);
      await add('zebuOnly', 'Zebu of the borealis', 'Borealis cattle.', 26);
      await indexPending(handle.db);
      // Statistics, as autovacuum would gather them on a real site.
      await sql`ANALYZE search_documents`.execute(handle.db);
    });
    after(() => handle.close());

    const find = async (query: string, filters: SearchFilters = {}, sort: SearchSort = 'relevance') => {
      const result = await searchArticles(handle.db, { query: parseQuery(query), filters: { journalId, ...filters }, sort, pageSize: 20 });
      return { keys: result.hits.map((h) => name.get(h.articleId) ?? String(h.articleId)), total: result.total };
    };

    it('finds exactly the articles with every word, best first, with their total', async () => {
      const found = await find('borealis quagga zebu');
      assert.deepEqual(found.keys, ['withGas', 'titleBoth', 'review', 'abstractBoth']);
      assert.equal(found.total, 4);
      // The same, whatever the order of the words.
      assert.deepEqual((await find('zebu borealis quagga')).keys, found.keys);
    });

    it('leaves out excluded words and keeps to the section asked for', async () => {
      assert.deepEqual((await find('borealis quagga zebu -gas')).keys.sort(), ['abstractBoth', 'review', 'titleBoth']);
      assert.deepEqual((await find('borealis quagga zebu', { sectionId: reviews })).keys, ['review']);
    });

    it('sorts them newest first when asked', async () => {
      assert.deepEqual((await find('borealis quagga zebu', {}, 'newest')).keys, ['review', 'withGas', 'abstractBoth', 'titleBoth']);
    });

    it('finds a phrase with the common word among the rare word’s articles', async () => {
      assert.deepEqual((await find('"quagga herds" borealis')).keys, ['abstractBoth']);
    });
  });
}
