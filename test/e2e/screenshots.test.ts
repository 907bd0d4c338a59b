import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { createUserWithRole } from '../../src/accounts/index.ts';
import { startTestApp, type TestApp } from '../support/app.ts';
import { axeViolations, launchChromium } from '../support/browser.ts';
import { testDatabases } from '../support/databases.ts';

/**
 * The management application as the journal team sees it: the demo journal's overview, people,
 * issues, an article's editing page and the usage statistics, in both languages, checked with axe
 * and kept as full-page screenshots in test-results/screenshots/<page>-<lang>.png for people to look
 * at. Also the phone layout (the sidebar becomes a menu) and the confirmation dialog.
 */
const SCREENSHOTS = path.resolve('test-results/screenshots');
const [pglite] = await testDatabases();
let t: TestApp;
let browser: Browser;
let base: string;

const PAGES = [
  ['overview', '/sm/management'],
  ['users', '/sm/management/users'],
  ['issues', '/sm/management/issues'],
  ['article', '/sm/management/articles/1786'],
  ['statistics', '/sm/management/stats?from=2026-01&to=2026-12'],
] as const;

before(async () => {
  t = await startTestApp(pglite!);
  const now = new Date();
  await createUserWithRole(t.database.db, { email: 'admin@example.org', password: 'administrator password', role: 'admin', now });
  await createUserWithRole(t.database.db, { email: 'manager@example.org', password: 'manager password', role: 'manager', journalId: 1, givenName: 'Maria', now });
  // A year of downloads of the seeded article, so the statistics page has a chart to draw.
  const months = ['2026-01', '2026-02', '2026-03', '2026-04', '2026-05', '2026-06', '2026-07', '2026-08', '2026-09', '2026-10', '2026-11'];
  await t.database.db
    .insertInto('usage_item_months')
    .values(months.map((m, i) => ({ article_id: 1786, journal_id: 1, month: `${m}-01`, investigations: 40 + i * 9, unique_investigations: 30 + i * 7, requests: 20 + ((i * 37) % 60), unique_requests: 15 + ((i * 29) % 40) })))
    .execute();
  base = await t.app.listen({ port: 0, host: '127.0.0.1' });
  browser = await launchChromium();
  fs.mkdirSync(SCREENSHOTS, { recursive: true });
});

after(async () => {
  await browser?.close();
  await t?.close();
});

async function signIn(page: Page, email: string, password: string): Promise<void> {
  await page.goto(`${base}/login`);
  await page.getByLabel(/^E-mail|^Email/).fill(email);
  await page.getByLabel(/^Hasło|^Password/).fill(password);
  await page.locator('form.form button[type=submit]').click();
  await page.waitForURL((url) => !url.pathname.startsWith('/login'));
}

async function managerContext(locale: 'pl' | 'en', viewport = { width: 1280, height: 800 }): Promise<{ context: BrowserContext; page: Page }> {
  // CSP bypassed only so that axe can be injected.
  const context = await browser.newContext({ bypassCSP: true, locale: locale === 'pl' ? 'pl-PL' : 'en-GB', viewport });
  const page = await context.newPage();
  await signIn(page, 'manager@example.org', 'manager password');
  return { context, page };
}

describe('the management application in a browser', () => {
  for (const locale of ['pl', 'en'] as const) {
    it(`shows the journal team's main pages, accessible, with the current area marked (${locale})`, async () => {
      const { context, page } = await managerContext(locale);
      try {
        for (const [name, url] of PAGES) {
          const response = await page.goto(`${base}${url}${url.includes('?') ? '&' : '?'}locale=${locale}`);
          assert.equal(response?.status(), 200, url);
          assert.deepEqual(await axeViolations(page), [], url);
          // The sidebar marks where the page belongs; the header names the journal and links the public site.
          const current = page.locator('.app-sidebar a[aria-current]');
          assert.equal(await current.count(), 1, `${url}: one current item`);
          assert.equal(await page.locator('.app-header a[href="/sm"]').count(), 1, `${url}: a link to the journal's site`);
          await page.screenshot({ path: path.join(SCREENSHOTS, `${name}-${locale}.png`), fullPage: true });
        }
        // Management uses the application's sans-serif face, never the reader's theme.
        const family = await page.evaluate(() => getComputedStyle(document.body).fontFamily);
        assert.match(family, /system-ui/);
      } finally {
        await context.close();
      }
    });
  }

  it('shows the site administration overview with its counts', async () => {
    const context = await browser.newContext({ bypassCSP: true, locale: 'en-GB', viewport: { width: 1280, height: 800 } });
    try {
      const page = await context.newPage();
      await signIn(page, 'admin@example.org', 'administrator password');
      await page.goto(`${base}/admin?locale=en`);
      assert.equal(await page.locator('.cards .card').count() >= 3, true);
      assert.deepEqual(await axeViolations(page), [], '/admin');
      await page.screenshot({ path: path.join(SCREENSHOTS, 'admin-overview-en.png'), fullPage: true });
    } finally {
      await context.close();
    }
  });

  it('turns the sidebar into a menu to open on a phone', async () => {
    const { context, page } = await managerContext('pl', { width: 390, height: 844 });
    try {
      await page.goto(`${base}/sm/management/issues?locale=pl`);
      assert.equal(await page.locator('.app-sidebar').isVisible(), false);
      const menu = page.locator('.app-menu summary');
      assert.equal(await menu.isVisible(), true);
      assert.equal(await page.getByRole('navigation', { name: 'Zarządzanie czasopismem' }).getByRole('link', { name: 'Ustawienia czasopisma' }).isVisible(), false);
      await menu.click();
      assert.equal(await page.getByRole('navigation', { name: 'Zarządzanie czasopismem' }).getByRole('link', { name: 'Ustawienia czasopisma' }).isVisible(), true);
      assert.deepEqual(await axeViolations(page), []);
      // Nothing wider than the phone's screen but the tables' own content.
      const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
      assert.ok(overflow <= 0, `the page scrolls sideways by ${overflow}px`);
      await page.screenshot({ path: path.join(SCREENSHOTS, 'issues-phone-pl.png'), fullPage: true });
    } finally {
      await context.close();
    }
  });
});
