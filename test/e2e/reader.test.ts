import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { axeViolations, launchChromium } from '../support/browser.ts';
import { startTestApp, type TestApp } from '../support/app.ts';
import { testDatabases } from '../support/databases.ts';

/**
 * The reader site in a real browser (Debian's Chromium): every page passes axe's WCAG 2.2 AA rules,
 * skip links move keyboard focus, the language switcher works and is remembered, and pages work
 * without JavaScript. Screenshots go to test-results/screenshots/.
 */
const SCREENSHOTS = path.resolve('test-results/screenshots');

const [pglite] = await testDatabases();
let t: TestApp;
let browser: Browser;
let base: string;
let issueId: number;

before(async () => {
  t = await startTestApp(pglite!);
  base = await t.app.listen({ port: 0, host: '127.0.0.1' });
  issueId = (await t.database.db.selectFrom('issues').select('id').where('is_current', '=', true).executeTakeFirstOrThrow()).id;
  browser = await launchChromium();
  fs.mkdirSync(SCREENSHOTS, { recursive: true });
});

after(async () => {
  await browser?.close();
  await t?.close();
});

async function newContext(options: Parameters<Browser['newContext']>[0] = {}): Promise<BrowserContext> {
  return browser.newContext({ locale: 'pl-PL', viewport: { width: 1280, height: 900 }, ...options });
}

/** Opens a page, collecting console errors (a CSP violation is one). */
async function open(context: BrowserContext, url: string): Promise<{ page: Page; errors: string[]; status: number }> {
  const page = await context.newPage();
  const errors: string[] = [];
  page.on('console', (message) => {
    if (message.type() === 'error') errors.push(message.text());
  });
  page.on('pageerror', (error) => errors.push(error.message));
  const response = await page.goto(`${base}${url}`);
  return { page, errors, status: response?.status() ?? 0 };
}

const PAGES = [
  ['site-index', '/', 200],
  ['journal-home', '/sm', 200],
  ['archive', '/sm/issue/archive', 200],
  ['issue', () => `/sm/issue/view/${issueId}`, 200],
  ['article', '/sm/article/view/1786', 200],
  ['not-found-article', '/sm/article/view/999999', 404],
  ['not-found-route', '/nope/nothing', 404],
] as const;

describe('accessibility of every reader page (axe, WCAG 2.2 AA)', () => {
  for (const locale of ['pl', 'en'] as const) {
    for (const [name, address, status] of PAGES) {
      it(`${name} (${locale}) has no violations`, async () => {
        // The page's CSP allows no injected script; axe is injected by the test only.
        const context = await newContext({ bypassCSP: true });
        try {
          const url = typeof address === 'function' ? address() : address;
          const opened = await open(context, `${url}${url.includes('?') ? '&' : '?'}locale=${locale}`);
          assert.equal(opened.status, status);
          assert.equal(await opened.page.getAttribute('html', 'lang'), locale);
          assert.deepEqual(await axeViolations(opened.page), []);
          await opened.page.screenshot({ path: path.join(SCREENSHOTS, `${name}.${locale}.png`), fullPage: true });
        } finally {
          await context.close();
        }
      });
    }
  }
});

describe('keyboard and language', () => {
  it('skip links are the first stops and move focus to the menu, the content and the footer', async () => {
    const context = await newContext();
    try {
      const skipLinks = [
        ['Przejdź do głównego menu', 'main-navigation'],
        ['Przejdź do sekcji głównej', 'main-content'],
        ['Przejdź do stopki', 'site-footer'],
      ] as const;
      for (const [index, [label, target]] of skipLinks.entries()) {
        const { page } = await open(context, '/sm/article/view/1786');
        for (let i = 0; i <= index; i++) await page.keyboard.press('Tab');
        const focused = await page.evaluate(() => ({ text: document.activeElement?.textContent, visible: (document.activeElement as HTMLElement).getBoundingClientRect().top >= 0 }));
        assert.equal(focused.text, label);
        assert.ok(focused.visible, `${label} is visible when focused`);
        await page.keyboard.press('Enter');
        await page.waitForFunction((id) => document.activeElement?.id === id, target);
        assert.equal(await page.evaluate(() => document.activeElement?.id), target);
        await page.close();
      }
    } finally {
      await context.close();
    }
  });

  it('switches the article page to English and remembers the choice', async () => {
    const context = await newContext();
    try {
      const { page, errors } = await open(context, '/sm/article/view/1786');
      assert.equal(await page.getAttribute('html', 'lang'), 'pl');
      await page.getByRole('link', { name: 'English' }).click();
      await page.waitForURL(/locale=en/);
      assert.equal(await page.getAttribute('html', 'lang'), 'en');
      const text = await page.locator('body').innerText();
      for (const expected of [
        'Vol. 74 No. 4 (2021): Kaukaz Południowy na rozdrożu',
        'Submitted: December 27, 2021',
        'Published: December 27, 2021',
        'Abstract',
        'References',
        'Download data is not yet available.',
      ]) {
        assert.ok(text.includes(expected), `missing "${expected}"`);
      }
      await page.goto(`${base}/sm`);
      assert.equal(await page.getAttribute('html', 'lang'), 'en', 'the choice holds on pages without ?locale');
      assert.deepEqual(errors, []);
    } finally {
      await context.close();
    }
  });

  it('works without JavaScript', async () => {
    const context = await newContext({ javaScriptEnabled: false });
    try {
      const { page, errors } = await open(context, '/sm/article/view/1786');
      assert.equal(await page.locator('h1').innerText(), 'Russia’s approaches towards Armenia and Azerbaijan: evolution of the policy or interests come first?');
      assert.equal(await page.locator('ol.references > li').count(), 42);
      await page.getByRole('link', { name: /Tom 74 Nr 4/ }).first().click();
      assert.match(page.url(), /\/sm\/issue\/view\/\d+$/);
      assert.equal(await page.locator('.toc a', { hasText: 'Russia’s approaches' }).count(), 1);
      assert.deepEqual(errors, []);
    } finally {
      await context.close();
    }
  });

  it('loads the stylesheet without any console error or CSP violation', async () => {
    const context = await newContext();
    try {
      const { page, errors } = await open(context, '/sm/article/view/1786');
      const background = await page.evaluate(() => getComputedStyle(document.querySelector('.site-header')!).backgroundColor);
      assert.equal(background, 'rgb(7, 55, 99)', 'the site stylesheet applied');
      assert.deepEqual(errors, []);
    } finally {
      await context.close();
    }
  });
});
