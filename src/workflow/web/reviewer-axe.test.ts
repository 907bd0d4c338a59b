import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { createUserWithRole } from '../../accounts/index.ts';
import { startTestApp, type TestApp } from '../../../test/support/app.ts';
import { axeViolations, launchChromium } from '../../../test/support/browser.ts';
import { testDatabases } from '../../../test/support/databases.ts';
import { addSubmissionFile, createDraft, saveSubmissionDetails, submitSubmission } from '../commands/submissions.ts';
import { answerReviewRequest, findReview, linkExpiry, recordDecision, requestReview, reviewLinkSecret, signReviewLink } from '../review/index.ts';

const PDF = Buffer.from('%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n');

/** The reviewer's pages in a browser, checked with axe (WCAG 2.2 AA), in English and Polish. */
const [pglite] = await testDatabases();
describe('the reviewer’s pages pass axe', () => {
  let t: TestApp;
  let browser: Browser;
  let base: string;
  const urls: Record<string, string> = {};

  before(async () => {
    t = await startTestApp(pglite!);
    base = await t.app.listen({ port: 0, host: '127.0.0.1' });
    const db = t.database.db;
    const now = new Date();
    const journalId = (await db.selectFrom('journals').select('id').where('path', '=', 'sm').executeTakeFirstOrThrow()).id;
    const sectionId = (await db.selectFrom('sections').select('id').where('journal_id', '=', journalId).orderBy('id').executeTakeFirstOrThrow()).id;
    const editor = await createUserWithRole(db, { email: 'editor@example.org', password: 'editor password 1', role: 'editor', journalId, now });
    const author = await createUserWithRole(db, { email: 'author@example.org', password: 'author password 1', role: 'author', journalId, now });
    const reviewer = await createUserWithRole(db, { email: 'rita@example.org', password: 'reviewer password 1', role: 'reviewer', journalId, givenName: 'Rita', now });
    const inReview = async (title: string) => {
      const id = await createDraft(db, { journalId, userId: author.userId, sectionId, locale: 'en', commentsForEditor: '', checklistConfirmed: true, agreementsAccepted: true, now });
      const stored = await t.files.put(PDF);
      const fileId = await addSubmissionFile(db, { journalId, submissionId: id, userId: author.userId, kind: 'article', upload: { storageKey: stored.key, sizeBytes: stored.sizeBytes, sha256: stored.sha256, mimeType: 'application/pdf', originalName: 'manuscript.pdf' }, now });
      await saveSubmissionDetails(db, journalId, id, author.userId, { prefix: {}, title: { en: title, pl: `${title} (pl)` }, subtitle: {}, abstract: { en: '<p>An abstract.</p>' }, keywords: {} }, now);
      await submitSubmission(db, journalId, id, author.userId, now);
      await recordDecision(db, { journalId, submissionId: id, decision: 'send-to-review', editorId: editor.userId, recommendOnly: false, fileIds: [fileId], now });
      return id;
    };
    const ask = (submissionId: number) => requestReview(db, { journalId, submissionId, reviewer: { userId: reviewer.userId }, requestedBy: editor.userId, message: 'Would you review this?', now });
    const secret = await reviewLinkSecret(db);
    const link = async (reviewId: number, purpose: 'accept' | 'decline') => {
      const review = (await findReview(db, journalId, reviewId))!;
      return `/sm/reviewer/respond/${purpose}?token=${encodeURIComponent(signReviewLink(secret, { reviewId, purpose, expiresAt: linkExpiry(review.responseDue), nonce: review.linkNonce }))}`;
    };
    const waiting = await ask(await inReview('Waiting for an answer'));
    const underWay = await ask(await inReview('Under review'));
    await answerReviewRequest(db, { journalId, reviewId: underWay, accept: true, by: { kind: 'user', userId: reviewer.userId }, now });
    const invited = await requestReview(db, { journalId, submissionId: await inReview('For a new reviewer'), reviewer: { newReviewer: { email: 'new@example.org', givenName: { en: 'Nina' }, familyName: { en: 'New' }, locale: 'en' } }, requestedBy: editor.userId, now });
    urls.acceptLink = await link(waiting, 'accept');
    urls.declineLink = await link(waiting, 'decline');
    urls.newReviewerLink = await link(invited, 'accept');
    urls.refusedLink = '/sm/reviewer/respond/accept?token=nonsense';
    urls.dashboard = '/sm/dashboard/reviewAssignments';
    urls.request = `/sm/reviewer/review/${waiting}`;
    urls.decline = `/sm/reviewer/review/${waiting}/decline`;
    urls.review = `/sm/reviewer/review/${underWay}`;
    urls.confirm = `/sm/reviewer/review/${underWay}/submit`;
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
    it(`in ${locale}: the link pages, the dashboard, the request, the decline page, the review and its confirmation`, async () => {
      const context = await browser.newContext({ locale, viewport: { width: 1280, height: 900 }, bypassCSP: true });
      const page = await context.newPage();
      await check(page, urls.acceptLink!);
      await check(page, urls.declineLink!);
      await check(page, urls.newReviewerLink!);
      await check(page, urls.refusedLink!, 403);
      await page.goto(`${base}/sm/login`);
      await page.locator('input[name=email]').fill('rita@example.org');
      await page.locator('input[name=password]').fill('reviewer password 1');
      await page.locator('form.form button[type=submit]').click();
      await page.waitForURL((url) => !url.pathname.includes('/login'));
      for (const name of ['dashboard', 'request', 'decline', 'review', 'confirm'] as const) await check(page, urls[name]!);
      // A refusal next to its field.
      await page.goto(`${base}${urls.review}`);
      await page.locator('button[value=submit]').click();
      await page.waitForLoadState();
      assert.deepEqual(await axeViolations(page), [], 'axe: the review refused');
      await context.close();
    });
  }
});
