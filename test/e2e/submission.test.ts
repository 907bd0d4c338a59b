import assert from 'node:assert/strict';
import fs from 'node:fs';
import { after, before, describe, it } from 'node:test';
import type { Browser } from 'playwright-core';
import { createUserWithRole, setSectionEditorSections } from '../../src/accounts/index.ts';
import { createMailer } from '../../src/mail/index.ts';
import { saveSubmissionSettings, submissionSettings } from '../../src/workflow/index.ts';
import { launchChromium } from '../support/browser.ts';
import { startTestApp, type TestApp } from '../support/app.ts';
import { testDatabases } from '../support/databases.ts';
import { e2eSteps, SCREENSHOTS } from '../support/e2e-steps.ts';
import { startSmtpListener } from '../support/smtp.ts';

/**
 * Issue 19's acceptance in a real browser, as people do it: an author registers, confirms the address
 * from the mail, submits a PDF with three references (one flagged by the wizard and fixed), and is
 * acknowledged by mail; the editor, told by mail, finds it among the unassigned, assigns a section
 * editor (mailed), and starts a discussion with an attachment, which the author answers. The worker
 * runs in the test process (subscribers, mail), as `npm start` does. Every page is checked with axe
 * (WCAG 2.2 AA) and photographed to test-results/screenshots/submission-*.png.
 */
const PDF = Buffer.from('%PDF-1.4\n1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj\n2 0 obj << /Type /Pages /Kids [] /Count 0 >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n');
const TITLE = 'Energy security of small states in the Baltic Sea region';

const [pglite] = await testDatabases();
let t: TestApp;
let browser: Browser;
let base: string;
let smtp: Awaited<ReturnType<typeof startSmtpListener>>;
let sectionEditorId = 0;

before(async () => {
  smtp = await startSmtpListener();
  t = await startTestApp(pglite!, { worker: true, mailer: (db) => createMailer(db.db, { smtpUrl: smtp.url, from: 'Revista <noreply@localhost>' }) });
  base = await t.app.listen({ port: 0, host: '127.0.0.1' });
  const db = t.database.db;
  const now = new Date();
  await createUserWithRole(db, { email: 'editor@example.org', password: 'editor password 1', role: 'editor', journalId: 1, givenName: 'Ewa', now });
  const sectionEditor = await createUserWithRole(db, { email: 'section.editor@example.org', password: 'section editor password', role: 'section-editor', journalId: 1, givenName: 'Stefan', now });
  const sections = await db.selectFrom('sections').select('id').where('journal_id', '=', 1).orderBy('seq').execute();
  sectionEditorId = sectionEditor.userId;
  await setSectionEditorSections(db, sectionEditor.userId, sections.map((s) => s.id), [sections[0]!.id]);
  // The journal asks its authors to confirm a checklist (the manager's settings, saved by their command).
  const settings = await submissionSettings(db, 1);
  await saveSubmissionSettings(db, 1, {
    authorGuidelines: { en: '<p>Articles of up to 8,000 words.</p>' },
    checklist: [{ en: 'The manuscript has not been published before.', pl: 'Tekst nie był wcześniej publikowany.' }],
    copyrightNotice: { en: 'Authors keep the copyright and license the work under CC BY 4.0.' },
    privacyStatement: { en: 'Names and addresses are used only for the journal’s work.' },
    daysToFirstAction: 14,
    fileKinds: settings.fileKinds.map((k) => ({ key: k.key, name: k.name, types: k.types, maxMb: k.maxBytes / (1024 * 1024), required: k.required })),
  }, now);
  browser = await launchChromium();
  fs.mkdirSync(SCREENSHOTS, { recursive: true });
});

after(async () => {
  await browser?.close();
  await t?.close();
  await smtp?.close();
});

const { mailTo, linkIn, signIn, newContext, checkPage } = e2eSteps(() => ({ smtp, base }), { screenshots: 'submission' });

describe('a submission in the browser, from registration to discussion', () => {
  let submissionUrl = '';

  it('lets an author register, confirm the address and submit a PDF with checked references', async () => {
    const context = await newContext(browser);
    try {
      const page = await context.newPage();
      await page.goto(`${base}/sm/user/register`);
      await page.getByRole('group', { name: /Given name/ }).getByLabel(/English/).fill('Anna');
      await page.getByRole('group', { name: /Family name/ }).getByLabel(/English/).fill('Kowalska');
      await page.getByLabel('Country').selectOption('PL');
      await page.getByLabel(/^Email/).fill('anna.author@example.org');
      await page.locator('#field-password').fill('correct horse battery');
      await page.getByLabel(/^Repeat/).fill('correct horse battery');
      await page.getByLabel(/I agree/).check();
      await checkPage(page, 'register');
      await page.getByRole('button', { name: 'Register' }).click();
      await page.getByRole('heading', { name: 'Check your email' }).waitFor();
      await page.goto(linkIn(await mailTo('anna.author@example.org', /./), /http:\/\/localhost:3000\/\S+/));
      await signIn(page, 'anna.author@example.org', 'correct horse battery');

      // Start: a visitor's "Make a submission" leads here once signed in.
      await page.goto(`${base}/sm/submission`);
      await page.getByRole('heading', { level: 1 }).waitFor();
      const sectionValues = await page.getByLabel('Section').locator('option').evaluateAll((options) => options.map((o) => (o as HTMLOptionElement).value).filter((v) => v !== ''));
      await page.getByLabel('Section').selectOption(sectionValues[0]!);
      await page.getByLabel(/Language of the manuscript/).selectOption('en');
      await page.getByLabel(/not been published before/).check();
      await page.getByLabel(/I accept the copyright notice/).check();
      await page.getByLabel(/Comments for the editor/).fill('A paper for the energy security section.');
      await checkPage(page, 'start');
      await page.getByRole('button', { name: 'Start the submission' }).click();

      // Files: the PDF, recognised from its bytes.
      await page.getByLabel('Kind of file').selectOption('article');
      await page.locator('#field-file').setInputFiles({ name: 'energy-security.pdf', mimeType: 'application/pdf', buffer: PDF });
      await page.getByRole('button', { name: 'Upload' }).click();
      await page.getByText('energy-security.pdf').first().waitFor();
      await checkPage(page, 'files');
      await page.getByRole('button', { name: /^Continue|Save and continue/ }).first().click();

      // Details.
      await page.getByLabel('Title').first().fill(TITLE);
      await page.getByLabel('Abstract').first().fill('How three small states secure their supply of gas and electricity.');
      await page.getByLabel('Keywords').first().fill('energy security, Baltic states, gas');
      await checkPage(page, 'details');
      await page.getByRole('button', { name: 'Save and continue' }).click();

      // Contributors: the author is there from the profile.
      await page.getByText('Kowalska').first().waitFor();
      await checkPage(page, 'contributors');
      await page.getByRole('button', { name: /^Continue|Save and continue/ }).first().click();

      // References: one has no year, which the wizard points out; the author adds it.
      const field = page.getByLabel('References', { exact: true });
      await field.fill(
        [
          'Smith, J. (2019). Energy security in the Baltic. Journal of Baltic Studies, 50(2), 123-145. https://doi.org/10.1080/01629778.2019.1234567',
          'Kowalski, A. Gas markets and small states. International Affairs, 12(1), 33-51.',
          'Nowak, P. (2021). Electricity interconnectors. Warsaw: PISM.',
        ].join('\n'),
      );
      await page.getByRole('button', { name: 'Check again' }).click();
      await page.getByText(/with something to look at/).waitFor();
      await checkPage(page, 'references-flagged');
      await page
        .getByLabel('References', { exact: true })
        .fill(
          [
            'Smith, J. (2019). Energy security in the Baltic. Journal of Baltic Studies, 50(2), 123-145. https://doi.org/10.1080/01629778.2019.1234567',
            'Kowalski, A. (2020). Gas markets and small states. International Affairs, 12(1), 33-51.',
            'Nowak, P. (2021). Electricity interconnectors. Warsaw: PISM.',
          ].join('\n'),
        );
      await page.getByRole('button', { name: 'Check again' }).click();
      await page.getByText(/nothing to look at/).first().waitFor();
      await checkPage(page, 'references-fixed');
      await page.getByRole('button', { name: 'Save and continue' }).click();

      // Review everything, submit.
      await page.getByText(/You can submit/).waitFor();
      await checkPage(page, 'review');
      await page.getByRole('button', { name: 'Submit the manuscript' }).click();
      await page.getByRole('heading', { name: 'Thank you' }).waitFor();
      await checkPage(page, 'submitted');

      const ack = await mailTo('anna.author@example.org', /Submission received/);
      assert.match(ack.text, new RegExp(TITLE));
      submissionUrl = /http:\/\/localhost:3000\/sm\/workflow\/access\/\d+/.exec(ack.text)![0];
      await page.goto(`${base}/sm/dashboard/mySubmissions`);
      await page.getByText(TITLE).first().waitFor();
      await checkPage(page, 'my-submissions');
    } finally {
      await context.close();
    }
  });

  it('lets the editor, told by mail, find it among the unassigned and assign a section editor', async () => {
    const told = await mailTo('editor@example.org', /New submission|Nowe zgłoszenie/);
    assert.match(told.text, new RegExp(TITLE));
    const context = await newContext(browser);
    try {
      const page = await context.newPage();
      await signIn(page, 'editor@example.org', 'editor password 1');
      await page.goto(`${base}/sm/dashboard/editorial`);
      await page.getByRole('link', { name: /Unassigned/ }).click();
      await checkPage(page, 'editorial-unassigned');
      await page.getByRole('link', { name: TITLE }).click();
      await page.getByRole('heading', { level: 1 }).waitFor();
      assert.equal(new URL(page.url()).pathname, new URL(submissionUrl.replace('access', 'index')).pathname);
      await checkPage(page, 'submission-page');
      const select = page.getByLabel('Assign a section editor');
      assert.match((await select.locator(`option[value="${sectionEditorId}"]`).textContent()) ?? '', /Stefan/);
      await select.selectOption(String(sectionEditorId));
      await page.locator('form', { has: select }).getByRole('button', { name: 'Assign' }).click();
      await page.getByText('The person has been assigned').waitFor();
      await checkPage(page, 'assigned');
    } finally {
      await context.close();
    }
    const assigned = await mailTo('section.editor@example.org', /You are the|Przypisanie/);
    assert.match(assigned.text, new RegExp(TITLE));
  });

  it('lets the editor start a discussion with the author, with an attachment, which the author answers', async () => {
    const editorContext = await newContext(browser);
    let discussionUrl = '';
    try {
      const page = await editorContext.newPage();
      await signIn(page, 'editor@example.org', 'editor password 1');
      await page.goto(submissionUrl.replace('http://localhost:3000', base));
      await page.getByRole('link', { name: 'Discussions of this submission' }).click();
      await page.getByLabel('Subject').fill('The length of the abstract');
      await page.getByRole('group', { name: /Participants/ }).getByLabel(/Anna Kowalska/).check();
      await page.getByLabel('Message').fill('Could you shorten the abstract to 150 words? The reviewers’ form is attached.');
      await page.getByLabel('Attachments').setInputFiles({ name: 'review-form.pdf', mimeType: 'application/pdf', buffer: PDF });
      await checkPage(page, 'discussion-start');
      await page.getByRole('button', { name: 'Start the discussion' }).click();
      await page.getByText('The discussion has started').waitFor();
      await page.getByRole('link', { name: 'review-form.pdf' }).waitFor();
      await checkPage(page, 'discussion-started');
      discussionUrl = page.url();
    } finally {
      await editorContext.close();
    }

    // The author, told by mail, follows its link and answers.
    const told = await mailTo('anna.author@example.org', /The length of the abstract/);
    assert.match(told.text, /shorten the abstract/);
    assert.match(told.text, /review-form\.pdf/);
    const link = linkIn(told, /http:\/\/localhost:3000\/sm\/workflow\/index\/\d+\/discussions\/\d+/);
    assert.equal(new URL(link).pathname, new URL(discussionUrl).pathname);
    const authorContext = await newContext(browser);
    try {
      const page = await authorContext.newPage();
      await signIn(page, 'anna.author@example.org', 'correct horse battery');
      await page.goto(link);
      await page.getByText('Could you shorten the abstract').waitFor();
      // The attachment opens for the author too.
      const download = await page.request.get(new URL(await page.getByRole('link', { name: 'review-form.pdf' }).getAttribute('href') ?? '', page.url()).toString());
      assert.equal(download.status(), 200);
      assert.deepEqual(Buffer.from(await download.body()), PDF);
      await page.getByRole('textbox', { name: /Message/ }).fill('Done: the abstract now has 140 words.');
      await page.getByRole('button', { name: 'Send the reply' }).click();
      await page.getByText('Your reply has been sent').waitFor();
      await checkPage(page, 'discussion-answered');
    } finally {
      await authorContext.close();
    }
    const answer = await mailTo('editor@example.org', /The length of the abstract/);
    assert.match(answer.text, /140 words/);
  });
});
