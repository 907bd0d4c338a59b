import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { Browser } from 'playwright-core';
import { axeViolations, launchChromium } from '../support/browser.ts';
import { createUserWithRole } from '../../src/accounts/index.ts';
import { notify, type NewNotification } from '../../src/notifications/index.ts';
import { startTestApp, type TestApp } from '../support/app.ts';
import { testDatabases } from '../support/databases.ts';

/**
 * The notification centre in a real browser: the header's count, the list (axe,
 * WCAG 2.2 AA), marking read, and the settings. Screenshots in test-results/screenshots/.
 */
const SCREENSHOTS = path.resolve('test-results/screenshots');

const [pglite] = await testDatabases();
let t: TestApp;
let browser: Browser;
let base: string;
let userId: number;

before(async () => {
  t = await startTestApp(pglite!);
  base = await t.app.listen({ port: 0, host: '127.0.0.1' });
  ({ userId } = await createUserWithRole(t.database.db, { email: 'reviewer@example.org', password: 'reviewer password', role: 'reviewer', journalId: 1, givenName: 'Rita', now: new Date() }));
  browser = await launchChromium();
  fs.mkdirSync(SCREENSHOTS, { recursive: true });
});

after(async () => {
  await browser?.close();
  await t?.close();
});

describe('notifications in the browser', () => {
  it('counts, lists, marks read and keeps the person’s settings', async () => {
    const context = await browser.newContext({ locale: 'en-GB', viewport: { width: 1280, height: 900 }, bypassCSP: true });
    try {
      const page = await context.newPage();
      await page.goto(`${base}/login`);
      await page.getByLabel(/^Email/).fill('reviewer@example.org');
      await page.getByLabel(/^Password/).fill('reviewer password');
      await page.locator('form.form button[type=submit]').click();
      await page.waitForURL((url) => !url.pathname.startsWith('/login'));
      const told: Array<Pick<NewNotification, 'kind' | 'params'>> = [{ kind: 'review-requested', params: { reviewId: 4 } }, { kind: 'review-changed', params: { reviewId: 4, change: 'dates' } }];
      for (const n of told) {
        await notify(t.database.db, { userId, journalId: 1, submissionId: null, at: new Date(), ...n });
      }
      await page.goto(`${base}/sm`);
      await page.getByRole('link', { name: 'Notifications (2) unread' }).click();
      await page.getByRole('heading', { name: 'Notifications', level: 1 }).waitFor();
      assert.deepEqual(await axeViolations(page), [], 'the list');
      await page.screenshot({ path: path.join(SCREENSHOTS, 'notifications-list.png'), fullPage: true });
      await page.getByRole('button', { name: 'Mark as read: The dates of your review changed: (untitled)' }).click();
      await page.getByText('The notification is marked as read.').waitFor();
      await page.getByRole('link', { name: 'Notifications (1) unread' }).waitFor();
      await page.getByRole('button', { name: 'Mark all as read' }).click();
      await page.getByText('All notifications are marked as read.').waitFor();
      assert.equal(await page.getByRole('link', { name: /^Notifications \(/ }).count(), 0);

      await page.getByRole('link', { name: 'Notification settings' }).click();
      assert.deepEqual(await axeViolations(page), [], 'the settings');
      const discussions = page.getByRole('group', { name: 'Messages in discussions you take part in' });
      await discussions.getByLabel('Email me').uncheck();
      assert.equal(await page.getByRole('group', { name: 'Requests to review' }).getByLabel('Email me').isDisabled(), true);
      await page.screenshot({ path: path.join(SCREENSHOTS, 'notifications-settings.png'), fullPage: true });
      await page.getByRole('button', { name: 'Save settings' }).click();
      await page.getByText('Your notification settings are saved.').waitFor();
      assert.equal(await discussions.getByLabel('Email me').isChecked(), false);
      assert.equal(await discussions.getByLabel('Show in Revista').isChecked(), true);
    } finally {
      await context.close();
    }
  });
});
