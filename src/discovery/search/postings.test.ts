import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { sql } from 'kysely';
import { initialiseSite } from '../../demo/index.ts';
import type { DatabaseHandle } from '../../db/index.ts';
import { testDatabases } from '../../../test/support/databases.ts';
import { loadCorpus, type Corpus } from '../../../test/support/search-corpus.ts';
import { indexPending, parseQuery, searchArticles } from './index.ts';
import { queryLexemes } from './search.ts';

describe('queryLexemes', () => {
  it('reads the lexemes of a tsquery as PostgreSQL writes it, leaving out prefixes', () => {
    assert.deepEqual(queryLexemes(`'energi' | 'energy' | 'energ':* & !'gas'`), ['energi', 'energy', 'gas']);
    assert.deepEqual(queryLexemes(`'o''brien' <-> 'back\\\\slash'`), ["o'brien", 'back\\slash']);
    assert.deepEqual(queryLexemes(''), []);
  });
});

for (const database of await testDatabases()) {
  describe(`search postings on ${database.name}`, () => {
    let handle: DatabaseHandle;
    let corpus: Corpus;
    before(async () => {
      handle = await database.open();
      await initialiseSite(handle.db, { demo: false });
      corpus = await loadCorpus(handle.db);
      await indexPending(handle.db);
    });
    after(() => handle.close());

    it("score each lexeme of an article's title, keywords and abstract as ts_rank scores it alone; references have none", async () => {
      const rows = await sql<{ article_id: number; term: string; score: number; rank: number }>`
        SELECT p.article_id, p.term, p.score, ts_rank('{0.05, 0.2, 0.4, 1.0}', d.document, quote_literal(p.term)::tsquery) AS rank
          FROM search_postings p JOIN search_documents d ON d.article_id = p.article_id`.execute(handle.db);
      assert.ok(rows.rows.length > 50);
      for (const row of rows.rows) assert.ok(Math.abs(row.score - row.rank) < 1e-5, `${row.term}: ${row.score} vs ${row.rank}`);
      const hydro = await sql<{ article_id: number }>`SELECT article_id FROM search_postings WHERE term = 'hydropolit' ORDER BY score DESC`.execute(handle.db);
      // hydroReference has the word in its references only.
      assert.deepEqual(hydro.rows.map((r) => r.article_id), [corpus.ids.hydroTitle, corpus.ids.hydroKeyword, corpus.ids.hydroAbstract]);
    });

    it('pages through the results in the same order as one long page', async () => {
      const search = (page: number, pageSize: number) => searchArticles(handle.db, { query: parseQuery('energy'), filters: { journalId: corpus.journalId }, page, pageSize });
      const whole = await search(1, 50);
      assert.ok(whole.hits.length >= 3);
      const paged: number[] = [];
      for (let page = 1; page <= whole.hits.length; page++) {
        const one = await search(page, 1);
        assert.equal(one.total, whole.total);
        assert.equal(one.approximate, false);
        paged.push(...one.hits.map((h) => h.articleId));
      }
      assert.deepEqual(paged, whole.hits.map((h) => h.articleId));
    });

    it('drop the postings of an article that leaves the index', async () => {
      const id = corpus.ids.hydroTitle!;
      await sql`UPDATE publications SET status = 'queued' WHERE article_id = ${id}`.execute(handle.db);
      await indexPending(handle.db);
      const left = await sql<{ n: string }>`SELECT count(*) AS n FROM search_postings WHERE article_id = ${id}`.execute(handle.db);
      assert.equal(Number(left.rows[0]!.n), 0);
      const found = await searchArticles(handle.db, { query: parseQuery('hydropolitics'), filters: { journalId: corpus.journalId } });
      assert.ok(!found.hits.some((h) => h.articleId === id));
      assert.equal(found.hits[0]?.articleId, corpus.ids.hydroKeyword);
    });
  });
}
