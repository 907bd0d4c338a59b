import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, beforeEach, describe, it } from 'node:test';
import type { Browser, BrowserContext, Frame, Page } from 'playwright-core';
import { axeViolations, launchChromium } from '../support/browser.ts';
import { startTestApp, type TestApp } from '../support/app.ts';
import { testDatabases } from '../support/databases.ts';
import { articleWithGalleys, submissionWithGalleys } from '../support/galley-fixture.ts';
import { createUserWithRole } from '../../src/accounts/index.ts';

/**
 * The galley viewer in a real browser (Debian's Chromium): the PDF drawn in the page by the browser's
 * own viewer, the download one click (with JavaScript on and off), axe clean; and a hostile HTML
 * galley that, in its frame or opened alone, runs no script on the site's origin, sets no cookie,
 * calls nothing on the server, posts no form and never moves the top page.
 */
const SCREENSHOTS = path.resolve('test-results/screenshots');

const [pglite] = await testDatabases();
let t: TestApp;
let browser: Browser;
let base: string;
let g: Awaited<ReturnType<typeof articleWithGalleys>>;
let proofs: Awaited<ReturnType<typeof submissionWithGalleys>>;
const PASSWORD = 'a long enough password';
/** Every request the server got, as "METHOD url". */
const requests: string[] = [];

before(async () => {
  t = await startTestApp(pglite!, {
    beforeReady: (app) =>
      app.addHook('onRequest', async (request) => {
        requests.push(`${request.method} ${request.url}`);
      }),
  });
  g = await articleWithGalleys(t.database.db, t.files, 'A galley in the page');
  const person = async (email: string, role: 'author' | 'layout-editor' | 'editor') => (await createUserWithRole(t.database.db, { email, password: PASSWORD, role, journalId: 1, now: new Date() })).userId;
  proofs = await submissionWithGalleys(t.database.db, t.files, { author: await person('proofs.author@example.org', 'author'), layoutEditor: await person('proofs.layout@example.org', 'layout-editor'), editor: await person('proofs.editor@example.org', 'editor') });
  await t.changes.sync();
  base = await t.app.listen({ port: 0, host: '127.0.0.1' });
  browser = await launchChromium();
  fs.mkdirSync(SCREENSHOTS, { recursive: true });
});

after(async () => {
  await browser?.close();
  await t?.close();
});

async function newContext(options: Parameters<Browser['newContext']>[0] = {}): Promise<BrowserContext> {
  return browser.newContext({ locale: 'en-GB', viewport: { width: 1280, height: 1000 }, acceptDownloads: true, ...options });
}

/** Waits until `test` holds in some frame of the page (frames load on their own time). */
async function frameWhere(page: Page, test: (frame: Frame) => Promise<boolean>, what: string): Promise<Frame> {
  const deadline = Date.now() + 15_000;
  while (Date.now() < deadline) {
    for (const frame of page.frames()) if (await test(frame).catch(() => false)) return frame;
    await page.waitForTimeout(200);
  }
  const seen = await Promise.all(page.frames().map(async (f) => `${f.url()} ${await f.evaluate(() => `${document.contentType} ${document.body?.innerHTML.slice(0, 120)}`).catch((e: Error) => e.message)}`));
  throw new Error(`no frame: ${what}; frames: ${seen.join(' | ')}`);
}

describe('the PDF viewer', () => {
  it('draws the PDF in the page, downloads in one click, and passes axe', async () => {
    // axe is injected by the test: the page's CSP allows no injected script.
    const context = await newContext({ bypassCSP: true });
    try {
      const page = await context.newPage();
      const response = await page.goto(`${base}/sm/article/view/${g.articleId}/${g.pdf}`);
      assert.equal(response?.status(), 200);
      assert.equal(await page.locator('h1').innerText(), 'A galley in the page');
      // Chromium shows an inline PDF as a document of type application/pdf, with its viewer plugged into the frame (an <embed>).
      await frameWhere(page, async (f) => f.url().endsWith(`/sm/article/download/${g.articleId}/${g.pdf}?inline=1`) && (await f.evaluate(() => document.contentType)) === 'application/pdf', 'the inline PDF');
      await frameWhere(page, async (f) => f.url().endsWith(`?inline=1`) && (await f.evaluate(() => document.querySelector('embed[type="application/x-google-chrome-pdf"]') !== null)), 'the PDF in its viewer');
      await frameWhere(page, async (f) => f.url().startsWith('chrome-extension://'), 'the browser’s PDF viewer');
      await page.waitForTimeout(1000);
      await page.screenshot({ path: path.join(SCREENSHOTS, 'galley-viewer-pdf.png'), fullPage: true });
      assert.deepEqual(await axeViolations(page), []);
      const [download] = await Promise.all([page.waitForEvent('download'), page.click('.galley-page__download')]);
      assert.equal(download.suggestedFilename(), 'galleys.pdf');
    } finally {
      await context.close();
    }
  });

  it('the HTML, EPUB and remote galleys’ pages pass axe too', async () => {
    const context = await newContext({ bypassCSP: true });
    try {
      for (const [name, galley] of [['html', g.html], ['epub', g.epub], ['remote', g.remote]] as const) {
        const page = await context.newPage();
        assert.equal((await page.goto(`${base}/sm/article/view/${g.articleId}/${galley}?locale=pl`))?.status(), 200);
        assert.deepEqual(await axeViolations(page), [], name);
        await page.screenshot({ path: path.join(SCREENSHOTS, `galley-viewer-${name}.pl.png`), fullPage: true });
        await page.close();
      }
    } finally {
      await context.close();
    }
  });

  it('works without JavaScript: the frame and the one-click download are there', async () => {
    const context = await newContext({ javaScriptEnabled: false });
    try {
      const page = await context.newPage();
      await page.goto(`${base}/sm/article/view/${g.articleId}/${g.pdf}`);
      assert.equal(await page.getAttribute('iframe.galley-frame--pdf', 'src'), `/sm/article/download/${g.articleId}/${g.pdf}?inline=1`);
      const [download] = await Promise.all([page.waitForEvent('download'), page.click('.galley-page__download')]);
      assert.equal(download.suggestedFilename(), 'galleys.pdf');
      // And from the article page: the galley link leads to the viewer, the download beside it.
      await page.goto(`${base}/sm/article/view/${g.articleId}`);
      await Promise.all([page.waitForURL(`${base}/sm/article/view/${g.articleId}/${g.pdf}`), page.click(`a.galley-link[href$="/${g.pdf}"]`)]);
    } finally {
      await context.close();
    }
  });
});

describe('a hostile HTML galley', () => {
  const HARM = /from=galley|\/api\/v1\/|POST \/sm\/login/;
  // Since the test began: the axe test above opens the HTML galley's page with CSP bypassed (as only a test can).
  let since = 0;
  beforeEach(() => {
    since = requests.length;
  });
  const harmful = () => requests.slice(since).filter((r) => HARM.test(r));
  const cookieNames = async (context: BrowserContext) => (await context.cookies()).map((c) => c.name);

  it('runs no script and moves nothing in the viewer’s frame; its own images and styles show', async () => {
    const context = await newContext();
    try {
      const page = await context.newPage();
      const topNavigations: string[] = [];
      page.on('framenavigated', (frame) => {
        if (frame === page.mainFrame()) topNavigations.push(frame.url());
      });
      const viewer = `${base}/sm/article/view/${g.articleId}/${g.html}`;
      assert.equal((await page.goto(viewer))?.status(), 200);
      const galley = await frameWhere(page, async (f) => f.url().endsWith(`/sm/article/galley-html/${g.articleId}/${g.html}/`) && (await f.evaluate(() => document.readyState)) === 'complete', 'the galley frame');
      await page.waitForTimeout(1500);
      // What a person could still do inside the frame: send the form, follow the javascript: link and a link aimed at the top page.
      await galley.click('#post-button').catch(() => undefined);
      await galley.click('#js-link').catch(() => undefined);
      await galley.click('#top-link').catch(() => undefined);
      await page.waitForTimeout(1500);
      await page.screenshot({ path: path.join(SCREENSHOTS, 'galley-viewer-html.png'), fullPage: true });

      assert.equal(page.url(), viewer, 'the top page stays where it was');
      assert.deepEqual(topNavigations, [viewer], 'and was navigated once: by the test');
      assert.equal(await page.locator('h1').innerText(), 'A galley in the page', 'the site’s page is untouched');
      assert.doesNotMatch(await page.content(), /owned/);
      assert.deepEqual(await cookieNames(context), [], 'no cookie was written');
      assert.deepEqual(harmful(), [], 'no request was made for the galley’s scripts, and no form was posted');
      const inFrame = await frameWhere(page, async (f) => f.url().includes('/sm/article/galley-html/') && (await f.evaluate(() => document.readyState)) === 'complete', 'the galley frame, still');
      assert.equal(await inFrame.evaluate(() => window.origin), 'null', 'the galley has an opaque origin, not the site’s');
      assert.equal(await inFrame.evaluate(() => document.title), 'Hostile galley', 'its script never ran');
      assert.equal(await inFrame.evaluate(() => (document.getElementById('figure') as HTMLImageElement).naturalWidth), 1, 'its image asset loads');
      assert.equal(await inFrame.evaluate(() => getComputedStyle(document.getElementById('galley-heading')!).color), 'rgb(0, 80, 0)', 'its style sheet applies');
    } finally {
      await context.close();
    }
  });

  it('opened alone (not in the frame), the document and its SVG asset run no script either', async () => {
    const context = await newContext();
    try {
      const page = await context.newPage();
      const url = `${base}/sm/article/galley-html/${g.articleId}/${g.html}/`;
      assert.equal((await page.goto(url))?.status(), 200);
      await page.waitForTimeout(2000);
      assert.equal(page.url(), url, 'no meta refresh, no script moved it');
      assert.equal(await page.evaluate(() => document.title), 'Hostile galley');
      assert.equal(await page.evaluate(() => window.origin), 'null');
      const svg = `${base}/sm/article/galley-html/${g.articleId}/${g.html}/evil.svg`;
      assert.equal((await page.goto(svg))?.status(), 200);
      await page.waitForTimeout(1000);
      assert.equal(page.url(), svg);
      assert.deepEqual(await cookieNames(context), []);
      assert.deepEqual(harmful(), []);
      // The traversal the HTML tries (`..%2F..%2Fgalley.css`) named no asset.
      assert.ok(requests.some((r) => r.includes('..%2F..%2Fgalley.css')), 'the browser did ask');
    } finally {
      await context.close();
    }
  });
});

describe('the team’s preview before publication', () => {
  it('shows the layout editor the HTML galley sandboxed, its images and styles loaded through the signed address; axe clean', async () => {
    const start = requests.length;
    const context = await newContext();
    try {
      const page = await context.newPage();
      await page.goto(`${base}/sm/login`);
      await page.fill('input[name=email]', 'proofs.layout@example.org');
      await page.fill('input[name=password]', PASSWORD);
      await Promise.all([page.waitForURL((url) => !url.pathname.endsWith('/login')), page.press('input[name=password]', 'Enter')]);
      const preview = `${base}/sm/workflow/index/${proofs.submissionId}/galleys/${proofs.html}/preview`;
      assert.equal((await page.goto(preview))?.status(), 200);
      const galley = await frameWhere(page, async (f) => f.url().includes('/preview/html/') && (await f.evaluate(() => document.readyState)) === 'complete', 'the preview frame');
      await page.waitForTimeout(1500);
      await page.screenshot({ path: path.join(SCREENSHOTS, 'galley-preview-html.png'), fullPage: true });
      assert.equal(page.url(), preview);
      assert.equal(await galley.evaluate(() => window.origin), 'null');
      assert.equal(await galley.evaluate(() => document.title), 'Hostile galley');
      assert.equal(await galley.evaluate(() => (document.getElementById('figure') as HTMLImageElement).naturalWidth), 1, 'the image loads without the session cookie');
      assert.equal(await galley.evaluate(() => getComputedStyle(document.getElementById('galley-heading')!).color), 'rgb(0, 80, 0)');
      assert.ok(!(await context.cookies()).some((c) => ['pwned', 'onerror', 'svg', 'svgscript'].includes(c.name)));
      assert.deepEqual(requests.slice(start).filter((r) => /from=galley|\/api\/v1\//.test(r)), []);
    } finally {
      await context.close();
    }
    // The PDF preview, with axe (injected: its CSP is bypassed, so the HTML galley is not the page checked).
    const checked = await newContext({ bypassCSP: true });
    try {
      const page = await checked.newPage();
      await page.goto(`${base}/sm/login`);
      await page.fill('input[name=email]', 'proofs.author@example.org');
      await page.fill('input[name=password]', PASSWORD);
      await Promise.all([page.waitForURL((url) => !url.pathname.endsWith('/login')), page.press('input[name=password]', 'Enter')]);
      assert.equal((await page.goto(`${base}/sm/workflow/index/${proofs.submissionId}/galleys/${proofs.pdf}/preview`))?.status(), 200);
      assert.deepEqual(await axeViolations(page), []);
    } finally {
      await checked.close();
    }
  });
});
