import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { testDatabases } from '../../../test/support/databases.ts';
import { issuesXml, pdf, closeImportSite, openImportSite, type ImportSite } from '../../../test/support/ojs-native.ts';
import type { DatabaseHandle } from '../../db/index.ts';
import type { FileStore } from '../../storage/index.ts';
import { importNativeXml, type ImportSummary } from './import.ts';

/**
 * Two documents whose OJS ids overlap (two OJS installations, or an OJS 2 conversion that numbered
 * its own objects) imported one after the other: the second must not fail on an id the first took,
 * and its dry run must say exactly what its import then does.
 */

// The first document: issue 801, article 61001 (publication 66001), galley 8901, file 701.
const first = issuesXml([{ id: 801, volume: 90, number: '1', year: 2022, articles: [{ id: 61001, title: 'First document article', galleyId: 8901, fileId: 701, file: pdf('first document') }] }]);

// The second: other articles, but its first publication and galley carry the first document's OJS
// ids, and its issues and articles have ids OJS would ignore (not numbers), so they take new ids.
const second = issuesXml([
  { id: 802, volume: 91, number: '1', year: 2023, articles: [{ id: 62001, title: 'Second document article A', galleyId: 8901, fileId: 701, file: pdf('second document A') }] },
  { id: 803, volume: 91, number: '2', year: 2023, articles: [{ id: 63001, title: 'Second document article B', galleyId: 8902, fileId: 702, file: pdf('second document B') }] },
])
  .replaceAll('67001', '66001')
  .replace('<id type="internal" advice="ignore">802</id>', '<id type="internal" advice="ignore">ojs2-issue-91-1</id>')
  .replace('<id type="internal" advice="ignore">803</id>', '<id type="internal" advice="ignore">ojs2-issue-91-2</id>')
  .replace('<id type="internal" advice="ignore">62001</id>', '<id type="internal" advice="ignore">ojs2:article:A</id>')
  .replace('<id type="internal" advice="ignore">63001</id>', '<id type="internal" advice="ignore">ojs2:article:B</id>');

/** What a summary says was done, without saying whether it was a dry run. */
const outcome = (s: ImportSummary) => ({ issues: s.issues, articles: s.articles, galleys: s.galleys, units: s.units, warnings: s.warnings });

for (const database of await testDatabases()) {
  describe(`OJS import of documents whose ids overlap, on ${database.name}`, () => {
    let handle: DatabaseHandle;
    let files: FileStore;
    let dir: string;
    let write: ImportSite['write'];

    before(async () => ({ handle, files, dir, write } = await openImportSite(database, 'overlap')));
    after(() => closeImportSite({ handle, dir }));

    it('imports the second document beside the first, and its dry runs predict exactly what the import does', async () => {
      await importNativeXml(handle.db, files, write('first.xml', first), { journalPath: 'sm' });
      const firstGalley = await handle.db.selectFrom('galleys').selectAll().where('id', '=', 8901).executeTakeFirstOrThrow();
      assert.equal(firstGalley.publication_id, 66001);

      const secondFile = write('second.xml', second);
      const dry = await importNativeXml(handle.db, files, secondFile, { journalPath: 'sm', dryRun: true });
      // A dry run changes nothing a later run sees: a second one says the same.
      const dryAgain = await importNativeXml(handle.db, files, secondFile, { journalPath: 'sm', dryRun: true });
      assert.deepEqual(outcome(dryAgain), outcome(dry));
      const real = await importNativeXml(handle.db, files, secondFile, { journalPath: 'sm' });
      assert.equal(dry.dryRun, true);
      assert.deepEqual(outcome(dry), outcome(real), 'the dry run predicted the import: the same issues, articles and ids');

      assert.deepEqual(real.issues, { new: 2, changed: 0, unchanged: 0 });
      assert.deepEqual(real.articles, { new: 2, changed: 0, unchanged: 0 });
      const [issueA, issueB] = real.units;
      assert.notEqual(issueA!.id, issueB!.id);
      assert.notEqual(issueA!.articles[0]!.id, issueB!.articles[0]!.id);
      assert.ok(real.warnings.some((w) => w.includes('"ojs2:article:A"') && w.includes('new id')), 'the ignored id is named in the report');

      // Every object of the second document is where the report says, with its own galley.
      for (const unit of real.units) {
        const article = unit.articles[0]!;
        const row = await handle.db
          .selectFrom('articles as a')
          .innerJoin('publications as p', 'p.id', 'a.current_publication_id')
          .innerJoin('galleys as g', 'g.publication_id', 'p.id')
          .select(['p.title', 'p.issue_id', 'p.id as publication', 'g.id as galley'])
          .where('a.id', '=', article.id)
          .executeTakeFirstOrThrow();
        assert.equal(row.title.en, article.title);
        assert.equal(row.issue_id, unit.id);
        assert.notEqual(row.publication, 66001, 'the publication id the first document holds was not taken over');
      }
      const secondGalleyOfA = await handle.db.selectFrom('galleys').innerJoin('publications', 'publications.id', 'galleys.publication_id').select('galleys.id').where('publications.article_id', '=', issueA!.articles[0]!.id).executeTakeFirstOrThrow();
      assert.notEqual(secondGalleyOfA.id, 8901, 'the galley id the first document holds was not taken over');

      // The first document's article is untouched.
      const firstArticle = await handle.db.selectFrom('articles as a').innerJoin('publications as p', 'p.id', 'a.current_publication_id').select(['p.id', 'p.title']).where('a.id', '=', 61001).executeTakeFirstOrThrow();
      assert.deepEqual([firstArticle.id, firstArticle.title.en], [66001, 'First document article']);
      assert.equal((await handle.db.selectFrom('galleys').select('publication_id').where('id', '=', 8901).executeTakeFirstOrThrow()).publication_id, 66001);
    });

    it('a dry run of a document whose new objects need fresh ids predicts the ids the import then gives', async () => {
      // The same document again, under other numbering: every object is new, and each needs a fresh id.
      const third = second.replaceAll('<volume>91</volume>', '<volume>92</volume>').replaceAll('ojs2', 'conv');
      const file = write('third.xml', third);
      const dry = await importNativeXml(handle.db, files, file, { journalPath: 'sm', dryRun: true });
      const real = await importNativeXml(handle.db, files, file, { journalPath: 'sm' });
      assert.deepEqual(outcome(dry), outcome(real));
      assert.deepEqual(real.issues.new, 2);
    });
  });
}
