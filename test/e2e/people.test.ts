import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { axeViolations, launchChromium } from '../support/browser.ts';
import { createUserWithRole, invite } from '../../src/accounts/index.ts';
import { createMailer } from '../../src/mail/index.ts';
import { startTestApp, type TestApp } from '../support/app.ts';
import { testDatabases } from '../support/databases.ts';
import { startSmtpListener } from '../support/smtp.ts';

/**
 * A journal's people in a real browser (issue 17): a manager invites someone without an account,
 * who opens the link from the mail (delivered over SMTP), sets a password and lands signed in on the
 * management pages their role opens; and the last manager's removal is refused with the reason.
 * axe (WCAG 2.2 AA) on every page visited; screenshots in test-results/screenshots/.
 */
const SCREENSHOTS = path.resolve('test-results/screenshots');

const [pglite] = await testDatabases();
let t: TestApp;
let browser: Browser;
let base: string;
let managerId: number;
let smtp: Awaited<ReturnType<typeof startSmtpListener>>;

before(async () => {
  smtp = await startSmtpListener();
  t = await startTestApp(pglite!, { mailer: (db) => createMailer(db.db, { smtpUrl: smtp.url, from: 'Revista <noreply@localhost>' }) });
  base = await t.app.listen({ port: 0, host: '127.0.0.1' });
  managerId = (await createUserWithRole(t.database.db, { email: 'manager@example.org', password: 'manager password', role: 'manager', journalId: 1, givenName: 'Maria', now: new Date() })).userId;
  browser = await launchChromium();
  fs.mkdirSync(SCREENSHOTS, { recursive: true });
});

after(async () => {
  await browser?.close();
  await t?.close();
  await smtp?.close();
});

async function checked(page: Page, what: string): Promise<void> {
  assert.deepEqual(await axeViolations(page), [], what);
}

describe('people in the browser', () => {
  it('a manager invites a new person, who sets a password from the mail and lands signed in with the role', async () => {
    // CSP bypassed only so that axe can be injected at each step.
    const context = await browser.newContext({ locale: 'en-GB', viewport: { width: 1280, height: 900 }, bypassCSP: true });
    try {
      const page = await context.newPage();
      await page.goto(`${base}/sm/login`);
      await page.getByLabel('Email').fill('manager@example.org');
      await page.getByLabel('Password').fill('manager password');
      await page.locator('form.form button[type=submit]').click();
      await page.waitForURL((url) => !url.pathname.endsWith('/login'));
      await page.goto(`${base}/sm/management/users`);
      await checked(page, 'users page');
      const invite = page.locator('#invite');
      await invite.getByLabel('Email').fill('new.editor@example.org');
      await invite.getByLabel('Given name').fill('Nadia');
      await invite.getByLabel('Family name').fill('Kowalska');
      await invite.getByLabel('Editor', { exact: true }).check();
      await invite.getByRole('button', { name: 'Add or invite' }).click();
      await page.getByText('Invitation sent to new.editor@example.org.').waitFor();
      await page.getByRole('table', { name: 'Pending invitations' }).getByText('Nadia Kowalska').waitFor();
      await checked(page, 'users page with a pending invitation');
      await page.screenshot({ path: path.join(SCREENSHOTS, 'people-invited.en.png'), fullPage: true });

      const mail = await smtp.next();
      assert.deepEqual(mail.envelopeTo, ['new.editor@example.org']);
      const link = /http:\/\/localhost:3000(\/\S+)/.exec(mail.text)![1]!;

      const invited = await browser.newContext({ locale: 'en-GB', bypassCSP: true });
      try {
        const person = await invited.newPage();
        await person.goto(`${base}${link}`);
        await person.getByText(/Maria invites you to .* as: Editor\./).waitFor();
        await checked(person, 'accept page');
        assert.equal(await person.getByLabel('Given name').inputValue(), 'Nadia');
        await person.locator('#field-password').fill('nadia’s long password');
        await person.getByLabel('Repeat password').fill('nadia’s long password');
        await person.getByLabel(/I agree/).check();
        await person.getByRole('button', { name: 'Accept and create account' }).click();
        await person.waitForURL(`${base}/sm/management`);
        await person.getByRole('link', { name: /Profile: Nadia Kowalska/ }).waitFor();
        await checked(person, 'management page after accepting');
        // The editor's menu: issues, not the manager's people.
        const menu = person.getByRole('navigation', { name: /Journal management/ });
        await menu.getByRole('link', { name: 'Issues' }).waitFor();
        assert.equal(await menu.getByRole('link', { name: 'Users and roles' }).count(), 0);

        // The link worked once.
        const again = await person.goto(`${base}${link}`);
        assert.equal(again?.status(), 410);
        await person.getByText(/already been accepted/).waitFor();
        await checked(person, 'used invitation link');
      } finally {
        await invited.close();
      }
    } finally {
      await context.close();
    }
  });

  it('refuses to remove the last manager, and says why', async () => {
    const context = await browser.newContext({ locale: 'pl-PL', viewport: { width: 1280, height: 900 }, bypassCSP: true });
    try {
      const page = await context.newPage();
      await page.goto(`${base}/sm/login`);
      await page.getByLabel('E-mail').fill('manager@example.org');
      await page.getByLabel('Hasło').fill('manager password');
      await page.locator('form.form button[type=submit]').click();
      await page.waitForURL((url) => !url.pathname.endsWith('/login'));
      await page.goto(`${base}/sm/management/users?role=manager`);
      await page.locator(`a[href="/sm/management/users/${managerId}/roles/remove?role=manager"]`).click();
      await page.getByText(/Maria to ostatni redaktor zarządzający czasopisma Sprawy Międzynarodowe/).waitFor();
      await checked(page, 'refusal page');
      await page.screenshot({ path: path.join(SCREENSHOTS, 'people-last-manager.pl.png'), fullPage: true });
      const roles = await t.database.db.selectFrom('role_assignments').select('role').where('user_id', '=', managerId).execute();
      assert.deepEqual(roles.map((r) => r.role), ['manager']);
    } finally {
      await context.close();
    }
  });

  it('has no axe violations on the people pages of the site administration, in both languages', async () => {
    await createUserWithRole(t.database.db, { email: 'admin@example.org', password: 'administrator password', role: 'admin', now: new Date() });
    const readerId = (await createUserWithRole(t.database.db, { email: 'reader@example.org', password: 'a long enough password', role: 'reader', journalId: 1, now: new Date() })).userId;
    const invited = await invite(t.database.db, { journalId: 1, email: 'waiting@example.org', givenName: { pl: 'Wanda' }, familyName: {}, roles: ['reviewer'], locale: 'pl', invitedBy: managerId }, new Date());
    assert.equal(invited.kind, 'invited');
    const invitation = invited.kind === 'invited' ? invited.invitation : undefined;
    for (const locale of ['en', 'pl'] as const) {
      const context = await browser.newContext({ locale: locale === 'pl' ? 'pl-PL' : 'en-GB', viewport: { width: 1280, height: 900 }, bypassCSP: true });
      try {
        const page = await context.newPage();
        await page.goto(`${base}/login`);
        await page.locator('#field-email').fill('admin@example.org');
        await page.locator('#field-password').fill('administrator password');
        await page.locator('form.form button[type=submit]').click();
        await page.waitForURL((url) => !url.pathname.startsWith('/login'));
        const pages = [
          '/admin/users?search=example&sort=email&dir=desc',
          '/admin/users?search=nobody-at-all',
          '/admin/users/new',
          `/admin/users/${readerId}`,
          `/admin/users/${readerId}/roles/remove?assignment=1:reader`,
          `/admin/users/${readerId}/disable`,
          `/admin/users/${readerId}/merge?into=manager%40example.org`,
          `/sm/management/users/${readerId}/roles/remove?role=reader`,
          ...(invitation ? [`/admin/invitations/${invitation.id}/revoke`] : []),
        ];
        for (const url of pages) {
          const response = await page.goto(`${base}${url}${url.includes('?') ? '&' : '?'}locale=${locale}`);
          assert.equal(response?.status(), 200, url);
          await checked(page, `${url} (${locale})`);
        }
        await page.goto(`${base}/admin/users?locale=${locale}`);
        await page.screenshot({ path: path.join(SCREENSHOTS, `people-admin-users.${locale}.png`), fullPage: true });
        await page.goto(`${base}/admin/users/new?locale=${locale}`);
        await page.getByRole('button', { name: locale === 'pl' ? 'Załóż konto' : 'Create account' }).click();
        await page.locator('.error-summary').waitFor();
        await checked(page, `new user with errors (${locale})`);
      } finally {
        await context.close();
      }
    }
  });
});
