import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { axeViolations, launchChromium } from '../support/browser.ts';
import { createUserWithRole, issueAccountToken } from '../../src/accounts/index.ts';
import { createMailer } from '../../src/mail/index.ts';
import { startTestApp, type TestApp } from '../support/app.ts';
import { testDatabases } from '../support/databases.ts';
import { startSmtpListener } from '../support/smtp.ts';

/**
 * People's accounts and the administration in a real browser: signing up with the confirmation
 * mail delivered over SMTP, a manager publishing an issue that readers then see, and axe (WCAG 2.2
 * AA) on every account, administration and management page. Screenshots in test-results/screenshots/.
 */
const SCREENSHOTS = path.resolve('test-results/screenshots');

const [pglite] = await testDatabases();
let t: TestApp;
let browser: Browser;
let base: string;
let smtp: Awaited<ReturnType<typeof startSmtpListener>>;

before(async () => {
  smtp = await startSmtpListener();
  t = await startTestApp(pglite!, { mailer: (db) => createMailer(db.db, { smtpUrl: smtp.url, from: 'Revista <noreply@localhost>' }) });
  base = await t.app.listen({ port: 0, host: '127.0.0.1' });
  const now = new Date();
  await createUserWithRole(t.database.db, { email: 'admin@example.org', password: 'administrator password', role: 'admin', now });
  await createUserWithRole(t.database.db, { email: 'manager@example.org', password: 'manager password', role: 'manager', journalId: 1, givenName: 'Maria', now });
  await t.database.db.insertInto('mail_outbox').values({ to_address: 'someone@example.org', subject: 'A kept message', text_body: 'Hello', status: 'stored' }).execute();
  await t.database.db.insertInto('announcements').values({ journal_id: 1, title: JSON.stringify({ pl: 'Nabór artykułów', en: 'Call for papers' }), summary: '{}', body: JSON.stringify({ pl: '<p>Zapraszamy.</p>' }) }).execute();
  browser = await launchChromium();
  fs.mkdirSync(SCREENSHOTS, { recursive: true });
});

after(async () => {
  await browser?.close();
  await t?.close();
  await smtp?.close();
});

async function newContext(options: Parameters<Browser['newContext']>[0] = {}): Promise<BrowserContext> {
  return browser.newContext({ locale: 'pl-PL', viewport: { width: 1280, height: 900 }, ...options });
}

async function signIn(page: Page, email: string, password: string): Promise<void> {
  await page.goto(`${base}/login`);
  await page.getByLabel(/^E-mail|^Email/).fill(email);
  await page.getByLabel(/^Hasło|^Password/).fill(password);
  await page.locator('form.form button[type=submit]').click();
  await page.waitForURL((url) => !url.pathname.startsWith('/login'));
}


describe('accounts in the browser', () => {
  it('signs up, confirms the address from the mail, and signs in', async () => {
    // CSP bypassed only so that axe can be injected at each step.
    const context = await newContext({ bypassCSP: true });
    try {
      const page = await context.newPage();
      await page.goto(`${base}/sm`);
      await page.getByRole('link', { name: 'Zarejestruj się' }).click();
      await page.getByRole('group', { name: /Imię/ }).getByLabel('polski').fill('Anna');
      await page.getByRole('group', { name: /Nazwisko/ }).getByLabel('polski').fill('Nowak');
      await page.getByLabel('Kraj').selectOption('PL');
      await page.getByLabel('E-mail').fill('anna.browser@example.org');
      await page.locator('#field-password').fill('correct horse battery');
      await page.getByLabel(/^Powtórz hasło/).fill('correct horse battery');
      await page.getByLabel(/Wyrażam zgodę/).check();
      await page.getByRole('button', { name: 'Zarejestruj się' }).click();
      await page.getByRole('heading', { name: 'Sprawdź skrzynkę e-mail' }).waitFor();
      assert.deepEqual(await axeViolations(page), [], 'check-your-email page');

      const mail = await smtp.next();
      assert.deepEqual(mail.envelopeTo, ['anna.browser@example.org']);
      const link = /http:\/\/localhost:3000(\/\S+)/.exec(mail.text)![1]!;
      await page.goto(`${base}${link}`);
      await page.getByText('Adres e-mail został potwierdzony').waitFor();
      assert.deepEqual(await axeViolations(page), [], 'address-confirmed page');
      await page.getByRole('main').getByRole('link', { name: 'Zaloguj się' }).click();
      await page.getByLabel('E-mail').fill('anna.browser@example.org');
      await page.getByLabel('Hasło').fill('correct horse battery');
      await page.locator('form.form button[type=submit]').click();
      await page.getByRole('link', { name: 'Profil: Anna Nowak' }).waitFor();
      await page.screenshot({ path: path.join(SCREENSHOTS, 'signed-in.pl.png'), fullPage: true });
      await page.getByRole('button', { name: 'Wyloguj się' }).click();
      await page.getByRole('link', { name: 'Zaloguj się' }).waitFor();
    } finally {
      await context.close();
    }
  });

  it('lets a manager create an issue and publish it, and readers then find it', async () => {
    const context = await newContext();
    try {
      const page = await context.newPage();
      await signIn(page, 'manager@example.org', 'manager password');
      await page.goto(`${base}/sm`);
      await page.getByRole('link', { name: 'Zarządzanie czasopismem' }).click();
      await page.getByRole('navigation', { name: 'Zarządzanie czasopismem' }).getByRole('link', { name: 'Numery' }).click();
      await page.getByRole('link', { name: 'Nowy numer' }).click();
      // By id: "Tom", "Numer" and "Rok" also label the show-in-name checkboxes.
      await page.locator('#field-volume').fill('75');
      await page.locator('#field-number').fill('1');
      await page.locator('#field-year').fill('2022');
      await page.getByRole('group', { name: 'Tytuł' }).getByLabel('polski').fill('Bezpieczeństwo energetyczne');
      await page.getByRole('button', { name: 'Zapisz' }).click();
      await page.getByText('Zmiany zostały zapisane.').waitFor();
      await page.getByLabel('Data publikacji').fill('2022-03-31');
      await page.getByRole('button', { name: 'Opublikuj numer' }).click();
      // The new issue has no articles yet: it is published from the confirmation page that says so.
      await page.getByRole('button', { name: 'Opublikuj pusty numer' }).click();
      await page.getByText('Numer został opublikowany.').waitFor();
      await page.screenshot({ path: path.join(SCREENSHOTS, 'manage-issue.pl.png'), fullPage: true });

      const reader = await (await newContext()).newPage();
      await reader.goto(`${base}/sm/issue/archive`);
      await reader.getByRole('link', { name: 'Tom 75 Nr 1 (2022): Bezpieczeństwo energetyczne' }).waitFor();
      await reader.goto(`${base}/sm`);
      assert.match(await reader.locator('.current-issue').innerText(), /Tom 75 Nr 1 \(2022\): Bezpieczeństwo energetyczne/);
      await reader.context().close();
    } finally {
      await context.close();
    }
  });
});

const ANONYMOUS_PAGES = ['/login', '/sm/login', '/sm/user/register', '/sm/login/lostPassword', '/sm/about', '/sm/about/editorialTeam', '/sm/announcement', '/sm/announcement/view/1'];
const ADMIN_PAGES = [
  '/user/profile', '/admin', '/admin/journals', '/admin/journals/new', '/admin/journals/1', '/admin/settings', '/admin/users', '/admin/users/1', '/admin/outbox', '/admin/outbox/1',
  '/sm/management', '/sm/management/settings', '/sm/management/sections', '/sm/management/sections/new', '/sm/management/sections/1', '/sm/management/pages',
  '/sm/management/pages/about', '/sm/management/navigation', '/sm/management/announcements', '/sm/management/announcements/new', '/sm/management/announcements/1',
  '/sm/management/appearance', '/sm/management/mail-templates', '/sm/management/mail-templates/verify-email/pl', '/sm/management/issues', '/sm/management/issues/new',
  '/sm/management/issues/1', '/sm/management/articles/1786', '/sm/management/users', '/sm/management/doi', '/sm/management/stats', '/sm/management/ojs',
];

describe('accessibility of every account and administration page (axe, WCAG 2.2 AA)', () => {
  for (const locale of ['pl', 'en'] as const) {
    it(`has no violations on account pages for visitors (${locale})`, async () => {
      const context = await newContext({ bypassCSP: true, locale: locale === 'pl' ? 'pl-PL' : 'en-GB' });
      try {
        const page = await context.newPage();
        for (const url of ANONYMOUS_PAGES) {
          const response = await page.goto(`${base}${url}?locale=${locale}`);
          assert.equal(response?.status(), 200, url);
          assert.deepEqual(await axeViolations(page), [], url);
        }
        // One-time links: the password form, the email-change confirmation, and an expired link.
        const user = await t.database.db.selectFrom('users').select('id').where('email', '=', 'manager@example.org').executeTakeFirstOrThrow();
        const reset = await issueAccountToken(t.database.db, user.id, 'reset-password', new Date());
        const change = await issueAccountToken(t.database.db, user.id, 'change-email', new Date(), 'maria@example.org');
        for (const [url, status] of [[`/sm/login/resetPassword?token=${reset}&`, 200], [`/user/email/confirm?token=${change}&`, 200], ['/sm/login/resetPassword?token=expired&', 410]] as const) {
          const response = await page.goto(`${base}${url}locale=${locale}`);
          assert.equal(response?.status(), status, url);
          assert.deepEqual(await axeViolations(page), [], url);
        }
        // A form sent back with its errors, which adds the error summary and invalid fields.
        await page.goto(`${base}/sm/user/register?locale=${locale}`);
        await page.locator('form.form button[type=submit]').click();
        await page.locator('.error-summary').waitFor();
        assert.deepEqual(await axeViolations(page), [], 'registration with errors');
        await page.screenshot({ path: path.join(SCREENSHOTS, `register-errors.${locale}.png`), fullPage: true });
      } finally {
        await context.close();
      }
    });

    it(`has no violations on profile, administration and management pages (${locale})`, async () => {
      const context = await newContext({ bypassCSP: true, locale: locale === 'pl' ? 'pl-PL' : 'en-GB' });
      try {
        const page = await context.newPage();
        await signIn(page, 'admin@example.org', 'administrator password');
        const mail = await t.database.db.selectFrom('mail_outbox').select('id').orderBy('id').limit(1).executeTakeFirst();
        const issue = await t.database.db.selectFrom('issues').select('id').orderBy('id').limit(1).executeTakeFirstOrThrow();
        const pages = ADMIN_PAGES.map((url) => url.replace('/admin/outbox/1', `/admin/outbox/${mail?.id ?? 1}`).replace('/issues/1', `/issues/${issue.id}`));
        for (const url of pages) {
          const response = await page.goto(`${base}${url}?locale=${locale}`);
          assert.equal(response?.status(), 200, url);
          assert.deepEqual(await axeViolations(page), [], url);
          if (locale === 'en') await page.screenshot({ path: path.join(SCREENSHOTS, `admin${url.replace(/\//g, '_')}.png`), fullPage: true });
        }
        // The refusal a signed-in person without the role sees.
        const manager = await context.browser()!.newContext({ bypassCSP: true, locale: locale === 'pl' ? 'pl-PL' : 'en-GB' });
        const managerPage = await manager.newPage();
        await signIn(managerPage, 'manager@example.org', 'manager password');
        const refused = await managerPage.goto(`${base}/admin/users?locale=${locale}`);
        assert.equal(refused?.status(), 403);
        assert.deepEqual(await axeViolations(managerPage), [], '403 page');
        await manager.close();
      } finally {
        await context.close();
      }
    });
  }
});
