import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import readline from 'node:readline';
import { after, before, describe, it } from 'node:test';
import type { Kysely } from 'kysely';
import { addPublishedArticle, createIssue, createSection } from '../../catalog/index.ts';
import { runCli } from '../../cli/main.ts';
import { migrateToLatest, openDatabase, type DatabaseHandle } from '../../db/index.ts';
import type { Database } from '../../db/schema.ts';
import { initialiseSite } from '../../demo/index.ts';
import { createFileStore, type FileStore } from '../../storage/index.ts';
import { testDatabases } from '../../../test/support/databases.ts';
import { loadNativeIssues } from './load.ts';
import { attr, text, writeNativeXml } from './write.ts';

const schemaOf = (version: string) => path.resolve(`../shared/schemas/${version === 'main' ? 'ojs' : `ojs-${version}`}/plugins/importexport/native/native.xsd`);
const FIXTURES = path.resolve('test/fixtures/ojs');
const DEMO_PDF = fs.readFileSync(path.join(FIXTURES, 'sm-1786.pdf'));
const sha256 = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex');

function validate(file: string, version = 'main'): void {
  try {
    execFileSync('xmllint', ['--noout', '--nonet', '--schema', schemaOf(version), file], { stdio: 'pipe' });
  } catch (error) {
    throw new Error(`${path.basename(file)} is not valid: ${String((error as { stderr?: Buffer }).stderr).slice(0, 1500)}`);
  }
}

/** Decodes the base64 of every `<embed>`, in document order. */
function embeds(xml: string): Buffer[] {
  return [...xml.matchAll(/<embed encoding="base64"[^>]*>([^<]*)<\/embed>/g)].map((m) => Buffer.from(m[1]!.replace(/\s+/g, ''), 'base64'));
}

const citationsOf = (xml: string) => [...xml.matchAll(/<citation>([^<]*)<\/citation>/g)].map((m) => m[1]);

async function storeFile(db: Kysely<Database>, files: FileStore, bytes: Buffer, mimeType: string, name: string): Promise<number> {
  const stored = await files.put(bytes);
  const row = await db.insertInto('files').values({ storage_key: stored.key, mime_type: mimeType, size_bytes: stored.sizeBytes, sha256: stored.sha256, original_name: name }).returning('id').executeTakeFirstOrThrow();
  return row.id;
}

/** The demo article's PDF galley, as a manager would upload it. */
async function addDemoGalley(db: Kysely<Database>, files: FileStore): Promise<{ fileId: number; galleyId: number }> {
  const fileId = await storeFile(db, files, DEMO_PDF, 'application/pdf', 'sm-1786.pdf');
  const article = await db.selectFrom('articles').select('current_publication_id').where('id', '=', 1786).executeTakeFirstOrThrow();
  const galley = await db.insertInto('galleys').values({ publication_id: article.current_publication_id!, label: 'PDF', locale: 'en', file_id: fileId, remote_url: null, url_path: null, seq: 0 }).returning('id').executeTakeFirstOrThrow();
  return { fileId, galleyId: galley.id };
}

async function exportToString(db: Kysely<Database>, files: FileStore, journalId: number, issueId?: number): Promise<{ xml: string; file: string }> {
  const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'revista-ojs-export-')), 'export.xml');
  const out = fs.createWriteStream(file);
  // These tests look at OJS main's shapes; export-versions.test.ts at each release's.
  await writeNativeXml(loadNativeIssues(db, journalId, issueId === undefined ? {} : { issueId }), files, out, { version: 'main' });
  await new Promise<void>((resolve) => out.end(resolve));
  return { xml: fs.readFileSync(file, 'utf8'), file };
}

describe('Native XML escaping', () => {
  it('escapes markup, keeps line breaks in attributes and drops what XML cannot carry', () => {
    assert.equal(text('Simon & Schuster <i>ed.</i> > 3'), 'Simon &amp; Schuster &lt;i&gt;ed.&lt;/i&gt; &gt; 3');
    assert.equal(text('a\u0000b\u0007c\u000Bd\r\ne'), 'abcd&#13;\ne');
    assert.equal(attr('say "hi"\tthen\nleave'), 'say &quot;hi&quot;&#9;then&#10;leave');
    assert.equal(text('emoji 📚 and ’quotes’'), 'emoji 📚 and ’quotes’');
  });
});

describe('the fixtures', () => {
  it('validate against native.xsd where they are written in its dialect, and embed the PDF beside them', () => {
    for (const name of ['sm-1786.xml', 'three-issues.xml', 'missing-file-data.xml']) validate(path.join(FIXTURES, name));
    const xml = fs.readFileSync(path.join(FIXTURES, 'sm-1786.xml'), 'utf8');
    assert.deepEqual(embeds(xml).map(sha256), ['fb4981f06b6360eb2bc2d89b90bbcebd92af150073a516b614029167bc4eeb45']);
    assert.equal(sha256(DEMO_PDF), 'fb4981f06b6360eb2bc2d89b90bbcebd92af150073a516b614029167bc4eeb45');
    assert.equal(citationsOf(xml).length, 42);
  });
});

for (const database of await testDatabases()) {
  describe(`OJS Native XML export, on ${database.name}`, () => {
    let handle: DatabaseHandle;
    let files: FileStore;
    let filesRoot: string;
    let demoGalley: { fileId: number; galleyId: number };

    before(async () => {
      handle = await database.open();
      await initialiseSite(handle.db, { demo: true });
      filesRoot = fs.mkdtempSync(path.join(os.tmpdir(), 'revista-ojs-files-'));
      files = createFileStore(filesRoot);
      demoGalley = await addDemoGalley(handle.db, files);
    });
    after(async () => {
      await handle.close();
      fs.rmSync(filesRoot, { recursive: true, force: true });
    });

    it('exports the demo journal as a document that validates, with the demo article’s values and its PDF', async () => {
      const { xml, file } = await exportToString(handle.db, files, 1);
      validate(file);
      const publicationId = (await handle.db.selectFrom('articles').select('current_publication_id').where('id', '=', 1786).executeTakeFirstOrThrow()).current_publication_id!;
      assert.match(xml, /^<\?xml version="1.0" encoding="utf-8"\?>\n<issues xmlns="http:\/\/pkp.sfu.ca" /);
      assert.match(xml, /<issue_identification>\s*<volume>74<\/volume>\s*<number>4<\/number>\s*<year>2021<\/year>\s*<title locale="pl">Kaukaz Południowy na rozdrożu<\/title>\s*<\/issue_identification>/);
      assert.match(xml, /<issue published="1" current="1">/);
      assert.match(xml, /<section ref="Świat zewnętrzny a państwa Kaukazu Południowego" seq="0">/);
      assert.match(xml, new RegExp(`<article locale="en" date_submitted="2021-12-27" status="3" current_publication_id="${publicationId}" stage="production">\\s*<id type="internal" advice="ignore">1786</id>`));
      assert.match(xml, new RegExp(`<publication version_stage="VoR" version_minor="0" version_major="1" id="${publicationId}" status="3" primary_contact_id="\\d+" seq="0" date_published="2021-12-27" section_ref="Świat zewnętrzny a państwa Kaukazu Południowego">`));
      assert.match(xml, /<title locale="en">Russia’s approaches towards Armenia and Azerbaijan: evolution of the policy or interests come first\?<\/title>/);
      // Abstracts travel as OJS keeps them: HTML, escaped in the XML.
      assert.match(xml, /<abstract locale="en">&lt;p&gt;This paper aims to analyse Russia’s policy towards the conflict between Armenia and Azerbaijan/);
      assert.match(xml, /<givenname locale="en"><\/givenname>\s*<affiliation>\s*<name locale="en">University of Economics and Human Sciences in Warsaw<\/name>\s*<\/affiliation>/);
      // The references as the seed page prints them, escaped; the same as in the hand-written fixture.
      const citations = citationsOf(xml);
      assert.equal(citations.length, 42);
      assert.equal(citations[0], 'Aliyev N., Russia’s arms sales: A foreign policy tool in relations with Azerbaijan and Armenia, “Eurasia Daily Monitor”, vol. 15, issue: 47, 28 III 2018 [accessed: 15 V 2021]: &lt;&gt;.');
      assert.deepEqual(citations, citationsOf(fs.readFileSync(path.join(FIXTURES, 'sm-1786.xml'), 'utf8')));
      // The galley points at the submission file that embeds the stored PDF, byte for byte.
      assert.match(xml, new RegExp(`<article_galley locale="en">\\s*<id type="internal" advice="ignore">${demoGalley.galleyId}</id>\\s*<name locale="en">PDF</name>\\s*<seq>0</seq>\\s*<submission_file_ref id="${demoGalley.fileId}"/>`));
      assert.match(xml, new RegExp(`<submission_file id="${demoGalley.fileId}" created_at="\\d{4}-\\d{2}-\\d{2}" file_id="${demoGalley.fileId}" stage="proof" viewable="false" genre="Article Text">\\s*<name locale="en">sm-1786.pdf</name>\\s*<file id="${demoGalley.fileId}" filesize="717" extension="pdf">\\s*<embed encoding="base64" mime_type="application/pdf">`));
      const [pdf] = embeds(xml);
      assert.equal(sha256(pdf!), sha256(DEMO_PDF));
      assert.ok(pdf!.equals(DEMO_PDF));
    });

    it('writes the OJS ids recorded for imported objects instead of Revista’s', async () => {
      const db = handle.db;
      const publication = (await db.selectFrom('articles').select('current_publication_id').where('id', '=', 1786).executeTakeFirstOrThrow()).current_publication_id!;
      const author = (await db.selectFrom('contributors').select('id').where('publication_id', '=', publication).executeTakeFirstOrThrow()).id;
      const section = (await db.selectFrom('publications').select('section_id').where('id', '=', publication).executeTakeFirstOrThrow()).section_id;
      const issue = (await db.selectFrom('issues').select('id').where('journal_id', '=', 1).executeTakeFirstOrThrow()).id;
      const recorded = [['issue', issue, 97], ['section', section, 14], ['publication', publication, 1721], ['author', author, 3409], ['galley', demoGalley.galleyId, 1711], ['submission_file', demoGalley.fileId, 8893]] as const;
      await db.insertInto('ojs_ids').values(recorded.map(([kind, revista_id, ojs_id]) => ({ journal_id: 1, kind, revista_id, ojs_id }))).execute();
      try {
        const { xml, file } = await exportToString(db, files, 1);
        validate(file);
        assert.match(xml, /<issue published="1" current="1">\s*<id type="internal" advice="ignore">97<\/id>/);
        assert.match(xml, /<section ref="[^"]+" seq="0">\s*<id type="internal" advice="ignore">14<\/id>/);
        // No OJS id recorded for the article: it keeps Revista's, which the demo took from OJS anyway.
        assert.match(xml, /current_publication_id="1721" stage="production">\s*<id type="internal" advice="ignore">1786<\/id>\s*<submission_file id="8893" [^>]*file_id="/);
        assert.match(xml, /<publication [^>]* id="1721" status="3" primary_contact_id="3409" [^>]*>\s*<id type="internal" advice="ignore">1721<\/id>/);
        assert.match(xml, /<author primary_contact="true" include_in_browse="true" seq="0" id="3409" contributor_type="PERSON">/);
        assert.match(xml, /<article_galley locale="en">\s*<id type="internal" advice="ignore">1711<\/id>[\s\S]*?<submission_file_ref id="8893"\/>/);
      } finally {
        await db.deleteFrom('ojs_ids').execute();
      }
    });

    it('exports every version of an article, localized metadata, covers, remote and HTML galleys, in the schema’s order', async () => {
      const db = handle.db;
      const sectionId = await createSection(db, { journalId: 1, title: { pl: 'Recenzje', en: 'Reviews' }, abbreviation: { en: 'REV' }, seq: 3 });
      await db.updateTable('sections').set({ settings: JSON.stringify({ meta_reviewed: 0, abstracts_not_required: 1, abstract_word_count: 150 }), policy: JSON.stringify({ en: '<p>Book reviews & notes</p>' }) }).where('id', '=', sectionId).execute();
      const issueId = await createIssue(db, { journalId: 1, volume: 75, number: '1', year: 2022, title: { en: 'Energy & security', pl: 'Energia i bezpieczeństwo' }, datePublished: '2022-03-31', published: true });
      const coverId = await storeFile(db, files, Buffer.from('89504e470d0a1a0a', 'hex'), 'image/png', 'cover.png');
      await db.updateTable('issues').set({ cover_file_id: coverId, cover_name: 'cover_issue_75_1.png', cover_alt_text: 'Cover of 75/1', description: JSON.stringify({ en: '<p>An issue on "energy"</p>' }) }).where('id', '=', issueId).execute();
      const pdfV1 = await files.put(Buffer.from('%PDF-1.4 first version\n'));
      const { articleId, publicationId: v1 } = await addPublishedArticle(db, {
        journalId: 1, sectionId, issueId, locale: 'pl',
        title: { pl: 'Sąsiedzi <i>i</i> sojusznicy', en: 'Neighbours and allies' },
        abstract: { pl: '<p>Recenzja książki.</p>', en: '<p>A book review.</p>' },
        keywords: { pl: ['bezpieczeństwo', 'NATO'], en: ['security', 'NATO'] },
        pages: '201–204', doi: '10.5555/sm.2022.75.1.09', licenseUrl: 'https://creativecommons.org/licenses/by/4.0/',
        dateSubmitted: '2021-11-02', datePublished: '2022-03-31',
        contributors: [{ givenName: { pl: 'Anna' }, familyName: { pl: 'Nowak' }, affiliation: { pl: 'Uniwersytet Warszawski', en: 'University of Warsaw' }, rorId: 'https://ror.org/039bjqg32', orcid: 'https://orcid.org/0000-0002-1825-0097', email: 'anna@example.org', country: 'PL' }],
        references: ['Kissinger H., Diplomacy, Simon & Schuster, New York 1994.'],
        galleys: [{ label: 'PDF', locale: 'pl', file: { storageKey: pdfV1.key, mimeType: 'application/pdf', sizeBytes: pdfV1.sizeBytes, sha256: pdfV1.sha256, originalName: 'review-v1.pdf' } }],
      });
      // A second version: corrected abstract, a subject, an HTML galley and a copy kept elsewhere.
      const v2 = (await db.insertInto('publications').values({
        article_id: articleId, version: 2, status: 'published', locale: 'pl', prefix: '{}', title: JSON.stringify({ pl: 'Sąsiedzi <i>i</i> sojusznicy', en: 'Neighbours and allies' }), subtitle: '{}',
        abstract: JSON.stringify({ pl: '<p>Recenzja książki, poprawiona.</p>' }), keywords: JSON.stringify({ pl: ['bezpieczeństwo'] }), subjects: JSON.stringify({ en: ['international relations'] }),
        section_id: sectionId, issue_id: issueId, seq: 0, pages: '201–204', doi: null, url_path: 'v2', license_url: null, copyright_holder: JSON.stringify({ pl: 'Anna Nowak' }), copyright_year: 2022, date_published: '2022-05-02',
      }).returning('id').executeTakeFirstOrThrow()).id;
      await db.updateTable('articles').set({ current_publication_id: v2 }).where('id', '=', articleId).execute();
      await db.insertInto('contributors').values({ publication_id: v2, given_name: JSON.stringify({ pl: 'Anna' }), family_name: JSON.stringify({ pl: 'Nowak' }), affiliation: '{}', affiliations: JSON.stringify([{ name: { pl: 'Uniwersytet Warszawski' }, ror: 'https://ror.org/039bjqg32' }, { name: { en: 'Brown University' } }]), ror_id: null, email: null, orcid: null, country: null, is_primary_contact: true, seq: 0, contributor_type: 'PERSON', contributor_roles: [1, 9] }).execute();
      const html = await storeFile(db, files, Buffer.from('<p>Review</p>\n'), 'text/html', 'review.html');
      await db.insertInto('galleys').values([
        { publication_id: v2, label: 'HTML', locale: 'pl', file_id: html, remote_url: null, url_path: 'html', seq: 0, doi: '10.5555/sm.2022.75.1.09.g1' },
        { publication_id: v2, label: 'PDF (publisher)', locale: 'en', file_id: null, remote_url: 'https://example.org/review.pdf?a=1&b=2', url_path: null, seq: 1 },
      ]).execute();

      const { xml, file } = await exportToString(db, files, 1, issueId);
      validate(file);
      assert.equal((xml.match(/<issue /g) ?? []).length, 1, 'only the issue asked for');
      assert.match(xml, /<description locale="en">&lt;p&gt;An issue on "energy"&lt;\/p&gt;<\/description>/);
      assert.match(xml, /<title locale="en">Energy &amp; security<\/title>\s*<title locale="pl">Energia i bezpieczeństwo<\/title>/);
      assert.match(xml, /<date_published>2022-03-31<\/date_published>/);
      assert.match(xml, /<section ref="REV" seq="3" meta_reviewed="0" abstracts_not_required="1" abstract_word_count="150">\s*<id [^>]*>\d+<\/id>\s*<abbrev locale="en">REV<\/abbrev>\s*<policy locale="en">&lt;p&gt;Book reviews &amp; notes&lt;\/p&gt;<\/policy>\s*<title locale="en">Reviews<\/title>\s*<title locale="pl">Recenzje<\/title>/);
      assert.match(xml, /<covers>\s*<cover>\s*<cover_image>cover_issue_75_1.png<\/cover_image>\s*<cover_image_alt_text>Cover of 75\/1<\/cover_image_alt_text>\s*<embed encoding="base64" mime_type="image\/png">\s*iVBORw0KGgo=\s*<\/embed>/);
      // Both versions, in order, the current one named by the article.
      assert.match(xml, new RegExp(`<article locale="pl" date_submitted="2021-11-02" status="3" current_publication_id="${v2}" stage="production">`));
      const publications = [...xml.matchAll(/<publication [^>]*version_major="(\d)" id="(\d+)"[^>]*>/g)].map((m) => [Number(m[1]), Number(m[2])]);
      assert.deepEqual(publications, [[1, v1], [2, v2]]);
      assert.match(xml, /<title locale="en">Neighbours and allies<\/title>\s*<title locale="pl">Sąsiedzi &lt;i&gt;i&lt;\/i&gt; sojusznicy<\/title>/);
      assert.match(xml, /<id type="doi" advice="update">10.5555\/sm.2022.75.1.09<\/id>/);
      assert.match(xml, /<licenseUrl>https:\/\/creativecommons.org\/licenses\/by\/4.0\/<\/licenseUrl>\s*<keywords locale="en">\s*<keyword>\s*<name>security<\/name>\s*<\/keyword>\s*<keyword>\s*<name>NATO<\/name>/);
      assert.match(xml, /<copyrightHolder locale="pl">Anna Nowak<\/copyrightHolder>\s*<copyrightYear>2022<\/copyrightYear>\s*<keywords locale="pl">\s*<keyword>\s*<name>bezpieczeństwo<\/name>\s*<\/keyword>\s*<\/keywords>\s*<subjects locale="en">\s*<subject>\s*<name>international relations<\/name>/);
      // v1's author entered in Revista: one affiliation with its ROR id; v2's imported one: two, and its roles.
      assert.match(xml, /<rorAffiliation>\s*<ror>https:\/\/ror.org\/039bjqg32<\/ror>\s*<name locale="en">University of Warsaw<\/name>\s*<name locale="pl">Uniwersytet Warszawski<\/name>\s*<\/rorAffiliation>\s*<country>PL<\/country>\s*<email>anna@example.org<\/email>\s*<orcid>https:\/\/orcid.org\/0000-0002-1825-0097<\/orcid>/);
      assert.match(xml, /<\/rorAffiliation>\s*<affiliation>\s*<name locale="en">Brown University<\/name>\s*<\/affiliation>\s*<contributor_roles>\s*<contributor_role_id>1<\/contributor_role_id>\s*<contributor_role_id>9<\/contributor_role_id>/);
      assert.match(xml, /<citation>Kissinger H., Diplomacy, Simon &amp; Schuster, New York 1994.<\/citation>\s*<\/citations>\s*<pages>201–204<\/pages>/);
      assert.match(xml, /<article_galley locale="pl" url_path="html">\s*<id type="internal" advice="ignore">\d+<\/id>\s*<id type="doi" advice="update">10.5555\/sm.2022.75.1.09.g1<\/id>\s*<name locale="pl">HTML<\/name>\s*<seq>0<\/seq>\s*<submission_file_ref id="\d+"\/>/);
      assert.match(xml, /<article_galley locale="en">\s*<id [^>]*>\d+<\/id>\s*<name locale="en">PDF \(publisher\)<\/name>\s*<seq>1<\/seq>\s*<remote src="https:\/\/example.org\/review.pdf\?a=1&amp;b=2"\/>/);
      // The two stored galley files, once each, and the cover.
      assert.deepEqual(embeds(xml).map((b) => b.toString('latin1')), ['\x89PNG\r\n\x1a\n', '%PDF-1.4 first version\n', '<p>Review</p>\n']);
    });
  });
}

describe('OJS Native XML export of a large galley', () => {
  it('streams a 48 MB file through without holding it: memory grows by far less than the file', async () => {
    const handle = await openDatabase({ kind: 'pglite', dataDir: 'memory://' });
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'revista-ojs-big-'));
    try {
      await migrateToLatest(handle.db);
      await initialiseSite(handle.db, { demo: true });
      const files = createFileStore(path.join(dir, 'files'));
      // Random bytes, written and stored in pieces so the test itself holds little.
      const source = path.join(dir, 'big.pdf');
      const hash = createHash('sha256');
      const fd = fs.openSync(source, 'w');
      for (let i = 0; i < 48; i++) {
        const piece = createHash('sha512').update(`piece ${i}`).digest();
        const block = Buffer.alloc(1024 * 1024, piece);
        hash.update(block);
        fs.writeSync(fd, block);
      }
      fs.closeSync(fd);
      const expected = hash.digest('hex');
      const stored = await files.put(fs.createReadStream(source));
      assert.equal(stored.sha256, expected);
      const fileId = (await handle.db.insertInto('files').values({ storage_key: stored.key, mime_type: 'application/pdf', size_bytes: stored.sizeBytes, sha256: stored.sha256, original_name: 'big.pdf' }).returning('id').executeTakeFirstOrThrow()).id;
      const publication = (await handle.db.selectFrom('articles').select('current_publication_id').where('id', '=', 1786).executeTakeFirstOrThrow()).current_publication_id!;
      await handle.db.insertInto('galleys').values({ publication_id: publication, label: 'PDF', locale: 'en', file_id: fileId, remote_url: null, url_path: null, seq: 0 }).execute();

      global.gc?.();
      const baseline = process.memoryUsage().rss;
      let peak = baseline;
      const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 5);
      const output = path.join(dir, 'export.xml');
      const out = fs.createWriteStream(output);
      const summary = await writeNativeXml(loadNativeIssues(handle.db, 1), files, out);
      await new Promise<void>((resolve) => out.end(resolve));
      clearInterval(sampler);
      peak = Math.max(peak, process.memoryUsage().rss);

      assert.equal(summary.files, 1);
      assert.ok(summary.bytes > 64 * 1024 * 1024, `the document holds the file as base64 (${summary.bytes} bytes)`);
      assert.equal(summary.bytes, fs.statSync(output).size);
      const growth = peak - baseline;
      assert.ok(growth < 24 * 1024 * 1024, `RSS grew by ${(growth / 1048576).toFixed(1)} MB while writing a 48 MB file (64 MB of base64)`);

      // The embedded lines decode to the stored file, checked line by line.
      const decoded = createHash('sha256');
      let inside = false;
      for await (const line of readline.createInterface({ input: fs.createReadStream(output) })) {
        if (line.includes('<embed ')) inside = true;
        else if (line.includes('</embed>')) inside = false;
        else if (inside) decoded.update(Buffer.from(line, 'base64'));
      }
      assert.equal(decoded.digest('hex'), expected);
    } finally {
      await handle.close();
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('revista export ojs-native', () => {
  it('writes the journal’s issues to a file with a summary, and refuses what it cannot export, leaving no file behind', async () => {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'revista-ojs-cli-'));
    try {
      const handle = await openDatabase({ kind: 'pglite', dataDir: path.join(dataDir, 'db') });
      await migrateToLatest(handle.db);
      await initialiseSite(handle.db, { demo: true });
      const { fileId } = await addDemoGalley(handle.db, createFileStore(path.join(dataDir, 'files')));
      const issueId = (await handle.db.selectFrom('issues').select('id').executeTakeFirstOrThrow()).id;
      await handle.close();

      const run = async (...args: string[]) => {
        const out: string[] = [];
        const err: string[] = [];
        const code = await runCli(['export', 'ojs-native', ...args], { out: (l) => out.push(l), err: (l) => err.push(l), env: { DATA_DIR: dataDir } });
        return { code, out: out.join('\n'), err: err.join('\n') };
      };
      const target = path.join(dataDir, 'sm.xml');
      const ok = await run('--journal', 'sm', '--issue', String(issueId), '-o', target);
      assert.equal(ok.code, 0, ok.err);
      // Without --ojs-version: for the newest release, 3.5, which holds everything the demo has.
      assert.equal(ok.out, `exported 1 issue(s), 1 article(s), 1 galley(s), 1 file(s), ${fs.statSync(target).size} bytes of sm to ${target} for OJS 3.5`);
      validate(target, '3.5');
      const old = path.join(dataDir, 'sm-33.xml');
      const for33 = await run('--journal', 'sm', '--ojs-version', '3.3', '-o', old);
      assert.equal(for33.code, 0, for33.err);
      validate(old, '3.3');
      // The demo author has no name, only an affiliation: 3.3 needs a given name, and says so.
      assert.deepEqual(for33.out.split('\n').slice(1), ['OJS 3.3 needs every author’s given name in the article’s language: 1 authors without one got there their given name in another language, else their family name, else their affiliation']);
      const badVersion = await run('--journal', 'sm', '--ojs-version', '3.2', '-o', path.join(dataDir, 'd.xml'));
      assert.equal(badVersion.code, 2);
      assert.match(badVersion.err, /--ojs-version is one of 3\.3, 3\.4, 3\.5, main \(the OJS release that will import the file\), not 3\.2/);
      assert.ok(embeds(fs.readFileSync(target, 'utf8'))[0]!.equals(DEMO_PDF));

      const unknownJournal = await run('--journal', 'nope', '-o', path.join(dataDir, 'a.xml'));
      assert.deepEqual([unknownJournal.code, unknownJournal.err], [1, 'revista export: no journal with the path nope']);
      const unknownIssue = await run('--journal', 'sm', '--issue', '999', '-o', path.join(dataDir, 'b.xml'));
      assert.deepEqual([unknownIssue.code, unknownIssue.err], [1, 'revista export: the journal sm has no issue with the id 999']);
      const noOutput = await run('--journal', 'sm');
      assert.equal(noOutput.code, 2);
      assert.match(noOutput.err, /^revista export: -o FILE is required/);

      // A galley file gone from storage: a message naming it, exit 1, and no half-written document.
      const again = await openDatabase({ kind: 'pglite', dataDir: path.join(dataDir, 'db') });
      const key = (await again.db.selectFrom('files').select('storage_key').where('id', '=', fileId).executeTakeFirstOrThrow()).storage_key;
      await again.close();
      fs.rmSync(path.join(dataDir, 'files', key));
      const missing = await run('--journal', 'sm', '-o', path.join(dataDir, 'c.xml'));
      assert.equal(missing.code, 1);
      assert.equal(missing.err.split('\n').at(-1), `revista export: submission file ${fileId} of article 1786: the stored file ${key} (sm-1786.pdf) is missing from storage`);
      assert.deepEqual(fs.readdirSync(dataDir).filter((f) => f.endsWith('.xml') || f.includes('.partial-')).sort(), ['sm-33.xml', 'sm.xml']);
    } finally {
      fs.rmSync(dataDir, { recursive: true, force: true });
    }
  });
});
