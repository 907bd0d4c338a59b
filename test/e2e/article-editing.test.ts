import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { createUserWithRole } from '../../src/accounts/index.ts';
import { DEMO_ARTICLE_ID } from '../../src/demo/index.ts';
import { axeViolations, launchChromium } from '../support/browser.ts';
import { startTestApp, type TestApp } from '../support/app.ts';
import { testDatabases } from '../support/databases.ts';

/**
 * Issue 17 acceptance: an editor fixes a migrated article (the seeded demo article, taken from its OJS
 * page) in a real browser — adds a contributor and a PDF galley — and readers then get
 * `citation_pdf_url`, the new contributor, and the list of versions with the earlier one openable.
 * axe (WCAG 2.2 AA) on every page on the way; screenshots in test-results/screenshots/.
 */
const SCREENSHOTS = path.resolve('test-results/screenshots');

/** A small, well-formed one-page PDF (a real cross-reference table, so PDF readers open it). */
function tinyPdf(text: string): Buffer {
  const objects = [
    '<< /Type /Catalog /Pages 2 0 R >>',
    '<< /Type /Pages /Kids [3 0 R] /Count 1 >>',
    '<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> >>',
    `<< /Length ${`BT /F1 18 Tf 72 760 Td (${text}) Tj ET`.length} >>\nstream\nBT /F1 18 Tf 72 760 Td (${text}) Tj ET\nendstream`,
    '<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>',
  ];
  let body = '%PDF-1.4\n';
  const offsets: number[] = [];
  objects.forEach((object, i) => {
    offsets.push(Buffer.byteLength(body));
    body += `${i + 1} 0 obj\n${object}\nendobj\n`;
  });
  const xref = Buffer.byteLength(body);
  body += `xref\n0 ${objects.length + 1}\n0000000000 65535 f \n${offsets.map((o) => `${String(o).padStart(10, '0')} 00000 n \n`).join('')}`;
  body += `trailer\n<< /Size ${objects.length + 1} /Root 1 0 R >>\nstartxref\n${xref}\n%%EOF\n`;
  return Buffer.from(body, 'latin1');
}

const [pglite] = await testDatabases();
let t: TestApp;
let browser: Browser;
let base: string;

before(async () => {
  t = await startTestApp(pglite!);
  base = await t.app.listen({ port: 0, host: '127.0.0.1' });
  await createUserWithRole(t.database.db, { email: 'editor@example.org', password: 'editor password long', role: 'editor', journalId: 1, givenName: 'Edyta', now: new Date() });
  browser = await launchChromium();
  fs.mkdirSync(SCREENSHOTS, { recursive: true });
});

after(async () => {
  await browser?.close();
  await t?.close();
});

async function checked(page: Page, what: string, screenshot?: string): Promise<void> {
  assert.deepEqual(await axeViolations(page), [], what);
  if (screenshot) await page.screenshot({ path: path.join(SCREENSHOTS, screenshot), fullPage: true });
}

describe('article editing in the browser', () => {
  it('adds a contributor and a PDF galley to a migrated article; readers get citation_pdf_url and its versions', async () => {
    // CSP bypassed only so that axe can be injected at each step.
    const context = await browser.newContext({ locale: 'en-GB', viewport: { width: 1280, height: 900 }, bypassCSP: true });
    try {
      const page = await context.newPage();
      await page.goto(`${base}/sm/login?locale=en`);
      await page.getByLabel(/^Email/).fill('editor@example.org');
      await page.getByLabel(/^Password/).fill('editor password long');
      await page.locator('form.form button[type=submit]').click();
      await page.waitForURL((url) => !url.pathname.startsWith('/sm/login'));

      await page.goto(`${base}/sm/management/articles`);
      await checked(page, 'article list', 'article-list-en.png');
      await page.getByRole('searchbox', { name: 'Search', exact: true }).fill('Russia');
      await page.getByRole('button', { name: 'Show', exact: true }).click();
      await page.getByRole('link', { name: /Russia’s approaches/ }).click();
      await page.waitForURL(`${base}/sm/management/articles/${DEMO_ARTICLE_ID}`);
      await checked(page, 'article editing page', 'article-editing-en.png');

      await page.getByRole('link', { name: 'Add contributor' }).click();
      await checked(page, 'new contributor form');
      await page.getByRole('group', { name: /Given name/ }).getByLabel('English').fill('Ewa');
      await page.getByRole('group', { name: /Family name/ }).getByLabel('English').fill('Lis');
      await page.getByLabel('ORCID iD').fill('0000-0002-1825-0097');
      await page.getByRole('group', { name: 'Affiliation 1' }).getByRole('group', { name: 'Institution' }).getByLabel('English').fill('University of Warsaw');
      await page.getByRole('group', { name: 'Affiliation 1' }).getByLabel('ROR id').fill('https://ror.org/039bjqg32');
      await page.getByRole('button', { name: 'Save' }).click();
      await page.waitForURL(/\/management\/articles\/\d+\?notice=changed/);
      assert.match(await page.locator('#article-contributors + table, section[aria-labelledby=article-contributors]').first().innerText(), /Ewa Lis/);
      await checked(page, 'article page after adding a contributor');

      // The removal's confirmation page is reachable and says what happens; cancelling changes nothing.
      await page.getByRole('row', { name: /Ewa Lis/ }).getByRole('link', { name: 'Remove' }).click();
      await page.getByRole('heading', { name: 'Remove Ewa Lis from this article?' }).waitFor();
      await checked(page, 'contributor removal confirmation');
      await page.getByRole('link', { name: 'Cancel' }).click();

      await page.getByRole('link', { name: 'Add galley' }).click();
      await checked(page, 'new galley form');
      await page.getByLabel('Label').fill('PDF');
      await page.locator('#field-file').setInputFiles({ name: 'article.pdf', mimeType: 'application/pdf', buffer: tinyPdf('Russia approaches') });
      await page.getByRole('button', { name: 'Save' }).click();
      await page.waitForURL(/\/management\/articles\/\d+\?notice=changed/);
      await page.getByRole('row', { name: /PDF/ }).waitFor();
      await checked(page, 'article page after adding a galley');

      await page.goto(`${base}/sm/management/articles/${DEMO_ARTICLE_ID}?locale=pl`);
      await checked(page, 'article editing page in Polish', 'article-editing-pl.png');
      await page.goto(`${base}/sm/management/articles?locale=pl`);
      await checked(page, 'article list in Polish', 'article-list-pl.png');
    } finally {
      await context.close();
    }

    // A reader (not signed in) sees the change.
    await t.changes.sync();
    const reader = await browser.newContext({ locale: 'en-GB', viewport: { width: 1280, height: 900 }, bypassCSP: true });
    try {
      const page = await reader.newPage();
      await page.goto(`${base}/sm/article/view/${DEMO_ARTICLE_ID}?locale=en`);
      const pdfUrl = await page.locator('meta[name=citation_pdf_url]').getAttribute('content');
      assert.match(pdfUrl ?? '', new RegExp(`/sm/article/download/${DEMO_ARTICLE_ID}/\\d+$`));
      await page.locator('.contributor__name', { hasText: 'Ewa Lis' }).waitFor();
      await page.getByRole('link', { name: /^PDF/ }).first().waitFor();
      const versions = page.locator('section[aria-labelledby=article-versions] li');
      assert.ok((await versions.count()) >= 3, 'the original and the two new versions');
      await checked(page, 'public article page with versions');
      const download = await page.request.get(new URL(pdfUrl!).pathname.replace(/^/, base));
      assert.equal(download.status(), 200);
      assert.equal((await download.body()).subarray(0, 5).toString(), '%PDF-');

      await page.getByRole('link', { name: /^Version 1 / }).click();
      await page.getByText('This is an earlier version (version 1) of this article.').waitFor();
      assert.equal(await page.locator('meta[name=citation_pdf_url]').count(), 0, 'indexers read the current version only');
      assert.equal(await page.locator('.contributor__name', { hasText: 'Ewa Lis' }).count(), 0, 'version 1 had no Ewa Lis');
      await checked(page, 'earlier version page', 'article-version-en.png');
      await page.getByRole('link', { name: 'Read the current version' }).click();
      await page.locator('.contributor__name', { hasText: 'Ewa Lis' }).waitFor();
    } finally {
      await reader.close();
    }
  });
});
