import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startTestApp, visibleText, type TestApp } from '../../../test/support/app.ts';
import { axeViolations, launchChromium } from '../../../test/support/browser.ts';
import { testDatabases } from '../../../test/support/databases.ts';
import { signedInAs, type Session } from '../../../test/support/session.ts';
import { createDraft } from '../commands/submissions.ts';
import { defaultReviewForm, reviewForm } from '../review/forms/read.ts';
import { saveResponses } from '../review/forms/responses.ts';
import { reviewSettings } from '../review/settings.ts';

/**
 * The manager's review pages (issue 20, items 4, 5 and 7): the review settings saved and refused beside
 * their fields; review forms made, filled with questions, reordered without JavaScript, made the
 * default, previewed, deleted after a confirmation page; a form reviewers answered keeps its
 * questions; nobody but the journal's managers (and administrators) gets in.
 */

const SETTINGS = '/sm/management/settings/review';
const FORMS = '/sm/management/settings/reviewForms';
const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

const settingsFields = (changes: Record<string, string> = {}) => ({
  anonymity: 'anonymous-reviewer',
  responseDays: '10',
  reviewDays: '30',
  remindDaysBefore: '0',
  remindDaysAfter: '5',
  minReviews: '2',
  waitForReviews: 'on',
  ...changes,
});

const [first] = await testDatabases();
for (const database of await testDatabases()) {
  describe(`review settings and forms pages, on ${database.name}`, () => {
    let t: TestApp;
    let manager: Session;
    const journalId = 1;

    before(async () => {
      t = await startTestApp(database);
      manager = await signedInAs(t.app, t.database.db, { email: 'manager@example.org', role: 'manager', journalId });
    });
    after(() => t.close());

    it('the management menu links both pages next to the submission settings', async () => {
      const page = await manager.get('/sm/management');
      const links = [...page.body.matchAll(/href="([^"]+)"/g)].map((m) => m[1]);
      const at = links.indexOf('/sm/management/settings/submissions');
      assert.ok(at >= 0);
      assert.deepEqual(links.slice(at + 1, at + 3), [SETTINGS, FORMS]);
    });

    it('a manager saves the review settings and sees them again', async () => {
      const page = await manager.get(SETTINGS);
      assert.equal(page.statusCode, 200);
      const text = visibleText(page.body);
      assert.ok(text.includes('Double-anonymous') && text.includes('Anonymous reviewer') && text.includes('Open'));
      assert.match(page.body, /<input type="radio" id="field-anonymity-double-anonymous" name="anonymity" value="double-anonymous" checked/, 'the default mode, chosen');
      const saved = await manager.post(SETTINGS, settingsFields());
      assert.equal(saved.statusCode, 303);
      assert.equal(saved.headers.location, `${SETTINGS}?notice=saved`);
      assert.deepEqual(await reviewSettings(t.database.db, journalId), { anonymity: 'anonymous-reviewer', responseDays: 10, reviewDays: 30, remindDaysBefore: 0, remindDaysAfter: 5, minReviews: 2, waitForReviews: true });
      const again = await manager.get(`${SETTINGS}?notice=saved`);
      assert.ok(visibleText(again.body).includes('The review settings are saved.'));
      assert.match(again.body, /value="anonymous-reviewer" checked/);
      assert.match(again.body, /name="minReviews"[^>]*value="2"/);
      assert.match(again.body, /name="waitForReviews" value="on" checked/);
    });

    it('refuses values out of range beside their fields and keeps what was typed; nothing is saved', async () => {
      const before = await reviewSettings(t.database.db, journalId);
      const cases: Array<[Record<string, string>, string, string]> = [
        [{ responseDays: '0' }, 'responseDays', 'Enter a whole number from 1 to 365.'],
        [{ reviewDays: '366' }, 'reviewDays', 'Enter a whole number from 1 to 365.'],
        [{ remindDaysBefore: '61' }, 'remindDaysBefore', 'Enter a whole number from 0 to 60.'],
        [{ remindDaysAfter: 'soon' }, 'remindDaysAfter', 'Enter a whole number from 0 to 60.'],
        [{ minReviews: '11' }, 'minReviews', 'Enter a whole number from 0 to 10.'],
        [{ anonymity: 'public' }, 'anonymity', 'Choose one of the modes.'],
      ];
      for (const [changes, field, message] of cases) {
        await manager.get(SETTINGS);
        const refused = await manager.post(SETTINGS, settingsFields({ ...changes, reviewDays: changes.reviewDays ?? '45' }));
        assert.equal(refused.statusCode, 400, field);
        assert.match(refused.body, new RegExp(`id="field-${field}-error">\\s*${escape(message)}`), field);
        assert.ok(refused.body.includes(`href="#field-${field}"`), `${field}: the summary links to the field`);
        assert.match(refused.body, /name="reviewDays"[^>]*value="45"|name="reviewDays"[^>]*value="366"/, 'what was typed stays');
      }
      assert.deepEqual(await reviewSettings(t.database.db, journalId), before);
    });

    it('lists the demo journal’s default form and previews it as reviewers fill it in', async () => {
      const list = await manager.get(FORMS);
      assert.equal(list.statusCode, 200);
      assert.match(visibleText(list.body), /Review form 4 0 Default Active Preview/);
      const form = (await defaultReviewForm(t.database.db, journalId))!;
      const preview = await manager.get(`${FORMS}/${form.id}/preview`);
      assert.equal(preview.statusCode, 200);
      const [originality, methods, significance, improvements] = form.elements;
      // A single choice: radio buttons under a legend with the required mark; a long text: a labelled textarea.
      assert.match(preview.body, new RegExp(`<fieldset class="field-group" id="field-answer-${originality!.id}" aria-describedby="field-answer-${originality!.id}-hint"><legend>How original is the contribution\\?<span class="required"> \\(required\\)</span></legend>`));
      assert.match(preview.body, new RegExp(`<input type="radio" id="field-answer-${originality!.id}-0" name="answer-${originality!.id}" value="0" required>`));
      assert.match(preview.body, new RegExp(`<label for="field-answer-${methods!.id}">Are the methods and sources appropriate and used soundly\\?<span class="required"> \\(required\\)</span></label>`));
      assert.match(preview.body, new RegExp(`<input type="checkbox" id="field-answer-${improvements!.id}-3" name="answer-${improvements!.id}" value="3">`));
      const text = visibleText(preview.body);
      assert.ok(text.includes('Only the editors will see this answer.'), 'the reviewer is told who reads each answer');
      // What the author reads leaves out the editors-only question.
      const authorPart = text.slice(text.indexOf('What the author reads'));
      assert.ok(authorPart.includes('What would improve the text?') && !authorPart.includes(significance!.question.en!));
    });

    it('a manager makes a form, adds, edits, reorders and removes questions, makes it the default and deletes it', async () => {
      await manager.get(`${FORMS}/new`);
      const empty = await manager.post(`${FORMS}/new`, { 'title.en': ' ', 'description.en': 'Kept' });
      assert.equal(empty.statusCode, 400);
      assert.match(empty.body, /id="field-title-error">\s*This cannot be empty\./);
      assert.match(empty.body, /name="description\.en"[^>]*>Kept</, 'nothing typed is lost');

      const created = await manager.post(`${FORMS}/new`, { 'title.en': 'Short form', 'title.pl': 'Krótki formularz', isActive: 'on' });
      assert.equal(created.statusCode, 303);
      const base = String(created.headers.location).replace(/\?notice=created$/, '');
      const formId = Number(base.split('/').at(-1));
      assert.ok(visibleText((await manager.get(String(created.headers.location))).body).includes('The review form is created.'));

      await manager.get(`${base}/questions/new`);
      const noChoices = await manager.post(`${base}/questions/new`, { kind: 'single-choice', 'question.en': 'Verdict?', 'options.en': 'Only one' });
      assert.equal(noChoices.statusCode, 400);
      assert.match(noChoices.body, /id="field-options-error">\s*Give at least two choices, one per line\./);
      assert.match(noChoices.body, /name="options\.en"[^>]*>Only one</);
      assert.equal((await manager.post(`${base}/questions/new`, { kind: 'single-choice', 'question.en': 'Verdict?', 'question.pl': 'Werdykt?', 'options.en': 'Good\nPoor', 'options.pl': 'Dobry\nSłaby', required: 'on', visibleToAuthor: 'on' })).statusCode, 303);
      assert.equal((await manager.post(`${base}/questions/new`, { kind: 'long-text', 'question.en': 'Notes for the editors' })).statusCode, 303);
      let form = (await reviewForm(t.database.db, journalId, formId))!;
      assert.deepEqual(form.elements.map((e) => [e.kind, e.question.en, e.options, e.required, e.visibleToAuthor]), [
        ['single-choice', 'Verdict?', [{ en: 'Good', pl: 'Dobry' }, { en: 'Poor', pl: 'Słaby' }], true, true],
        ['long-text', 'Notes for the editors', [], false, false],
      ]);
      const [verdict, notes] = form.elements;

      // The question's page shows the choices one per line, per language.
      const edit = await manager.get(`${base}/questions/${verdict!.id}`);
      assert.match(edit.body, /name="options\.pl"[^>]*>Dobry\nSłaby</);
      assert.equal((await manager.post(`${base}/questions/${verdict!.id}`, { kind: 'single-choice', 'question.en': 'Your verdict?', 'options.en': 'Good\nFair\nPoor', required: 'on', visibleToAuthor: 'on' })).statusCode, 303);

      // Reordering by buttons, no script: the form page has Move up/down forms.
      const page = await manager.get(base);
      assert.match(page.body, new RegExp(`<form action="${escape(base)}/questions/${notes!.id}/move" method="post" class="inline-form">.*?name="direction" value="up"`));
      assert.equal((await manager.post(`${base}/questions/${notes!.id}/move`, { direction: 'up' })).statusCode, 303);
      form = (await reviewForm(t.database.db, journalId, formId))!;
      assert.deepEqual(form.elements.map((e) => e.question.en), ['Notes for the editors', 'Your verdict?']);
      assert.deepEqual(form.elements[1]?.options.map((o) => o.en), ['Good', 'Fair', 'Poor']);

      // Removing a question: a confirmation page at the same address first.
      const confirm = await manager.get(`${base}/questions/${notes!.id}/delete`);
      assert.equal(confirm.statusCode, 200);
      assert.ok(visibleText(confirm.body).includes('Delete the question “Notes for the editors”?'));
      assert.match(confirm.body, new RegExp(`<form action="${escape(base)}/questions/${notes!.id}/delete" method="post"`));
      assert.equal((await manager.post(`${base}/questions/${notes!.id}/delete`)).statusCode, 303);
      assert.deepEqual((await reviewForm(t.database.db, journalId, formId))?.elements.map((e) => e.id), [verdict!.id]);

      // The default moves to this form; the demo form stays, no longer the default.
      const demoForm = (await defaultReviewForm(t.database.db, journalId))!;
      assert.equal((await manager.post(`${base}/default`)).statusCode, 303);
      assert.equal((await defaultReviewForm(t.database.db, journalId))?.id, formId);
      assert.match(visibleText((await manager.get(FORMS)).body), /Review form 4 0 Active Preview.*Short form 1 0 Default Active Preview/);
      await manager.post(`${FORMS}/${demoForm.id}/default`);

      const confirmDelete = await manager.get(`${base}/delete`);
      assert.equal(confirmDelete.statusCode, 200);
      assert.ok(visibleText(confirmDelete.body).includes('Delete the review form “Short form”?'));
      const deleted = await manager.post(`${base}/delete`);
      assert.equal(deleted.statusCode, 303);
      assert.equal(deleted.headers.location, `${FORMS}?notice=deleted`);
      assert.equal(await reviewForm(t.database.db, journalId, formId), undefined);
      assert.equal((await manager.get(base)).statusCode, 404);
    });

    it('a form reviewers answered keeps its questions: only texts change, nothing is removed, the form is not deleted', async () => {
      const form = (await defaultReviewForm(t.database.db, journalId))!;
      const db = t.database.db;
      const section = (await db.selectFrom('sections').select('id').where('journal_id', '=', journalId).executeTakeFirstOrThrow()).id;
      const author = (await db.selectFrom('users').select('id').where('email', '=', 'manager@example.org').executeTakeFirstOrThrow()).id;
      const submissionId = await createDraft(db, { journalId, userId: author, sectionId: section, locale: 'en', commentsForEditor: '', checklistConfirmed: true, agreementsAccepted: true, now: new Date() });
      const round = await db.insertInto('review_rounds').values({ submission_id: submissionId, round: 1, review_form_id: form.id }).returning('id').executeTakeFirstOrThrow();
      const review = await db
        .insertInto('review_assignments')
        .values({ submission_id: submissionId, review_round_id: round.id, reviewer_id: author, anonymity: 'open', review_form_id: form.id, response_due: new Date(), review_due: new Date(), link_nonce: 'x' })
        .returning('id')
        .executeTakeFirstOrThrow();
      await saveResponses(db, review.id, new Map([[form.elements[0]!.id, '0']]));

      const base = `${FORMS}/${form.id}`;
      const page = await manager.get(base);
      const text = visibleText(page.body);
      assert.ok(text.includes('Reviewers have answered this form.'));
      assert.ok(!page.body.includes('/questions/new') && !page.body.includes('/delete"'), 'no way to add, remove or delete');
      assert.ok(text.includes('Review rounds or requests use this form, so it cannot be deleted.'));
      assert.equal((await manager.get(`${base}/delete`)).statusCode, 409);
      assert.equal((await manager.post(`${base}/delete`)).statusCode, 409);
      assert.equal((await manager.get(`${base}/questions/new`)).statusCode, 409);
      const element = form.elements[0]!;
      assert.equal((await manager.post(`${base}/questions/${element.id}/delete`)).statusCode, 409);

      // The question's page offers its texts only; whatever else is sent, the choices stay.
      const edit = await manager.get(`${base}/questions/${element.id}`);
      assert.ok(!edit.body.includes('name="kind"') && !edit.body.includes('name="options.en"'));
      assert.equal((await manager.post(`${base}/questions/${element.id}`, { 'question.en': 'How original is it?', 'question.pl': 'Na ile jest oryginalny?', kind: 'short-text', 'options.en': 'Yes\nNo' })).statusCode, 303);
      const after = (await reviewForm(db, journalId, form.id))!;
      assert.equal(after.elements[0]?.question.en, 'How original is it?');
      assert.deepEqual({ ...after.elements[0], question: undefined }, { ...element, question: undefined });
      assert.equal(after.elements.length, form.elements.length);
    });

    it('section editors, editors, authors and reviewers are refused (403); a visitor is sent to sign in', async () => {
      const form = (await defaultReviewForm(t.database.db, journalId))!;
      const pages = [SETTINGS, FORMS, `${FORMS}/new`, `${FORMS}/${form.id}`, `${FORMS}/${form.id}/preview`, `${FORMS}/${form.id}/questions/${form.elements[0]!.id}`];
      for (const role of ['section-editor', 'editor', 'author', 'reviewer'] as const) {
        const person = await signedInAs(t.app, t.database.db, { email: `${role}@example.org`, role, journalId });
        for (const url of pages) assert.equal((await person.get(url)).statusCode, 403, `${role} ${url}`);
        await person.get('/sm/user/profile');
        assert.equal((await person.post(SETTINGS, settingsFields({ minReviews: '0' }))).statusCode, 403, role);
        assert.equal((await person.post(`${FORMS}/${form.id}/questions/${form.elements[0]!.id}/move`, { direction: 'down' })).statusCode, 403, role);
      }
      const visitor = await t.app.inject({ url: SETTINGS });
      assert.equal(visitor.statusCode, 303);
      assert.match(String(visitor.headers.location), /^\/sm\/login/);
      assert.equal((await reviewSettings(t.database.db, journalId)).minReviews, 2, 'nothing was changed');
      assert.deepEqual((await defaultReviewForm(t.database.db, journalId))?.elements.map((e) => e.id), form.elements.map((e) => e.id));
    });

    it('another journal’s form is a 404 here', async () => {
      const other = await manager.get(`${FORMS}/999999`);
      assert.equal(other.statusCode, 404);
    });

    if (database === first) {
      it('the pages pass axe (WCAG 2.2 AA) in Chromium', async () => {
        const base = await t.app.listen({ port: 0, host: '127.0.0.1' });
        const browser = await launchChromium();
        try {
          const context = await browser.newContext({ locale: 'en', bypassCSP: true });
          await context.addCookies([...manager.cookies].map(([name, value]) => ({ name, value, url: base })));
          const page = await context.newPage();
          const form = (await defaultReviewForm(t.database.db, journalId))!;
          for (const url of [SETTINGS, FORMS, `${FORMS}/${form.id}`, `${FORMS}/${form.id}/preview`, `${FORMS}/${form.id}/questions/${form.elements[1]!.id}`, `${FORMS}/new`]) {
            await page.goto(`${base}${url}`);
            assert.equal(new URL(page.url()).pathname, url, 'signed in');
            assert.deepEqual(await axeViolations(page), [], url);
          }
          // A refused save, with its summary and the messages beside the fields.
          await page.goto(`${base}${SETTINGS}`);
          await page.fill('#field-reviewDays', '999');
          await page.click('main .form-actions button');
          assert.ok((await page.content()).includes('field-reviewDays-error'));
          assert.deepEqual(await axeViolations(page), [], 'refused settings');
        } finally {
          await browser.close();
        }
      });
    }
  });
}
