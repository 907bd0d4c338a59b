import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { testDatabases } from '../../../test/support/databases.ts';
import type { DatabaseHandle } from '../../db/index.ts';
import type { FileStore } from '../../storage/index.ts';
import { importNativeXml, ImportError } from './import.ts';
import { NativeXmlError } from './xml-stream.ts';
import { issuesXml, pdf, closeImportSite, openImportSite, type ImportSite } from '../../../test/support/ojs-native.ts';

const sha256 = (b: Buffer) => createHash('sha256').update(b).digest('hex');

for (const database of await testDatabases()) {
  describe(`OJS Native XML import on ${database.name}`, () => {
    let handle: DatabaseHandle;
    let files: FileStore;
    let dir: string;
    let write: ImportSite['write'];
    const storedFileCount = () => (fs.readdirSync(path.join(dir, 'files'), { recursive: true }) as string[]).filter((f) => fs.statSync(path.join(dir, 'files', f)).isFile()).length;
    const counts = async () => {
      const out: Record<string, number> = {};
      for (const table of ['issues', 'articles', 'publications', 'contributors', 'citations', 'galleys', 'files', 'sections', 'ojs_ids'] as const) {
        out[table] = Number((await handle.db.selectFrom(table).select((eb) => eb.fn.countAll<string>().as('n')).executeTakeFirstOrThrow()).n);
      }
      return out;
    };
    const big = Buffer.concat([pdf('big'), Buffer.alloc(300_000, 7)]);
    const doc = issuesXml([
      { id: 501, volume: 80, number: '1', year: 2024, articles: [{ id: 9001, title: 'First article', galleyId: 8801, fileId: 601, file: pdf('first'), doi: '10.5555/first' }, { id: 9002, title: 'Second article', galleyId: 8802, fileId: 602, file: big }] },
      { id: 502, volume: 80, number: '2', year: 2024, articles: [{ id: 9003, title: 'Third article', galleyId: 8803, fileId: 603, file: pdf('third') }] },
    ]);

    before(async () => ({ handle, files, dir, write } = await openImportSite(database, 'import')));
    after(() => closeImportSite({ handle, dir }));

    it('imports issues, articles, authors, references and galleys, keeping the OJS ids as Revista ids', async () => {
      const before = await counts();
      const summary = await importNativeXml(handle.db, files, write('two-issues.xml', doc), { journalPath: 'sm' });
      assert.deepEqual(summary.issues, { new: 2, changed: 0, unchanged: 0 });
      assert.deepEqual(summary.articles, { new: 3, changed: 0, unchanged: 0 });
      assert.equal(summary.galleys, 3);
      const after = await counts();
      assert.equal(after.issues - before.issues, 2);
      assert.equal(after.articles - before.articles, 3);
      assert.equal(after.citations - before.citations, 6);

      const article = await handle.db.selectFrom('articles').selectAll().where('id', '=', 9002).executeTakeFirstOrThrow();
      assert.equal(article.status, 'published');
      const publication = await handle.db.selectFrom('publications').selectAll().where('id', '=', article.current_publication_id!).executeTakeFirstOrThrow();
      assert.equal(publication.id, 14002, 'the publication keeps its OJS id');
      assert.deepEqual(publication.title, { en: 'Second article', pl: 'Second article (pl)' });
      assert.deepEqual(publication.abstract, { en: '<p>About Second article</p>' });
      assert.deepEqual(publication.keywords, { en: ['Caucasus', 'Russia'] });
      assert.equal(publication.pages, '11-30');
      assert.equal(publication.date_published, '2021-03-15');
      assert.equal(publication.issue_id, 501);
      const contributor = await handle.db.selectFrom('contributors').selectAll().where('publication_id', '=', publication.id).executeTakeFirstOrThrow();
      assert.deepEqual([contributor.given_name, contributor.family_name, contributor.affiliation], [{ en: 'Anna' }, { en: 'Nowak' }, { en: 'University of Warsaw', pl: 'Uniwersytet Warszawski' }]);
      assert.equal(contributor.orcid, 'https://orcid.org/0000-0002-1825-0097');
      assert.equal(contributor.is_primary_contact, true);
      const galley = await handle.db.selectFrom('galleys').innerJoin('files', 'files.id', 'galleys.file_id').selectAll().where('galleys.id', '=', 8802).executeTakeFirstOrThrow();
      assert.equal(galley.label, 'PDF');
      assert.equal(galley.sha256, sha256(big), 'the embedded file arrives byte for byte');
      assert.equal(fs.readFileSync(files.pathOf(galley.storage_key)).length, big.length);
      const first = await handle.db.selectFrom('publications').select('doi').where('article_id', '=', 9001).executeTakeFirstOrThrow();
      assert.equal(first.doi, '10.5555/first');
    });

    it('re-importing the same file changes nothing', async () => {
      const before = await counts();
      const storedFiles = storedFileCount();
      const summary = await importNativeXml(handle.db, files, write('two-issues.xml', doc), { journalPath: 'sm' });
      assert.deepEqual(summary.issues, { new: 0, changed: 0, unchanged: 2 });
      assert.deepEqual(summary.articles, { new: 0, changed: 0, unchanged: 3 });
      assert.deepEqual(await counts(), before);
      assert.equal(storedFileCount(), storedFiles, 'the copies stored while reading were removed again');
    });

    it('a changed article is updated in place, keeping its ids; a dry run says so and writes nothing', async () => {
      const changed = doc.replace('<title locale="en">Third article</title>', '<title locale="en">Third article, revised</title>');
      const file = write('changed.xml', changed);
      const before = await counts();
      const dry = await importNativeXml(handle.db, files, file, { journalPath: 'sm', dryRun: true });
      assert.equal(dry.dryRun, true);
      assert.deepEqual(dry.articles, { new: 0, changed: 1, unchanged: 2 });
      assert.deepEqual(await counts(), before);
      assert.deepEqual((await handle.db.selectFrom('publications').select('title').where('article_id', '=', 9003).executeTakeFirstOrThrow()).title, { en: 'Third article', pl: 'Third article (pl)' });
      const real = await importNativeXml(handle.db, files, file, { journalPath: 'sm' });
      assert.deepEqual(real.articles, dry.articles);
      const publication = await handle.db.selectFrom('publications').select(['id', 'title']).where('article_id', '=', 9003).executeTakeFirstOrThrow();
      assert.deepEqual([publication.id, publication.title.en], [14003, 'Third article, revised']);
      assert.ok(await handle.db.selectFrom('galleys').select('id').where('id', '=', 8803).executeTakeFirst(), 'the galley keeps its id');
      assert.deepEqual(await counts(), before);
    });

    it('an article already in the journal under the same DOI is updated, not duplicated', async () => {
      const again = issuesXml([{ id: 777, volume: 80, number: '1', year: 2024, articles: [{ id: 4242, title: 'First article again', galleyId: 4243, fileId: 4244, file: pdf('first'), doi: '10.5555/FIRST' }] }]);
      const before = await counts();
      const summary = await importNativeXml(handle.db, files, write('doi.xml', again), { journalPath: 'sm' });
      assert.deepEqual(summary.articles, { new: 0, changed: 1, unchanged: 0 });
      assert.deepEqual(summary.issues, { new: 0, changed: 1, unchanged: 0 }, 'the same volume, number and year is the same issue');
      const after = await counts();
      assert.equal(after.articles, before.articles);
      assert.equal(after.issues, before.issues);
      assert.equal((await handle.db.selectFrom('publications').select('title').where('article_id', '=', 9001).executeTakeFirstOrThrow()).title.en, 'First article again');
    });

    it('refuses bad documents with the line and column, writing nothing', async () => {
      const before = await counts();
      const attempt = (xml: string) => importNativeXml(handle.db, files, write('bad.xml', xml), { journalPath: 'sm' });
      await assert.rejects(attempt('<issues xmlns="http://pkp.sfu.ca"><issue>\n<oops></issue></issues>'), (e: NativeXmlError) => e instanceof NativeXmlError && /^line 2, column \d+: /.test(e.message) && /unexpected close tag/.test(e.message));
      await assert.rejects(attempt('<users xmlns="http://pkp.sfu.ca"/>'), /root element is <users>/);
      await assert.rejects(attempt('<issues><issue/></issues>'), /not in the OJS Native XML namespace/);
      await assert.rejects(attempt(''), /empty/);
      // The last issue is broken: the first one must not be written either.
      const brokenLast = doc.replace('<submission_file_ref id="603"/>', '<submission_file_ref id="999"/>');
      await assert.rejects(attempt(brokenLast), /submission file 999.*the file's data is missing/);
      const emptyEmbed = doc.replace(/(<file id="703"[^>]*>\s*<embed encoding="base64">)[^<]*/, '$1');
      await assert.rejects(attempt(emptyEmbed), /empty <embed>: the file's data is missing/);
      const badDate = doc.replace('date_published="2021-03-15"', 'date_published="15 III 2021"');
      await assert.rejects(attempt(badDate), /line \d+, column \d+: date_published must be a date/);
      await assert.rejects(importNativeXml(handle.db, files, write('ok.xml', doc), { journalPath: 'nope' }), (e: Error) => e instanceof ImportError && /no journal with the path nope/.test(e.message));
      assert.deepEqual(await counts(), before);
    });
  });
}
