import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it, type TestContext } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { assignRole, createUserWithRole, registerUser } from '../../src/accounts/index.ts';
import { createIssue, updateJournal } from '../../src/catalog/index.ts';
import { buildDocuments, journalDepositor, selectArticles } from '../../src/exports/index.ts';
import { createMailer } from '../../src/mail/index.ts';
import { addSubmissionFile, answerReviewRequest, assignParticipant, createDraft, findSubmission, recordDecision, requestReview, saveReview, saveSubmissionDetails, submissionFiles, submitSubmission } from '../../src/workflow/index.ts';
import { launchChromium } from '../support/browser.ts';
import { startTestApp, type TestApp } from '../support/app.ts';
import { testDatabases } from '../support/databases.ts';
import { e2eSteps, SCREENSHOTS } from '../support/e2e-steps.ts';
import { VIEWER_PDF } from '../support/galley-fixture.ts';
import { startSmtpListener, type ReceivedMail } from '../support/smtp.ts';

/**
 * Issue 21's acceptance in a real browser, continuing the review one: an accepted manuscript goes
 * through copyediting and production to an issue. The editor assigns a copyeditor and a layout
 * editor; the copyeditor uploads a copyedited file and asks the author to review it, who answers in
 * the discussion; the editor sends it to production with the copyedited file; the layout editor adds
 * a PDF galley and an HTML galley with its style sheet, previews both and sends proofs, which the
 * author approves; the editor schedules it into a future issue and publishes the issue. Within
 * seconds (the worker runs in the test process) the article is on its page (with citation_pdf_url
 * and the PDF viewer), in OAI-PMH, the sitemap, the Atom feed and site search, and its Crossref
 * deposit is queued with XML valid against the Crossref schema. Every mail is read on a real SMTP
 * listener. Every page is checked with axe (WCAG 2.2 AA) and photographed to
 * test-results/screenshots/production-*.png.
 */
const TITLE = 'Tidal commons of the Vistula lagoon';
const WAIT = { timeout: 60_000 };

const EDITOR = { email: 'editor@example.org', password: 'editor password 1' };
const AUTHOR = { email: 'anna.nowakowska@example.org', password: 'correct horse battery' };
const COPYEDITOR = { email: 'celina.copyeditor@example.org', password: 'copyeditor password 1', name: 'Celina' };
const LAYOUT = { email: 'leon.layout@example.org', password: 'layout password 1', name: 'Leon' };
const REVIEWER = 'rita.reviewer@example.org';

const GALLEY_HTML = Buffer.from(`<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>${TITLE}</title><link rel="stylesheet" href="style.css"></head>
<body><h1>${TITLE}</h1><p>The lagoon’s fisheries were held in common until 1920.</p></body></html>
`);
const GALLEY_CSS = Buffer.from('h1 { color: rgb(0, 80, 0); }\n');

const [pglite] = await testDatabases();
let t: TestApp;
let browser: Browser;
let base: string;
let smtp: Awaited<ReturnType<typeof startSmtpListener>>;
let submissionId = 0;
let submissionUrl = '';
let issueId = 0;

before(async () => {
  smtp = await startSmtpListener();
  t = await startTestApp(pglite!, { worker: true, mailer: (db) => createMailer(db.db, { smtpUrl: smtp.url, from: 'Revista <noreply@localhost>' }) });
  base = await t.app.listen({ port: 0, host: '127.0.0.1' });
  const db = t.database.db;
  const now = new Date();
  const journalId = 1;
  // The journal deposits DOIs with Crossref: its prefix, its credentials, its depositor.
  await updateJournal(db, journalId, { doiPrefix: '10.5555', crossrefUsername: 'sm-user', crossrefPassword: 'sm-secret', crossrefDepositorName: 'Editorial office', crossrefDepositorEmail: 'office@example.org', publisher: 'PISM' });
  const editor = await createUserWithRole(db, { email: EDITOR.email, password: EDITOR.password, role: 'editor', journalId, givenName: 'Ewa', now });
  await createUserWithRole(db, { email: COPYEDITOR.email, password: COPYEDITOR.password, role: 'copyeditor', journalId, givenName: COPYEDITOR.name, now });
  await createUserWithRole(db, { email: LAYOUT.email, password: LAYOUT.password, role: 'layout-editor', journalId, givenName: LAYOUT.name, now });
  const reviewer = await createUserWithRole(db, { email: REVIEWER, password: 'reviewer password 1', role: 'reviewer', journalId, givenName: 'Rita', now });
  const author = await registerUser(db, {
    email: AUTHOR.email,
    password: AUTHOR.password,
    givenName: { en: 'Anna' },
    familyName: { en: 'Nowakowska' },
    affiliation: { en: 'University of Gdańsk' },
    orcid: null,
    country: 'PL',
    preferredLocale: null,
    privacyConsentAt: now,
    emailVerifiedAt: now,
  });
  await assignRole(db, author.user.id, journalId, 'author');
  // The manuscript as the review test leaves it, made by the workflow's commands: reviewed once, accepted.
  const section = (await db.selectFrom('sections').select('id').where('journal_id', '=', journalId).orderBy('seq').executeTakeFirstOrThrow()).id;
  submissionId = await createDraft(db, { journalId, userId: author.user.id, sectionId: section, locale: 'en', commentsForEditor: '', checklistConfirmed: true, agreementsAccepted: true, now });
  const stored = await t.files.put(VIEWER_PDF);
  await addSubmissionFile(db, { journalId, submissionId, userId: author.user.id, kind: 'article', upload: { storageKey: stored.key, sizeBytes: stored.sizeBytes, sha256: stored.sha256, mimeType: 'application/pdf', originalName: 'Nowakowska-lagoon.pdf' }, now });
  await saveSubmissionDetails(db, journalId, submissionId, author.user.id, { prefix: {}, title: { en: TITLE }, subtitle: {}, abstract: { en: 'Who fished the Vistula lagoon, and by what right, from 1850 to 1920.' }, keywords: { en: ['commons', 'fisheries'] } }, now);
  await submitSubmission(db, journalId, submissionId, author.user.id, now);
  await assignParticipant(db, { journalId, submissionId, userId: editor.userId, role: 'editor', recommendOnly: false, assignedBy: editor.userId, now });
  await recordDecision(db, { journalId, submissionId, decision: 'send-to-review', editorId: editor.userId, recommendOnly: false, fileIds: (await submissionFiles(db, submissionId)).map((f) => f.id), now });
  const reviewId = await requestReview(db, { journalId, submissionId, reviewer: { userId: reviewer.userId }, reviewFormId: null, requestedBy: editor.userId, now });
  await answerReviewRequest(db, { journalId, reviewId, accept: true, by: { kind: 'user', userId: reviewer.userId }, now });
  await saveReview(db, { journalId, reviewId, userId: reviewer.userId, recommendation: 'accept', commentsForAuthor: 'Ready.', commentsForEditor: 'Publish it.', answers: {}, submit: true, now });
  await recordDecision(db, { journalId, submissionId, decision: 'accept', editorId: editor.userId, recommendOnly: false, message: 'Accepted.', notifyAuthor: false, now });
  assert.equal((await findSubmission(db, journalId, submissionId))?.stage, 'copyediting');
  // The issue it will be published in, not yet published.
  issueId = await createIssue(db, { journalId, volume: 12, number: '3', year: new Date().getUTCFullYear() + 1, title: { en: 'Commons' } });
  // Everyone here reads English (the demo journal's own language is Polish).
  await db.updateTable('users').set({ preferred_locale: 'en' }).execute();
  submissionUrl = `${base}/sm/workflow/index/${submissionId}`;
  browser = await launchChromium();
  fs.mkdirSync(SCREENSHOTS, { recursive: true });
  // What the setup sent (review requests and answers) is not what this test reads.
  smtp.received.length = 0;
});

after(async () => {
  await browser?.close();
  await t?.close();
  await smtp?.close();
});

const { mailTo, linkIn, signIn, newContext, checkPage } = e2eSteps(() => ({ smtp, base }), { screenshots: 'production', waitMs: 60_000 });

/** Each step goes on from the one before: once one fails, the later ones are skipped, not failed again. */
let failed = false;
function inTurn(name: string, body: (test: TestContext) => Promise<void>): void {
  it(name, async (context) => {
    if (failed) return context.skip('an earlier step failed');
    try {
      await body(context);
    } catch (error) {
      failed = true;
      throw error;
    }
  });
}

/** Someone signed in, in a browser of their own, for the length of `body`. */
async function as(who: { email: string; password: string }, body: (page: Page) => Promise<void>): Promise<void> {
  const context = await newContext(browser);
  try {
    const page = await context.newPage();
    await signIn(page, who.email, who.password);
    await body(page);
  } finally {
    await context.close();
  }
}

/** A mail's link to the submission (or a page of it), at the test's address. */
function submissionLinkIn(mail: ReceivedMail, rest = ''): string {
  return linkIn(mail, new RegExp(`http://localhost:3000/sm/workflow/(?:index|access)/${submissionId}${rest}(?=\\s|$)`));
}

let articleUrl = '';

let copyeditorLink = '';
let issuePublishedAt = 0;

describe('copyediting, production and publishing in the browser, from acceptance to a published issue', () => {
  inTurn('lets the editor assign a copyeditor and a layout editor of the journal', async () => {
    await as(EDITOR, async (page) => {
      await page.goto(`${submissionUrl}#copyediting`);
      await page.getByRole('heading', { level: 2, name: 'Copyediting' }).waitFor(WAIT);
      await checkPage(page, 'editor-copyediting');
      for (const [role, who] of [['copyeditor', COPYEDITOR.name], ['layout-editor', LAYOUT.name]] as const) {
        const form = page.locator('form', { has: page.locator(`#assign-${role}`) });
        const value = await form.locator('option', { hasText: who }).getAttribute('value');
        await form.locator(`#assign-${role}`).selectOption(value!);
        await form.getByRole('button', { name: 'Assign' }).click();
        await page.getByText('The person was assigned and emailed.').waitFor(WAIT);
      }
      const people = page.locator('section#copyediting, section:has(h2#copyediting)').first();
      await people.getByText(COPYEDITOR.name).first().waitFor(WAIT);
      await people.getByText(LAYOUT.name).first().waitFor(WAIT);
      await checkPage(page, 'editor-assigned');
    });
    const copyeditor = await mailTo(COPYEDITOR.email, /Copyediting request:/);
    assert.match(copyeditor.subject, new RegExp(TITLE));
    copyeditorLink = submissionLinkIn(copyeditor);
    const layout = await mailTo(LAYOUT.email, new RegExp(`You are the layout editor of submission ${submissionId}`));
    submissionLinkIn(layout);
  });

  let discussionUrl = '';
  inTurn('lets the copyeditor upload a copyedited file and ask the author to review it; the author answers in the discussion', async () => {
    await as(COPYEDITOR, async (page) => {
      // The link of the copyediting request leads to the submission's page.
      await page.goto(copyeditorLink);
      await page.waitForURL((url) => url.pathname === `/sm/workflow/index/${submissionId}`, WAIT);
      await page.getByRole('heading', { name: 'Files to copyedit' }).waitFor(WAIT);
      await page.getByRole('link', { name: 'Nowakowska-lagoon.pdf' }).first().waitFor(WAIT);
      await checkPage(page, 'copyeditor-files');
      await page.locator('#copyedit-file').setInputFiles({ name: 'Nowakowska-lagoon-copyedited.pdf', mimeType: 'application/pdf', buffer: VIEWER_PDF });
      await page.locator('form', { has: page.locator('#copyedit-file') }).getByRole('button', { name: 'Upload' }).click();
      await page.getByText('The copyedited file was uploaded.').waitFor(WAIT);
      await page.getByRole('link', { name: 'Nowakowska-lagoon-copyedited.pdf' }).first().waitFor(WAIT);
      await checkPage(page, 'copyeditor-uploaded');
      await page.getByRole('link', { name: 'Ask the author to review the copyedits' }).click();
      await page.getByRole('heading', { level: 1, name: /^Ask the author to review the copyedits/ }).waitFor(WAIT);
      await page.getByRole('group', { name: /Authors asked/ }).getByRole('checkbox').first().check();
      await page.getByRole('group', { name: /Copyedited files attached/ }).getByLabel(/Nowakowska-lagoon-copyedited\.pdf/).check();
      await page.getByRole('textbox', { name: /^Message/ }).fill('The copyedits are attached: please check the spelling of the place names.');
      await checkPage(page, 'copyeditor-ask-author');
      await page.getByRole('button', { name: 'Send to the author' }).click();
      await page.waitForURL(/\/discussions\/\d+/, WAIT);
      await checkPage(page, 'copyeditor-discussion');
    });
    const asked = await mailTo(AUTHOR.email, /Please review the copyedits/);
    assert.match(asked.text, /spelling of the place names/);
    assert.match(asked.text, /Nowakowska-lagoon-copyedited\.pdf/);
    discussionUrl = submissionLinkIn(asked, '/discussions/\\d+');

    await as(AUTHOR, async (page) => {
      await page.goto(discussionUrl);
      await page.getByText(/spelling of the place names/).waitFor(WAIT);
      await checkPage(page, 'author-discussion');
      await page.getByRole('textbox', { name: /^Message/ }).fill('The place names are right; I agree with the copyedits.');
      await page.getByRole('button', { name: 'Send the reply' }).click();
      await page.getByText(/Your reply has been sent/).waitFor(WAIT);
      await page.getByText('The place names are right; I agree with the copyedits.').waitFor(WAIT);
      await checkPage(page, 'author-answered');
    });
    const answer = await mailTo(COPYEDITOR.email, /Please review the copyedits/);
    assert.match(answer.text, /I agree with the copyedits/);
    assert.equal(submissionLinkIn(answer, '/discussions/\\d+'), discussionUrl);
  });

  inTurn('lets the editor send the submission to production with the copyedited file', async () => {
    await as(EDITOR, async (page) => {
      await page.goto(`${submissionUrl}#copyediting`);
      await page.getByRole('link', { name: /I agree with the copyedits|Please review the copyedits \(2 messages\)/ }).first().waitFor(WAIT);
      await page.getByRole('link', { name: 'Send to production' }).click();
      await page.getByRole('heading', { level: 1, name: /^Send to production:/ }).waitFor(WAIT);
      await page.getByRole('group', { name: /Production-ready files/ }).getByLabel(/Nowakowska-lagoon-copyedited\.pdf/).check();
      await checkPage(page, 'editor-send-to-production');
      await page.locator('form.form').getByRole('button', { name: 'Send to production' }).click();
      await page.getByText('The submission was sent to production.').waitFor(WAIT);
      await page.getByRole('heading', { name: 'Production-ready files' }).waitFor(WAIT);
      await checkPage(page, 'editor-in-production');
    });
    assert.equal((await findSubmission(t.database.db, 1, submissionId))?.stage, 'production');
    const ready = await mailTo(LAYOUT.email, /Ready for production:/);
    assert.match(ready.subject, new RegExp(TITLE));
    submissionLinkIn(ready);
  });

  let proofUrl = '';
  inTurn('lets the layout editor add a PDF galley and an HTML galley with its style sheet, preview them and send proofs', async () => {
    await as(LAYOUT, async (page) => {
      await page.goto(`${submissionUrl}#production`);
      await page.getByRole('heading', { level: 2, name: 'Production' }).waitFor(WAIT);
      // The copyedited file the editor sent is the production-ready file a galley may be made from.
      assert.equal(await page.locator('select[name="submissionFileId"] option', { hasText: 'Nowakowska-lagoon-copyedited.pdf' }).count(), 1);
      await checkPage(page, 'layout-production');
      const addGalley = async (label: string, file: { name: string; mimeType: string; buffer: Buffer }) => {
        const form = page.locator('form', { has: page.locator('#field-file') });
        await form.getByLabel(/^Label/).fill(label);
        await form.locator('#field-file').setInputFiles(file);
        await form.getByRole('button', { name: 'Save galley' }).click();
        await page.getByText('The galley was added.').waitFor(WAIT);
      };
      await addGalley('PDF', { name: 'lagoon.pdf', mimeType: 'application/pdf', buffer: VIEWER_PDF });
      await addGalley('HTML', { name: 'lagoon.html', mimeType: 'text/html', buffer: GALLEY_HTML });
      const assets = page.locator('section[aria-labelledby^="assets-"]', { has: page.getByRole('heading', { name: 'Files of the HTML galley HTML' }) });
      await assets.locator('.missing-assets').getByText('style.css').waitFor(WAIT);
      await checkPage(page, 'layout-galleys-added');
      assert.equal(await assets.getByLabel(/^Name/).inputValue(), 'style.css', 'the missing file’s name is offered');
      await assets.locator('input[type=file]').setInputFiles({ name: 'style.css', mimeType: 'text/css', buffer: GALLEY_CSS });
      await assets.getByRole('button', { name: 'Upload file' }).click();
      await page.getByText('The file of the HTML galley was stored.').waitFor(WAIT);
      await page.getByText('Every file the HTML refers to is here.').waitFor(WAIT);
      await checkPage(page, 'layout-asset-added');

      for (const label of ['PDF', 'HTML']) {
        await page.goto(`${submissionUrl}#production`);
        await page.getByRole('link', { name: `Preview of ${label}` }).click();
        await page.waitForURL(/\/galleys\/\d+\/preview$/, WAIT);
        await page.waitForLoadState('load');
        if (label === 'PDF') {
          // The PDF drawn in the page from the galley's own bytes.
          const src = (await page.locator('iframe.galley-frame--pdf').getAttribute('src')) ?? '';
          const pdf = await page.request.get(new URL(src, page.url()).toString());
          assert.equal(pdf.status(), 200);
          assert.deepEqual(Buffer.from(await pdf.body()), VIEWER_PDF);
        }
        if (label === 'HTML') {
          const frame = page.frameLocator('iframe').first();
          await frame.getByRole('heading', { name: TITLE }).waitFor(WAIT);
          assert.equal(await frame.getByRole('heading', { name: TITLE }).evaluate((h) => getComputedStyle(h).color), 'rgb(0, 80, 0)', 'the style sheet asset is applied');
        }
        await checkPage(page, `layout-preview-${label.toLowerCase()}`);
      }

      await page.goto(`${submissionUrl}#production`);
      const proofs = page.locator('form', { has: page.locator('#field-authorIds') });
      await proofs.getByRole('textbox', { name: /^Message/ }).fill('Please check the proofs, especially the map captions.');
      await checkPage(page, 'layout-send-proofs');
      await proofs.getByRole('button', { name: 'Send proofs to the author' }).click();
      await page.getByText('The proofs were sent.').waitFor(WAIT);
      await page.getByRole('cell', { name: 'Waiting for the author' }).waitFor(WAIT);
      await checkPage(page, 'layout-proofs-sent');
    });
    const requested = await mailTo(AUTHOR.email, /Proofs to check:/);
    assert.match(requested.subject, new RegExp(TITLE));
    assert.match(requested.text, /map captions/);
    proofUrl = submissionLinkIn(requested, '/proofs/\\d+');
  });

  inTurn('lets the author approve the proofs on the proof page', async () => {
    await as(AUTHOR, async (page) => {
      await page.goto(proofUrl);
      await page.getByRole('heading', { level: 1, name: `Proofs of submission ${submissionId}` }).waitFor(WAIT);
      await page.getByText(/map captions/).waitFor(WAIT);
      await page.getByRole('link', { name: 'PDF', exact: true }).waitFor(WAIT);
      await page.getByRole('link', { name: 'HTML', exact: true }).waitFor(WAIT);
      await checkPage(page, 'author-proofs');
      await page.getByRole('button', { name: 'Approve the proofs' }).click();
      await page.getByText('Thank you: your answer was sent to the journal.').waitFor(WAIT);
      await page.getByText(/You answered on .*: Approved\./).waitFor(WAIT);
      await checkPage(page, 'author-proofs-approved');
    });
    for (const to of [LAYOUT.email, EDITOR.email]) {
      const answered = await mailTo(to, /Proofs approved:/);
      assert.match(answered.subject, new RegExp(TITLE));
      submissionLinkIn(answered);
    }
  });

  inTurn('lets the editor schedule the article into the future issue and publish the issue', async () => {
    await as(EDITOR, async (page) => {
      await page.goto(`${submissionUrl}#publication`);
      const publication = page.locator('section#publication');
      await publication.getByRole('heading', { name: 'Schedule' }).waitFor(WAIT);
      await checkPage(page, 'editor-publication');
      await publication.getByLabel(/^With an issue/).check();
      await publication.getByLabel(/^Issue/).selectOption({ value: String(issueId) });
      const confirm = publication.locator('form', { has: page.getByRole('button', { name: 'Schedule' }) }).getByLabel(/I know what is missing above/);
      if ((await confirm.count()) > 0) await confirm.check();
      await publication.getByRole('button', { name: 'Schedule', exact: true }).click();
      await page.getByText('Scheduled.').first().waitFor(WAIT);
      assert.match((await page.locator('#publication-status').textContent()) ?? '', /Scheduled: published with .*12/);
      await checkPage(page, 'editor-scheduled');

      await page.goto(`${base}/sm/management/issues/${issueId}`);
      await page.getByText(TITLE).first().waitFor(WAIT);
      await checkPage(page, 'editor-issue');
      await page.getByRole('button', { name: 'Publish issue' }).click();
      await page.getByText('The issue is published.').waitFor(WAIT);
      issuePublishedAt = Date.now();
      await checkPage(page, 'editor-issue-published');
    });
    const submission = await findSubmission(t.database.db, 1, submissionId);
    assert.equal(submission?.status, 'published');
    const published = await mailTo(AUTHOR.email, /Published:/);
    assert.match(published.subject, new RegExp(TITLE));
    articleUrl = linkIn(published, /http:\/\/localhost:3000\/sm\/article\/view\/\d+/);
  });

  inTurn('shows the article within seconds: its page with the PDF viewer, OAI-PMH, the sitemap, the Atom feed, search; its Crossref deposit is queued and valid', async (test) => {
    const articleId = Number(/\/article\/view\/(\d+)$/.exec(articleUrl)![1]);
    // The worker runs in this process: poll briefly until what it does after publishing is done.
    const until = async <T>(what: string, probe: () => Promise<T | undefined | false>): Promise<T> => {
      const deadline = Date.now() + 30_000;
      for (;;) {
        const got = await probe();
        if (got) return got;
        assert.ok(Date.now() < deadline, `not within 30 s: ${what}`);
        await new Promise((r) => setTimeout(r, 250));
      }
    };
    const get = async (url: string) => {
      const response = await fetch(`${base}${url}`);
      return { status: response.status, body: await response.text() };
    };

    const context = await newContext(browser);
    try {
      const page = await context.newPage();
      await page.goto(articleUrl);
      await page.getByRole('heading', { level: 1, name: TITLE }).waitFor(WAIT);
      const pdfUrl = await page.locator('meta[name="citation_pdf_url"]').getAttribute('content');
      assert.ok(pdfUrl && pdfUrl.includes(`/sm/article/`), `citation_pdf_url: ${pdfUrl}`);
      // citation_pdf_url gives the PDF itself, to anyone.
      const citationPdf = await page.request.get(new URL(pdfUrl, page.url()).toString().replace('http://localhost:3000', base));
      assert.equal(citationPdf.status(), 200);
      assert.match(citationPdf.headers()['content-type'] ?? '', /^application\/pdf/);
      assert.deepEqual(Buffer.from(await citationPdf.body()), VIEWER_PDF);
      await checkPage(page, 'reader-article');
      const viewer = page.locator('a.galley-link', { hasText: 'PDF' });
      const viewerHref = (await viewer.getAttribute('href')) ?? '';
      assert.match(viewerHref, new RegExp(`^/sm/article/view/${articleId}/\\d+$`));
      await viewer.click();
      await page.waitForURL((url) => url.pathname === viewerHref, WAIT);
      await page.waitForLoadState('load');
      const frameSrc = (await page.locator('iframe.galley-frame--pdf').getAttribute('src')) ?? '';
      const framed = await page.request.get(new URL(frameSrc, page.url()).toString());
      assert.equal(framed.status(), 200);
      assert.deepEqual(Buffer.from(await framed.body()), VIEWER_PDF, 'the viewer shows the galley’s PDF');
      await checkPage(page, 'reader-pdf-viewer');
    } finally {
      await context.close();
    }

    const discovering = Date.now();
    await until('OAI-PMH ListRecords has the article', async () => {
      const oai = await get('/sm/oai?verb=ListRecords&metadataPrefix=oai_dc');
      return oai.status === 200 && oai.body.includes(TITLE) && oai.body.includes(`article/${articleId}`);
    });
    await until('the sitemap lists the article', async () => (await get('/sm/sitemap.xml')).body.includes(`/sm/article/view/${articleId}<`));
    await until('the Atom feed has the article', async () => {
      const atom = await get('/sm/feed/atom');
      return atom.status === 200 && atom.body.includes(TITLE) && atom.body.includes(`/sm/article/view/${articleId}`);
    });
    await until('site search finds the article by a word of its title', async () => {
      const found = await get('/sm/search?query=lagoon');
      return found.status === 200 && found.body.includes(`/sm/article/view/${articleId}"`) && found.body.includes(TITLE);
    });

    // Found everywhere within seconds of the issue's publishing (the polling itself took what follows).
    const waited = Date.now() - discovering;
    assert.ok(waited < 30_000, `OAI, sitemap, feed and search took ${waited} ms after the article page`);
    test.diagnostic(`article in OAI, sitemap, Atom and search ${Math.round((Date.now() - issuePublishedAt) / 1000)} s after the issue was published (${waited} ms of polling)`);

    // The Crossref deposit is queued for its DOI (the DOI given on publishing, with the journal's prefix).
    const deposit = await until('the Crossref deposit is queued', () => t.database.db.selectFrom('crossref_deposits').select(['doi', 'status']).where('article_id', '=', articleId).executeTakeFirst());
    assert.match(deposit.doi, /^10\.5555\//);
    const { items } = await selectArticles(t.database.db, 'http://localhost:3000', { journalPath: 'sm', articleId });
    const [document] = buildDocuments('crossref', items, await journalDepositor(t.database.db, 1), new Date());
    assert.ok(document!.xml.includes(`<doi>${deposit.doi}</doi>`), 'the deposit names the article’s DOI');
    assert.ok(document!.xml.includes(TITLE));
    const file = path.join(os.tmpdir(), `e2e-production-crossref-${process.pid}.xml`);
    fs.writeFileSync(file, document!.xml);
    try {
      execFileSync('xmllint', ['--noout', '--nonet', '--schema', path.resolve(import.meta.dirname, '../../../shared/schemas/crossref/crossref5.3.1.xsd'), file], { stdio: 'pipe' });
    } finally {
      fs.rmSync(file, { force: true });
    }
  });
});
