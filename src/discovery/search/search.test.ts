import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { sql } from 'kysely';
import { initialiseSite } from '../../demo/index.ts';
import type { DatabaseHandle } from '../../db/index.ts';
import { testDatabases } from '../../../test/support/databases.ts';
import { loadCorpus, type Corpus } from '../../../test/support/search-corpus.ts';
import { articlesByAuthor, articlesByKeyword, listAuthors, listKeywords } from './browse.ts';
import { indexPending, parseQuery, searchArticles, similarArticles, type SearchFilters, type SearchSort } from './index.ts';

for (const database of await testDatabases()) {
  describe(`search ranking and rules on ${database.name}`, () => {
    let handle: DatabaseHandle;
    let corpus: Corpus;
    let name: Map<number, string>;
    before(async () => {
      handle = await database.open();
      await initialiseSite(handle.db, { demo: false });
      corpus = await loadCorpus(handle.db);
      name = new Map(Object.entries(corpus.ids).map(([key, id]) => [id, key]));
      await indexPending(handle.db);
    });
    after(() => handle.close());

    /** The names (corpus keys) of the articles found, in order. */
    const find = async (query: string, filters: SearchFilters = {}, sort: SearchSort = 'relevance', pageSize = 50) => {
      const result = await searchArticles(handle.db, { query: parseQuery(query), filters: { journalId: corpus.journalId, ...filters }, sort, pageSize });
      return result.hits.map((hit) => name.get(hit.articleId) ?? String(hit.articleId));
    };

    it('ranks a title match above keywords, keywords above the abstract, the abstract above references', async () => {
      assert.deepEqual(await find('hydropolitics'), ['hydroTitle', 'hydroKeyword', 'hydroAbstract', 'hydroReference']);
    });

    it('finds English words in other forms (stemming) and puts the article with the words in its title first', async () => {
      const found = await find('energy securities');
      assert.equal(found[0], 'energyBaltic');
      // Both words, anywhere: the LNG article says "security of energy supply".
      assert.deepEqual([...found].sort(), ['energyBaltic', 'energyClimate', 'energyLng'].sort());
    });

    it('reads a quoted phrase as the words together, in order', async () => {
      assert.deepEqual(await find('"energy security"'), ['energyBaltic', 'energyClimate']);
      assert.deepEqual(await find('„energy security”'), ['energyBaltic', 'energyClimate']);
    });

    it('leaves out articles with an excluded word or phrase', async () => {
      // "energy" also finds the Polish "energetyczne" by its stem.
      assert.deepEqual([...(await find('energy -gas'))].sort(), ['energyClimate', 'energyPolish']);
      assert.deepEqual(await find('"European Union" -"climate policy"', {}, 'newest'), ['bilingual', 'georgia']);
    });

    it('folds diacritics and case: Poludniowy finds Południowy, LODZ finds Łódź', async () => {
      assert.deepEqual(await find('Poludniowy'), ['caucasusPolish']);
      assert.deepEqual(await find('kaukaz POŁUDNIOWY'), ['caucasusPolish']);
      assert.deepEqual(await find('LODZ'), ['lodz']);
      assert.deepEqual(await find('wisniewska energetyczne'), ['energyPolish']);
    });

    it('finds Polish words in other forms by their stem', async () => {
      // The text has "bezpieczeństwa energetycznego"; the reader types the dictionary form.
      assert.deepEqual(await find('bezpieczeństwo energetyczne'), ['energyPolish']);
      assert.deepEqual(await find('migracje Ukrainy'), ['migration']);
    });

    it('finds articles by author, affiliation and reference, and either language of a bilingual article', async () => {
      assert.deepEqual(await find('Kowalska', {}, 'newest'), ['nato', 'georgia', 'energyBaltic']);
      assert.deepEqual(await find('Jagiellonian', {}, 'newest'), ['nato', 'georgia', 'energyBaltic']);
      assert.deepEqual(await find('Tauris'), ['hydroReference']);
      assert.deepEqual(await find('Partnerstwo Wschodnie'), ['bilingual']);
      assert.deepEqual(await find('Eastern Partnership'), ['bilingual']);
    });

    it('filters by date, author and section, and sorts by date', async () => {
      assert.deepEqual(await find('energy security', { from: '2023-05-01', to: '2023-12-31' }), ['energyLng']);
      assert.deepEqual(await find('energy security', { author: 'kowalska' }), ['energyBaltic']);
      assert.deepEqual(await find('"European Union"', { sectionId: corpus.sections.reviews }), ['georgia']);
      assert.deepEqual(await find('energy security', {}, 'newest'), ['energyClimate', 'energyLng', 'energyBaltic']);
    });

    it('searches one journal or all of them', async () => {
      assert.deepEqual(await find('"energy security" LNG'), ['energyBaltic']);
      const everywhere = await searchArticles(handle.db, { query: parseQuery('"energy security" LNG') });
      assert.deepEqual(everywhere.hits.map((h) => name.get(h.articleId)).sort(), ['eastAsia', 'energyBaltic']);
    });

    it('never returns what readers may not see', async () => {
      for (const word of ['Quokkanomics', 'Wombatology', 'Narwhalistics', 'Draftonlytoken', 'herringword']) {
        const result = await searchArticles(handle.db, { query: parseQuery(word) });
        assert.deepEqual(result.hits, [], `${word} found`);
      }
      // The current version's words are found, once.
      assert.deepEqual(await find('fisheries sanctions'), ['fisheries']);
    });

    it('drops an article from the index when it stops being visible, and takes it back', async () => {
      const issueId = (await handle.db.selectFrom('publications').select('issue_id').where('article_id', '=', corpus.ids.arctic!).executeTakeFirstOrThrow()).issue_id!;
      await handle.db.updateTable('issues').set({ is_published: false }).where('id', '=', issueId).execute();
      await indexPending(handle.db);
      assert.deepEqual(await find('Arctic'), []);
      await handle.db.updateTable('issues').set({ is_published: true }).where('id', '=', issueId).execute();
      await indexPending(handle.db);
      assert.deepEqual(await find('Arctic'), ['arctic']);
    });

    it('treats hostile input as plain words', async () => {
      for (const query of ["'&|!():*<>\\", "energy & | !security", 'energy:* <-> (gas', "'; DROP TABLE search_documents; --", '\u0000\u0007energy\u001b', 'a'.repeat(10_000), '"""', '-', '!!', '\\x00']) {
        const result = await searchArticles(handle.db, { query: parseQuery(query), filters: { journalId: corpus.journalId } });
        assert.ok(Array.isArray(result.hits));
      }
      assert.deepEqual(await find("energy & | !security:*"), await find('energy security'));
      const stopWords = await searchArticles(handle.db, { query: parseQuery('the of and') });
      assert.equal(stopWords.searchable, false);
      assert.equal((await handle.db.selectFrom('search_documents').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n > 0, true);
    });

    it('marks the matching words in a snippet from the abstract in the reader’s language', async () => {
      const result = await searchArticles(handle.db, { query: parseQuery('Wschodnie'), filters: { journalId: corpus.journalId }, locale: 'pl' });
      assert.equal(result.hits[0]?.snippetLocale, 'pl');
      assert.match(result.hits[0]!.snippet!, /\u0001Wschodnie\u0002/);
      const english = await searchArticles(handle.db, { query: parseQuery('terminals'), filters: { journalId: corpus.journalId }, locale: 'pl' });
      assert.match(english.hits.map((h) => h.snippet).join(' '), /\u0001terminals\u0002/);
    });

    it('pages the results and counts them all', async () => {
      const first = await searchArticles(handle.db, { query: parseQuery('energy security'), filters: { journalId: corpus.journalId }, pageSize: 2, page: 1 });
      const second = await searchArticles(handle.db, { query: parseQuery('energy security'), filters: { journalId: corpus.journalId }, pageSize: 2, page: 2 });
      const past = await searchArticles(handle.db, { query: parseQuery('energy security'), filters: { journalId: corpus.journalId }, pageSize: 2, page: 5 });
      assert.equal(first.total, 3);
      assert.equal(second.total, 3);
      assert.equal(past.total, 3);
      assert.equal(first.hits.length + second.hits.length, 3);
      assert.deepEqual(past.hits, []);
    });

    it('suggests similar articles of the same journal by shared rare terms, never the article itself', async () => {
      const similar = await similarArticles(handle.db, corpus.ids.energyBaltic!, 1, 50);
      const names = similar.articleIds.map((id) => name.get(id));
      assert.equal(names[0], 'energyLng');
      assert.ok(!names.includes('energyBaltic'));
      assert.ok(!names.includes('eastAsia'), 'another journal');
      assert.ok(names.includes('energyClimate'));
      assert.equal(similar.total, names.length);
      const second = await similarArticles(handle.db, corpus.ids.energyBaltic!, 2, 1);
      assert.equal(second.articleIds[0], similar.articleIds[1]);
    });

    it('browses by author and keyword', async () => {
      const authors = await listAuthors(handle.db, corpus.journalId, 1);
      const kowalska = authors.items.find((a) => a.familyName === 'Kowalska');
      assert.deepEqual(kowalska, { givenName: 'Anna', familyName: 'Kowalska', articles: 3 });
      assert.deepEqual(authors.items.map((a) => a.familyName), ['Kowalska', 'Nowak', 'Smith', 'Wiśniewska', 'Zieliński']);
      const byAuthor = await articlesByAuthor(handle.db, corpus.journalId, { givenName: 'anna', familyName: 'KOWALSKA' }, 1);
      assert.deepEqual(byAuthor.items.map((id) => name.get(id)), ['nato', 'georgia', 'energyBaltic']);
      const keywords = await listKeywords(handle.db, corpus.journalId, 1);
      assert.deepEqual(keywords.items.find((k) => k.keyword === 'LNG'), { keyword: 'LNG', articles: 2 });
      const byKeyword = await articlesByKeyword(handle.db, corpus.journalId, 'LNG', 1);
      assert.deepEqual(byKeyword.items.map((id) => name.get(id)), ['energyLng', 'energyBaltic']);
    });

    it('keeps term statistics equal to a recount after changes', async () => {
      const recount = await sql<{ term: string; df: number }>`SELECT t AS term, count(*)::int AS df FROM search_documents, unnest(terms) t GROUP BY t ORDER BY t`.execute(handle.db);
      const kept = await handle.db.selectFrom('search_terms').select(['term', 'df']).orderBy('term').execute();
      assert.deepEqual(kept, recount.rows);
      const stats = await handle.db.selectFrom('search_stats').select('documents').executeTakeFirstOrThrow();
      const documents = await handle.db.selectFrom('search_documents').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
      assert.equal(stats.documents, Number(documents.n));
    });
  });
}
