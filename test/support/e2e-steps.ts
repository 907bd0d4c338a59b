import assert from 'node:assert/strict';
import path from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { axeViolations } from './browser.ts';
import type { ReceivedMail, startSmtpListener } from './smtp.ts';

type SmtpListener = Awaited<ReturnType<typeof startSmtpListener>>;

export const SCREENSHOTS = path.resolve('test-results/screenshots');

/**
 * The steps a browser test of a workflow takes again and again: read the next mail to someone from
 * the SMTP listener, follow a link in it, sign in, and check a page (axe, then a numbered screenshot
 * test-results/screenshots/<prefix>-NN-<name>.png). `app` is read when a step runs: the listener and
 * the address exist only once the test's `before` has run.
 */
export function e2eSteps(app: () => { smtp: SmtpListener; base: string }, options: { screenshots: string; waitMs?: number }) {
  // How long a mail, an element or a page may take: the default of playwright unless the test says (a loaded machine).
  const waitMs = options.waitMs ?? 20_000;
  const waiting: ReceivedMail[] = [];
  let step = 0;

  /** The next mail to `to` (others that arrive meanwhile are kept for later calls). */
  async function mailTo(to: string, subject: RegExp): Promise<ReceivedMail> {
    const deadline = Date.now() + waitMs;
    for (;;) {
      const found = waiting.findIndex((m) => m.envelopeTo.includes(to) && subject.test(m.subject));
      if (found >= 0) return waiting.splice(found, 1)[0]!;
      const left = deadline - Date.now();
      assert.ok(left > 0, `no mail to ${to} matching ${subject}; got: ${waiting.map((m) => `${m.envelopeTo.join(',')}: ${m.subject}`).join(' | ')}`);
      // smtp.next() gives up after a while of its own: then look again until the deadline.
      const next = await app().smtp.next().catch(() => undefined);
      if (next) waiting.push(next);
    }
  }

  /** A link of the mail, at the test's own address. */
  function linkIn(mail: ReceivedMail, pattern: RegExp): string {
    const match = pattern.exec(mail.text);
    assert.ok(match, `no link ${pattern} in: ${mail.text}`);
    return match[0].replace('http://localhost:3000', app().base);
  }

  /** Fills the sign-in form the page shows and waits to leave it. */
  async function fillSignIn(page: Page, email: string, password: string): Promise<void> {
    await page.getByLabel(/^Email/).fill(email);
    await page.getByLabel(/^Password/).fill(password);
    await page.locator('form.form button[type=submit]').click();
    await page.waitForURL((url) => !url.pathname.endsWith('/login'));
  }

  async function signIn(page: Page, email: string, password: string): Promise<void> {
    await page.goto(`${app().base}/login`);
    await fillSignIn(page, email, password);
  }

  /** A browser of its own for one person: English, a desktop window. */
  async function newContext(browser: Browser): Promise<BrowserContext> {
    // CSP bypassed only so that axe can be injected at each step.
    const context = await browser.newContext({ locale: 'en-GB', viewport: { width: 1280, height: 900 }, bypassCSP: true });
    if (options.waitMs !== undefined) {
      context.setDefaultTimeout(options.waitMs);
      context.setDefaultNavigationTimeout(options.waitMs);
    }
    return context;
  }

  /** axe on the page, and a screenshot named after the step. */
  async function checkPage(page: Page, name: string): Promise<void> {
    assert.deepEqual(await axeViolations(page), [], `axe: ${name}`);
    step += 1;
    await page.screenshot({ path: path.join(SCREENSHOTS, `${options.screenshots}-${String(step).padStart(2, '0')}-${name}.png`), fullPage: true });
  }

  return { mailTo, linkIn, signIn, fillSignIn, newContext, checkPage };
}
