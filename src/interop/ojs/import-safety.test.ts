import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { PassThrough } from 'node:stream';
import { after, before, describe, it } from 'node:test';
import { testDatabases } from '../../../test/support/databases.ts';
import { issuesXml, pdf, closeImportSite, openImportSite } from '../../../test/support/ojs-native.ts';
import { filesUnder } from '../../../test/support/tables.ts';
import { createJournal } from '../../catalog/index.ts';
import type { DatabaseHandle } from '../../db/index.ts';
import type { FileStore } from '../../storage/index.ts';
import { importNativeXml } from './import.ts';
import { loadNativeIssues } from './load.ts';
import { writeNativeXml } from './write.ts';

/**
 * What an OJS document could use against readers is not taken in: javascript: (or header-splitting)
 * addresses, rich text with script, SVG covers and script galleys. And files are never shared
 * between articles: each gets its own name and type.
 */

const PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==', 'base64');
const SVG = Buffer.from('<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>');
const base64 = (bytes: Buffer) => bytes.toString('base64');

for (const database of await testDatabases()) {
  describe(`OJS import safety on ${database.name}`, () => {
    let handle: DatabaseHandle;
    let files: FileStore;
    let dir: string;
    const importXml = async (name: string, xml: string, journalPath = 'sm') => {
      fs.writeFileSync(path.join(dir, name), xml);
      return importNativeXml(handle.db, files, path.join(dir, name), { journalPath });
    };
    const strayFiles = async () => {
      const known = new Set((await handle.db.selectFrom('files').select('storage_key').execute()).map((f) => f.storage_key));
      return filesUnder(files.root).filter((f) => !known.has(f));
    };
    const galleysOf = (articleId: number) =>
      handle.db
        .selectFrom('galleys as g')
        .innerJoin('publications as p', 'p.id', 'g.publication_id')
        .leftJoin('files as f', 'f.id', 'g.file_id')
        .select(['g.label', 'g.remote_url', 'g.file_id', 'f.original_name', 'f.mime_type', 'f.storage_key'])
        .where('p.article_id', '=', articleId)
        .orderBy('g.seq')
        .execute();

    before(async () => ({ handle, files, dir } = await openImportSite(database, 'safety')));
    after(() => closeImportSite({ handle, dir }));

    it('takes only http(s) addresses and valid ORCID iDs, leaving the rest out with a warning', async () => {
      const galley = (id: number, label: string, src: string) => `<article_galley locale="en"><id type="internal" advice="ignore">${id}</id><name locale="en">${label}</name><seq>${id}</seq><remote src="${src}"/></article_galley>`;
      const xml = issuesXml([{ id: 801, volume: 95, number: '1', year: 2035, articles: [{ id: 8101, title: 'Hostile links', galleyId: 8102, fileId: 8103, file: pdf('links') }] }])
        .replace('<orcid>https://orcid.org/0000-0002-1825-0097</orcid>', '<orcid>javascript:alert(1)</orcid><url>javascript:alert(2)</url>')
        .replace('<licenseUrl>https://creativecommons.org/licenses/by/4.0/</licenseUrl>', '<licenseUrl>javascript:alert(document.cookie)</licenseUrl>')
        .replace(
          '</article_galley>',
          `</article_galley>${galley(8104, 'Script', 'javascript:alert(3)')}${galley(8105, 'Split', 'https://example.org/a.pdf&#13;&#10;Set-Cookie: x=1')}${galley(8106, 'Elsewhere', 'https://repository.example.org/8101.pdf')}`,
        );
      const summary = await importXml('links.xml', xml);
      const warnings = summary.warnings.join('\n');
      assert.match(warnings, /the author at line \d+: "javascript:alert\(1\)" is not a valid ORCID iD; left out/);
      assert.match(warnings, /the author at line \d+: the address "javascript:alert\(2\)" is not an http\(s\) URL; left out/);
      assert.match(warnings, /publication 13101: the licence address "javascript:alert\(document.cookie\)" is not an http\(s\) URL; left out/);
      assert.match(warnings, /the galley “Script” at line \d+: its address "javascript:alert\(3\)" is not an http\(s\) URL; left out/);
      assert.match(warnings, /the galley “Split” at line \d+: its address "https:\/\/example.org\/a.pdf\\r\\nSet-Cookie: x=1" is not an http\(s\) URL; left out/);
      const contributor = await handle.db.selectFrom('contributors').select(['orcid', 'url']).where('publication_id', '=', 13101).executeTakeFirstOrThrow();
      assert.deepEqual(contributor, { orcid: null, url: null });
      assert.equal((await handle.db.selectFrom('publications').select('license_url').where('id', '=', 13101).executeTakeFirstOrThrow()).license_url, null);
      assert.deepEqual(
        (await galleysOf(8101)).map((g) => [g.label, g.remote_url]),
        [
          ['PDF', null],
          ['Elsewhere', 'https://repository.example.org/8101.pdf'],
        ],
      );
    });

    it('stores an ORCID iD as the forms do: the https form of a valid iD', async () => {
      const xml = issuesXml([{ id: 802, volume: 95, number: '2', year: 2035, articles: [{ id: 8201, title: 'Bare ORCID', galleyId: 8202, fileId: 8203, file: pdf('orcid') }] }]).replace(
        '<orcid>https://orcid.org/0000-0002-1825-0097</orcid>',
        '<orcid>http://orcid.org/0000000218250097</orcid>',
      );
      await importXml('orcid.xml', xml);
      assert.equal((await handle.db.selectFrom('contributors').select('orcid').where('publication_id', '=', 13201).executeTakeFirstOrThrow()).orcid, 'https://orcid.org/0000-0002-1825-0097');
    });

    it('cleans rich text on import (and so on re-export), keeping plain text as written', async () => {
      const xml = issuesXml([{ id: 803, volume: 95, number: '3', year: 2035, articles: [{ id: 8301, title: 'Rich', galleyId: 8302, fileId: 8303, file: pdf('rich') }] }])
        .replace('&lt;p&gt;About Rich&lt;/p&gt;', '&lt;p onclick="steal()"&gt;About &lt;b&gt;Rich&lt;/b&gt;&lt;/p&gt;&lt;script&gt;alert(1)&lt;/script&gt;&lt;img src=x onerror=alert(2)&gt;')
        .replace('<biography locale="en">Works on the Caucasus.</biography>', '<biography locale="en">&lt;a href="javascript:alert(3)"&gt;Home&lt;/a&gt; of Smith &amp; Jones</biography>')
        .replace('<copyrightHolder locale="en">The authors</copyrightHolder>', '<copyrightHolder locale="en">&lt;b onmouseover="alert(4)"&gt;The authors&lt;/b&gt;</copyrightHolder><copyrightHolder locale="pl">Smith &amp; Jones &lt;3</copyrightHolder>')
        .replace('<description locale="en">Issue 3</description>', '<description locale="en">&lt;p&gt;Issue&lt;/p&gt;&lt;iframe src="https://evil.example/"&gt;&lt;/iframe&gt;</description>')
        .replace('<title locale="en">Articles</title>', '<title locale="en">Articles</title><policy locale="en">&lt;p onmouseover="alert(5)"&gt;Peer reviewed&lt;/p&gt;</policy>');
      await importXml('rich.xml', xml);
      const publication = await handle.db.selectFrom('publications').select(['abstract', 'copyright_holder']).where('id', '=', 13301).executeTakeFirstOrThrow();
      assert.deepEqual(publication.abstract, { en: '<p>About <b>Rich</b></p>' });
      assert.deepEqual(publication.copyright_holder, { en: '<b>The authors</b>', pl: 'Smith & Jones <3' });
      assert.deepEqual((await handle.db.selectFrom('contributors').select('biography').where('publication_id', '=', 13301).executeTakeFirstOrThrow()).biography, { en: '<a>Home</a> of Smith &amp; Jones' });
      assert.deepEqual((await handle.db.selectFrom('issues').select('description').where('id', '=', 803).executeTakeFirstOrThrow()).description, { en: '<p>Issue</p>' });
      const section = await handle.db.selectFrom('publications as p').innerJoin('sections as s', 's.id', 'p.section_id').select('s.policy').where('p.id', '=', 13301).executeTakeFirstOrThrow();
      assert.deepEqual(section.policy, { en: '<p>Peer reviewed</p>' });

      const out = new PassThrough();
      const chunks: Buffer[] = [];
      out.on('data', (chunk: Buffer) => chunks.push(chunk));
      await writeNativeXml(loadNativeIssues(handle.db, 1, { issueId: 803 }), files, out);
      const exported = Buffer.concat(chunks).toString('utf8');
      assert.match(exported, /About &lt;b&gt;Rich&lt;\/b&gt;/);
      assert.doesNotMatch(exported, /&lt;script|onclick|onerror|onmouseover|javascript:|iframe/i);
    });

    it('takes covers only as raster images read from their bytes, and never a script as a galley', async () => {
      const embed = (bytes: Buffer, type?: string) => `<embed encoding="base64"${type ? ` mime_type="${type}"` : ''}>${base64(bytes)}</embed>`;
      const scriptFile = (id: number, type: string) => `
        <submission_file id="${id}" file_id="${id + 100}" stage="proof" genre="Article Text">
          <name locale="en">file-${id}.js</name>
          <file id="${id + 100}" extension="js">${embed(Buffer.from('alert(document.domain)'), type)}</file>
        </submission_file>`;
      const galley = (id: number, label: string, ref: number) => `<article_galley locale="en"><id type="internal" advice="ignore">${id}</id><name locale="en">${label}</name><seq>${id}</seq><submission_file_ref id="${ref}"/></article_galley>`;
      const xml = issuesXml([{ id: 804, volume: 95, number: '4', year: 2035, articles: [{ id: 8401, title: 'Typed', galleyId: 8402, fileId: 8403, file: pdf('typed') }] }])
        .replace('<last_modified>', `<covers><cover locale="en"><cover_image>cover.svg</cover_image><cover_image_alt_text>Cover</cover_image_alt_text>${embed(SVG, 'image/png')}</cover></covers><last_modified>`)
        .replace('<pages>11-30</pages>', `<pages>11-30</pages><covers><cover locale="en"><cover_image>article.png</cover_image>${embed(PNG, 'image/svg+xml')}</cover></covers>`)
        .replace('<publication ', `${scriptFile(8404, 'text/javascript')}${scriptFile(8405, 'TEXT/JavaScript; charset=utf-8')}${scriptFile(8406, 'text/css')}<publication `)
        .replace('</article_galley>', `</article_galley>${galley(8407, 'JS', 8404)}${galley(8408, 'JS again', 8405)}${galley(8409, 'CSS', 8406)}`);
      const before = await handle.db.selectFrom('files').select((eb) => eb.fn.countAll<string>().as('n')).executeTakeFirstOrThrow();
      const summary = await importXml('types.xml', xml);
      const warnings = summary.warnings.join('\n');
      assert.match(warnings, /the cover "cover.svg" at line \d+ is not a PNG, JPEG, GIF, WebP or ICO image \(SVG is never taken: it can carry script\); left out/);
      for (const [id, type] of [[8404, 'text\\/javascript'], [8405, 'text\\/javascript'], [8406, 'text\\/css']]) {
        assert.match(warnings, new RegExp(`submission file ${id} \\("file-${id}.js"\\) of the article at line \\d+ is of type ${type}, which Revista never serves \\(it could run as the site\\); left out, with its galleys`));
      }
      assert.equal((await handle.db.selectFrom('issues').select('cover_file_id').where('id', '=', 804).executeTakeFirstOrThrow()).cover_file_id, null);
      const cover = await handle.db.selectFrom('publications as p').innerJoin('files as f', 'f.id', 'p.cover_file_id').select(['f.mime_type', 'f.storage_key']).where('p.id', '=', 13401).executeTakeFirstOrThrow();
      assert.equal(cover.mime_type, 'image/png', 'the type read from the bytes, not the one the document claims');
      assert.deepEqual(fs.readFileSync(files.pathOf(cover.storage_key)), PNG);
      assert.deepEqual((await galleysOf(8401)).map((g) => g.label), ['PDF']);
      const after = await handle.db.selectFrom('files').select((eb) => eb.fn.countAll<string>().as('n')).executeTakeFirstOrThrow();
      assert.equal(Number(after.n) - Number(before.n), 2, 'the PDF and the article cover');
      assert.deepEqual(await strayFiles(), [], 'nothing refused stays in storage');
    });

    it('gives every imported file its own row: the same bytes in another journal keep their own name and type', async () => {
      const acta = await createJournal(handle.db, { path: 'acta', name: { en: 'Acta' }, primaryLocale: 'en', supportedLocales: ['en'] });
      // Text, whose bytes leave its kind open: the declared type says which (a PDF's bytes would decide for both).
      const shared = Buffer.from('the same bytes in two journals\n');
      const typed = (xml: string, type: string) => xml.replace('<embed encoding="base64">', `<embed encoding="base64" mime_type="${type}">`);
      await importXml('sm-shared.xml', typed(issuesXml([{ id: 805, volume: 95, number: '5', year: 2035, articles: [{ id: 8501, title: 'In sm', galleyId: 8502, fileId: 8503, file: shared }] }]), 'text/plain'));
      const actaDoc = (title: string) => typed(issuesXml([{ id: 806, volume: 1, number: '1', year: 2035, articles: [{ id: 8601, title, galleyId: 8602, fileId: 8603, file: shared }] }]), 'text/markdown');
      await importXml('acta-shared.xml', actaDoc('In acta'), 'acta');
      const [sm] = await galleysOf(8501);
      const [inActa] = await galleysOf(8601);
      assert.ok(sm && inActa);
      assert.notEqual(sm.file_id, inActa.file_id);
      assert.deepEqual([sm.original_name, sm.mime_type], ['article-8501.pdf', 'text/plain']);
      assert.deepEqual([inActa.original_name, inActa.mime_type], ['article-8601.pdf', 'text/markdown']);
      assert.ok((await handle.db.selectFrom('articles').select('journal_id').where('id', '=', 8601).executeTakeFirstOrThrow()).journal_id === acta);

      // The other journal's article changes: its old file goes, the first journal's stays whole.
      await importXml('acta-changed.xml', actaDoc('In acta, revised'), 'acta');
      const [revised] = await galleysOf(8601);
      assert.notEqual(revised!.file_id, inActa.file_id);
      assert.equal(await handle.db.selectFrom('files').select('id').where('id', '=', inActa.file_id!).executeTakeFirst(), undefined);
      assert.deepEqual(fs.readFileSync(files.pathOf(sm.storage_key!)), shared);
      assert.deepEqual(await galleysOf(8501), [sm]);
      assert.deepEqual(await strayFiles(), []);
    });
  });
}
