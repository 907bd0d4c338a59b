import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startTestApp, type TestApp } from '../../test/support/app.ts';
import { testDatabases } from '../../test/support/databases.ts';
import { articleWithGalleys, GALLEY_CSS, hostileHtml, HOSTILE_SVG, VIEWER_PDF } from '../../test/support/galley-fixture.ts';
import { addGalleyAsset, publishNewVersion, recordFile } from '../catalog/index.ts';

/**
 * The galley viewer (issue 21, item 2), as readers get it over HTTP: the page at OJS's address, the
 * PDF in page, the HTML galley only ever sandboxed on its own path, usage counted once, earlier
 * versions' galleys, and the article page's links.
 */

const BROWSER = 'Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0';

for (const database of await testDatabases()) {
  describe(`galley viewer on ${database.name}`, () => {
    let t: TestApp;
    let g: Awaited<ReturnType<typeof articleWithGalleys>>;
    const get = (url: string, headers: Record<string, string> = {}) => t.app.inject({ url, remoteAddress: '192.0.2.10', headers: { 'user-agent': BROWSER, 'accept-language': 'en', ...headers } });
    const settle = () => new Promise((r) => setTimeout(r, 600));
    const counted = async (kind: 'request' | 'investigation') =>
      Number((await t.database.db.selectFrom('usage_events').select((eb) => eb.fn.countAll<string>().as('n')).where('article_id', '=', g.articleId).where('kind', '=', kind).executeTakeFirstOrThrow()).n);

    before(async () => {
      t = await startTestApp(database);
      g = await articleWithGalleys(t.database.db, t.files);
      await t.changes.sync();
    });
    after(() => t.close());

    it('shows a PDF galley in page: title, authors, the way back, the one-click download and the PDF frame', async () => {
      const page = await get(`/sm/article/view/${g.articleId}/${g.pdf}`);
      assert.equal(page.statusCode, 200);
      assert.match(page.body, /<h1[^>]*>Galleys of every kind<\/h1>/);
      assert.match(page.body, /Ada Lovelace/);
      assert.match(page.body, new RegExp(`<a href="/sm/article/view/${g.articleId}">Back to the article page</a>`));
      assert.match(page.body, new RegExp(`<a class="galley-page__download" href="/sm/article/download/${g.articleId}/${g.pdf}" type="application/pdf" hreflang="en">Download PDF \\(`));
      assert.match(page.body, new RegExp(`<iframe class="galley-frame galley-frame--pdf" src="/sm/article/download/${g.articleId}/${g.pdf}\\?inline=1" title="PDF of “Galleys of every kind”"`));
      assert.doesNotMatch(page.body, /<script/, 'the page needs no script');
    });

    it('counts the PDF once: the page is no download, the PDF in its frame is one, as a download is', async () => {
      await get(`/sm/article/view/${g.articleId}/${g.pdf}`);
      await settle();
      assert.equal(await counted('request'), 0, 'the viewer page is not a download');
      assert.equal(await counted('investigation'), 0, 'nor a view of the article page');
      const inline = await get(`/sm/article/download/${g.articleId}/${g.pdf}?inline=1`);
      assert.equal(inline.statusCode, 200);
      assert.equal(inline.headers['content-type'], 'application/pdf');
      assert.match(String(inline.headers['content-disposition']), /^inline; filename="galleys.pdf"/);
      assert.equal(inline.headers['x-content-type-options'], 'nosniff');
      assert.deepEqual(inline.rawPayload, VIEWER_PDF);
      assert.equal(await counted('request'), 1, 'the PDF shown in page is a Request');
      const download = await get(`/sm/article/download/${g.articleId}/${g.pdf}`, { 'x-forwarded-for': '192.0.2.11' });
      assert.match(String(download.headers['content-disposition']), /^attachment;/);
    });

    it('never sends anything but a PDF inline', async () => {
      const epub = await get(`/sm/article/download/${g.articleId}/${g.epub}?inline=1`);
      assert.equal(epub.statusCode, 200);
      assert.match(String(epub.headers['content-disposition']), /^attachment;/);
      const html = await get(`/sm/article/download/${g.articleId}/${g.html}?inline=1`);
      assert.match(String(html.headers['content-disposition']), /^attachment;/, 'an HTML galley downloaded is a file, not a page of the site');
    });

    it('shows an HTML galley only in a sandboxed frame: no scripts, not the site’s origin', async () => {
      const page = await get(`/sm/article/view/${g.articleId}/${g.html}`);
      assert.equal(page.statusCode, 200);
      const frame = /<iframe class="galley-frame galley-frame--html" sandbox="([^"]*)" src="([^"]+)"/.exec(page.body);
      assert.ok(frame, 'a sandboxed frame');
      assert.doesNotMatch(frame[1]!, /allow-scripts|allow-same-origin|allow-top-navigation|allow-forms/);
      assert.equal(frame[2], `/sm/article/galley-html/${g.articleId}/${g.html}/`);
      assert.doesNotMatch(page.body, /Hostile galley/, 'the galley’s HTML is not in the site’s page');
    });

    it('serves the HTML galley on its own path under a CSP sandbox, setting no cookies, counted as a Request', async () => {
      const before = await counted('request');
      // A session cookie that is no longer good would be cleared, and ?locale= remembered, on any other page.
      const answer = await get(`/sm/article/galley-html/${g.articleId}/${g.html}/?locale=pl`, { cookie: 'revista_session=s%3Astale.signature' });
      assert.equal(answer.statusCode, 200);
      assert.equal(answer.body, hostileHtml('sm'));
      assert.equal(answer.headers['content-type'], 'text/html; charset=utf-8');
      const csp = String(answer.headers['content-security-policy']);
      assert.match(csp, /^sandbox( |;)/, 'the document gets an opaque origin and runs no script, in the frame or opened alone');
      assert.doesNotMatch(csp, /allow-scripts|allow-same-origin/);
      assert.match(csp, /default-src 'none'/);
      assert.match(csp, /form-action 'none'/);
      assert.match(csp, /frame-ancestors 'self'/);
      assert.equal(answer.headers['x-content-type-options'], 'nosniff');
      assert.equal(answer.headers['referrer-policy'], 'no-referrer');
      assert.equal(answer.headers['set-cookie'], undefined);
      assert.equal(await counted('request'), before + 1);
    });

    it('serves the galley’s assets by exact name under the same sandbox, SVG included', async () => {
      const css = await get(`/sm/article/galley-html/${g.articleId}/${g.html}/galley.css`);
      assert.equal(css.statusCode, 200);
      assert.equal(css.body, GALLEY_CSS);
      assert.match(String(css.headers['content-type']), /^text\/css/);
      const svg = await get(`/sm/article/galley-html/${g.articleId}/${g.html}/evil.svg`);
      assert.equal(svg.statusCode, 200);
      assert.equal(svg.body, HOSTILE_SVG);
      assert.match(String(svg.headers['content-type']), /^image\/svg\+xml/);
      for (const answer of [css, svg]) {
        assert.match(String(answer.headers['content-security-policy']), /^sandbox/);
        assert.equal(answer.headers['x-content-type-options'], 'nosniff');
        assert.equal(answer.headers['set-cookie'], undefined);
      }
      const png = await get(`/sm/article/galley-html/${g.articleId}/${g.html}/figure.png`);
      assert.equal(png.headers['content-type'], 'image/png');
    });

    it('finds no asset through a path, another name, another galley or another article', async () => {
      const base = `/sm/article/galley-html/${g.articleId}/${g.html}`;
      for (const url of [`${base}/..%2Fgalley.css`, `${base}/%2e%2e`, `${base}/Galley.css`, `${base}/galley.css%00`, `${base}/sub%2Fgalley.css`, `/sm/article/galley-html/${g.articleId}/${g.pdf}/galley.css`, `/sm/article/galley-html/1786/${g.html}/galley.css`]) {
        const answer = await get(url);
        // A 404, or the router's own redirect of an address it does not know: never the asset.
        assert.ok(answer.statusCode === 404 || (answer.statusCode === 301 && !String(answer.headers.location).includes('galley.css')), `${url}: ${answer.statusCode} ${String(answer.headers.location)}`);
      }
      assert.equal((await get(`/sm/article/galley-html/${g.articleId}/${g.pdf}/`)).statusCode, 404, 'a PDF is never served as a sandboxed page');
    });

    it('an asset name no relative link could reach is refused when recorded; one in a folder is served', async () => {
      const fileId = await recordFile(t.database.db, { storageKey: 'x', mimeType: 'image/png', sizeBytes: 1, sha256: '0'.repeat(64), originalName: 'x.png' });
      for (const name of ['../x.png', 'a/../b.png', '..', 'a\\b.png', '/abs.png', '.hidden', 'a//b.png']) await assert.rejects(addGalleyAsset(t.database.db, g.html, { name, fileId }), RangeError, name);
      // As an HTML galley's `<img src="images/figure.png">` names it.
      const png = await t.database.db.selectFrom('galley_assets').select('file_id').where('galley_id', '=', g.html).where('name', '=', 'figure.png').executeTakeFirstOrThrow();
      await addGalleyAsset(t.database.db, g.html, { name: 'images/figure.png', fileId: png.file_id });
      const nested = await get(`/sm/article/galley-html/${g.articleId}/${g.html}/images/figure.png`);
      assert.equal(nested.statusCode, 200);
      assert.equal(nested.headers['content-type'], 'image/png');
      assert.match(String(nested.headers['content-security-policy']), /^sandbox/);
    });

    it('offers other formats for download and links remote galleys out', async () => {
      const epub = await get(`/sm/article/view/${g.articleId}/${g.epub}`);
      assert.equal(epub.statusCode, 200);
      assert.match(epub.body, /This file \(application\/epub\+zip\) is read with an application of its own/);
      assert.match(epub.body, new RegExp(`href="/sm/article/download/${g.articleId}/${g.epub}"`));
      assert.doesNotMatch(epub.body, /<iframe/);
      const remote = await get(`/sm/article/view/${g.articleId}/${g.remote}`);
      assert.equal(remote.statusCode, 200);
      assert.match(remote.body, /<a href="https:\/\/repository.example.org\/galleys.html" rel="noopener noreferrer" hreflang="en">Open Repository on the other site<\/a>/);
      assert.doesNotMatch(remote.body, /galley-page__download/);
    });

    it('is not there for a galley of another article, or an address OJS never had', async () => {
      assert.equal((await get(`/sm/article/view/1786/${g.pdf}`)).statusCode, 404);
      assert.equal((await get(`/sm/article/view/${g.articleId}/99999`)).statusCode, 404);
      assert.equal((await get(`/other/article/view/${g.articleId}/${g.pdf}`)).statusCode, 404);
    });

    it('links PDF and HTML galleys to the viewer on the article page, the download one click beside', async () => {
      const page = await get(`/sm/article/view/${g.articleId}`);
      assert.match(page.body, new RegExp(`<a class="galley-link" href="/sm/article/view/${g.articleId}/${g.pdf}" hreflang="en" aria-label="PDF: Galleys of every kind">PDF</a> <a class="galley-download" href="/sm/article/download/${g.articleId}/${g.pdf}"`));
      assert.match(page.body, new RegExp(`<a class="galley-link" href="/sm/article/view/${g.articleId}/${g.html}"`));
      assert.match(page.body, new RegExp(`<a class="galley-link" href="/sm/article/download/${g.articleId}/${g.epub}"`), 'an EPUB is a download');
      assert.match(page.body, new RegExp(`<meta name="citation_pdf_url" content="http://localhost:3000/sm/article/download/${g.articleId}/${g.pdf}"`));
    });

    it('keeps an earlier version’s galleys viewable, pointing back at that version; citation_pdf_url follows the current one', async () => {
      const section = await t.database.db.selectFrom('publications').select('section_id').where('id', '=', g.publicationId).executeTakeFirstOrThrow();
      const newer = await publishNewVersion(t.database.db, g.articleId, { title: { en: 'Galleys, second version' }, subtitle: {}, abstract: {}, keywords: {}, pages: null, sectionId: section.section_id, licenseUrl: null, doi: null });
      await t.changes.sync();
      const newPdf = (await t.database.db.selectFrom('galleys').select('id').where('publication_id', '=', newer).orderBy('seq').executeTakeFirstOrThrow()).id;
      const old = await get(`/sm/article/view/${g.articleId}/${g.pdf}`);
      assert.equal(old.statusCode, 200);
      assert.match(old.body, /<h1[^>]*>Galleys of every kind<\/h1>/);
      assert.match(old.body, /This file belongs to version 1 of the article/);
      assert.match(old.body, new RegExp(`<a href="/sm/article/view/${g.articleId}/version/${g.publicationId}">Back to the article page</a>`));
      assert.match(old.body, /<meta name="robots" content="noindex"/);
      const versionPage = await get(`/sm/article/view/${g.articleId}/version/${g.publicationId}`);
      assert.match(versionPage.body, new RegExp(`href="/sm/article/view/${g.articleId}/${g.pdf}"`), 'the version page links its own galleys to the viewer');
      const current = await get(`/sm/article/view/${g.articleId}/${newPdf}`);
      assert.match(current.body, /<h1[^>]*>Galleys, second version<\/h1>/);
      const article = await get(`/sm/article/view/${g.articleId}`);
      assert.match(article.body, new RegExp(`<meta name="citation_pdf_url" content="http://localhost:3000/sm/article/download/${g.articleId}/${newPdf}"`));
      assert.equal((await get(`/sm/article/galley-html/${g.articleId}/${g.html}/galley.css`)).statusCode, 200, 'the earlier version’s HTML galley keeps its assets');
      const newHtml = (await t.database.db.selectFrom('galleys').select('id').where('publication_id', '=', newer).orderBy('seq').offset(1).limit(1).executeTakeFirstOrThrow()).id;
      const copied = await get(`/sm/article/galley-html/${g.articleId}/${newHtml}/galley.css`);
      assert.equal(copied.statusCode, 200, 'the new version’s HTML galley has its assets too');
      assert.equal(copied.body, GALLEY_CSS);
    });
  });
}
