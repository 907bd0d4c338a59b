import assert from 'node:assert/strict';
import fs from 'node:fs';
import { after, before, describe, it } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { PDFDocument } from 'pdf-lib';
import { assignRole, createUserWithRole, registerUser } from '../../src/accounts/index.ts';
import { formatLongDate } from '../../src/i18n/index.ts';
import { createMailer } from '../../src/mail/index.ts';
import { addSubmissionFile, assignParticipant, createDraft, findReview, findSubmission, saveSubmissionDetails, submitSubmission } from '../../src/workflow/index.ts';
import { assertNoAuthor, AUTHOR, authoredPdf, pdfParts } from '../support/authored-documents.ts';
import { launchChromium } from '../support/browser.ts';
import { startTestApp, type TestApp } from '../support/app.ts';
import { testDatabases } from '../support/databases.ts';
import { e2eSteps, SCREENSHOTS } from '../support/e2e-steps.ts';
import { startSmtpListener, type ReceivedMail } from '../support/smtp.ts';

/**
 * Issue 20's acceptance in a real browser, continuing the submission one: a submitted manuscript (a
 * PDF whose properties name its author) is sent to review by its editor, who asks one of the
 * journal's reviewers and invites someone new by name and address. Both accept by the links in their
 * mails (the new one making an account on the way), download the anonymised copy, answer the demo
 * journal's default review form, save a draft and send their review. The editor asks for revisions,
 * sharing both reviews; the author uploads a revised file; round 2 goes to one reviewer, who reviews
 * it, and the editor accepts. Every mail is read on a real SMTP listener; in double-anonymous review
 * nothing a reviewer receives names the author, and nothing the author receives names a reviewer.
 * The worker runs in the test process. Every page is checked with axe (WCAG 2.2 AA) and photographed
 * to test-results/screenshots/review-*.png.
 */
const TITLE = 'Borders and trade in the Baltic region, 1990-2020';
const WAIT = { timeout: 60_000 };

const EDITOR = { email: 'editor@example.org', password: 'editor password 1' };
const AUTHOR_PASSWORD = 'correct horse battery';
const RITA = { email: 'rita.reviewer@example.org', password: 'reviewer password 1', name: 'Rita' };
const MAREK = { email: 'marek.wisniewski@example.org', password: 'a new reviewer password', givenName: 'Marek', familyName: 'Wiśniewski' };

const [pglite] = await testDatabases();
let t: TestApp;
let browser: Browser;
let base: string;
let smtp: Awaited<ReturnType<typeof startSmtpListener>>;
let submissionId = 0;
let submissionUrl = '';

before(async () => {
  smtp = await startSmtpListener();
  t = await startTestApp(pglite!, { worker: true, mailer: (db) => createMailer(db.db, { smtpUrl: smtp.url, from: 'Revista <noreply@localhost>' }) });
  base = await t.app.listen({ port: 0, host: '127.0.0.1' });
  const db = t.database.db;
  const now = new Date();
  const journalId = 1;
  const editor = await createUserWithRole(db, { email: EDITOR.email, password: EDITOR.password, role: 'editor', journalId, givenName: 'Ewa', now });
  await createUserWithRole(db, { email: RITA.email, password: RITA.password, role: 'reviewer', journalId, givenName: RITA.name, now });
  // The author, as the submission test leaves her: an account with a name, an affiliation and a password.
  const author = await registerUser(db, {
    email: AUTHOR.email,
    password: AUTHOR_PASSWORD,
    givenName: { en: 'Anna' },
    familyName: { en: 'Nowakowska' },
    affiliation: { en: AUTHOR.affiliation },
    orcid: null,
    country: 'PL',
    preferredLocale: null,
    privacyConsentAt: now,
    emailVerifiedAt: now,
  });
  await assignRole(db, author.user.id, journalId, 'author');
  // Her manuscript, submitted by the workflow's commands: a PDF whose properties name her, under her name.
  const section = (await db.selectFrom('sections').select('id').where('journal_id', '=', journalId).orderBy('seq').executeTakeFirstOrThrow()).id;
  submissionId = await createDraft(db, { journalId, userId: author.user.id, sectionId: section, locale: 'en', commentsForEditor: '', checklistConfirmed: true, agreementsAccepted: true, now });
  const stored = await t.files.put(Buffer.from(await authoredPdf()));
  await addSubmissionFile(db, { journalId, submissionId, userId: author.user.id, kind: 'article', upload: { storageKey: stored.key, sizeBytes: stored.sizeBytes, sha256: stored.sha256, mimeType: 'application/pdf', originalName: 'Nowakowska-borders.pdf' }, now });
  await saveSubmissionDetails(db, journalId, submissionId, author.user.id, { prefix: {}, title: { en: TITLE }, subtitle: {}, abstract: { en: 'How borders shaped trade around the Baltic Sea after 1990.' }, keywords: { en: ['borders', 'trade'] } }, now);
  await submitSubmission(db, journalId, submissionId, author.user.id, now);
  await assignParticipant(db, { journalId, submissionId, userId: editor.userId, role: 'editor', recommendOnly: false, assignedBy: editor.userId, now });
  // Everyone here reads English (the demo journal's own language is Polish).
  await db.updateTable('users').set({ preferred_locale: 'en' }).execute();
  submissionUrl = `${base}/sm/workflow/index/${submissionId}`;
  browser = await launchChromium();
  fs.mkdirSync(SCREENSHOTS, { recursive: true });
});

after(async () => {
  await browser?.close();
  await t?.close();
  await smtp?.close();
});

const { mailTo, linkIn, signIn, fillSignIn, newContext, checkPage } = e2eSteps(() => ({ smtp, base }), { screenshots: 'review', waitMs: 60_000 });

/** Nothing in a mail a reviewer receives names the author (double-anonymous review). */
function assertNoAuthorIn(mail: ReceivedMail): void {
  for (const trace of ['Nowakowska', AUTHOR.name, AUTHOR.email, AUTHOR.affiliation]) {
    assert.ok(!mail.subject.includes(trace) && !mail.text.includes(trace), `the mail “${mail.subject}” to ${mail.envelopeTo.join(', ')} names the author (${trace}):\n${mail.text}`);
  }
}

/** Nothing the author receives names a reviewer. */
function assertNoReviewerIn(mail: ReceivedMail): void {
  for (const trace of [RITA.name, RITA.email, MAREK.givenName, MAREK.familyName, MAREK.email]) {
    assert.ok(!mail.subject.includes(trace) && !mail.text.includes(trace), `the mail “${mail.subject}” to the author names a reviewer (${trace}):\n${mail.text}`);
  }
}

/** The request mail: its title, its due dates (as the review has them), its accept link; never the author. */
async function requestMail(to: string, subject: RegExp, round: number): Promise<string> {
  const mail = await mailTo(to, subject);
  assert.match(mail.subject, new RegExp(TITLE));
  assert.match(mail.text, new RegExp(TITLE));
  assertNoAuthorIn(mail);
  const accept = linkIn(mail, /http:\/\/localhost:3000\/sm\/reviewer\/respond\/accept\?token=\S+/);
  linkIn(mail, /http:\/\/localhost:3000\/sm\/reviewer\/respond\/decline\?token=\S+/);
  const review = await t.database.db
    .selectFrom('review_assignments as ra')
    .innerJoin('review_rounds as rr', 'rr.id', 'ra.review_round_id')
    .leftJoin('users as u', 'u.id', 'ra.reviewer_id')
    .leftJoin('invitations as i', 'i.id', 'ra.invitation_id')
    .select('ra.id')
    .where('ra.submission_id', '=', submissionId)
    .where('rr.round', '=', round)
    .where((w) => w.or([w('u.email', '=', to), w('i.email', '=', to)]))
    .executeTakeFirstOrThrow();
  const found = (await findReview(t.database.db, 1, review.id))!;
  assert.ok(mail.text.includes(formatLongDate('en', found.responseDue)), `the answer's due date in: ${mail.text}`);
  assert.ok(mail.text.includes(formatLongDate('en', found.reviewDue)), `the review's due date in: ${mail.text}`);
  return accept;
}

/**
 * On the review page: downloads the file to review (an anonymised copy: no author in its name nor
 * in its bytes), answers the default form, saves a draft, then sends the review.
 */
async function review(page: Page, who: string, round: number, answers: { original: string; methods: string; significance: string; recommendation: string; forAuthor: string; forEditor: string }): Promise<void> {
  await page.getByRole('heading', { name: 'Files to review' }).waitFor(WAIT);
  assertNoAuthor([{ where: `the review page of ${who}`, bytes: Buffer.from(await page.content()) }]);
  const fileLink = page.locator('section[aria-labelledby="review-files"] a').first();
  const fileName = (await fileLink.textContent())?.trim() ?? '';
  assert.match(fileName, new RegExp(`^submission-${submissionId}-round-${round}-.*\\.pdf$`));
  const download = await page.request.get(new URL((await fileLink.getAttribute('href')) ?? '', page.url()).toString());
  assert.equal(download.status(), 200);
  assert.doesNotMatch(download.headers()['content-disposition'] ?? '', /Nowakowska|borders/i);
  const bytes = new Uint8Array(await download.body());
  const pdf = await PDFDocument.load(bytes, { updateMetadata: false });
  assert.ok(!(pdf.getAuthor() ?? '').includes('Nowakowska'), `the copy's author: ${pdf.getAuthor()}`);
  assertNoAuthor(await pdfParts(bytes));

  // The demo journal's default form: its required questions, and one of the optional ones.
  await page.getByRole('group', { name: /How original is the contribution/ }).getByLabel(answers.original, { exact: true }).check();
  await page.getByLabel(/Are the methods and sources appropriate/).fill(answers.methods);
  await page.getByRole('group', { name: /How significant is the contribution/ }).getByLabel(answers.significance, { exact: true }).check();
  await page.getByRole('group', { name: /What would improve the text/ }).getByLabel('A clearer structure').check();
  await page.getByLabel(/^Recommendation/).selectOption({ label: answers.recommendation });
  await page.getByLabel(/^Comments for the author and the editor/).fill(answers.forAuthor);
  await page.getByLabel(/^Comments for the editor only/).fill(answers.forEditor);
  await checkPage(page, `${who}-round-${round}-form`);
  await page.getByRole('button', { name: 'Save draft' }).click();
  await page.getByText('Your draft has been saved.').waitFor(WAIT);
  assert.equal(await page.getByLabel(/^Comments for the author and the editor/).inputValue(), answers.forAuthor, 'the draft keeps what was typed');
  assert.ok(await page.getByRole('group', { name: /How original is the contribution/ }).getByLabel(answers.original, { exact: true }).isChecked());
  await checkPage(page, `${who}-round-${round}-draft`);
  await page.getByRole('button', { name: 'Submit review' }).click();
  await page.getByRole('button', { name: 'Send the review' }).waitFor(WAIT);
  await checkPage(page, `${who}-round-${round}-confirm`);
  await page.getByRole('button', { name: 'Send the review' }).click();
  await page.getByText('Your review has been sent.').waitFor(WAIT);
  await checkPage(page, `${who}-round-${round}-sent`);
}

/** Rita, who has an account, opens the accept link of her request in a browser of her own, accepts, signs in when asked, and reviews. */
async function ritaAcceptsAndReviews(link: string, round: number, answers: Parameters<typeof review>[3]): Promise<void> {
  const context = await newContext(browser);
  try {
    const page = await context.newPage();
    await page.goto(link);
    await page.getByRole('heading', { level: 1, name: 'Accept the review request' }).waitFor(WAIT);
    assertNoAuthor([{ where: 'the accept page', bytes: Buffer.from(await page.content()) }]);
    await checkPage(page, `rita-round-${round}-accept`);
    await page.getByRole('button', { name: 'Accept the request' }).click();
    await page.waitForURL((url) => url.pathname.endsWith('/login'), WAIT);
    await checkPage(page, `rita-round-${round}-sign-in`);
    await fillSignIn(page, RITA.email, RITA.password);
    await page.waitForURL((url) => url.pathname.startsWith('/sm/reviewer/review/'), WAIT);
    await review(page, 'rita', round, answers);
  } finally {
    await context.close();
  }
}

/** The editor's decision from the Review section: its page, then its button. */
async function decide(page: Page, label: string, name: string, fill: (page: Page) => Promise<void>): Promise<void> {
  await page.goto(`${submissionUrl}#review`);
  await page.getByRole('link', { name: label, exact: true }).click();
  await page.getByRole('heading', { level: 1, name: new RegExp(`^${label}:`) }).waitFor(WAIT);
  await fill(page);
  await checkPage(page, `decision-${name}`);
  await page.locator('form.form').getByRole('button', { name: label, exact: true }).click();
  await page.getByText('The decision was recorded.').waitFor(WAIT);
  await checkPage(page, `decided-${name}`);
}

/** The editor asks one of the journal's reviewers, found by reviewer search. */
async function askExisting(page: Page, name: string): Promise<void> {
  await page.goto(`${submissionUrl}#review`);
  await page.getByRole('link', { name: 'Add a reviewer' }).click();
  await page.getByRole('search').getByLabel(/^Name, email or ORCID/).fill(RITA.name);
  await page.getByRole('search').getByRole('button', { name: 'Search' }).click();
  await page.getByRole('button', { name: `Choose ${RITA.name}` }).waitFor(WAIT);
  await checkPage(page, `reviewer-search-${name}`);
  await page.getByRole('button', { name: `Choose ${RITA.name}` }).click();
  await page.getByRole('heading', { level: 1, name: new RegExp(`^Ask ${RITA.name}`) }).waitFor(WAIT);
  // The journal's default review form is chosen for the round; the mode is the journal's default.
  assert.equal(await page.getByLabel('Review form', { exact: true }).locator('option:checked').textContent(), 'Review form');
  assert.equal(await page.getByLabel(/^Anonymity/).inputValue(), 'double-anonymous');
  await page.getByLabel(/^Personal message/).fill('Your work on Baltic trade makes you the right reader for this manuscript.');
  await checkPage(page, `request-${name}`);
  await page.getByRole('button', { name: 'Send the request' }).click();
  await page.getByText('The review request was sent.').waitFor(WAIT);
}

/** Each step goes on from the one before: once one fails, the later ones are skipped, not failed again. */
let failed = false;
function inTurn(name: string, body: () => Promise<void>): void {
  it(name, async (context) => {
    if (failed) return context.skip('an earlier step failed');
    try {
      await body();
    } catch (error) {
      failed = true;
      throw error;
    }
  });
}

describe('peer review in the browser, from sending to review to acceptance', () => {
  inTurn('lets the editor send the submission to review, ask a reviewer of the journal and invite someone new', async () => {
    const context = await newContext(browser);
    try {
      const page = await context.newPage();
      await signIn(page, EDITOR.email, EDITOR.password);
      await page.goto(submissionUrl);
      await page.getByRole('heading', { level: 2, name: 'Review' }).waitFor(WAIT);
      await checkPage(page, 'submission');
      await decide(page, 'Send to review', 'send-to-review', async () => {
        await page.getByRole('group', { name: /Files for the round/ }).getByLabel(/Nowakowska-borders\.pdf/).check();
      });
      await page.getByRole('heading', { name: /Round 1: In review/ }).waitFor(WAIT);

      await askExisting(page, 'rita');
      await page.getByRole('link', { name: 'Invite a new reviewer' }).click();
      await page.getByLabel(/^Given name/).fill(MAREK.givenName);
      await page.getByLabel(/^Family name/).fill(MAREK.familyName);
      await page.getByLabel(/^Email/).fill(MAREK.email);
      await page.getByLabel(/^Personal message/).fill('We would value your view of this manuscript.');
      await checkPage(page, 'request-new');
      await page.getByRole('button', { name: 'Send the request' }).click();
      await page.getByText('The review request was sent.').waitFor(WAIT);
      await page.getByRole('row', { name: new RegExp(MAREK.givenName) }).getByText('No account yet').waitFor(WAIT);
      await checkPage(page, 'reviewers-asked');
    } finally {
      await context.close();
    }
    const sent = await mailTo(AUTHOR.email, /sent to review/);
    assert.match(sent.text, new RegExp(TITLE));
  });

  inTurn('lets both reviewers accept by their mails’ links, the new one making an account, and review with the default form', async () => {
    const ritaAccept = await requestMail(RITA.email, /Review request:/, 1);
    const marekAccept = await requestMail(MAREK.email, /Invitation to review:/, 1);

    // Rita has an account: she accepts, then signs in when asked.
    await ritaAcceptsAndReviews(ritaAccept, 1, { original: 'Highly original', methods: 'The customs records are used well; the 1995 series needs a source.', significance: 'High', recommendation: 'Minor revisions required', forAuthor: 'Please give the source of the 1995 customs series.', forEditor: 'A solid paper; only small changes are needed.' });

    // Marek has none: accepting with a name and a password makes it and signs him in.
    const marekContext = await newContext(browser);
    try {
      const page = await marekContext.newPage();
      await page.goto(marekAccept);
      await page.getByRole('heading', { level: 1, name: 'Accept the review request' }).waitFor(WAIT);
      assertNoAuthor([{ where: 'the accept page', bytes: Buffer.from(await page.content()) }]);
      assert.equal(await page.getByLabel(/^Given name/).inputValue(), MAREK.givenName, 'the name the editor typed');
      await page.locator('#field-password').fill(MAREK.password);
      await page.locator('#field-password2').fill(MAREK.password);
      await page.getByLabel(/I agree/).check();
      await checkPage(page, 'marek-accept');
      await page.getByRole('button', { name: 'Accept and create my account' }).click();
      await page.getByText(/Your account is ready and you are signed in/).waitFor(WAIT);
      await review(page, 'marek', 1, { original: 'Somewhat original', methods: 'The gravity model needs a robustness check without Russia.', significance: 'Moderate', recommendation: 'Major revisions required', forAuthor: 'Add a robustness check of the gravity model without Russia.', forEditor: 'The conclusions go further than the data.' });
      // His dashboard has the review among the completed ones.
      await page.goto(`${base}/sm/dashboard/reviewAssignments`);
      await page.getByRole('heading', { name: 'Completed reviews' }).waitFor(WAIT);
      await checkPage(page, 'marek-dashboard');
    } finally {
      await marekContext.close();
    }

    for (const [who, email] of [['Rita', RITA.email], ['Marek', MAREK.email]] as const) {
      const accepted = await mailTo(EDITOR.email, new RegExp(`${who}.* accepted to review submission ${submissionId}`));
      assert.match(accepted.text, new RegExp(TITLE));
      const thanks = await mailTo(email, /Thank you for your review/);
      assert.match(thanks.text, new RegExp(TITLE));
      assertNoAuthorIn(thanks);
    }
    const completed = [await mailTo(EDITOR.email, new RegExp(`Review received for submission ${submissionId}`)), await mailTo(EDITOR.email, new RegExp(`Review received for submission ${submissionId}`))];
    assert.deepEqual(completed.map((m) => /Recommendation: (.+)/.exec(m.text)?.[1]?.trim()).sort(), ['Major revisions', 'Minor revisions']);
  });

  inTurn('lets the editor read the reviews and ask for revisions, sharing both; the author reads them unnamed and uploads a revision', async () => {
    const editorContext = await newContext(browser);
    try {
      const page = await editorContext.newPage();
      await signIn(page, EDITOR.email, EDITOR.password);
      await page.goto(`${submissionUrl}#review`);
      await page.getByRole('link', { name: 'Read the review of Reviewer A' }).click();
      await page.getByText(/the 1995 customs series|robustness check/).first().waitFor(WAIT);
      await checkPage(page, 'editor-reads-review-a');
      await page.goto(`${submissionUrl}#review`);
      await page.getByRole('link', { name: 'Read the review of Reviewer B' }).click();
      await page.getByText(/the 1995 customs series|robustness check/).first().waitFor(WAIT);
      await checkPage(page, 'editor-reads-review-b');
      await decide(page, 'Request revisions', 'request-revisions', async () => {
        const shared = page.getByRole('group', { name: /Reviews sent to the author/ });
        await shared.getByLabel(/Reviewer A/).check();
        await shared.getByLabel(/Reviewer B/).check();
        await page.getByLabel(/^Message to the author/).fill('Both reviewers ask for changes; please answer each point.');
      });
    } finally {
      await editorContext.close();
    }

    const decision = await mailTo(AUTHOR.email, /Revisions requested/);
    assert.match(decision.text, new RegExp(TITLE));
    assert.match(decision.text, /answer each point/);
    assert.match(decision.text, /Reviewer A/);
    assert.match(decision.text, /Reviewer B/);
    assert.match(decision.text, /the 1995 customs series/);
    assert.match(decision.text, /robustness check of the gravity model/);
    assert.doesNotMatch(decision.text, /only small changes|go further than the data/, 'comments for the editor stay with the editor');
    assertNoReviewerIn(decision);
    linkIn(decision, new RegExp(`http://localhost:3000/sm/workflow/index/${submissionId}/review/revisions`));

    const authorContext = await newContext(browser);
    try {
      const page = await authorContext.newPage();
      await signIn(page, AUTHOR.email, AUTHOR_PASSWORD);
      await page.goto(submissionUrl);
      await page.getByRole('heading', { name: 'Reviewer A', level: 4 }).waitFor(WAIT);
      await page.getByRole('heading', { name: 'Reviewer B', level: 4 }).waitFor(WAIT);
      const html = await page.content();
      for (const trace of [RITA.email, MAREK.familyName, MAREK.email]) assert.ok(!html.includes(trace), `the author's page names a reviewer (${trace})`);
      assert.match(html, /the 1995 customs series/);
      await checkPage(page, 'author-decision');
      await page.getByRole('link', { name: 'Upload revised files' }).click();
      await page.getByRole('heading', { name: /^Revised files:/, level: 1 }).waitFor(WAIT);
      await page.getByLabel(/^Kind of file/).selectOption('article');
      await page.getByLabel(/^Revised file/).setInputFiles({ name: 'Nowakowska-borders-revised.pdf', mimeType: 'application/pdf', buffer: Buffer.from(await authoredPdf()) });
      await checkPage(page, 'author-revisions');
      await page.getByRole('button', { name: 'Upload' }).click();
      await page.getByText('The revised file has been uploaded.').waitFor(WAIT);
      await page.getByRole('link', { name: 'Nowakowska-borders-revised.pdf' }).waitFor(WAIT);
      await checkPage(page, 'author-revision-sent');
    } finally {
      await authorContext.close();
    }
    const told = await mailTo(EDITOR.email, new RegExp(`Revisions received for submission ${submissionId}`));
    assert.match(told.text, new RegExp(TITLE));
  });

  inTurn('lets the editor open round 2 with the revision and one reviewer, who reviews it, and accept the submission', async () => {
    const editorContext = await newContext(browser);
    try {
      const page = await editorContext.newPage();
      await signIn(page, EDITOR.email, EDITOR.password);
      await page.goto(`${submissionUrl}#review`);
      await page.getByRole('heading', { name: /Round 1: Revisions submitted/ }).waitFor(WAIT);
      await page.locator('section.review-stage').getByRole('link', { name: 'Nowakowska-borders-revised.pdf' }).waitFor(WAIT);
      await checkPage(page, 'editor-revision-received');
      await decide(page, 'Start a new review round', 'new-round', async () => {
        const files = page.getByRole('group', { name: /Files for the round/ });
        for (const box of await files.getByRole('checkbox').all()) {
          const label = (await box.evaluate((input) => (input as HTMLInputElement).labels?.[0]?.textContent ?? '')) || '';
          if (label.includes('revised')) await box.check();
          else await box.uncheck();
        }
      });
      await page.getByRole('heading', { name: /Round 2: In review/ }).waitFor(WAIT);
      await askExisting(page, 'rita-round-2');
    } finally {
      await editorContext.close();
    }
    const newRound = await mailTo(AUTHOR.email, /new round of review/);
    assert.match(newRound.text, new RegExp(TITLE));
    assertNoReviewerIn(newRound);

    const accept = await requestMail(RITA.email, /Review request:/, 2);
    await ritaAcceptsAndReviews(accept, 2, { original: 'Highly original', methods: 'The 1995 series now has its source.', significance: 'High', recommendation: 'Accept submission', forAuthor: 'Thank you for the careful revision.', forEditor: 'Ready to publish.' });
    await mailTo(EDITOR.email, new RegExp(`${RITA.name}.* accepted to review submission ${submissionId}`));
    assertNoAuthorIn(await mailTo(RITA.email, /Thank you for your review/));
    const completed = await mailTo(EDITOR.email, new RegExp(`Review received for submission ${submissionId}`));
    assert.match(completed.text, /Recommendation: Accept/);

    const acceptContext = await newContext(browser);
    try {
      const page = await acceptContext.newPage();
      await signIn(page, EDITOR.email, EDITOR.password);
      await decide(page, 'Accept', 'accept', async () => {
        await page.getByRole('group', { name: /Reviews sent to the author/ }).getByRole('checkbox').first().check();
        await page.getByLabel(/^Message to the author/).fill('Congratulations: the manuscript goes to copyediting.');
      });
      assert.equal((await page.locator('dt:text-is("Stage") + dd').first().textContent())?.trim(), 'Copyediting');
    } finally {
      await acceptContext.close();
    }
    const accepted = await mailTo(AUTHOR.email, /has been accepted/);
    assert.match(accepted.text, new RegExp(TITLE));
    assert.match(accepted.text, /goes to copyediting/);
    assert.match(accepted.text, /careful revision/);
    assertNoReviewerIn(accepted);
    const submission = await findSubmission(t.database.db, 1, submissionId);
    assert.equal(submission?.stage, 'copyediting');

    // Every mail of the whole review, not only those looked at above: none a reviewer got names the author, none the author got names a reviewer.
    for (const mail of smtp.received) {
      if (mail.envelopeTo.some((to) => to === RITA.email || to === MAREK.email)) assertNoAuthorIn(mail);
      if (mail.envelopeTo.includes(AUTHOR.email)) assertNoReviewerIn(mail);
    }
  });
});
