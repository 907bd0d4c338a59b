import assert from 'node:assert/strict';
import { spawnSync, execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { sql, type Kysely } from 'kysely';
import { startTestApp, type TestApp } from '../../test/support/app.ts';
import { testDatabases } from '../../test/support/databases.ts';
import { issuesXml, pdf } from '../../test/support/ojs-native.ts';
import { JATS_1_3, oaiSchemaWithJats } from '../../test/support/oai-schemas.ts';
import { importNativeXml } from '../interop/ojs/import.ts';
import { indexPending, parseQuery, searchArticles } from '../discovery/search/index.ts';
import { up as richTextAbstracts } from '../db/migrations/0017_rich_text_abstracts.ts';
import { publishNewVersion } from '../catalog/index.ts';

/**
 * An OJS export whose abstract and title are HTML, as OJS stores them, imported and then read the
 * ways readers and harvesters read it: the article page shows the markup as markup, the head tags,
 * OAI-PMH records and search snippets carry text, JATS carries JATS elements; an attacker's script
 * reaches none of them. And the rows of older versions (plain-text abstracts) are converted.
 */

const SCHEMAS = path.resolve('../shared/schemas');
const ID = 9401;

// As OJS's editor writes it; escaped once more inside the Native XML document, as OJS exports it.
const ABSTRACT =
  '<p><strong>Background:</strong> Uptake of CO<sub>2</sub> by <em>Quercus robur</em> &amp; <i>Pinus</i>.<br>See <a href="https://example.org/data?id=1&amp;v=2">the data</a>.</p>' +
  '<ol><li>first</li><li>second</li></ol>' +
  '<p>Model <math xmlns="http://www.w3.org/1998/Math/MathML"><mi>x</mi></math>fitted.<img src="x" onerror="alert(1)"><script>alert("xss")</script></p>';
const TITLE = 'Growth of <i>Quercus robur</i> under CO<sub>2</sub><script>alert(2)</script>';
const PLAIN_TITLE = 'Growth of Quercus robur under CO2';

const escapeXml = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

function document(): string {
  return issuesXml([{ id: 940, volume: 9, number: '1', year: 2021, articles: [{ id: ID, title: 'placeholder', galleyId: 9402, fileId: 9403, file: pdf('rich') }] }])
    .replace('<title locale="en">placeholder</title>', `<title locale="en">${escapeXml(TITLE)}</title>`)
    .replace(/<abstract locale="en">.*?<\/abstract>/, `<abstract locale="en">${escapeXml(ABSTRACT)}</abstract>`);
}

function xmllint(xml: string, args: string[]): { status: number | null; out: string } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'revista-rich-'));
  const file = path.join(dir, 'doc.xml');
  fs.writeFileSync(file, xml);
  try {
    const run = spawnSync('xmllint', ['--nonet', ...args, file], { encoding: 'utf8' });
    return { status: run.status, out: `${run.stdout}${run.stderr}` };
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

const xpath = (xml: string, expression: string) => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'revista-rich-'));
  const file = path.join(dir, 'doc.xml');
  fs.writeFileSync(file, xml);
  try {
    return execFileSync('xmllint', ['--nonet', '--xpath', expression, file], { encoding: 'utf8' }).replace(/\n$/, '');
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
};

for (const database of await testDatabases()) {
  describe(`rich-text abstracts and titles on ${database.name}`, () => {
    let t: TestApp;
    let dir: string;

    before(async () => {
      t = await startTestApp(database, { pageCache: false });
      dir = fs.mkdtempSync(path.join(os.tmpdir(), 'revista-rich-import-'));
      const file = path.join(dir, 'export.xml');
      fs.writeFileSync(file, document());
      await importNativeXml(t.database.db, t.files, file, { journalPath: 'sm' });
    });
    after(async () => {
      await t.close();
      fs.rmSync(dir, { recursive: true, force: true });
    });

    it('stores the imported abstract and title through the allow-list', async () => {
      const p = await t.database.db.selectFrom('publications').select(['abstract', 'title']).where('article_id', '=', ID).executeTakeFirstOrThrow();
      assert.match(p.abstract.en!, /^<p><strong>Background:<\/strong> Uptake of CO<sub>2<\/sub> by <em>Quercus robur<\/em> &amp; <i>Pinus<\/i>/);
      assert.doesNotMatch(p.abstract.en!, /script|onerror|<math|<mi>/);
      assert.equal(p.title.en, 'Growth of <i>Quercus robur</i> under CO<sub>2</sub>');
    });

    it('shows the abstract and the title as markup on the article page, and as text in its head', async () => {
      const res = await t.app.inject({ url: `/sm/article/view/${ID}?locale=en` });
      assert.equal(res.statusCode, 200);
      const html = res.body;
      const shown = (pattern: RegExp) => assert.match(html, pattern, `${pattern} not in the page`);
      assert.ok(!/&lt;(p|strong|em|i|sub)&gt;/.test(html), "no tag is shown as text");
      assert.doesNotMatch(html, /alert\(|onerror/);
      const abstract = html.slice(html.indexOf('id="article-abstract"'), html.indexOf('</section>', html.indexOf('id="article-abstract"')));
      assert.match(abstract, /<p><strong>Background:<\/strong> Uptake of CO<sub>2<\/sub> by <em>Quercus robur<\/em> &amp; <i>Pinus<\/i>\.<br \/>See <a href="https:\/\/example\.org\/data\?id=1&amp;v=2">the data<\/a>\.<\/p><ol><li>first<\/li><li>second<\/li><\/ol>/);
      shown(/<h1[^>]*>Growth of <i>Quercus robur<\/i> under CO<sub>2<\/sub><\/h1>/);
      shown(new RegExp(`<title>${PLAIN_TITLE} \\| `));
      shown(new RegExp(`<meta name="citation_title" content="${PLAIN_TITLE}"`));
      shown(/<meta name="DC.Description" content="Background: Uptake of CO2 by Quercus robur &amp; Pinus\. See the data\.\n\nfirst\n\nsecond\n\nModel fitted\."/);
      shown(/<meta property="og:description" content="Background: Uptake of CO2 by Quercus robur &amp; Pinus\. See the data\./);
      const jsonLd = JSON.parse(/<script type="application\/ld\+json">([\s\S]*?)<\/script>/.exec(html)![1]!) as { headline: string; abstract: string };
      assert.equal(jsonLd.headline, PLAIN_TITLE);
      assert.equal(jsonLd.abstract, 'Background: Uptake of CO2 by Quercus robur & Pinus. See the data.\n\nfirst\n\nsecond\n\nModel fitted.');
    });

    it('harvests it as text in oai_dc and as JATS elements in jats, both valid', async () => {
      await t.changes.sync();
      const dc = (await t.app.inject({ url: `/oai?verb=GetRecord&metadataPrefix=oai_dc&identifier=oai:localhost:article/${ID}` })).body;
      const dcCheck = xmllint(dc, ['--noout', '--schema', path.join(SCHEMAS, 'oai-pmh/oai-pmh-with-formats.xsd')]);
      assert.equal(dcCheck.status, 0, dcCheck.out);
      assert.doesNotMatch(dc, /&lt;p&gt;|alert/);
      assert.equal(xpath(dc, "string(//*[local-name()='title'][@xml:lang='en'])"), PLAIN_TITLE);
      assert.match(xpath(dc, "string(//*[local-name()='description'])"), /^Background: Uptake of CO2 by Quercus robur & Pinus\. See the data\.\n\nfirst\n\nsecond/);
      const record = (await t.app.inject({ url: `/oai?verb=GetRecord&metadataPrefix=jats&identifier=oai:localhost:article/${ID}` })).body;
      // The record whole, in the namespace the format declares; then the article on its own against
      // JATS's schema, which has no namespace.
      const recordCheck = xmllint(record, ['--noout', '--schema', oaiSchemaWithJats()]);
      assert.equal(recordCheck.status, 0, recordCheck.out);
      const jats = `<?xml version="1.0" encoding="UTF-8"?>\n${/<article [\s\S]*?<\/article>/.exec(record)![0].replace(/ xmlns="[^"]*"/, '')}`;
      const jatsCheck = xmllint(jats, ['--noout', '--schema', JATS_1_3]);
      assert.equal(jatsCheck.status, 0, jatsCheck.out);
      assert.doesNotMatch(jats, /&lt;p&gt;|alert/);
      assert.equal(xpath(jats, "string(//*[local-name()='abstract']/*[local-name()='p'][1]/*[local-name()='italic'][1])"), 'Quercus robur');
      assert.equal(xpath(jats, "count(//*[local-name()='abstract']//*[local-name()='list'][@list-type='order']/*[local-name()='list-item'])"), '2');
      assert.equal(xpath(jats, "string(//*[local-name()='article-title']/*[local-name()='sub'])"), '2');
    });

    it('cuts search snippets from the text of the abstract, not its tags', async () => {
      await indexPending(t.database.db);
      const result = await searchArticles(t.database.db, { query: parseQuery('Pinus'), filters: {}, locale: 'en' });
      const hit = result.hits.find((h) => h.articleId === ID);
      assert.ok(hit?.snippet, JSON.stringify(result.hits));
      assert.doesNotMatch(hit.snippet, /<|&amp;|&lt;/);
      assert.match(hit.snippet, /Quercus robur & \u0001Pinus\u0002/);
    });

    it('stores what a manager types as plain text as escaped paragraphs', async () => {
      await publishNewVersion(t.database.db, ID, { title: { en: 'Fish & chips' }, subtitle: {}, abstract: { en: 'One < two & three\n\nSecond <i>paragraph' }, keywords: {}, pages: null, sectionId: (await t.database.db.selectFrom('publications').select('section_id').where('article_id', '=', ID).executeTakeFirstOrThrow()).section_id, licenseUrl: null, doi: null });
      const latest = await t.database.db.selectFrom('publications').select('abstract').where('article_id', '=', ID).orderBy('version', 'desc').executeTakeFirstOrThrow();
      // "<i>paragraph" is a tag: HTML, through the allow-list; its blank line still parts paragraphs.
      assert.equal(latest.abstract.en, '<p>One &lt; two &amp; three</p><p>Second <i>paragraph</i></p>');
      await publishNewVersion(t.database.db, ID, { title: { en: 'Fish & chips' }, subtitle: {}, abstract: { en: 'One < two & three\n\n  Second  ' }, keywords: {}, pages: null, sectionId: (await t.database.db.selectFrom('publications').select('section_id').where('article_id', '=', ID).executeTakeFirstOrThrow()).section_id, licenseUrl: null, doi: null });
      const plain = await t.database.db.selectFrom('publications').select('abstract').where('article_id', '=', ID).orderBy('version', 'desc').executeTakeFirstOrThrow();
      assert.equal(plain.abstract.en, '<p>One &lt; two &amp; three</p><p>Second</p>');
    });

    it('migration 0017 turns plain-text abstracts into paragraphs, leaving HTML, dates and OAI datestamps alone', async () => {
      const db = t.database.db;
      const demo = await db.selectFrom('articles').select('current_publication_id').where('id', '=', 1786).executeTakeFirstOrThrow();
      const publicationId = demo.current_publication_id!;
      // As an older version stored it: plain text, blank-line paragraphs; one locale already HTML.
      await sql`UPDATE publications SET abstract = ${JSON.stringify({ en: 'First & "one" < x.\nsame paragraph\n\n\n  Second.  ', pl: '<p>Już <em>HTML</em></p>', de: '  ' })}::jsonb WHERE id = ${publicationId}`.execute(db);
      const before = await db.selectFrom('publications').select('updated_at').where('id', '=', publicationId).executeTakeFirstOrThrow();
      const datestamp = async () => (await sql<{ d: string }>`SELECT datestamp::text AS d FROM oai_records WHERE article_id = 1786`.execute(db)).rows[0]?.d;
      const stampBefore = await datestamp();
      await db.transaction().execute((trx) => richTextAbstracts(trx as unknown as Kysely<unknown>));
      const after = await db.selectFrom('publications').select(['abstract', 'updated_at']).where('id', '=', publicationId).executeTakeFirstOrThrow();
      assert.deepEqual(after.abstract, { en: '<p>First &amp; &quot;one&quot; &lt; x.\nsame paragraph</p><p>Second.</p>', pl: '<p>Już <em>HTML</em></p>' });
      assert.equal(after.updated_at.toISOString(), before.updated_at.toISOString(), 'the date modified stays');
      assert.equal(await datestamp(), stampBefore, 'the OAI datestamp stays');
      const page = (await t.app.inject({ url: '/sm/article/view/1786?locale=en' })).body;
      assert.ok(page.includes('<p>First &amp; "one" &lt; x.\nsame paragraph</p><p>Second.</p>'), 'the converted abstract is shown as paragraphs');
    });
  });
}
