import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { Browser } from 'playwright-core';
import { startTestApp, type TestApp } from '../support/app.ts';
import { axeViolations, launchChromium } from '../support/browser.ts';
import { testDatabases } from '../support/databases.ts';

const SCREENSHOTS = path.resolve('test-results/screenshots');
const [pglite] = await testDatabases();
let t: TestApp;
let browser: Browser;
let base: string;
let galleyId = 0;

before(async () => {
  t = await startTestApp(pglite!);
  const stored = await t.files.put(Buffer.from('%PDF-1.4\n% demo galley\n'));
  const file = await t.database.db.insertInto('files').values({ storage_key: stored.key, mime_type: 'application/pdf', size_bytes: stored.sizeBytes, sha256: stored.sha256, original_name: 'article.pdf' }).returning('id').executeTakeFirstOrThrow();
  const publication = await t.database.db.selectFrom('publications').select('id').where('article_id', '=', 1786).executeTakeFirstOrThrow();
  galleyId = (await t.database.db.insertInto('galleys').values({ publication_id: publication.id, label: 'PDF', locale: 'en', file_id: file.id }).returning('id').executeTakeFirstOrThrow()).id;
  base = await t.app.listen({ port: 0, host: '127.0.0.1' });
  browser = await launchChromium();
  fs.mkdirSync(SCREENSHOTS, { recursive: true });
});

after(async () => {
  await browser?.close();
  await t?.close();
});

describe('the article page’s downloads chart in a browser', () => {
  it('replaces the placeholder after a few downloads, readable and accessible', async () => {
    const context = await browser.newContext({ locale: 'pl-PL', bypassCSP: true, viewport: { width: 1280, height: 900 } });
    try {
      const page = await context.newPage();
      await page.goto(`${base}/sm/article/view/1786`);
      assert.equal(await page.getByText('Dane dotyczące pobrań nie są jeszcze dostępne.').count(), 1);
      // Three readers download the PDF (different browsers: different COUNTER sessions).
      for (const agent of ['Mozilla/5.0 (X11; Linux x86_64) Firefox/128.0', 'Mozilla/5.0 (Windows NT 10.0) Chrome/126.0', 'Mozilla/5.0 (Macintosh) Safari/605.1']) {
        const response = await fetch(`${base}/sm/article/download/1786/${galleyId}`, { headers: { 'user-agent': agent } });
        assert.equal(response.status, 200);
        await response.arrayBuffer();
      }
      await new Promise((r) => setTimeout(r, 5100));
      await page.goto(`${base}/sm/article/view/1786`);
      assert.equal(await page.getByText('Dane dotyczące pobrań nie są jeszcze dostępne.').count(), 0);
      const chart = page.locator('figure.usage-chart svg[role="img"]');
      await chart.waitFor();
      assert.match((await page.locator('figure.usage-chart figcaption').innerText()) ?? '', /razem 3$/);
      assert.deepEqual(await axeViolations(page), []);
      await page.locator('figure.usage-chart').screenshot({ path: path.join(SCREENSHOTS, 'usage-chart.pl.png') });
      await page.screenshot({ path: path.join(SCREENSHOTS, 'article-with-downloads.pl.png'), fullPage: true });
    } finally {
      await context.close();
    }
  });
});
