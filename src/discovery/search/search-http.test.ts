import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { addPublishedArticle } from '../../catalog/index.ts';
import { startTestApp, visibleText, type TestApp } from '../../../test/support/app.ts';
import { testDatabases } from '../../../test/support/databases.ts';
import { indexPending } from './index.ts';

/** A minimal valid PDF 1.4 (catalog, pages, one page, a content stream with one text object, a font, xref). */
export function minimalPdf(lines: string[]): Buffer {
  const escape = (text: string) => text.replace(/[\\()]/g, (c) => `\\${c}`);
  const content = `BT /F1 12 Tf 72 720 Td 14 TL ${lines.map((line) => `(${escape(line)}) '`).join(' ')} ET`;
  const objects = [
    '<< /Type /Catalog /Pages 2 0 R >>',
    '<< /Type /Pages /Kids [3 0 R] /Count 1 >>',
    '<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> >>',
    `<< /Length ${Buffer.byteLength(content, 'latin1')} >>\nstream\n${content}\nendstream`,
    '<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>',
  ];
  let pdf = '%PDF-1.4\n';
  const offsets: number[] = [];
  objects.forEach((body, i) => {
    offsets.push(Buffer.byteLength(pdf, 'latin1'));
    pdf += `${i + 1} 0 obj\n${body}\nendobj\n`;
  });
  const xref = Buffer.byteLength(pdf, 'latin1');
  pdf += `xref\n0 ${objects.length + 1}\n0000000000 65535 f \n${offsets.map((o) => `${String(o).padStart(10, '0')} 00000 n \n`).join('')}`;
  pdf += `trailer\n<< /Size ${objects.length + 1} /Root 1 0 R >>\nstartxref\n${xref}\n%%EOF\n`;
  return Buffer.from(pdf, 'latin1');
}

for (const database of await testDatabases()) {
  describe(`search pages on ${database.name}`, () => {
    let t: TestApp;
    let journalId: number;
    let sectionId: number;
    before(async () => {
      t = await startTestApp(database);
      journalId = (await t.database.db.selectFrom('journals').select('id').where('path', '=', 'sm').executeTakeFirstOrThrow()).id;
      sectionId = (await t.database.db.selectFrom('sections').select('id').where('journal_id', '=', journalId).executeTakeFirstOrThrow()).id;
    });
    after(() => t.close());

    const get = (url: string) => t.app.inject({ url });

    /**
     * Waits (up to 30 s) for the worker's search.index job to make the page show `expected`: the first
     * PDF starts the extractor thread (TypeScript loader and pdf.js), which takes seconds on a busy machine.
     */
    async function eventually(url: string, expected: RegExp): Promise<string> {
      const deadline = Date.now() + 30_000;
      for (;;) {
        const response = await get(url);
        assert.equal(response.statusCode, 200);
        if (expected.test(response.body) || Date.now() > deadline) return response.body;
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
    }

    it('puts a labelled search box in the header of every page, searching the journal or the site', async () => {
      for (const [url, action] of [['/sm', '/sm/search/search'], ['/sm/article/view/1786', '/sm/search/search'], ['/', '/search'], ['/sm/about', '/sm/search/search']] as const) {
        const body = (await get(url)).body;
        const header = /<header class="site-header">([\s\S]*?)<\/header>/.exec(body)?.[1] ?? '';
        assert.match(header, new RegExp(`<form class="search-box" role="search" aria-label="[^"]+" action="${action}" method="get">`), url);
        assert.match(header, /<label for="search-box-query" class="visually-hidden">[^<]+<\/label><input id="search-box-query" type="search" name="query"/);
      }
    });

    it('finds the demo article, marks the words, and explains an empty search', async () => {
      const body = await eventually('/sm/search/search?query=Azerbaijan+Karabakh&locale=en', /article\/view\/1786/);
      assert.match(body, /<p role="status">1 article found<\/p>/);
      assert.match(body, /<mark>Azerbaijan<\/mark>/);
      assert.match(body, /<meta name="robots" content="noindex">/);
      const empty = visibleText((await get('/sm/search?locale=en')).body);
      assert.match(empty, /How to search/);
      assert.match(empty, /Poludniowy finds Południowy/);
      const none = visibleText((await get('/sm/search/search?query=xylophonist&authors=Nobody&locale=en')).body);
      assert.match(none, /No published article matches “xylophonist”/);
      assert.match(none, /search without the filters/);
      const polish = visibleText((await get('/sm/search/search?query=Armenia&locale=pl')).body);
      assert.match(polish, /Znaleziono 1 artykuł (?!y|ów)/);
    });

    it('makes the text of a PDF galley searchable, read in the background after the article is saved', async () => {
      const pdf = minimalPdf(['Appendix on the quasiperiodic oscillation', 'of tariffs between Yerevan and Baku.']);
      const stored = await t.files.put(pdf);
      const { articleId } = await addPublishedArticle(t.database.db, {
        journalId,
        sectionId,
        issueId: null,
        locale: 'en',
        title: { en: 'Trade corridors of the South Caucasus' },
        datePublished: '2022-02-01',
        galleys: [{ label: 'PDF', locale: 'en', file: { storageKey: stored.key, mimeType: 'application/pdf', sizeBytes: stored.sizeBytes, sha256: createHash('sha256').update(pdf).digest('hex'), originalName: 'corridors.pdf' } }],
      });
      // No call to the indexer: the catalog triggers queue the search.index job, and the worker runs it.
      const body = await eventually('/sm/search/search?query=quasiperiodic+tariffs&locale=en', new RegExp(`article/view/${articleId}"`));
      assert.match(body, new RegExp(`article/view/${articleId}"`));
      assert.match(body, /<mark>quasiperiodic<\/mark>/);
      const text = await t.database.db.selectFrom('search_file_texts').select(['content', 'problem']).executeTakeFirstOrThrow();
      assert.equal(text.problem, null);
      assert.match(text.content, /quasiperiodic oscillation of tariffs between Yerevan and Baku/);
    });

    it('makes the text of an HTML galley searchable without its markup', async () => {
      const html = Buffer.from('<html><head><title>x</title><style>.zebracrossing{}</style></head><body><p>Full text about <b>pomegranate</b> exports &amp; wine.</p><script>var zebracrossing;</script></body></html>');
      const stored = await t.files.put(html);
      await addPublishedArticle(t.database.db, {
        journalId,
        sectionId,
        issueId: null,
        locale: 'en',
        title: { en: 'Fruit and wine' },
        datePublished: '2022-03-01',
        galleys: [{ label: 'HTML', locale: 'en', file: { storageKey: stored.key, mimeType: 'text/html', sizeBytes: stored.sizeBytes, sha256: stored.sha256, originalName: 'full.html' } }],
      });
      await indexPending(t.database.db, { files: t.files });
      await t.changes.sync();
      assert.match((await get('/sm/search/search?query=pomegranate&locale=en')).body, /Fruit and wine/);
      assert.doesNotMatch((await get('/sm/search/search?query=zebracrossing&locale=en')).body, /Fruit and wine/);
    });

    it('answers every hostile query with a normal page', async () => {
      const hostile = [
        "query='%26|!():*<>\\",
        'query=%00%01%1b%7f',
        'query=%ff%fe%c3%28',
        'query=%',
        'query=%E2%82',
        `query=${'x'.repeat(10_240)}`,
        `query=${encodeURIComponent('"'.repeat(500))}`,
        `query=${encodeURIComponent('-"a" -b -"c')}`,
        'query=a&query=b&query[]=c',
        'query[$ne]=1',
        `query=${encodeURIComponent("'; DROP TABLE search_documents; --")}`,
        'query=energy&dateFrom=2021-02-30&dateTo=yesterday',
        'query=energy&dateFrom=2024-01-01&dateTo=2020-01-01',
        'query=energy&dateFrom=0000-01-01&dateTo=0000-12-31',
        'query=energy&searchPage=99999999999999999999',
        'query=energy&searchPage=-1',
        'query=energy&sort=%27%3B',
        'query=energy&section=1%20OR%201=1',
        'query=energy&section=99999999999',
        `query=energy&authors=${encodeURIComponent("!&|:*'\u0000")}`,
        'query=%F0%9F%98%80+%ED%A0%80',
      ];
      for (const query of hostile) {
        for (const path of ['/sm/search/search', '/search']) {
          const response = await get(`${path}?${query}`);
          assert.equal(response.statusCode, 200, `${path}?${query.slice(0, 80)}`);
          assert.match(response.body, /<h1>[^<]*<\/h1>/);
          assert.doesNotMatch(response.body, /\u0000/);
        }
      }
      const dates = visibleText((await get('/sm/search/search?query=energy&dateFrom=2021-02-30&locale=en')).body);
      assert.match(dates, /Enter the date as year-month-day/);
      const journal = await get('/search?query=energy&journal=..%2F..');
      assert.equal(journal.statusCode, 200);
    });

    it('searches the whole site, and one journal of it', async () => {
      const all = await eventually('/search?query=Armenia&locale=en', /article\/view\/1786/);
      assert.match(all, /Sprawy Międzynarodowe/);
      assert.match((await get('/search?query=Armenia&journal=sm&locale=en')).body, /article\/view\/1786/);
      assert.match(visibleText((await get('/search?query=Armenia&journal=nosuch&locale=en')).body), /1 article found/);
    });

    it('shows similar articles on the demo article, paged with articlesBySimilarityPage', async () => {
      const ids: number[] = [];
      for (let n = 1; n <= 7; n++) {
        const { articleId } = await addPublishedArticle(t.database.db, { journalId, sectionId, issueId: null, locale: 'en', title: { en: `Russia and Azerbaijan, part ${n}` }, datePublished: `2022-0${n}-10` });
        ids.push(articleId);
      }
      await indexPending(t.database.db, { files: t.files });
      await t.changes.sync();
      const page = (await get('/sm/article/view/1786?locale=en')).body;
      const block = /<section class="similar-articles"[\s\S]*?<\/section>/.exec(page)?.[0] ?? '';
      assert.match(block, /<h2 id="similar-articles-heading">Similar articles<\/h2>/);
      assert.equal(block.match(/<li><h3 class="search-result__title">/g)?.length, 5);
      assert.doesNotMatch(block, /article\/view\/1786"/);
      assert.match(block, /href="\/sm\/article\/view\/1786\?articlesBySimilarityPage=2#similar-articles" rel="next"/);
      const second = await get('/sm/article/view/1786?locale=en&articlesBySimilarityPage=2');
      assert.equal(second.statusCode, 200);
      const secondBlock = /<section class="similar-articles"[\s\S]*?<\/section>/.exec(second.body)?.[0] ?? '';
      assert.ok((secondBlock.match(/<li><h3 class="search-result__title">/g)?.length ?? 0) >= 2);
      for (const bad of ['0', '-3', 'abc', '999999999999']) {
        assert.equal((await get(`/sm/article/view/1786?articlesBySimilarityPage=${bad}`)).statusCode, 200);
      }
    });

    it('browses by author, keyword and section', async () => {
      await addPublishedArticle(t.database.db, {
        journalId,
        sectionId,
        issueId: null,
        locale: 'pl',
        title: { pl: 'Gruzja i Unia Europejska' },
        keywords: { pl: ['Gruzja', 'Unia Europejska'] },
        datePublished: '2022-05-05',
        contributors: [{ givenName: { pl: 'Ewa' }, familyName: { pl: 'Żak' } }],
      });
      await indexPending(t.database.db, { files: t.files });
      await t.changes.sync();
      const authors = (await get('/sm/search/authors?locale=pl')).body;
      assert.match(authors, /<a href="\/sm\/search\/authors\/view\?givenName=Ewa&amp;familyName=%C5%BBak">Żak, Ewa<\/a> \(1 artykuł\)/);
      assert.match((await get('/sm/search/authors/view?givenName=Ewa&familyName=%C5%BBak')).body, /Gruzja i Unia Europejska/);
      assert.match((await get('/sm/search/keywords')).body, /<a href="\/sm\/search\/keywords\/view\?keyword=Gruzja">Gruzja<\/a>/);
      assert.match((await get('/sm/search/keywords/view?keyword=Gruzja')).body, /Gruzja i Unia Europejska/);
      assert.match((await get('/sm/search/sections')).body, new RegExp(`href="/sm/section/view/${sectionId}"`));
      assert.match((await get(`/sm/section/view/${sectionId}`)).body, /Gruzja i Unia Europejska/);
      assert.equal((await get('/sm/section/view/999999')).statusCode, 404);
      assert.equal((await get('/sm/section/view/abc')).statusCode, 404);
      assert.equal((await get('/sm/search/authors?page=999')).statusCode, 404);
      assert.equal((await get('/nosuch/search/search?query=x')).statusCode, 404);
      assert.equal((await get('/sm/search/keywords/view')).statusCode, 404);
    });
  });
}
