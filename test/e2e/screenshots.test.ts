import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { createUserWithRole } from '../../src/accounts/index.ts';
import { sendPrivatePage } from '../../src/platform/web/index.ts';
import { manageContext, ManagePage } from '../../src/admin/index.ts';
import { Badge, Cards, Confirmation, ConfirmLink, EmptyState, Pagination, trustedHtml } from '../../src/ui/index.ts';
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
let removals = 0;

// What the other parts of the management pages write with the shared class names (a fixed sample).
const SAMPLE_TOOLBAR = trustedHtml(
  '<form method="get" class="toolbar" role="search" aria-label="Find people"><div class="field"><label for="q">Name, email or ORCID</label><input id="q" type="search" name="q"></div><div class="field"><label for="role">Role</label><select id="role" name="role"><option>Any role</option></select></div><button type="submit" class="button button--secondary">Search</button></form>',
);
const SAMPLE_TABLE = (remove: unknown, ...badges: unknown[]) =>
  trustedHtml(
    `<table class="data-table"><caption>People in the journal</caption><thead><tr><th scope="col" aria-sort="ascending"><a class="sort-link" href="?sort=name&amp;dir=desc">Name</a></th><th scope="col"><a class="sort-link" href="?sort=email&amp;dir=asc">Email</a></th><th scope="col">Status</th><th scope="col"><span class="visually-hidden">Actions</span></th></tr></thead><tbody>` +
      badges.map((badge, i) => `<tr><td><a href="/sm/management/users">Person ${i + 1}</a></td><td>person${i + 1}@example.org</td><td>${String(badge)}</td><td class="row-actions"><a class="button button--secondary" href="/sm/management/users">Edit</a>${String(remove)}</td></tr>`).join('') +
      '</tbody></table>',
  );

/**
 * The real app (test/support/app.ts) with one more management page pair made of the real
 * components, a ConfirmLink and its Confirmation: no management page of this branch has a destructive
 * action yet, and the dialog needs one to open.
 */
async function startWithConfirmation(): Promise<TestApp> {
  return startTestApp(pglite!, {
    beforeReady: (app, database) => {
      const SETTINGS = { config: { permission: 'journal.settings' as const } };
      app.get('/:journal/management/design-check', SETTINGS, async (request, reply) => {
        const m = await manageContext(database.db, request, reply);
        return sendPrivatePage(
          reply,
          ManagePage({
            ...m,
            title: 'Design check',
            notice: 'Saved the sample.',
            children: [
              Cards({ cards: [{ title: 'Issues', value: '12', detail: '2 future, 10 published', href: '/sm/management/issues' }, { title: 'Undelivered', value: '3', detail: 'Messages that could not be sent', attention: true }, { title: 'Sections', value: '0', next: { href: '/sm/management/sections/new', label: 'Create the first section' } }] }),
              SAMPLE_TOOLBAR,
              SAMPLE_TABLE(ConfirmLink({ href: '/sm/management/design-check/remove', label: 'Remove the sample' }), Badge({ tone: 'success', children: 'Published' }), Badge({ tone: 'warning', children: 'Future' }), Badge({ tone: 'danger', children: 'Disabled' }), Badge({ tone: 'neutral', children: 'Draft' })),
              Pagination({ ctx: m.ctx, page: 2, pages: 5, href: (p) => `?page=${p}`, label: 'Pages of the list' }),
              EmptyState({ message: 'No announcements yet.', action: { href: '/sm/management/announcements/new', label: 'Write the first announcement' } }),
              ConfirmLink({ href: '/sm/management/issues', label: 'Not a confirmation' }),
            ],
          }),
        );
      });
      app.get('/:journal/management/design-check/remove', SETTINGS, async (request, reply) => {
        const m = await manageContext(database.db, request, reply);
        const confirmation = Confirmation({ ctx: m.ctx, action: '/sm/management/design-check/remove', question: 'Remove the sample?', consequences: ['The sample goes away.'], confirmLabel: 'Remove the sample', cancelHref: '/sm/management/design-check' });
        return sendPrivatePage(reply, ManagePage({ ...m, title: 'Remove the sample', children: confirmation }));
      });
      app.post('/:journal/management/design-check/remove', SETTINGS, async (_request, reply) => {
        removals += 1;
        return reply.redirect('/sm/management', 303);
      });
    },
  });
}

const PAGES = [
  ['overview', '/sm/management'],
  ['users', '/sm/management/users'],
  ['issues', '/sm/management/issues'],
  ['article', '/sm/management/articles/1786'],
  ['statistics', '/sm/management/stats?from=2026-01&to=2026-12'],
] as const;

before(async () => {
  t = await startWithConfirmation();
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

  it('opens a confirmation in a dialog, closes it with Escape or Cancel, and posts from it', async () => {
    const { context, page } = await managerContext('en');
    try {
      await page.goto(`${base}/sm/management/design-check?locale=en`);
      // The shared pieces (cards, toolbar, table, badges, paging, empty state) pass axe as they are.
      assert.deepEqual(await axeViolations(page), [], 'the shared classes');
      await page.screenshot({ path: path.join(SCREENSHOTS, 'shared-classes-en.png'), fullPage: true });
      const link = page.getByRole('link', { name: 'Remove the sample' }).first();
      const dialog = page.getByRole('dialog', { name: 'Remove the sample?' });
      await link.click();
      await dialog.waitFor();
      assert.equal(await dialog.getByText('The sample goes away.').isVisible(), true);
      assert.equal(await page.evaluate(() => document.activeElement?.closest('dialog') !== null), true, 'focus moves into the dialog');
      assert.deepEqual(await axeViolations(page), [], 'the open dialog');
      await page.screenshot({ path: path.join(SCREENSHOTS, 'confirmation-dialog-en.png') });
      assert.equal(removals, 0);
      await page.keyboard.press('Escape');
      await dialog.waitFor({ state: 'hidden' });
      assert.equal(await page.evaluate(() => document.activeElement?.textContent), 'Remove the sample', 'focus returns to the link');
      await link.click();
      await dialog.getByRole('link', { name: 'Cancel' }).click();
      await dialog.waitFor({ state: 'hidden' });
      assert.equal(new URL(page.url()).pathname, '/sm/management/design-check');
      assert.equal(removals, 0, 'nothing happened without the confirmation');
      await link.click();
      await dialog.getByRole('button', { name: 'Remove the sample' }).click();
      await page.waitForURL((url) => url.pathname === '/sm/management');
      assert.equal(removals, 1, 'the form in the dialog posted as the page would');
      // A link whose page holds no confirmation is simply followed.
      await page.goto(`${base}/sm/management/design-check?locale=en`);
      await page.getByRole('link', { name: 'Not a confirmation' }).click();
      await page.waitForURL((url) => url.pathname === '/sm/management/issues');
    } finally {
      await context.close();
    }
  });
});
