import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { createUserWithRole } from '../accounts/index.ts';
import { createDraftVersion, publishDraftVersion, publishNotice } from '../catalog/index.ts';
import { startTestApp, type TestApp } from '../../test/support/app.ts';
import { axeViolations, launchChromium } from '../../test/support/browser.ts';
import { testDatabases } from '../../test/support/databases.ts';

/** Versions and notices in a browser, checked with axe (WCAG 2.2 AA), in English and Polish. */
const [pglite] = await testDatabases();
describe('versions and notices pass axe', () => {
  let t: TestApp;
  let browser: Browser;
  let base: string;
  let noticeId: number;
  let firstVersion: number;

  before(async () => {
    t = await startTestApp(pglite!);
    base = await t.app.listen({ port: 0, host: '127.0.0.1' });
    const db = t.database.db;
    await createUserWithRole(db, { email: 'editor@example.org', password: 'editor password 1', role: 'editor', journalId: 1, now: new Date() });
    firstVersion = (await db.selectFrom('articles').select('current_publication_id').where('id', '=', 1786).executeTakeFirstOrThrow()).current_publication_id!;
    const draft = await createDraftVersion(db, 1786);
    await publishDraftVersion(db, 1786, draft.publicationId, '2026-02-01');
    const sectionId = (await db.selectFrom('sections').select('id').where('journal_id', '=', 1).orderBy('id').executeTakeFirstOrThrow()).id;
    noticeId = (await publishNotice(db, { journalId: 1, articleId: 1786, kind: 'retraction', sectionId, issueId: null, locale: 'en', title: { en: 'Retraction: a test', pl: 'Wycofanie: test' }, text: { en: 'Retracted for a test.' }, datePublished: '2026-02-02', userId: null })).noticeArticleId;
    // A draft again, for the page that edits one.
    await createDraftVersion(db, 1786);
    browser = await launchChromium();
  });
  after(async () => {
    await browser?.close();
    await t?.close();
  });

  async function check(page: Page, path: string, status = 200): Promise<void> {
    const response = await page.goto(`${base}${path}`);
    assert.equal(response?.status(), status, path);
    assert.deepEqual(await axeViolations(page), [], `axe: ${path}`);
  }

  for (const locale of ['en', 'pl'] as const) {
    it(`in ${locale}: the retracted article (current and older version), the notice, the management page with a draft, the notice form`, async () => {
      const context = await browser.newContext({ locale, viewport: { width: 1280, height: 900 }, bypassCSP: true });
      const page = await context.newPage();
      await check(page, `/sm/article/view/1786?locale=${locale}`);
      assert.match(await page.content(), locale === 'en' ? /Retracted/ : /Artykuł wycofany/);
      await check(page, `/sm/article/view/1786/version/${firstVersion}?locale=${locale}`);
      await check(page, `/sm/article/view/${noticeId}?locale=${locale}`);
      await page.goto(`${base}/sm/login`);
      await page.locator('input[name=email]').fill('editor@example.org');
      await page.locator('input[name=password]').fill('editor password 1');
      await page.locator('form.form button[type=submit]').click();
      await page.waitForURL((url) => !url.pathname.includes('/login'));
      await check(page, '/sm/management/articles/1786');
      await check(page, '/sm/management/articles/1786/notice');
      // Refused: the errors beside their fields.
      await page.locator('form.form button[type=submit]').last().click();
      await page.waitForLoadState();
      assert.deepEqual(await axeViolations(page), [], 'axe: the notice form refused');
      await context.close();
    });
  }
});
