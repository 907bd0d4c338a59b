import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { createUserWithRole } from '../../src/accounts/index.ts';
import { createIssue, createSection } from '../../src/catalog/index.ts';
import { axeViolations, launchChromium } from '../support/browser.ts';
import { startTestApp, type TestApp } from '../support/app.ts';
import { testDatabases } from '../support/databases.ts';

/**
 * Journal management in a real browser, without JavaScript's help: an empty issue is published only
 * from its confirmation page, adding a menu item keeps the items readers saw, deleting a section goes
 * through its confirmation page; axe (WCAG 2.2 AA) on each page on the way.
 */
const SCREENSHOTS = path.resolve('test-results/screenshots');

const [pglite] = await testDatabases();
let t: TestApp;
let browser: Browser;
let context: BrowserContext;
let page: Page;
let base: string;

before(async () => {
  t = await startTestApp(pglite!, { pageCache: false });
  base = await t.app.listen({ port: 0, host: '127.0.0.1' });
  const now = new Date();
  await createUserWithRole(t.database.db, { email: 'manager@example.org', password: 'manager password', role: 'manager', journalId: 1, now });
  await createUserWithRole(t.database.db, { email: 'admin@example.org', password: 'administrator password', role: 'admin', now });
  browser = await launchChromium();
  // CSP bypassed only so that axe can be injected at each step.
  context = await browser.newContext({ locale: 'en-GB', viewport: { width: 1280, height: 900 }, bypassCSP: true, javaScriptEnabled: true });
  page = await context.newPage();
  fs.mkdirSync(SCREENSHOTS, { recursive: true });
});

after(async () => {
  await browser?.close();
  await t?.close();
});

async function signIn(email: string, password: string): Promise<void> {
  await page.context().clearCookies();
  await page.goto(`${base}/login`);
  await page.getByLabel(/^Email/).fill(email);
  await page.getByLabel(/^Password/).fill(password);
  await page.locator('form.form button[type=submit]').click();
  await page.waitForURL((url) => !url.pathname.startsWith('/login'));
}

async function axeClean(what: string): Promise<void> {
  assert.deepEqual(await axeViolations(page), [], what);
}

describe('journal management in the browser', () => {
  before(() => signIn('manager@example.org', 'manager password'));

  it('publishes an empty issue only after the explicit confirmation', async () => {
    const id = await createIssue(t.database.db, { journalId: 1, volume: 90, number: '1' });
    await page.goto(`${base}/sm/management/issues`);
    await axeClean('issues page');
    await page.getByRole('link', { name: /Vol\. 90 No\. 1/ }).click();
    await axeClean('issue page');
    await page.getByRole('button', { name: 'Publish issue' }).click();
    await page.getByRole('heading', { name: /Publish Vol\. 90 No\. 1 without any articles\?/ }).waitFor();
    await axeClean('publish-empty confirmation');
    const issue = () => t.database.db.selectFrom('issues').select('is_published').where('id', '=', id).executeTakeFirstOrThrow();
    assert.equal((await issue()).is_published, false, 'the confirmation page publishes nothing');
    await page.getByRole('button', { name: 'Publish empty issue' }).click();
    await page.getByRole('status').filter({ hasText: /published/i }).waitFor();
    assert.equal((await issue()).is_published, true);
    await page.goto(`${base}/sm/issue/view/${id}`);
    assert.equal(await page.getByRole('heading', { level: 1 }).filter({ hasText: /Vol\. 90/ }).count(), 1);
  });

  it('adds a menu item and keeps the items readers saw', async () => {
    await page.goto(`${base}/sm`);
    const menu = page.getByRole('navigation', { name: 'Main navigation' });
    const before = await menu.getByRole('link').allInnerTexts();
    assert.deepEqual(before.slice(0, 4), ['Current', 'Archives', 'About', 'Announcements']);
    await page.goto(`${base}/sm/management/navigation`);
    await axeClean('menu editor');
    const group = page.getByRole('group', { name: /Label/ });
    await group.getByLabel('English').fill('Blog');
    await group.getByLabel('Polski').fill('Blog');
    await page.getByLabel('Leads to').selectOption('url');
    await page.getByLabel(/^Address/).fill('https://blog.example.org/');
    await page.getByRole('button', { name: 'Add menu item' }).click();
    await page.getByRole('status').waitFor();
    await axeClean('menu editor after adding');
    await page.goto(`${base}/sm`);
    assert.deepEqual((await menu.getByRole('link').allInnerTexts()).slice(0, 5), ['Current', 'Archives', 'About', 'Announcements', 'Blog']);
  });

  it('deletes a section through its confirmation page', async () => {
    await createSection(t.database.db, { journalId: 1, title: { en: 'Letters', pl: 'Listy' } });
    await page.goto(`${base}/sm/management/sections`);
    await axeClean('sections page');
    await page.getByRole('link', { name: 'Letters' }).click();
    await page.getByRole('link', { name: 'Delete section' }).click();
    await page.getByRole('heading', { name: 'Delete the section “Letters”?' }).waitFor();
    await axeClean('section delete confirmation');
    await page.screenshot({ path: path.join(SCREENSHOTS, 'management-confirmation-en.png'), fullPage: true });
    await page.getByRole('button', { name: 'Delete section' }).click();
    await page.waitForURL(/\/sm\/management\/sections\?notice=deleted/);
    assert.equal(await page.getByRole('link', { name: 'Letters' }).count(), 0);
    await axeClean('sections page after deleting');
  });

  it('lays out the journal edit page of the site admin, axe clean', async () => {
    await signIn('admin@example.org', 'administrator password');
    await page.goto(`${base}/admin/journals/1`);
    await axeClean('journal edit page');
    await page.screenshot({ path: path.join(SCREENSHOTS, 'admin-journal-edit-en.png'), fullPage: true });
    const english = page.getByRole('checkbox', { name: 'English' });
    const polish = page.getByRole('checkbox', { name: 'Polish' });
    // Each language box apart from the other (a line or a column of its own), its own label beside it.
    const [e, p] = [await english.boundingBox(), await polish.boundingBox()];
    assert.ok(e && p && (Math.abs(e.y - p.y) > 10 || Math.abs(e.x - p.x) > 100), 'the boxes stand apart');
    for (const [box, locale, name] of [[e, 'en', 'English'], [p, 'pl', 'Polish']] as const) {
      const label = await page.locator(`label[for="field-supportedLocales-${locale}"]`).boundingBox();
      assert.ok(label && Math.abs(label.y + label.height / 2 - (box.y + box.height / 2)) < 8 && label.x > box.x && label.x - (box.x + box.width) < 20, `${name}: its label beside its box`);
    }
    for (const action of ['disable', 'delete']) {
      await page.goto(`${base}/admin/journals/1/${action}`);
      await axeClean(`journal ${action} confirmation`);
    }
    await page.getByLabel(/^To confirm, type the journal’s path: sm/).fill('wrong');
    await page.getByRole('button', { name: 'Delete journal for good' }).click();
    await page.getByText('Type exactly sm to delete this journal.').first().waitFor();
    await axeClean('journal delete confirmation with an error');
    await page.goto(`${base}/admin/journals/1`);
    await page.getByRole('link', { name: /^Management of / }).click();
    await page.waitForURL(/\/sm\/management$/);
  });
});
