import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { sql } from 'kysely';
import { addPublishedArticle, createJournal, createSection } from '../../catalog/index.ts';
import { initialiseSite } from '../../demo/index.ts';
import type { DatabaseHandle } from '../../db/index.ts';
import { testDatabases } from '../../../test/support/databases.ts';
import { indexPending, parseQuery, type SearchFilters, type SearchSort } from './index.ts';
import { searchArticles, type SearchTuning } from './search.ts';

/**
 * A journal whose subject words ("security", "policy", "international") are in most of its
 * articles, as readers type them. A page by relevance is then found from the best postings and a
 * bound (relevance.ts) instead of ranking every match: it must be the very page that ranking every
 * match gives, in the same order, on every page, and the best-matching articles must come first.
 */

/** A seeded generator: the same journal on both databases. */
function seeded(seed: number): () => number {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let x = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    x = (x + Math.imul(x ^ (x >>> 7), 61 | x)) ^ x;
    return ((x ^ (x >>> 14)) >>> 0) / 4294967296;
  };
}

const FILLER = ['regional', 'alliance', 'border', 'trade', 'treaty', 'crisis', 'reform', 'summit', 'energy', 'migration', 'sanctions', 'diplomacy', 'conflict', 'elections', 'market'];
const SUBJECT: Array<{ word: string; title: number; keywords: number; abstract: number; references: number }> = [
  { word: 'security', title: 0.25, keywords: 0.15, abstract: 0.75, references: 0.3 },
  { word: 'policy', title: 0.2, keywords: 0.1, abstract: 0.7, references: 0.3 },
  { word: 'international', title: 0.15, keywords: 0.05, abstract: 0.6, references: 0.2 },
];

/** Every match ranked: the way the bounds must agree with. */
const EVERY_MATCH: SearchTuning = { fewMatches: Number.POSITIVE_INFINITY, exactCount: Number.POSITIVE_INFINITY };
/** Always from the best postings, however few the matches, reading further until the bounds show the page. */
const BEST_POSTINGS: SearchTuning = { fewMatches: 0, exactCount: Number.POSITIVE_INFINITY, manyMatches: 0 };

for (const database of await testDatabases()) {
  describe(`a journal's common words on ${database.name}`, () => {
    let handle: DatabaseHandle;
    let journalId: number;
    let reviews: number;
    const name = new Map<number, string>();
    before(async () => {
      handle = await database.open();
      await initialiseSite(handle.db, { demo: false });
      journalId = await createJournal(handle.db, { path: 'ia', name: { en: 'International Affairs' }, primaryLocale: 'en', supportedLocales: ['en'] });
      const articles = await createSection(handle.db, { journalId, title: { en: 'Articles' }, seq: 1 });
      reviews = await createSection(handle.db, { journalId, title: { en: 'Reviews' }, seq: 2 });
      const random = seeded(5);
      const pick = () => FILLER[Math.floor(random() * FILLER.length)]!;
      const add = async (key: string, fields: { title: string; abstract: string; keywords?: string[]; references?: string[] }, day: number, sectionId = articles) => {
        const { articleId } = await addPublishedArticle(handle.db, {
          journalId, sectionId, issueId: null, locale: 'en',
          title: { en: fields.title }, abstract: { en: fields.abstract }, keywords: { en: fields.keywords ?? [] }, references: fields.references ?? [],
          // Several articles share each day: ties in score are then ordered by date and id.
          datePublished: `2024-${String(1 + (day % 12)).padStart(2, '0')}-${String(1 + (day % 5)).padStart(2, '0')}`,
        });
        name.set(articleId, key);
      };
      for (let i = 0; i < 140; i++) {
        const title = [pick(), pick(), pick()];
        const abstract = Array.from({ length: 14 }, pick);
        const keywords = [pick()];
        const references: string[] = [];
        for (const s of SUBJECT) {
          if (random() < s.title) title.splice(Math.floor(random() * title.length), 0, s.word);
          if (random() < s.keywords) keywords.push(s.word);
          if (random() < s.abstract) for (let k = 1 + Math.floor(random() * 3); k > 0; k--) abstract.splice(Math.floor(random() * abstract.length), 0, s.word);
          if (random() < s.references) references.push(`Author, A. (2001). ${s.word} and ${pick()}. Journal of ${pick()}.`);
        }
        // The set phrase, in a fifth of the abstracts.
        if (random() < 0.2) abstract.splice(Math.floor(random() * abstract.length), 0, 'security policy');
        await add(`a${i}`, { title: title.join(' '), abstract: abstract.join(' '), keywords, references }, i, i % 7 === 0 ? reviews : articles);
      }
      // Where one word is, for the order of the results.
      await add('inTitle', { title: 'Security of small states', abstract: 'Small states and their neighbours.' }, 3);
      await add('inAbstract', { title: 'Small states', abstract: 'The security of small states and their neighbours.' }, 3);
      await add('inReferences', { title: 'Small states again', abstract: 'Their neighbours.', references: ['Smith, J. (1999). Security studies. London: Routledge.'] }, 3);
      await indexPending(handle.db);
      await sql`ANALYZE search_documents`.execute(handle.db);
    });
    after(() => handle.close());

    const find = async (query: string, tuning: SearchTuning, options: { page?: number; pageSize?: number; sort?: SearchSort; filters?: SearchFilters } = {}) => {
      const result = await searchArticles(handle.db, { query: parseQuery(query), filters: { journalId, ...options.filters }, sort: options.sort ?? 'relevance', page: options.page ?? 1, pageSize: options.pageSize ?? 10 }, tuning);
      return { keys: result.hits.map((h) => name.get(h.articleId) ?? String(h.articleId)), total: result.total };
    };

    it('finds, from the best postings, the same pages in the same order as ranking every match', async () => {
      const queries = ['security', 'policy', 'security policy', 'international security policy', 'policy security', '"security policy"', '"security policy" international', 'security -international', 'security policy -trade', 'states'];
      for (const query of queries) {
        for (const page of [1, 2, 4]) {
          const every = await find(query, EVERY_MATCH, { page });
          const best = await find(query, BEST_POSTINGS, { page });
          assert.deepEqual(best.keys, every.keys, `${query}, page ${page}`);
          assert.equal(best.total, every.total, `${query}, page ${page}: total`);
          if (page === 1) assert.equal(every.keys.length, Math.min(10, every.total), `${query}: a full first page`);
        }
      }
      // With the reader's filters, and a page deep enough to widen the reach.
      for (const filters of [{ sectionId: reviews }, { from: '2024-06-01' }]) {
        assert.deepEqual((await find('security policy', BEST_POSTINGS, { filters })).keys, (await find('security policy', EVERY_MATCH, { filters })).keys, JSON.stringify(filters));
      }
      assert.deepEqual((await find('security', BEST_POSTINGS, { pageSize: 40, page: 2 })).keys, (await find('security', EVERY_MATCH, { pageSize: 40, page: 2 })).keys);
    });

    it('ranks a word in the title above the same word in the abstract, and that above one in the references', async () => {
      for (const tuning of [BEST_POSTINGS, EVERY_MATCH]) {
        const all = (await find('security', tuning, { pageSize: 100, page: 1 })).keys.concat((await find('security', tuning, { pageSize: 100, page: 2 })).keys);
        const at = (key: string) => all.indexOf(key);
        assert.ok(at('inTitle') >= 0 && at('inTitle') < at('inAbstract') && at('inAbstract') < at('inReferences'), `${at('inTitle')} ${at('inAbstract')} ${at('inReferences')}`);
        // Nothing with the word only in its references comes before an article with it in the abstract.
        const rows = await sql<{ article_id: number; weights: string }>`
          SELECT d.article_id, coalesce((SELECT string_agg(w, '') FROM unnest(d.document) u, unnest(u.weights) w WHERE u.lexeme = 'secur'), '') AS weights
            FROM search_documents d`.execute(handle.db);
        const weights = new Map(rows.rows.map((r) => [name.get(r.article_id), r.weights]));
        const firstReferenceOnly = all.findIndex((key) => !/[ABC]/.test(weights.get(key) ?? ''));
        const lastAbstract = all.length - 1 - [...all].reverse().findIndex((key) => /[ABC]/.test(weights.get(key) ?? ''));
        assert.ok(firstReferenceOnly > lastAbstract, `${firstReferenceOnly} > ${lastAbstract}`);
      }
    });

    it('puts the articles with every word in the title first', async () => {
      const first = (await find('security policy', BEST_POSTINGS)).keys;
      const titles = await sql<{ article_id: number; title: string }>`SELECT a.id AS article_id, p.title->>'en' AS title FROM articles a JOIN publications p ON p.id = a.current_publication_id`.execute(handle.db);
      const title = new Map(titles.rows.map((r) => [name.get(r.article_id), r.title.toLowerCase()]));
      const both = [...title.values()].filter((t) => t.includes('security') && t.includes('policy')).length;
      assert.ok(both >= 2, 'the journal has such articles');
      assert.ok(first.slice(0, Math.min(both, 10)).every((key) => title.get(key)!.includes('security') && title.get(key)!.includes('policy')), first.map((k) => title.get(k)).join(' | '));
    });
  });
}
