import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { createUserWithRole } from '../../src/accounts/index.ts';
import { startTestApp, type TestApp } from '../support/app.ts';
import { axeViolations, launchChromium } from '../support/browser.ts';
import { testDatabases } from '../support/databases.ts';

/**
 * The journal manager's OJS import page in a browser: with JavaScript the upload shows its progress
 * and the report replaces the page; without JavaScript the same form submits as a plain form.
 */
const SCREENSHOTS = path.resolve('test-results/screenshots');
const FIXTURE = path.resolve('test/fixtures/ojs/three-issues.xml');
const [pglite] = await testDatabases();
let t: TestApp;
let browser: Browser;
let base: string;

before(async () => {
  t = await startTestApp(pglite!);
  base = await t.app.listen({ port: 0, host: '127.0.0.1' });
  await createUserWithRole(t.database.db, { email: 'manager@example.org', password: 'manager password', role: 'manager', journalId: 1, now: new Date() });
  browser = await launchChromium();
  fs.mkdirSync(SCREENSHOTS, { recursive: true });
});

after(async () => {
  await browser?.close();
  await t?.close();
});

async function signIn(page: Page): Promise<void> {
  await page.goto(`${base}/login?locale=en`);
  await page.getByLabel(/^Email/).fill('manager@example.org');
  await page.getByLabel(/^Password/).fill('manager password');
  await page.locator('form.form button[type=submit]').click();
  await page.waitForURL((url) => !url.pathname.startsWith('/login'));
}

async function issueCount(): Promise<number> {
  const row = await t.database.db.selectFrom('issues').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
  return Number(row.n);
}

describe('OJS import page in a browser', () => {
  for (const javaScriptEnabled of [true, false]) {
    it(`runs a dry run of an uploaded file and shows the report, writing nothing (JavaScript ${javaScriptEnabled ? 'on' : 'off'})`, async () => {
      // CSP bypassed only so that axe can be injected.
      const context = await browser.newContext({ locale: 'en-GB', bypassCSP: true, javaScriptEnabled, viewport: { width: 1280, height: 900 } });
      try {
        const page = await context.newPage();
        await signIn(page);
        await page.goto(`${base}/sm/management/ojs?locale=en`);
        const before = await issueCount();
        const statusTexts: string[] = [];
        if (javaScriptEnabled) {
          await page.exposeFunction('reportStatus', (text: string) => statusTexts.push(text));
          await page.evaluate(() => {
            const status = document.querySelector('[data-upload-status]')!;
            new MutationObserver(() => (window as unknown as { reportStatus(t: string): void }).reportStatus(status.textContent ?? '')).observe(status, { childList: true, characterData: true, subtree: true });
          });
        }
        await page.setInputFiles('#field-document', FIXTURE);
        await page.getByRole('button', { name: 'Dry run' }).click();
        const heading = page.getByRole('heading', { name: 'Dry run: what an import would do' });
        await heading.waitFor();
        assert.match(await page.locator('main').innerText(), /3 issues, \d+ articles, \d+ galleys/);
        assert.equal(await issueCount(), before, 'a dry run writes nothing');
        if (javaScriptEnabled) {
          assert.ok(statusTexts.some((text) => /^Uploading: \d+%$/.test(text) || text.startsWith('Uploaded.')), `progress was shown: ${JSON.stringify(statusTexts)}`);
          assert.equal(new URL(page.url()).pathname, '/sm/management/ojs', 'the page was not left: the report replaced it');
        }
        // axe runs in the page's JavaScript: checked where it is on (the markup is the same).
        if (javaScriptEnabled) assert.deepEqual(await axeViolations(page), []);
        await page.screenshot({ path: path.join(SCREENSHOTS, `ojs-dry-run.${javaScriptEnabled ? 'js' : 'nojs'}.png`), fullPage: true });
      } finally {
        await context.close();
      }
    });
  }
});
