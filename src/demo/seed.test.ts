import assert from 'node:assert/strict';
import { readFileSync, existsSync } from 'node:fs';
import { describe, it } from 'node:test';
import { testDatabases } from '../../test/support/databases.ts';
import { initialiseSite, DEMO_ARTICLE_ID, SEED_PAGE_FILE } from './index.ts';
import { parseSeedArticlePage, parsePolishLongDate, SeedPageError } from './seed-page.ts';

const seedText = readFileSync(SEED_PAGE_FILE, 'utf8');

describe('seed page parsing', () => {
  it('reads the issue, section, title, dates, abstract and all 42 references in order', () => {
    const page = parseSeedArticlePage(seedText);
    assert.deepEqual(page.issue, { volume: 74, number: '4', year: 2021, title: 'Kaukaz Południowy na rozdrożu' });
    assert.equal(page.section, 'Świat zewnętrzny a państwa Kaukazu Południowego');
    assert.equal(page.title, 'Russia’s approaches towards Armenia and Azerbaijan: evolution of the policy or interests come first?');
    assert.equal(page.dateSubmitted, '2021-12-27');
    assert.equal(page.datePublished, '2021-12-27');
    assert.match(page.abstract, /^This paper aims to analyse Russia’s policy/);
    assert.equal(page.references.length, 42);
    assert.match(page.references[0]!, /^Aliyev N., Russia’s arms sales/);
    assert.match(page.references[41]!, /^Zayavleniye Prezidenta Azerbaydzhanskoy Respubliki/);
  });

  it('is the same text as the shared seed, when the shared folder is present', { skip: !existsSync(new URL('../../../shared/seed/article-page.txt', import.meta.url)) }, () => {
    assert.equal(seedText, readFileSync(new URL('../../../shared/seed/article-page.txt', import.meta.url), 'utf8'));
  });

  it('rejects a page without the issue line or with references out of order', () => {
    assert.throws(() => parseSeedArticlePage('nothing here'), SeedPageError);
    assert.throws(() => parseSeedArticlePage(seedText.replace('  2. Aliyev', '  3. Aliyev')), /out of order/);
    assert.throws(() => parsePolishLongDate('27 grudzień 2021'), SeedPageError);
  });
});

for (const database of await testDatabases()) {
  describe(`first-start initialisation on ${database.name}`, () => {
    it('seeds the demo journal once, and never again on later starts', async () => {
      const handle = await database.open();
      try {
        assert.equal(await initialiseSite(handle.db, { demo: true }), 'seeded');
        assert.equal(await initialiseSite(handle.db, { demo: true }), 'already-initialised');
        const journals = await handle.db.selectFrom('journals').select(['path']).execute();
        assert.deepEqual(journals, [{ path: 'sm' }]);
        const article = await handle.db.selectFrom('articles').selectAll().where('id', '=', DEMO_ARTICLE_ID).executeTakeFirstOrThrow();
        const references = await handle.db
          .selectFrom('citations')
          .select(['seq', 'raw_text'])
          .where('publication_id', '=', article.current_publication_id!)
          .orderBy('seq')
          .execute();
        assert.equal(references.length, 42);
        assert.deepEqual(references.map((r) => r.seq), Array.from({ length: 42 }, (_, i) => i + 1));
        assert.equal(references[9]!.raw_text, parseSeedArticlePage(seedText).references[9]);
        // A new article after the seeded id 1786 gets the next id, not a collision.
        const next = await handle.db
          .insertInto('articles')
          .values({ journal_id: article.journal_id, locale: 'pl', status: 'queued', date_submitted: null })
          .returning('id')
          .executeTakeFirstOrThrow();
        assert.equal(next.id, DEMO_ARTICLE_ID + 1);
        const galleys = await handle.db.selectFrom('galleys').select('id').execute();
        assert.equal(galleys.length, 0, 'the seed page has no galley, so none is invented');
      } finally {
        await handle.close();
      }
    });

    it('does not seed the demo when asked not to', async () => {
      const handle = await database.open();
      try {
        await initialiseSite(handle.db, { demo: false });
        assert.equal((await handle.db.selectFrom('journals').select('id').execute()).length, 0);
      } finally {
        await handle.close();
      }
    });
  });
}
