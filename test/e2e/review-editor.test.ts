import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { createUserWithRole } from '../../src/accounts/index.ts';
import { addSubmissionFile, createDraft, saveSubmissionDetails, submitSubmission, submissionFiles } from '../../src/workflow/index.ts';
import { answerReviewRequest, recordDecision, requestReview, saveReview } from '../../src/workflow/review/index.ts';
import { axeViolations, launchChromium } from '../support/browser.ts';
import { startTestApp, type TestApp } from '../support/app.ts';
import { testDatabases } from '../support/databases.ts';

/**
 * The editors' review pages in a real browser (issue 20): the Review section of the submission page
 * with a round, its reviewers and decisions; a decision's form; the request forms; a review; its dates
 * and a confirmation. Each is checked with axe (WCAG 2.2 AA) and photographed to
 * test-results/screenshots/review-editor-*.png. The data is made by the review commands.
 */
const SCREENSHOTS = path.resolve('test-results/screenshots');
const PDF = Buffer.from('%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n');

const [pglite] = await testDatabases();
let t: TestApp;
let browser: Browser;
let base: string;
let submissionUrl = '';
let reviewId = 0;
let reviewerId = 0;

before(async () => {
  t = await startTestApp(pglite!);
  base = await t.app.listen({ port: 0, host: '127.0.0.1' });
  const db = t.database.db;
  const now = new Date();
  const journalId = 1;
  const section = (await db.selectFrom('sections').select('id').where('journal_id', '=', journalId).orderBy('id').executeTakeFirstOrThrow()).id;
  const editor = await createUserWithRole(db, { email: 'editor@example.org', password: 'editor password 1', role: 'editor', journalId, givenName: 'Ewa', now });
  const author = await createUserWithRole(db, { email: 'author@example.org', password: 'author password 1', role: 'author', journalId, givenName: 'Anna', now });
  const reviewer = await createUserWithRole(db, { email: 'rita@example.org', password: 'reviewer password 1', role: 'reviewer', journalId, givenName: 'Rita', now });
  reviewerId = reviewer.userId;
  const id = await createDraft(db, { journalId, userId: author.userId, sectionId: section, locale: 'en', commentsForEditor: '', checklistConfirmed: true, agreementsAccepted: true, now });
  const file = await t.files.put(PDF);
  await addSubmissionFile(db, { journalId, submissionId: id, userId: author.userId, kind: 'article', upload: { storageKey: file.key, sizeBytes: file.sizeBytes, sha256: file.sha256, mimeType: 'application/pdf', originalName: 'manuscript.pdf' }, now });
  await saveSubmissionDetails(db, journalId, id, author.userId, { prefix: {}, title: { en: 'Glacial lakes of the Tatra' }, subtitle: {}, abstract: { en: 'An abstract.' }, keywords: {} }, now);
  await submitSubmission(db, journalId, id, author.userId, now);
  const files = await submissionFiles(db, id, 'submission');
  await recordDecision(db, { journalId, submissionId: id, decision: 'send-to-review', editorId: editor.userId, recommendOnly: false, fileIds: files.map((f) => f.id), now });
  reviewId = await requestReview(db, { journalId, submissionId: id, reviewer: { userId: reviewer.userId }, requestedBy: editor.userId, now });
  await requestReview(db, { journalId, submissionId: id, reviewer: { newReviewer: { email: 'new@example.org', givenName: { en: 'Nina' }, familyName: { en: 'Nowak' }, locale: 'en' } }, requestedBy: editor.userId, now });
  await answerReviewRequest(db, { journalId, reviewId, accept: true, by: { kind: 'user', userId: reviewer.userId }, now });
  // The demo journal's default form, answered.
  const formId = (await db.selectFrom('review_assignments').select('review_form_id').where('id', '=', reviewId).executeTakeFirstOrThrow()).review_form_id;
  const questions = formId === null ? [] : await db.selectFrom('review_form_elements').select(['id', 'kind']).where('review_form_id', '=', formId).execute();
  const answers = Object.fromEntries(questions.map((q) => [String(q.id), q.kind.endsWith('choice') ? '0' : 'Clear and well argued.']));
  await saveReview(db, { journalId, reviewId, userId: reviewer.userId, recommendation: 'minor-revisions', commentsForAuthor: 'Tighten section 2.', commentsForEditor: 'Solid work.', answers, submit: true, now });
  submissionUrl = `${base}/sm/workflow/index/${id}`;
  browser = await launchChromium();
  fs.mkdirSync(SCREENSHOTS, { recursive: true });
});

after(async () => {
  await browser?.close();
  await t?.close();
});

let step = 0;
async function checkPage(page: Page, name: string): Promise<void> {
  assert.deepEqual(await axeViolations(page), [], `axe: ${name}`);
  step += 1;
  await page.screenshot({ path: path.join(SCREENSHOTS, `review-editor-${String(step).padStart(2, '0')}-${name}.png`), fullPage: true });
}

describe('the editors’ review pages in the browser', () => {
  it('are accessible: the Review section, a decision, the request forms, a review, its dates and a confirmation', async () => {
    const context = await browser.newContext({ locale: 'en-GB', viewport: { width: 1280, height: 900 }, bypassCSP: true });
    const page = await context.newPage();
    await page.goto(`${base}/login`);
    await page.getByLabel(/^Email/).fill('editor@example.org');
    await page.getByLabel(/^Password/).fill('editor password 1');
    await page.locator('form.form button[type=submit]').click();
    await page.waitForURL((url) => !url.pathname.startsWith('/login'));

    await page.goto(`${submissionUrl}#review`);
    assert.ok(await page.getByRole('heading', { name: 'Round 1: In review' }).isVisible());
    await checkPage(page, 'review-section');
    await page.getByRole('link', { name: 'Request revisions' }).click();
    assert.ok(await page.getByRole('checkbox', { name: /Reviewer A — Minor revisions/ }).isVisible());
    await checkPage(page, 'decision');
    await page.goto(`${submissionUrl}/review/request?reviewerId=${reviewerId}`);
    await checkPage(page, 'request');
    await page.goto(`${submissionUrl}/review/request-new`);
    await page.getByRole('button', { name: 'Send the request' }).click();
    assert.ok(await page.locator('.error-summary').isVisible(), 'the refusal is summarised');
    await checkPage(page, 'request-new-refused');
    await page.goto(`${submissionUrl}/reviews/${reviewId}`);
    await checkPage(page, 'review');
    await page.goto(`${submissionUrl}/review/reviewers`);
    await checkPage(page, 'reviewer-search');
    await page.goto(submissionUrl);
    await page.getByRole('link', { name: 'Change the dates of Reviewer B' }).click();
    await checkPage(page, 'dates');
    await page.goto(submissionUrl);
    await page.getByRole('link', { name: 'Cancel the request to Reviewer B' }).click();
    await checkPage(page, 'cancel');
    await page.getByRole('button', { name: /Cancel the request to Nina Nowak/ }).click();
    await page.waitForURL((url) => url.searchParams.get('reviewNotice') === 'cancelled');
    assert.ok(await page.getByText('The request was cancelled.').isVisible());
    await context.close();
  });
});
