import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, it } from 'node:test';
import { sql } from 'kysely';
import { testDatabases } from '../../test/support/databases.ts';
import { issuesXml, pdf } from '../../test/support/ojs-native.ts';
import type { DatabaseHandle } from '../db/index.ts';
import { DEMO_ARTICLE_ID, initialiseSite } from '../demo/index.ts';
import { importNativeXml } from '../interop/ojs/index.ts';
import { countStaleReferences, parseStaleReferences, PARSER_VERSION, textSha256 } from '../references/index.ts';
import { createFileStore } from '../storage/index.ts';
import { findArticleForEditing, findPublishedArticle, publishNewVersion } from './index.ts';

async function demoCitations(handle: DatabaseHandle) {
  const article = await handle.db.selectFrom('articles').select('current_publication_id').where('id', '=', DEMO_ARTICLE_ID).executeTakeFirstOrThrow();
  return handle.db.selectFrom('citations').selectAll().where('publication_id', '=', article.current_publication_id!).orderBy('seq').execute();
}

const csl = (parsed: unknown) => (parsed as { csl: Record<string, unknown> }).csl;
const codes = (parsed: unknown) => (parsed as { issues: Array<{ code: string }> }).issues.map((i) => i.code);

for (const database of await testDatabases()) {
  describe(`stored reference parses on ${database.name}`, () => {
    it('the demo seed stores a parse beside each of its 42 references, and readers get the structure', async () => {
      const handle = await database.open();
      try {
        await initialiseSite(handle.db, { demo: true });
        const rows = await demoCitations(handle);
        assert.equal(rows.length, 42);
        for (const row of rows) {
          assert.ok(row.parsed, `reference ${row.seq} is parsed`);
          assert.equal(row.parsed_text_sha256, textSha256(row.raw_text));
          assert.equal(row.parser_version, PARSER_VERSION);
        }
        assert.deepEqual(csl(rows[0]!.parsed).author, [{ family: 'Aliyev', given: 'N.' }]);
        assert.equal(csl(rows[0]!.parsed)['container-title'], 'Eurasia Daily Monitor');
        assert.ok(codes(rows[0]!.parsed).includes('url-empty'), 'the empty <> link is found');
        assert.deepEqual(await countStaleReferences(handle.db), { publications: 0, references: 0 });

        const article = (await findPublishedArticle(handle.db, 1, DEMO_ARTICLE_ID))!;
        assert.equal(article.references.length, 42);
        assert.equal(article.references[0]!.csl?.author?.[0]?.family, 'Aliyev');
        assert.deepEqual(article.references[0]!.csl?.issued, { 'date-parts': [[2018, 3, 28]] });
        assert.ok(article.references[0]!.issues?.some((i) => i.code === 'url-empty'));
      } finally {
        await handle.close();
      }
    });

    it('a text changed by SQL loses its parse at once and is parsed again by the background pass', async () => {
      const handle = await database.open();
      try {
        await initialiseSite(handle.db, { demo: true });
        const [first] = await demoCitations(handle);
        const changed = 'Aliyev N., Russia’s arms sales, “Eurasia Daily Monitor” 2018, vol. 15, no. 47, pp. 1–5, doi:10.1234/edm.2018.47.';
        await handle.db.updateTable('citations').set({ raw_text: changed }).where('id', '=', first!.id).execute();
        const stale = await handle.db.selectFrom('citations').selectAll().where('id', '=', first!.id).executeTakeFirstOrThrow();
        assert.equal(stale.parsed, null, 'the old parse does not outlive its text');
        assert.deepEqual(await countStaleReferences(handle.db), { publications: 1, references: 1 });

        const done = await parseStaleReferences(handle.db);
        assert.equal(done.publications, 1);
        assert.ok(done.references >= 1);
        const fresh = await handle.db.selectFrom('citations').selectAll().where('id', '=', first!.id).executeTakeFirstOrThrow();
        assert.equal(csl(fresh.parsed).DOI, '10.1234/edm.2018.47');
        assert.ok(!codes(fresh.parsed).includes('url-empty'), 'the new text has no empty link');
        assert.equal(fresh.parsed_text_sha256, textSha256(changed));
        assert.deepEqual(await countStaleReferences(handle.db), { publications: 0, references: 0 });
        assert.deepEqual(await parseStaleReferences(handle.db), { publications: 0, references: 0 }, 'nothing left to do');
      } finally {
        await handle.close();
      }
    });

    it('a parse written with another text’s hash is refused, and an older parser version is parsed again', async () => {
      const handle = await database.open();
      try {
        await initialiseSite(handle.db, { demo: true });
        const [first, second] = await demoCitations(handle);
        // A copy of another row's parse (e.g. an import copying columns) does not stick to this text.
        await handle.db.updateTable('citations').set({ parsed: JSON.stringify(second!.parsed), parsed_text_sha256: second!.parsed_text_sha256 }).where('id', '=', first!.id).execute();
        assert.equal((await handle.db.selectFrom('citations').select('parsed').where('id', '=', first!.id).executeTakeFirstOrThrow()).parsed, null);
        await sql`UPDATE citations SET parser_version = 'older' WHERE id = ${second!.id}`.execute(handle.db);
        assert.deepEqual(await countStaleReferences(handle.db), { publications: 1, references: 2 });
        await parseStaleReferences(handle.db);
        const rows = await demoCitations(handle);
        assert.deepEqual(csl(rows[0]!.parsed).author, [{ family: 'Aliyev', given: 'N.' }]);
        assert.equal(rows[1]!.parser_version, PARSER_VERSION);
      } finally {
        await handle.close();
      }
    });

    it('editing the references of a published article parses the new texts in the same transaction', async () => {
      const handle = await database.open();
      try {
        await initialiseSite(handle.db, { demo: true });
        const before = (await findArticleForEditing(handle.db, 1, DEMO_ARTICLE_ID))!;
        const texts = before.references.map((r) => r.text);
        texts[0] = 'Aliyev N., Russia’s arms sales, “Eurasia Daily Monitor”, vol. 15, issue 47, 2018 [accessed: 15 V 2021]: <https://jamestown.org/program/russias-arms-sales/>.';
        const p = before.current;
        const metadata = { title: p.title, subtitle: p.subtitle, abstract: p.abstract, keywords: p.keywords, pages: p.pages, sectionId: p.section_id, licenseUrl: p.license_url, doi: p.doi };
        const publicationId = await publishNewVersion(handle.db, DEMO_ARTICLE_ID, { ...metadata, references: texts });
        const rows = await handle.db.selectFrom('citations').selectAll().where('publication_id', '=', publicationId).orderBy('seq').execute();
        assert.equal(rows.length, 42);
        assert.equal(rows[0]!.raw_text, texts[0]);
        assert.equal(csl(rows[0]!.parsed).URL, 'https://jamestown.org/program/russias-arms-sales/');
        assert.ok(!codes(rows[0]!.parsed).includes('url-empty'));
        assert.ok(codes(rows[1]!.parsed).includes('url-empty'), 'the other references keep their problems');
        assert.deepEqual(await countStaleReferences(handle.db), { publications: 0, references: 0 });

        // A change that leaves the references alone copies them with their parses.
        const again = await publishNewVersion(handle.db, DEMO_ARTICLE_ID, { ...metadata, title: { en: 'Retitled' } });
        const copied = await handle.db.selectFrom('citations').selectAll().where('publication_id', '=', again).orderBy('seq').execute();
        assert.deepEqual(copied.map((r) => [r.raw_text, r.parsed_text_sha256, r.parser_version]), rows.map((r) => [r.raw_text, r.parsed_text_sha256, r.parser_version]));
        const after = (await findArticleForEditing(handle.db, 1, DEMO_ARTICLE_ID))!;
        assert.equal(after.references[0]!.csl?.URL, 'https://jamestown.org/program/russias-arms-sales/');
      } finally {
        await handle.close();
      }
    });

    it('references brought in by an OJS import are parsed by the background pass', async () => {
      const handle = await database.open();
      const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'revista-ref-import-'));
      try {
        await initialiseSite(handle.db, { demo: true });
        const file = path.join(dir, 'issue.xml');
        fs.writeFileSync(file, issuesXml([{ id: 501, volume: 80, number: '1', year: 2024, articles: [{ id: 9001, title: 'First article', galleyId: 8801, fileId: 601, file: pdf('first') }] }]));
        await importNativeXml(handle.db, createFileStore(path.join(dir, 'files')), file, { journalPath: 'sm' });
        const imported = () => handle.db.selectFrom('citations').selectAll().where('publication_id', 'in', handle.db.selectFrom('publications').select('id').where('article_id', '=', 9001)).orderBy('seq').execute();
        assert.equal((await imported()).length, 2);
        await parseStaleReferences(handle.db);
        const rows = await imported();
        for (const row of rows) assert.equal(row.parser_version, PARSER_VERSION, `imported reference ${row.seq} is parsed`);
        assert.equal(csl(rows[0]!.parsed)['publisher-place'], 'Warszawa');
        assert.deepEqual(csl(rows[1]!.parsed).issued, { 'date-parts': [[2020]] });
      } finally {
        await handle.close();
        fs.rmSync(dir, { recursive: true, force: true });
      }
    });
  });
}
