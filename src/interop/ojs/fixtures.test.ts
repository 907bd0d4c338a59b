import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { DatabaseHandle } from '../../db/index.ts';
import { initialiseSite } from '../../demo/index.ts';
import { createFileStore, type FileStore } from '../../storage/index.ts';
import { testDatabases } from '../../../test/support/databases.ts';
import { importNativeXml } from './import.ts';

/**
 * The fixtures imported: every value test/fixtures/ojs/README.md says they hold, written out here by
 * hand from that description (not derived from the importer). pkp-ojs-export-issues.xml is
 * cypress/fixtures/export-issues.xml of pkp/ojs (commit 9cf7b0672721495af322b6e9138ffdcec9dd7867),
 * an export made by a real OJS for PKP's own tests.
 */

const FIXTURES = path.resolve('test/fixtures/ojs');
const sha256 = (b: Buffer) => createHash('sha256').update(b).digest('hex');

for (const database of await testDatabases()) {
  describe(`the OJS fixtures imported, on ${database.name}`, () => {
    let handle: DatabaseHandle;
    let files: FileStore;
    let dir: string;
    const ojs = async (kind: 'issue' | 'article' | 'publication' | 'galley' | 'section', id: number) =>
      (await handle.db.selectFrom('ojs_ids').select('revista_id').where('kind', '=', kind).where('ojs_id', '=', id).executeTakeFirstOrThrow()).revista_id;
    const publication = async (ojsId: number) => handle.db.selectFrom('publications').selectAll().where('id', '=', await ojs('publication', ojsId)).executeTakeFirstOrThrow();
    const authors = async (ojsId: number) => handle.db.selectFrom('contributors').selectAll().where('publication_id', '=', await ojs('publication', ojsId)).orderBy('seq').execute();
    const galleyFile = async (ojsGalley: number) => {
      const g = await handle.db.selectFrom('galleys').leftJoin('files', 'files.id', 'galleys.file_id').select(['galleys.label', 'galleys.locale', 'galleys.url_path', 'galleys.remote_url', 'files.sha256', 'files.size_bytes', 'files.mime_type', 'files.original_name', 'files.storage_key']).where('galleys.id', '=', await ojs('galley', ojsGalley)).executeTakeFirstOrThrow();
      return { ...g, stored: g.storage_key ? sha256(fs.readFileSync(files.pathOf(g.storage_key))) : null };
    };

    before(async () => {
      handle = await database.open();
      await initialiseSite(handle.db, { demo: true });
      dir = fs.mkdtempSync(path.join(os.tmpdir(), 'revista-ojs-fixtures-'));
      files = createFileStore(dir);
    });
    after(async () => {
      await handle.close();
      fs.rmSync(dir, { recursive: true, force: true });
    });

    it('three-issues.xml: issues, sections, articles, versions, authors, galleys, covers, references and files as described', async () => {
      const summary = await importNativeXml(handle.db, files, path.join(FIXTURES, 'three-issues.xml'), { journalPath: 'sm' });
      assert.deepEqual([summary.issues.new, summary.articles.new, summary.galleys], [3, 6, 7]);
      const issueIds = await Promise.all([101, 102, 103].map((id) => ojs('issue', id)));
      const issues = await handle.db.selectFrom('issues').selectAll().where('id', 'in', issueIds).orderBy('volume').orderBy('number').execute();
      assert.deepEqual(issues.map((i) => [i.volume, i.number, i.year, i.date_published, i.url_path, i.is_current]), [
        [73, '1', 2020, '2020-03-31', null, false],
        [73, '2', 2020, '2020-06-30', 'energy-security', false],
        [73, '3', 2020, '2020-09-30', null, true],
      ]);
      assert.deepEqual(Object.keys(issues[0]!.title).sort(), ['en', 'pl']);
      assert.deepEqual(Object.keys(issues[1]!.title).sort(), ['de', 'en', 'pl']);
      assert.deepEqual(issues[1]!.description, {});
      assert.match(issues[2]!.description.en!, /&amp;/, 'the escaped ampersand is kept as HTML');
      assert.deepEqual(issues.map((i) => i.cover_file_id !== null), [true, false, true]);

      const sections = await Promise.all([11, 12, 13].map(async (id) => handle.db.selectFrom('sections').selectAll().where('id', '=', await ojs('section', id)).executeTakeFirstOrThrow()));
      assert.deepEqual(sections.map((s) => s.abbreviation.en), ['ART', 'REV', 'ESS']);
      assert.equal(sections[0]!.settings.meta_reviewed, 1);
      assert.equal(sections[0]!.settings.abstract_word_count, 250);
      assert.deepEqual(Object.keys(sections[0]!.policy).sort(), ['en', 'pl']);
      assert.deepEqual([sections[1]!.settings.abstracts_not_required, sections[2]!.settings.abstracts_not_required], [1, 1]);

      const p201 = await publication(301);
      assert.equal(p201.doi, '10.5555/sm.2020.73.1.01');
      assert.equal(p201.pages, '9–31');
      assert.equal(p201.license_url, 'https://creativecommons.org/licenses/by/4.0/');
      assert.deepEqual(p201.keywords.pl, ['Partnerstwo Wschodnie', 'Unia Europejska', 'polityka sąsiedztwa']);
      assert.ok(Object.keys(p201.agencies).length > 0 && Object.keys(p201.languages).length > 0 && Object.keys(p201.disciplines).length > 0 && Object.keys(p201.subjects).length > 0, 'agencies, languages, disciplines and subjects');
      const a201 = await authors(301);
      assert.deepEqual(a201.map((a) => [a.given_name.pl ?? a.given_name.en, a.is_primary_contact]), [['Anna', true], ['Josiah', false]]);
      assert.equal(a201[0]!.ror_id, 'https://ror.org/039bjqg32');
      assert.equal(a201[0]!.affiliation.en, 'University of Warsaw');
      assert.deepEqual(Object.keys(a201[0]!.biography).sort(), ['en', 'pl']);
      assert.deepEqual([a201[1]!.orcid, a201[1]!.url], ['https://orcid.org/0000-0002-1825-0097', 'https://example.com/carberry']);
      assert.deepEqual(await galleyFile(601), { label: 'PDF', locale: 'pl', url_path: 'pdf-pl', remote_url: null, sha256: '041c3a4094ca3edf32a45769120a1f1b385c6319ee56803fdb93897914233c1d', size_bytes: 717, mime_type: 'application/pdf', original_name: 'nowak-carberry-partnerstwo-wschodnie.pdf', storage_key: (await galleyFile(601)).storage_key, stored: '041c3a4094ca3edf32a45769120a1f1b385c6319ee56803fdb93897914233c1d' });

      const p202 = await publication(302);
      assert.equal(p202.url_path, 'review-buzan-waever');
      assert.ok(Object.keys(p202.subtitle).length > 0);
      assert.equal((await galleyFile(602)).remote_url, 'https://www.example.org/sm/2020/1/review-buzan-waever.pdf');

      // 203: two versions with the same DOI, v2 current, three authors each, v2 with PDF and HTML.
      const article203 = await ojs('article', 203);
      const versions = await handle.db.selectFrom('publications').select(['id', 'version', 'doi', 'date_published', 'keywords']).where('article_id', '=', article203).orderBy('version').execute();
      assert.deepEqual(versions.map((v) => [v.version, v.doi, v.date_published]), [[1, '10.5555/sm.2020.73.2.01', '2020-06-30'], [2, '10.5555/sm.2020.73.2.01', '2020-09-15']]);
      assert.equal((await handle.db.selectFrom('articles').select('current_publication_id').where('id', '=', article203).executeTakeFirstOrThrow()).current_publication_id, versions[1]!.id);
      assert.deepEqual((await authors(313)).map((a) => [a.family_name.en ?? Object.values(a.family_name)[0], a.is_primary_contact]), [['Kowalczyk', true], ['Becker', false], ['Carter', false]]);
      for (const [galley, sha, mime] of [[603, '002e8d51a9ea6ec3ab69ced58702286267b6f5443b550b2cdb8ffbc85d8436a2', 'application/pdf'], [604, 'acd89ef25286ec1587f92f2f0d62b15bc3d5ca7d4615561bae625c9fb1160be0', 'application/pdf'], [605, '2d96d1a81866a2c964e52be6af4b1fc7876f1d222be97de7c3523d1f3d769712', 'text/html'], [606, '54f904717dd56875e9fd85977799b3981e80c0d11484a0b13194b84710724232', 'application/pdf'], [607, '5296e153d664506b8af7fa2e24115f81269ce4d23870321e846bedc27c1c63e5', 'application/pdf']] as const) {
        const f = await galleyFile(galley);
        assert.deepEqual([f.sha256, f.stored, f.mime_type], [sha, sha, mime], `galley ${galley}`);
      }
      assert.equal((await galleyFile(605)).url_path, 'html');

      const p204 = await publication(304);
      assert.deepEqual(Object.keys(p204.title).sort(), ['de', 'en', 'pl']);
      assert.deepEqual(Object.keys(p204.keywords).sort(), ['de', 'en']);
      assert.equal(p204.seq, 1);
      const p205 = await publication(305);
      assert.equal(p205.doi, null);
      assert.match(p205.license_url ?? '', /by-nc-nd/);
      assert.notEqual(p205.cover_file_id, null);
      const a206 = await authors(306);
      assert.deepEqual(a206.map((a) => [a.contributor_type, a.is_primary_contact]), [['ORGANIZATION', false], [null, true]]);

      // In all (README): 7 publications, 13 authors, 7 galleys, 15 references, 3 covers.
      const publicationIds = (await handle.db.selectFrom('publications').select('id').where('article_id', 'in', await Promise.all([201, 202, 203, 204, 205, 206].map((id) => ojs('article', id)))).execute()).map((p) => p.id);
      const count = async (table: 'contributors' | 'galleys' | 'citations') => Number((await handle.db.selectFrom(table).select((eb) => eb.fn.countAll<string>().as('n')).where('publication_id', 'in', publicationIds).executeTakeFirstOrThrow()).n);
      assert.deepEqual([publicationIds.length, await count('contributors'), await count('galleys'), await count('citations')], [7, 13, 7, 15]);
      const citation = await handle.db.selectFrom('citations').select('raw_text').where('publication_id', '=', p201.id).orderBy('seq').execute();
      assert.equal(citation[1]!.raw_text, 'Keohane R.O., Nye J.S., Power and Interdependence: World Politics in Transition, Little, Brown & Co., Boston 1977.');
      const covers = await handle.db.selectFrom('files').select(['sha256']).where('id', 'in', [issues[0]!.cover_file_id!, issues[2]!.cover_file_id!, p205.cover_file_id!]).execute();
      assert.deepEqual(covers.map((c) => c.sha256).sort(), ['4dc80253ae13ad710762caca3de87f99ab50368ebdff77f07e5edf5c7ff2ed38', '9b7f9a9d6e8b01ff9f9ab92da4be7c2c54c0fda1a5041b2f69c14883c532e927', 'b5f20cc1573a766b53a6b91b00cad8746a4c640b4c7eaf5a1f0dae75cf03f7a3']);
    });

    it('ojs33-issue.xml (OJS 3.3 dialect): en_US/pl_PL, user groups, plain affiliations and keywords', async () => {
      const summary = await importNativeXml(handle.db, files, path.join(FIXTURES, 'ojs33-issue.xml'), { journalPath: 'sm' });
      assert.deepEqual([summary.issues.new, summary.articles.new, summary.galleys], [1, 2, 2]);
      const issue = await handle.db.selectFrom('issues').selectAll().where('id', '=', await ojs('issue', 58)).executeTakeFirstOrThrow();
      assert.deepEqual([issue.volume, issue.number, issue.year, Object.keys(issue.title).sort(), issue.cover_file_id !== null], [72, '4', 2019, ['en', 'pl'], true]);
      const a1150 = await handle.db.selectFrom('articles').select(['locale']).where('id', '=', await ojs('article', 1150)).executeTakeFirstOrThrow();
      const a1151 = await handle.db.selectFrom('articles').select(['locale']).where('id', '=', await ojs('article', 1151)).executeTakeFirstOrThrow();
      assert.deepEqual([a1150.locale, a1151.locale], ['en', 'pl']);
      const first = await authors(1201);
      assert.deepEqual(first.map((a) => [a.family_name.en, a.is_primary_contact, a.role]), [['Lindqvist', true, 'author'], ['Wójcik', false, 'author']]);
      assert.ok(first[1]!.orcid);
      const second = await authors(1202);
      assert.deepEqual(second.map((a) => [Object.values(a.family_name)[0], a.role, a.include_in_browse]), [['Mazur', 'author', true], ['Brooks', 'translator', false]]);
      assert.deepEqual([(await galleyFile(1098)).stored, (await galleyFile(1099)).stored], ['7eedccd8c3799388623e130ed6c5660966ab97bcda3d45868133b3ef650f5cf2', '80e1578e81f94b39b801d90ef9df28a7ea1c44ed26ed526f926f81d8c3372583']);
    });

    it('pkp-ojs-export-issues.xml (a real OJS export): two unpublished issues, a scheduled publication, one galley of three submission files', async () => {
      assert.equal(sha256(fs.readFileSync(path.join(FIXTURES, 'pkp-ojs-export-issues.xml'))), 'fc9aa0e731f35dcb06421c0b7e356bbe7f197ef9dbf49d51e4bcf5142daffda4', 'the file as PKP published it');
      const summary = await importNativeXml(handle.db, files, path.join(FIXTURES, 'pkp-ojs-export-issues.xml'), { journalPath: 'sm' });
      assert.equal(summary.issues.new, 2);
      assert.equal(summary.articles.new, 1);
      assert.equal(summary.warnings.filter((w) => /is no galley's file and is not imported/.test(w)).length, 2, 'submission files 9 and 11 are no galley’s');
      const issues = await handle.db.selectFrom('issues').select(['is_published', 'url_path']).where('id', 'in', [await ojs('issue', 1), await ojs('issue', 2)]).orderBy('url_path').execute();
      assert.deepEqual(issues.map((i) => [i.url_path, i.is_published]), [['test-issue', false], ['test-issue-2', false]]);
      const p = await publication(16);
      assert.deepEqual([p.status, p.url_path, p.prefix.en], ['scheduled', 'te-1', 'the']);
      const a = await authors(16);
      assert.equal(a.length, 1);
      assert.equal(a[0]!.role, 'author');
    });
  });
}
