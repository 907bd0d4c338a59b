import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { addPublishedArticle } from '../catalog/index.ts';
import { startTestApp, type TestApp } from '../../test/support/app.ts';
import { testDatabases } from '../../test/support/databases.ts';
import { contentDisposition, parseRange } from './galley-download.ts';

describe('byte ranges', () => {
  it('reads one range, suffix ranges and open ends, clamped to the file', () => {
    assert.deepEqual(parseRange('bytes=0-99', 1000), { start: 0, end: 99 });
    assert.deepEqual(parseRange('bytes=-10', 1000), { start: 990, end: 999 });
    assert.deepEqual(parseRange('bytes=900-', 1000), { start: 900, end: 999 });
    assert.deepEqual(parseRange('bytes=900-5000', 1000), { start: 900, end: 999 });
    assert.deepEqual(parseRange('bytes=-5000', 1000), { start: 0, end: 999 });
  });

  it('says which ranges cannot be served, and ignores what it does not understand', () => {
    assert.equal(parseRange('bytes=1000-', 1000), 'unsatisfiable');
    assert.equal(parseRange('bytes=5-2', 1000), 'unsatisfiable');
    assert.equal(parseRange('bytes=-0', 1000), 'unsatisfiable');
    assert.equal(parseRange('bytes=0-1,5-6', 1000), undefined, 'several ranges: the whole file');
    assert.equal(parseRange('items=0-1', 1000), undefined);
    assert.equal(parseRange(undefined, 1000), undefined);
  });

  it('names the file for download in ASCII and exactly in UTF-8', () => {
    assert.equal(contentDisposition('artykuł "1".pdf', 'attachment'), `attachment; filename="artyku_ _1_.pdf"; filename*=UTF-8''artyku%C5%82%20%221%22.pdf`);
  });
});

const pdf = Buffer.concat([Buffer.from('%PDF-1.4\n% Revista test galley\n'), Buffer.alloc(4000, 0x41), Buffer.from('\n%%EOF\n')]);

for (const database of await testDatabases()) {
  describe(`galley downloads on ${database.name}`, () => {
    let t: TestApp;
    let articleId: number;
    let galleyId: number;
    let remoteGalleyId: number;
    let journalId: number;
    let sectionId: number;

    before(async () => {
      t = await startTestApp(database);
      const journal = await t.database.db.selectFrom('journals').select('id').where('path', '=', 'sm').executeTakeFirstOrThrow();
      const section = await t.database.db.selectFrom('sections').select('id').where('journal_id', '=', journal.id).executeTakeFirstOrThrow();
      journalId = journal.id;
      sectionId = section.id;
      const stored = await t.files.put(pdf);
      const added = await addPublishedArticle(t.database.db, {
        journalId,
        sectionId,
        issueId: null,
        locale: 'pl',
        title: { pl: 'Artykuł z plikiem' },
        datePublished: '2022-03-01',
        galleys: [
          { label: 'PDF', locale: 'pl', file: { storageKey: stored.key, mimeType: 'application/pdf', sizeBytes: stored.sizeBytes, sha256: stored.sha256, originalName: 'artykuł 1.pdf' } },
          { label: 'HTML', locale: 'en', remoteUrl: 'https://repository.example.org/article.html' },
        ],
      });
      articleId = added.articleId;
      const galleys = await t.database.db.selectFrom('galleys').select(['id', 'label']).where('publication_id', '=', added.publicationId).orderBy('seq').execute();
      galleyId = galleys[0]!.id;
      remoteGalleyId = galleys[1]!.id;
    });
    after(() => t.close());

    const url = () => `/sm/article/download/${articleId}/${galleyId}`;

    it('serves the file with its type, name, length, validators and exact bytes', async () => {
      const response = await t.app.inject({ url: url() });
      assert.equal(response.statusCode, 200);
      assert.equal(response.headers['content-type'], 'application/pdf');
      assert.equal(response.headers['content-disposition'], `attachment; filename="artyku_ 1.pdf"; filename*=UTF-8''artyku%C5%82%201.pdf`);
      assert.equal(Number(response.headers['content-length']), pdf.length);
      assert.equal(response.headers['accept-ranges'], 'bytes');
      assert.match(response.headers.etag as string, /^"[0-9a-f]{64}"$/);
      assert.ok(response.headers['last-modified']);
      assert.deepEqual(response.rawPayload, pdf);
      const head = await t.app.inject({ method: 'HEAD', url: url() });
      assert.equal(head.statusCode, 200);
      assert.equal(Number(head.headers['content-length']), pdf.length);
      assert.equal(head.rawPayload.length, 0);
    });

    it('answers conditional and range requests', async () => {
      const etag = (await t.app.inject({ url: url() })).headers.etag as string;
      const notModified = await t.app.inject({ url: url(), headers: { 'if-none-match': etag } });
      assert.equal(notModified.statusCode, 304);
      const first = await t.app.inject({ url: url(), headers: { range: 'bytes=0-99' } });
      assert.equal(first.statusCode, 206);
      assert.equal(first.headers['content-range'], `bytes 0-99/${pdf.length}`);
      assert.deepEqual(first.rawPayload, pdf.subarray(0, 100));
      const last = await t.app.inject({ url: url(), headers: { range: 'bytes=-10' } });
      assert.deepEqual(last.rawPayload, pdf.subarray(pdf.length - 10));
      const beyond = await t.app.inject({ url: url(), headers: { range: 'bytes=99999999-' } });
      assert.equal(beyond.statusCode, 416);
      assert.equal(beyond.headers['content-range'], `bytes */${pdf.length}`);
      const changed = await t.app.inject({ url: url(), headers: { range: 'bytes=0-9', 'if-range': '"an-older-version"' } });
      assert.equal(changed.statusCode, 200, 'a range of an older version gets the whole current file');
      assert.equal(changed.rawPayload.length, pdf.length);
    });

    it('redirects a remote galley and lists both on the article page', async () => {
      const remote = await t.app.inject({ url: `/sm/article/download/${articleId}/${remoteGalleyId}` });
      assert.equal(remote.statusCode, 302);
      assert.equal(remote.headers.location, 'https://repository.example.org/article.html');
      const page = await t.app.inject({ url: `/sm/article/view/${articleId}` });
      // The PDF opens in the viewer (as OJS), its download one click beside it.
      assert.match(page.body, new RegExp(`<a class="galley-link" href="/sm/article/view/${articleId}/${galleyId}" hreflang="pl"`));
      assert.match(page.body, new RegExp(`<a class="galley-download" href="${url()}" hreflang="pl" type="application/pdf"`));
      assert.match(page.body, /href="https:\/\/repository\.example\.org\/article\.html"/);
      assert.match(page.body, / PDF \(4 kB\)<\/a>/);
    });

    it('does not serve a galley through another article, or of an unpublished article', async () => {
      assert.equal((await t.app.inject({ url: `/sm/article/download/1786/${galleyId}` })).statusCode, 404);
      await t.database.db.updateTable('publications').set({ status: 'queued' }).where('article_id', '=', articleId).execute();
      await t.changes.sync();
      assert.equal((await t.app.inject({ url: url() })).statusCode, 404);
      assert.equal((await t.app.inject({ url: `/sm/article/view/${articleId}` })).statusCode, 404);
      await t.database.db.updateTable('publications').set({ status: 'published' }).where('article_id', '=', articleId).execute();
      await t.changes.sync();
      assert.equal((await t.app.inject({ url: url() })).statusCode, 200);
    });

    it('answers 404, and logs, when the stored file has gone missing', async () => {
      const stored = await t.files.put(Buffer.from('%PDF-1.4 short'));
      const { publicationId, articleId: other } = await addPublishedArticle(t.database.db, {
        journalId,
        sectionId,
        issueId: null,
        locale: 'pl',
        title: { pl: 'Zgubiony plik' },
        datePublished: '2022-03-01',
        galleys: [{ label: 'PDF', locale: 'pl', file: { storageKey: stored.key, mimeType: 'application/pdf', sizeBytes: stored.sizeBytes, sha256: stored.sha256, originalName: 'x.pdf' } }],
      });
      await t.files.remove(stored.key);
      const galley = await t.database.db.selectFrom('galleys').select('id').where('publication_id', '=', publicationId).executeTakeFirstOrThrow();
      await t.changes.sync();
      const response = await t.app.inject({ url: `/sm/article/download/${other}/${galley.id}` });
      assert.equal(response.statusCode, 404);
    });

    it('never sends a galley as a script, style sheet or SVG, whatever its row says', async () => {
      // Imports refuse such files; a row written by hand (or by an older version) could still say so.
      const svg = Buffer.from('<svg xmlns="http://www.w3.org/2000/svg"><script>alert(document.domain)</script></svg>');
      const served: string[] = [];
      for (const mimeType of ['image/svg+xml', 'text/javascript', 'TEXT/CSS; charset=utf-8']) {
        const stored = await t.files.put(svg);
        const { publicationId, articleId: other } = await addPublishedArticle(t.database.db, {
          journalId,
          sectionId,
          issueId: null,
          locale: 'pl',
          title: { pl: `Aktywny plik ${mimeType}` },
          datePublished: '2022-03-01',
          galleys: [{ label: 'Mapa', locale: 'pl', file: { storageKey: stored.key, mimeType, sizeBytes: stored.sizeBytes, sha256: stored.sha256, originalName: 'mapa.svg' } }],
        });
        const galley = await t.database.db.selectFrom('galleys').select('id').where('publication_id', '=', publicationId).executeTakeFirstOrThrow();
        await t.changes.sync();
        const response = await t.app.inject({ url: `/sm/article/download/${other}/${galley.id}` });
        assert.equal(response.statusCode, 200);
        assert.match(String(response.headers['content-disposition']), /^attachment;/);
        served.push(String(response.headers['content-type']));
      }
      assert.deepEqual(served, ['application/octet-stream', 'application/octet-stream', 'application/octet-stream']);
    });
  });
}
