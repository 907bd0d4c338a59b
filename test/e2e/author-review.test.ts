import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { Browser } from 'playwright-core';
import { createUserWithRole } from '../../src/accounts/index.ts';
import { axeViolations, launchChromium } from '../support/browser.ts';
import { startTestApp, type TestApp } from '../support/app.ts';
import { testDatabases } from '../support/databases.ts';
import { PDF, revisionsRequested } from '../support/review-fixture.ts';

/**
 * The author's side of review in a real browser: the decision with the shared reviews on the
 * submission page, and the upload of a revised file (axe, WCAG 2.2 AA). Screenshots in
 * test-results/screenshots/.
 */
const SCREENSHOTS = path.resolve('test-results/screenshots');

const [pglite] = await testDatabases();
let t: TestApp;
let browser: Browser;
let base: string;
let submissionId: number;

before(async () => {
  t = await startTestApp(pglite!);
  base = await t.app.listen({ port: 0, host: '127.0.0.1' });
  const db = t.database.db;
  const person = async (email: string, role: 'author' | 'editor' | 'reviewer', givenName: string) => (await createUserWithRole(db, { email, password: 'a long enough password', role, journalId: 1, givenName, now: new Date() })).userId;
  const people = { author: await person('author@example.org', 'author', 'Ada'), editor: await person('editor@example.org', 'editor', 'Edith'), anna: await person('anna@example.org', 'reviewer', 'Anna'), bob: await person('bob@example.org', 'reviewer', 'Bob') };
  ({ submissionId } = await revisionsRequested(db, t.files, people));
  browser = await launchChromium();
  fs.mkdirSync(SCREENSHOTS, { recursive: true });
});

after(async () => {
  await browser?.close();
  await t?.close();
});

describe('the author’s side of review in the browser', () => {
  it('shows the decision with anonymous reviews and takes a revised file', async () => {
    const context = await browser.newContext({ locale: 'en-GB', viewport: { width: 1280, height: 900 }, bypassCSP: true });
    try {
      const page = await context.newPage();
      await page.goto(`${base}/login`);
      await page.getByLabel(/^Email/).fill('author@example.org');
      await page.getByLabel(/^Password/).fill('a long enough password');
      await page.locator('form.form button[type=submit]').click();
      await page.waitForURL((url) => !url.pathname.startsWith('/login'));
      await page.goto(`${base}/sm/workflow/index/${submissionId}`);
      await page.getByRole('heading', { name: 'Review', level: 2 }).waitFor();
      await page.getByRole('heading', { name: 'Reviewer A', level: 4 }).waitFor();
      assert.deepEqual(await axeViolations(page), [], 'the submission page with the review section');
      await page.screenshot({ path: path.join(SCREENSHOTS, 'author-review-decision.png'), fullPage: true });

      await page.getByRole('link', { name: 'Upload revised files' }).click();
      await page.getByRole('heading', { name: /^Revised files:/, level: 1 }).waitFor();
      assert.deepEqual(await axeViolations(page), [], 'the revisions page');
      const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'revista-revision-')), 'revised.pdf');
      fs.writeFileSync(file, PDF);
      await page.getByLabel(/^Kind of file/).selectOption('article');
      await page.getByLabel(/^Revised file/).setInputFiles(file);
      await page.getByRole('button', { name: 'Upload' }).click();
      await page.getByText('The revised file has been uploaded.').waitFor();
      await page.getByRole('link', { name: 'revised.pdf' }).waitFor();
      assert.deepEqual(await axeViolations(page), [], 'the revisions page with a file sent');
      await page.screenshot({ path: path.join(SCREENSHOTS, 'author-review-revisions.png'), fullPage: true });
    } finally {
      await context.close();
    }
  });
});
