import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { createUserWithRole } from '../../accounts/index.ts';
import { startTestApp, type TestApp } from '../../../test/support/app.ts';
import { axeViolations, launchChromium } from '../../../test/support/browser.ts';
import { testDatabases } from '../../../test/support/databases.ts';
import { HTML, inProduction, PDF, PNG, uploaded } from '../../../test/support/production-fixture.ts';
import { addGalleyAsset, createGalley, retypedAsset, sendProofs } from '../index.ts';

/** The Production section, the galley pages and the author's proof page in a browser, checked with axe (WCAG 2.2 AA), in English and Polish. */
const [pglite] = await testDatabases();
describe('the production pages pass axe', () => {
  let t: TestApp;
  let browser: Browser;
  let base: string;
  const urls: Record<string, string> = {};

  before(async () => {
    t = await startTestApp(pglite!);
    base = await t.app.listen({ port: 0, host: '127.0.0.1' });
    const db = t.database.db;
    const now = new Date();
    const person = async (email: string, role: 'author' | 'editor' | 'layout-editor', password: string) => (await createUserWithRole(db, { email, password, role, journalId: 1, now })).userId;
    const people = { author: await person('author@example.org', 'author', 'author password 1'), editor: await person('editor@example.org', 'editor', 'editor password 1'), layout: await person('layout@example.org', 'layout-editor', 'layout password 1') };
    const submissionId = await inProduction(db, t.files, people);
    const by = { journalId: 1, submissionId, userId: people.layout };
    const pdf = await createGalley(db, { ...by, label: 'PDF', locale: 'en', source: { kind: 'upload', upload: await uploaded(t.files, PDF, 'article.pdf', 'application/pdf') } });
    const html = await createGalley(db, { ...by, label: 'HTML', locale: 'en', source: { kind: 'upload', upload: await uploaded(t.files, HTML, 'article.html', 'text/html') } });
    await addGalleyAsset(db, { ...by, galleyId: html, name: 'figure1.png', upload: await retypedAsset(t.files, await uploaded(t.files, PNG, 'figure1.png', 'image/png'), 'figure1.png') });
    const [proof] = await sendProofs(db, { journalId: 1, submissionId, authorIds: [people.author], message: 'Please check the figures.', requestedBy: people.layout, now });
    const page = `/sm/workflow/index/${submissionId}`;
    urls.submission = page;
    urls.edit = `${page}/galleys/${pdf}/edit`;
    urls.remove = `${page}/galleys/${pdf}/remove`;
    urls.proof = `${page}/proofs/${proof}`;
    browser = await launchChromium();
  });
  after(async () => {
    await browser?.close();
    await t?.close();
  });

  async function check(page: Page, path: string): Promise<void> {
    const response = await page.goto(`${base}${path}`);
    assert.equal(response?.status(), 200, path);
    assert.deepEqual(await axeViolations(page), [], `axe: ${path}`);
  }

  async function signIn(page: Page, email: string, password: string) {
    await page.goto(`${base}/sm/login`);
    await page.locator('input[name=email]').fill(email);
    await page.locator('input[name=password]').fill(password);
    await page.locator('form.form button[type=submit]').click();
    await page.waitForURL((url) => !url.pathname.includes('/login'));
  }

  for (const locale of ['en', 'pl'] as const) {
    it(`in ${locale}: the layout editor’s section and galley pages, a refusal, the author’s proof page`, async () => {
      const layout = await browser.newContext({ locale, viewport: { width: 1280, height: 900 }, bypassCSP: true });
      const page = await layout.newPage();
      await signIn(page, 'layout@example.org', 'layout password 1');
      for (const name of ['submission', 'edit', 'remove'] as const) await check(page, urls[name]!);
      // A refusal shown in the section: a galley without a file or an address.
      await page.goto(`${base}${urls.submission}`);
      await page.locator('form[action$="/galleys"] button[type=submit]').click();
      await page.waitForLoadState();
      assert.match(page.url(), /productionError=file-or-url/);
      assert.deepEqual(await axeViolations(page), [], 'axe: the section with a refusal');
      await layout.close();

      const author = await browser.newContext({ locale, viewport: { width: 1280, height: 900 }, bypassCSP: true });
      const authorPage = await author.newPage();
      await signIn(authorPage, 'author@example.org', 'author password 1');
      await check(authorPage, urls.submission!);
      await check(authorPage, urls.proof!);
      await author.close();
    });
  }
});
