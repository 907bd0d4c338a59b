import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { testDatabases } from '../../../test/support/databases.ts';
import type { DatabaseHandle } from '../../db/index.ts';
import { initialiseSite } from '../../demo/index.ts';
import { createFileStore, type FileStore } from '../../storage/index.ts';
import { importNativeXml, ImportError } from './import.ts';
import { NativeXmlError } from './xml-stream.ts';

/**
 * A Native XML document as OJS 3.4/3.5 writes one, built here so each test states exactly what it
 * imports (the hand-made fixtures in test/fixtures/ojs cover whole realistic exports).
 */
export function pdf(text: string): Buffer {
  return Buffer.from(`%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\n% ${text}\n%%EOF\n`);
}

interface ArticleSpec {
  id: number;
  title: string;
  galleyId: number;
  fileId: number;
  file: Buffer;
  doi?: string;
  section?: string;
}

function articleXml(a: ArticleSpec): string {
  return `
      <article xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" locale="en" date_submitted="2021-01-10" status="3" submission_progress="" current_publication_id="${a.id + 5000}" stage="production">
        <id type="internal" advice="ignore">${a.id}</id>
        <submission_file id="${a.fileId}" created_at="2021-02-01" date_created="" file_id="${a.fileId + 100}" stage="proof" updated_at="2021-02-01" viewable="false" genre="Article Text" uploader="admin">
          <name locale="en">article-${a.id}.pdf</name>
          <file id="${a.fileId + 100}" filesize="${a.file.length}" extension="pdf">
            <embed encoding="base64">${a.file.toString('base64').replace(/(.{60})/g, '$1\n')}</embed>
          </file>
        </submission_file>
        <publication xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" version="1" status="3" url_path="" seq="0" date_published="2021-03-15" section_ref="${a.section ?? 'ART'}" access_status="0" id="${a.id + 5000}">
          <id type="internal" advice="ignore">${a.id + 5000}</id>
          ${a.doi ? `<id type="doi" advice="update">${a.doi}</id>` : ''}
          <title locale="en">${a.title}</title>
          <title locale="pl">${a.title} (pl)</title>
          <abstract locale="en">&lt;p&gt;About ${a.title}&lt;/p&gt;</abstract>
          <licenseUrl>https://creativecommons.org/licenses/by/4.0/</licenseUrl>
          <copyrightHolder locale="en">The authors</copyrightHolder>
          <copyrightYear>2021</copyrightYear>
          <keywords locale="en"><keyword><name>Caucasus</name></keyword><keyword><name>Russia</name></keyword></keywords>
          <authors xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">
            <author include_in_browse="true" id="${a.id + 7000}" seq="0" contributor_type="PERSON" primary_contact="true">
              <givenname locale="en">Anna</givenname>
              <familyname locale="en">Nowak</familyname>
              <affiliation><name locale="en">University of Warsaw</name><name locale="pl">Uniwersytet Warszawski</name></affiliation>
              <country>PL</country>
              <email>anna.nowak@example.org</email>
              <orcid>https://orcid.org/0000-0002-1825-0097</orcid>
              <biography locale="en">Works on the Caucasus.</biography>
              <contributor_roles><contributor_role_id>1</contributor_role_id></contributor_roles>
            </author>
          </authors>
          <article_galley xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" locale="en" approved="false">
            <id type="internal" advice="ignore">${a.galleyId}</id>
            <name locale="en">PDF</name>
            <seq>0</seq>
            <submission_file_ref id="${a.fileId}"/>
          </article_galley>
          <citations>
            <citation>Kowalski J., Polityka, Warszawa 2019.</citation>
            <citation>Smith A., Politics, London 2020.</citation>
          </citations>
          <pages>11-30</pages>
        </publication>
      </article>`;
}

export function issuesXml(issues: { id: number; volume: number; number: string; year: number; articles: ArticleSpec[] }[]): string {
  return `<?xml version="1.0" encoding="utf-8"?>
<issues xmlns="http://pkp.sfu.ca" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xsi:schemaLocation="http://pkp.sfu.ca native.xsd">
${issues
  .map(
    (i) => `  <issue xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" published="1" current="0" access_status="1" url_path="">
    <id type="internal" advice="ignore">${i.id}</id>
    <description locale="en">Issue ${i.number}</description>
    <issue_identification><volume>${i.volume}</volume><number>${i.number}</number><year>${i.year}</year><title locale="en">Issue title ${i.number}</title></issue_identification>
    <date_published>${i.year}-06-30</date_published>
    <last_modified>${i.year}-07-01</last_modified>
    <sections>
      <section ref="ART" seq="1" editor_restricted="0" meta_indexed="1" meta_reviewed="1" abstracts_not_required="0" hide_title="0" hide_author="0" abstract_word_count="0">
        <id type="internal" advice="ignore">31</id>
        <abbrev locale="en">ART</abbrev>
        <title locale="en">Articles</title>
      </section>
    </sections>
    <articles>${i.articles.map(articleXml).join('')}
    </articles>
  </issue>`,
  )
  .join('\n')}
</issues>
`;
}

const sha256 = (b: Buffer) => createHash('sha256').update(b).digest('hex');

for (const database of await testDatabases()) {
  describe(`OJS Native XML import on ${database.name}`, () => {
    let handle: DatabaseHandle;
    let files: FileStore;
    let dir: string;
    const write = (name: string, xml: string) => {
      const file = path.join(dir, name);
      fs.writeFileSync(file, xml);
      return file;
    };
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

    before(async () => {
      handle = await database.open();
      await initialiseSite(handle.db, { demo: true });
      dir = fs.mkdtempSync(path.join(os.tmpdir(), 'revista-ojs-import-'));
      files = createFileStore(path.join(dir, 'files'));
    });
    after(async () => {
      await handle.close();
      fs.rmSync(dir, { recursive: true, force: true });
    });

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
      await assert.rejects(attempt('<issues xmlns="http://pkp.sfu.ca"><issue>\n<oops></issue></issues>'), (e: NativeXmlError) => e instanceof NativeXmlError && /^line 2, column \d+: /.test(e.message) && /oops|issue/.test(e.message));
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
