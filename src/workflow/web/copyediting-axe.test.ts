import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { createUserWithRole } from '../../accounts/index.ts';
import { startTestApp, type TestApp } from '../../../test/support/app.ts';
import { axeViolations, launchChromium } from '../../../test/support/browser.ts';
import { testDatabases } from '../../../test/support/databases.ts';
import { assignParticipant } from '../commands/participants.ts';
import { addSubmissionFile, createDraft, saveSubmissionDetails, submitSubmission } from '../commands/submissions.ts';
import { recordDecision } from '../review/index.ts';
import { addCopyeditedFile } from '../production/copyediting.ts';

const PDF = Buffer.from('%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n');

/** The Copyediting section and its pages in a browser, checked with axe (WCAG 2.2 AA), in English and Polish, for an editor and a copyeditor. */
const [pglite] = await testDatabases();
describe('the copyediting pages pass axe', () => {
  let t: TestApp;
  let browser: Browser;
  let base: string;
  let submission: string;

  before(async () => {
    t = await startTestApp(pglite!);
    base = await t.app.listen({ port: 0, host: '127.0.0.1' });
    const db = t.database.db;
    const now = new Date();
    const journalId = (await db.selectFrom('journals').select('id').where('path', '=', 'sm').executeTakeFirstOrThrow()).id;
    const sectionId = (await db.selectFrom('sections').select('id').where('journal_id', '=', journalId).orderBy('id').executeTakeFirstOrThrow()).id;
    const editor = await createUserWithRole(db, { email: 'editor@example.org', password: 'editor password 1', role: 'editor', journalId, now });
    const author = await createUserWithRole(db, { email: 'author@example.org', password: 'author password 1', role: 'author', journalId, givenName: 'Ada', now });
    const copyeditor = await createUserWithRole(db, { email: 'cole@example.org', password: 'copyeditor password 1', role: 'copyeditor', journalId, givenName: 'Cole', now });
    await createUserWithRole(db, { email: 'lena@example.org', password: 'layout password 1', role: 'layout-editor', journalId, givenName: 'Lena', now });
    const id = await createDraft(db, { journalId, userId: author.userId, sectionId, locale: 'en', commentsForEditor: '', checklistConfirmed: true, agreementsAccepted: true, now });
    const stored = await t.files.put(PDF);
    await addSubmissionFile(db, { journalId, submissionId: id, userId: author.userId, kind: 'article', upload: { storageKey: stored.key, sizeBytes: stored.sizeBytes, sha256: stored.sha256, mimeType: 'application/pdf', originalName: 'manuscript.pdf' }, now });
    await saveSubmissionDetails(db, journalId, id, author.userId, { prefix: {}, title: { en: 'Copyedited in a browser', pl: 'Adiustacja w przeglądarce' }, subtitle: {}, abstract: { en: '<p>An abstract.</p>' }, keywords: {} }, now);
    await submitSubmission(db, journalId, id, author.userId, now);
    await recordDecision(db, { journalId, submissionId: id, decision: 'accept', editorId: editor.userId, recommendOnly: false, notifyAuthor: false, now });
    await assignParticipant(db, { journalId, submissionId: id, userId: copyeditor.userId, role: 'copyeditor', assignedBy: editor.userId, now });
    const copy = await t.files.put(PDF);
    await addCopyeditedFile(db, { journalId, submissionId: id, userId: copyeditor.userId, upload: { storageKey: copy.key, sizeBytes: copy.sizeBytes, sha256: copy.sha256, mimeType: 'application/pdf', originalName: 'copyedited.pdf' }, now });
    submission = `/sm/workflow/index/${id}`;
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

  async function signIn(page: Page, email: string, password: string): Promise<void> {
    await page.goto(`${base}/sm/login`);
    await page.locator('input[name=email]').fill(email);
    await page.locator('input[name=password]').fill(password);
    await page.locator('form.form button[type=submit]').click();
    await page.waitForURL((url) => !url.pathname.includes('/login'));
  }

  for (const locale of ['en', 'pl'] as const) {
    it(`in ${locale}: the editor's section, the author-review form, send to production, a refused assignment`, async () => {
      const context = await browser.newContext({ locale, viewport: { width: 1280, height: 900 }, bypassCSP: true });
      const page = await context.newPage();
      await signIn(page, 'editor@example.org', 'editor password 1');
      await check(page, submission);
      await check(page, `${submission}/copyediting/author-review`);
      await check(page, `${submission}/copyediting/send-to-production`);
      // A refusal shown with its field: the assignment of a person who cannot be assigned (the submission's own page has no such option; a crafted form does).
      await page.goto(`${base}${submission}`);
      await page.evaluate(() => {
        const select = document.querySelector<HTMLSelectElement>('#assign-copyeditor')!;
        const option = document.createElement('option');
        option.value = '999999';
        option.textContent = 'Nobody';
        select.append(option);
        select.value = '999999';
      });
      await page.locator('form:has(#assign-copyeditor) button[type=submit]').click();
      await page.waitForLoadState();
      assert.deepEqual(await axeViolations(page), [], 'axe: the assignment refused');
      await context.close();
    });

    it(`in ${locale}: the copyeditor's submission page and the author-review form`, async () => {
      const context = await browser.newContext({ locale, viewport: { width: 1280, height: 900 }, bypassCSP: true });
      const page = await context.newPage();
      await signIn(page, 'cole@example.org', 'copyeditor password 1');
      await check(page, submission);
      await check(page, `${submission}/copyediting/author-review`);
      await context.close();
    });
  }
});
