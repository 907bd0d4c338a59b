import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { startTestApp, type TestApp } from '../../../test/support/app.ts';
import { testDatabases } from '../../../test/support/databases.ts';
import { metaValues } from '../../../test/support/html.ts';
import { createJournal } from '../../catalog/index.ts';
import { importNativeXml } from './import.ts';
import { loadNativeIssues } from './load.ts';
import { writeNativeXml } from './write.ts';

/**
 * Genuine exports of every OJS 3.x release that wrote Native XML differently, imported and compared
 * with what the fixtures hold (read here from the fixture text, not from the importer) and with what
 * readers see: pages, meta tags, downloads, the OJS export. test/fixtures/ojs/releases/README.md
 * says where each file comes from.
 */

const RELEASES = path.resolve('test/fixtures/ojs/releases');
const SCHEMAS = path.resolve('../shared/schemas');
const sha256 = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex');
const fixture = (name: string) => fs.readFileSync(path.join(RELEASES, name), 'utf8');

/** The bytes of the `<embed>` inside the first element that `opening` starts, decoded from the fixture. */
function embedded(xml: string, opening: string, nth = 0): Buffer {
  const start = xml.indexOf(opening);
  assert.ok(start >= 0, `the fixture has ${opening}`);
  const embeds = [...xml.slice(start).matchAll(/<embed encoding="base64"[^>]*>([^<]*)<\/embed>/g)];
  return Buffer.from(embeds[nth]![1]!.replace(/\s+/g, ''), 'base64');
}

function validate(file: string, schema: string): void {
  try {
    execFileSync('xmllint', ['--noout', '--nonet', '--schema', path.join(SCHEMAS, schema, 'plugins/importexport/native/native.xsd'), file], { stdio: 'pipe' });
  } catch (error) {
    throw new Error(`${path.basename(file)} is not valid against ${schema}: ${String((error as { stderr?: Buffer }).stderr).slice(0, 1500)}`);
  }
}

const httpDate = (day: string) => new Date(`${day}T00:00:00Z`).toUTCString();

for (const database of await testDatabases()) {
  describe(`genuine OJS 3.1–3.4 exports and an OJS 2 conversion imported, on ${database.name}`, () => {
    let t: TestApp;
    const journals = new Map<string, number>();
    const db = () => t.database.db;
    const ojs = async (journal: string, kind: 'issue' | 'article' | 'publication' | 'galley', id: number) =>
      (await db().selectFrom('ojs_ids').select('revista_id').where('journal_id', '=', journals.get(journal)!).where('kind', '=', kind).where('ojs_id', '=', id).executeTakeFirstOrThrow()).revista_id;
    /** An article's current version with its galleys' files, as stored. */
    const articleOf = async (articleId: number) => {
      const article = await db().selectFrom('articles as a').innerJoin('publications as p', 'p.id', 'a.current_publication_id').select(['a.locale', 'p.id as publication', 'p.title', 'p.status', 'p.date_published', 'p.locale as publication_locale']).where('a.id', '=', articleId).executeTakeFirstOrThrow();
      const galleys = await db().selectFrom('galleys as g').innerJoin('files as f', 'f.id', 'g.file_id').select(['g.id', 'g.label', 'f.sha256', 'f.mime_type', 'f.original_name', 'f.created_at']).where('g.publication_id', '=', article.publication).orderBy('g.seq').execute();
      return { ...article, galleys };
    };

    before(async () => {
      t = await startTestApp(database);
      // Journals whose primary language is Polish: an article in English must not become Polish.
      for (const journal of ['r31', 'r32', 'r33', 'r34', 'conv', 'conv2']) {
        journals.set(journal, await createJournal(db(), { path: journal, name: { pl: `Test ${journal}` }, primaryLocale: 'pl', supportedLocales: ['pl', 'en'] }));
      }
    });
    after(async () => {
      await t.close();
    });

    it('OJS 3.1.2 (file data in <revision>, articles without <publication>): the issue, its six articles and their PDFs, on the pages and in downloads', async () => {
      const name = 'ojs-3.1.2-4-issue.xml';
      validate(path.join(RELEASES, name), 'ojs-3.1');
      const summary = await importNativeXml(db(), t.files, path.join(RELEASES, name), { journalPath: 'r31' });
      assert.deepEqual([summary.issues.new, summary.articles.new, summary.galleys], [1, 6, 6]);

      const issue = await db().selectFrom('issues').selectAll().where('id', '=', await ojs('r31', 'issue', 1)).executeTakeFirstOrThrow();
      assert.deepEqual([issue.volume, issue.number, issue.year, issue.is_published, issue.date_published], [1, '1', 2014, true, '2016-02-11']);
      assert.equal(issue.updated_at.toISOString().slice(0, 10), '2016-02-11', 'OJS’s last_modified, not the import’s time');

      const xml = fixture(name);
      const articleId = await ojs('r31', 'article', 10);
      const article = await articleOf(articleId);
      assert.equal(article.locale, 'en');
      assert.equal(article.title.en, 'Cyclomatic Complexity: theme and variations');
      assert.deepEqual([article.status, article.date_published], ['published', '2016-02-11']);
      const pdf = embedded(xml, '<submission_file xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" stage="proof" id="18"');
      assert.deepEqual(
        article.galleys.map((g) => [g.label, g.sha256, g.mime_type, g.original_name, g.created_at.toISOString().slice(0, 10)]),
        [['PDF', sha256(pdf), 'application/pdf', 'cyclomaticcomplexitythemeandvariations.pdf', '2016-02-11']],
      );
      const contributor = await db().selectFrom('contributors').selectAll().where('publication_id', '=', article.publication).executeTakeFirstOrThrow();
      assert.deepEqual([contributor.given_name, contributor.family_name, contributor.affiliation, contributor.country], [{ en: 'June' }, { en: 'Forcht' }, { en: 'Colorado State University' }, 'US']);

      const page = await t.app.inject({ url: `/r31/article/view/${articleId}` });
      assert.equal(page.statusCode, 200);
      assert.deepEqual(metaValues(page.body, 'citation_title'), ['Cyclomatic Complexity: theme and variations']);
      assert.deepEqual(metaValues(page.body, 'citation_language'), ['en']);
      assert.deepEqual(metaValues(page.body, 'citation_publication_date'), ['2016/02/11']);
      assert.deepEqual(metaValues(page.body, 'citation_author'), ['June Forcht']);
      assert.deepEqual(metaValues(page.body, 'citation_pdf_url'), [`http://localhost:3000/r31/article/download/${articleId}/${article.galleys[0]!.id}`]);
      const download = await t.app.inject({ url: `/r31/article/download/${articleId}/${article.galleys[0]!.id}` });
      assert.equal(download.statusCode, 200);
      assert.equal(sha256(download.rawPayload), sha256(pdf));
      assert.equal(download.headers['last-modified'], httpDate('2016-02-11'));
    });

    for (const [release, name, schema] of [
      ['3.2.1', 'ojs-3.2.1-5-export-issues.xml', 'ojs-3.2'],
      ['3.3.0', 'ojs-3.3.0-22-export-issues.xml', 'ojs-3.3'],
      ['3.4 (development line)', 'ojs-3.4-dev-export-issues.xml', 'ojs-3.4'],
    ] as const) {
      it(`OJS ${release}: both issues and the article in its publication's language, its galley on the supplementary file, and the same in the OJS export`, async () => {
        const journal = `r${schema.slice(-3).replace('.', '')}`;
        validate(path.join(RELEASES, name), schema);
        const summary = await importNativeXml(db(), t.files, path.join(RELEASES, name), { journalPath: journal });
        assert.deepEqual([summary.issues.new, summary.articles.new, summary.galleys], [2, 1, 1]);

        const issues = await db().selectFrom('issues').selectAll().where('journal_id', '=', journals.get(journal)!).orderBy('number').execute();
        assert.deepEqual(
          issues.map((i) => [i.volume, i.number, i.year, i.url_path, i.is_published, i.updated_at.toISOString().slice(0, 10)]),
          [
            [1, '1', 2020, 'test-issue', false, '2020-03-10'],
            [1, '2', 2020, 'test-issue-2', false, '2020-03-10'],
          ],
        );
        const article = await articleOf(await ojs(journal, 'article', 9));
        // 3.2 and 3.3 put the language on the publication only: the journal's (Polish) is not the article's.
        assert.deepEqual([article.locale, article.publication_locale], ['en', 'en']);
        assert.deepEqual(article.title, { en: 'test submission 2 - title' });
        assert.equal(article.status, 'scheduled');
        // The galley's file is submission file 10 (a <supplementary_file> in 3.2), not 9 or 11.
        const file10 = embedded(fixture(name), 'stage="proof" id="10"');
        assert.deepEqual(
          article.galleys.map((g) => [g.label, g.sha256]),
          [['test galley 1', sha256(file10)]],
        );

        const out = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'revista-ojs-release-')), 'export.xml');
        const stream = fs.createWriteStream(out);
        await writeNativeXml(loadNativeIssues(db(), journals.get(journal)!), t.files, stream);
        await new Promise<void>((resolve) => stream.end(resolve));
        validate(out, 'ojs-3.5');
        const exported = fs.readFileSync(out, 'utf8');
        assert.match(exported, /<article [^>]*locale="en"/, 'the export says the article is in English');
        assert.match(exported, /<title locale="en">test submission 2 - title<\/title>/);
        fs.rmSync(path.dirname(out), { recursive: true, force: true });
      });
    }

    it('an OJS 2 → 3 conversion (revisions, ids that are not numbers, an issue galley): the latest revision, the whole-issue PDF offered on the issue page, OJS’s dates', async () => {
      const name = 'ojs2-conversion-issue.xml';
      validate(path.join(RELEASES, name), 'ojs-3.2');
      const xml = fixture(name);
      const summary = await importNativeXml(db(), t.files, path.join(RELEASES, name), { journalPath: 'conv' });
      assert.deepEqual([summary.issues.new, summary.articles.new], [1, 1]);
      assert.ok(summary.warnings.some((w) => w.includes('"ojs2-article-501"')), 'the ignored id is in the report');

      const issueId = summary.units[0]!.id;
      const issue = await db().selectFrom('issues').selectAll().where('id', '=', issueId).executeTakeFirstOrThrow();
      assert.deepEqual([issue.volume, issue.number, issue.year, issue.date_published, issue.updated_at.toISOString().slice(0, 10)], [12, '3', 2009, '2009-10-15', '2010-01-20']);

      const articleId = summary.units[0]!.articles[0]!.id;
      const article = await articleOf(articleId);
      assert.equal(article.locale, 'en');
      const finalPdf = embedded(xml, '<submission_file stage="proof" id="9001">', 1);
      assert.deepEqual(
        article.galleys.map((g) => [g.label, g.sha256, g.mime_type, g.original_name, g.created_at.toISOString().slice(0, 10)]),
        [['PDF', sha256(finalPdf), 'application/pdf', '501-final.pdf', '2009-10-02']],
        'the galley is the latest revision, with its own name and date',
      );

      const wholeIssue = embedded(xml, '<issue_galley locale="pl_PL">');
      const galleys = await db().selectFrom('issue_galleys').selectAll().where('issue_id', '=', issueId).execute();
      assert.deepEqual(galleys.map((g) => [g.label, g.locale, g.date_uploaded, g.date_modified]), [['PDF (cały numer)', 'pl', '2009-10-14', '2009-10-15']]);
      const galleyId = galleys[0]!.id;

      for (const locale of ['pl', 'en']) {
        const page = await t.app.inject({ url: `/conv/issue/view/${issueId}?locale=${locale}` });
        assert.equal(page.statusCode, 200);
        const link = new RegExp(`<a class="galley-link" href="/conv/issue/download/${issueId}/${galleyId}" hreflang="pl" type="application/pdf"[^>]*>PDF \\(cały numer\\)`);
        assert.match(page.body, link, 'the issue page offers the whole-issue PDF with its label');
        assert.match(page.body, locale === 'pl' ? /<h2 id="issue-galleys-heading">Cały numer<\/h2>/ : /<h2 id="issue-galleys-heading">Full issue<\/h2>/);
      }
      const download = await t.app.inject({ url: `/conv/issue/download/${issueId}/${galleyId}` });
      assert.equal(download.statusCode, 200);
      assert.equal(sha256(download.rawPayload), sha256(wholeIssue));
      assert.equal(download.headers['content-type'], 'application/pdf');
      assert.match(String(download.headers['content-disposition']), /filename="sm-2009-3\.pdf"/);
      assert.equal(download.headers['last-modified'], httpDate('2009-10-15'));

      const articlePage = await t.app.inject({ url: `/conv/article/view/${articleId}` });
      assert.deepEqual(metaValues(articlePage.body, 'citation_language'), ['en']);
      assert.deepEqual(metaValues(articlePage.body, 'citation_publication_date'), ['2009/10/15']);

      // Only a published issue's galleys are served, and only under their own issue and journal.
      // A galley the issue does not have (not imported): its issue's page, which lists what it has.
      const unknown = await t.app.inject({ url: `/conv/issue/download/${issueId}/${galleyId + 1}` });
      assert.equal(unknown.statusCode, 301);
      assert.equal(unknown.headers.location, `/conv/issue/view/${issueId}`);
      // OJS's galley viewer address sends the galley.
      const viewer = await t.app.inject({ url: `/conv/issue/view/${issueId}/${galleyId}` });
      assert.equal(viewer.statusCode, 301);
      assert.equal(viewer.headers.location, `/conv/issue/download/${issueId}/${galleyId}`);
      assert.equal((await t.app.inject({ url: `/r31/issue/download/${issueId}/${galleyId}` })).statusCode, 404);
      await db().updateTable('issues').set({ is_published: false }).where('id', '=', issueId).execute();
      assert.equal((await t.app.inject({ url: `/conv/issue/download/${issueId}/${galleyId}` })).statusCode, 404);

      // Imported again, the issue is found by its numbering (its id is no OJS id): its galley is replaced, not doubled.
      const again = await importNativeXml(db(), t.files, path.join(RELEASES, name), { journalPath: 'conv' });
      assert.equal(again.units[0]!.id, issueId);
      const after = await db().selectFrom('issue_galleys').select(['id', 'file_id']).where('issue_id', '=', issueId).execute();
      assert.equal(after.length, 1);
      assert.notEqual(after[0]!.file_id, galleys[0]!.file_id);
      assert.equal(await db().selectFrom('files').select('id').where('id', '=', galleys[0]!.file_id).executeTakeFirst(), undefined, 'the replaced galley’s file row is gone');
    });

    it('the issue galley goes back out in the OJS export (valid), and that export imported again gives the same galley', async () => {
      const wholeIssue = embedded(fixture('ojs2-conversion-issue.xml'), '<issue_galley locale="pl_PL">');
      const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'revista-ojs-release-'));
      const out = path.join(dir, 'conv.xml');
      const stream = fs.createWriteStream(out);
      await writeNativeXml(loadNativeIssues(db(), journals.get('conv')!), t.files, stream);
      await new Promise<void>((resolve) => stream.end(resolve));
      validate(out, 'ojs-3.5');
      const exported = fs.readFileSync(out, 'utf8');
      assert.match(exported, /<label>PDF \(cały numer\)<\/label>/);
      assert.match(exported, /<original_file_name>sm-2009-3\.pdf<\/original_file_name>\s*<date_uploaded>2009-10-14<\/date_uploaded>\s*<date_modified>2009-10-15<\/date_modified>/);
      assert.equal(sha256(embedded(exported, '<issue_galley')), sha256(wholeIssue));

      const summary = await importNativeXml(db(), t.files, out, { journalPath: 'conv2' });
      const galleys = await db().selectFrom('issue_galleys as g').innerJoin('files as f', 'f.id', 'g.file_id').select(['g.label', 'g.locale', 'g.date_uploaded', 'g.date_modified', 'f.sha256', 'f.original_name']).where('g.issue_id', '=', summary.units[0]!.id).execute();
      assert.deepEqual(galleys, [{ label: 'PDF (cały numer)', locale: 'pl', date_uploaded: '2009-10-14', date_modified: '2009-10-15', sha256: sha256(wholeIssue), original_name: 'sm-2009-3.pdf' }]);

      // The export named the issue and its galley by their ids in the first journal; both are taken, so the
      // second journal's copies have new ids, and the old address leads to them.
      const [oldIssue, oldGalley] = [/<issue [^>]*>\s*<id type="internal" advice="ignore">(\d+)<\/id>/.exec(exported)![1], /<\/label>\s*<id type="internal" advice="ignore">(\d+)<\/id>/.exec(exported)![1]];
      const newIssue = summary.units[0]!.id;
      const newGalley = (await db().selectFrom('issue_galleys').select('id').where('issue_id', '=', newIssue).executeTakeFirstOrThrow()).id;
      assert.notEqual(String(newGalley), oldGalley);
      for (const old of [`/conv2/issue/download/${oldIssue}/${oldGalley}`, `/conv2/issue/download/${oldIssue}/${oldGalley}/77`]) {
        const moved = await t.app.inject({ url: old });
        assert.equal(moved.statusCode, 301, old);
        assert.equal(moved.headers.location, `/conv2/issue/download/${newIssue}/${newGalley}`);
      }
      fs.rmSync(dir, { recursive: true, force: true });
    });
  });
}
