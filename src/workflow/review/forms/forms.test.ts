import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Kysely } from 'kysely';
import { createUserWithRole } from '../../../accounts/index.ts';
import { createJournal } from '../../../catalog/index.ts';
import type { Database, DatabaseHandle } from '../../../db/index.ts';
import { initialiseSite } from '../../../demo/index.ts';
import { testDatabases } from '../../../../test/support/databases.ts';
import { createDraft } from '../../commands/submissions.ts';
import {
  addReviewFormElement,
  createReviewForm,
  deleteReviewForm,
  deleteReviewFormElement,
  makeDefaultReviewForm,
  moveReviewFormElement,
  optionsFromLines,
  optionsToLines,
  ReviewFormInvalid,
  ReviewFormRefused,
  updateReviewForm,
  updateReviewFormElement,
  type ReviewFormElementInput,
} from './commands.ts';
import { activeReviewForms, defaultReviewForm, reviewForm, reviewFormUse } from './read.ts';
import { checkResponses, reviewResponses, saveResponses } from './responses.ts';

/**
 * A journal's review forms: made, edited, reordered, one default at a time; a form reviewers answered
 * keeps its questions (only their texts change) and a form in use is not deleted. Answers are stored
 * and read back per review.
 */

const NOW = new Date('2026-12-07T10:00:00Z');
const text = (kind: string, en: string, extra: Partial<ReviewFormElementInput> = {}): ReviewFormElementInput => ({ kind, question: { en }, description: {}, options: [], required: false, visibleToAuthor: true, ...extra });
const choice = (en: string, options: string[], extra: Partial<ReviewFormElementInput> = {}) => text('single-choice', en, { options: options.map((o) => ({ en: o })), ...extra });

async function refusedWith(work: Promise<unknown>, reason: 'answered' | 'in-use' | 'unknown'): Promise<void> {
  await assert.rejects(work, (error: unknown) => error instanceof ReviewFormRefused && error.reason === reason);
}

describe('choices typed one per line', () => {
  it('line n of each language is choice n; blank lines at the end and blank choices go', () => {
    const options = optionsFromLines({ en: 'High\nMedium\r\nLow\n\n', pl: 'Duża\n\nMała' });
    assert.deepEqual(options, [{ en: 'High', pl: 'Duża' }, { en: 'Medium' }, { en: 'Low', pl: 'Mała' }]);
    assert.deepEqual(optionsToLines(options, ['en', 'pl']), { en: 'High\nMedium\nLow', pl: 'Duża\n\nMała' });
  });
});

for (const database of await testDatabases()) {
  describe(`review forms, on ${database.name}`, () => {
    let handle: DatabaseHandle;
    let db: Kysely<Database>;
    let journalId: number;

    before(async () => {
      handle = await database.open();
      db = handle.db;
      await initialiseSite(db, { demo: true });
      journalId = await createJournal(db, { path: 'forms', name: { en: 'Forms' }, primaryLocale: 'en', supportedLocales: ['en', 'pl'] });
    });
    after(() => handle.close());

    /** A review request of a new submission in the demo journal that uses `formId`. */
    async function reviewUsing(formId: number, email: string): Promise<number> {
      const demo = (await db.selectFrom('journals').select('id').where('path', '=', 'sm').executeTakeFirstOrThrow()).id;
      const section = (await db.selectFrom('sections').select('id').where('journal_id', '=', demo).executeTakeFirstOrThrow()).id;
      const { userId } = await createUserWithRole(db, { email, password: 'a long enough password', role: 'author', journalId: demo, now: NOW });
      const submissionId = await createDraft(db, { journalId: demo, userId, sectionId: section, locale: 'en', commentsForEditor: '', checklistConfirmed: true, agreementsAccepted: true, now: NOW });
      const round = await db.insertInto('review_rounds').values({ submission_id: submissionId, round: 1, review_form_id: formId }).returning('id').executeTakeFirstOrThrow();
      const { userId: reviewerId } = await createUserWithRole(db, { email: `reviewer-${email}`, password: 'a long enough password', role: 'reviewer', journalId: demo, now: NOW });
      const review = await db
        .insertInto('review_assignments')
        .values({ submission_id: submissionId, review_round_id: round.id, reviewer_id: reviewerId, anonymity: 'double-anonymous', review_form_id: formId, response_due: NOW, review_due: NOW, link_nonce: 'n', status: 'accepted' })
        .returning('id')
        .executeTakeFirstOrThrow();
      return review.id;
    }

    it('the demo journal has its default form in English and Polish, with a required question', async () => {
      const demo = (await db.selectFrom('journals').select('id').where('path', '=', 'sm').executeTakeFirstOrThrow()).id;
      const form = await defaultReviewForm(db, demo);
      assert.ok(form);
      assert.deepEqual(form.title, { en: 'Review form', pl: 'Formularz recenzji' });
      assert.deepEqual(
        form.elements.map((e) => e.kind),
        ['single-choice', 'long-text', 'single-choice', 'multiple-choice'],
      );
      assert.ok(form.elements.some((e) => e.required));
      assert.ok(form.elements.some((e) => !e.visibleToAuthor), 'one answer is for the editors only');
      assert.ok(form.elements.every((e) => e.question.en && e.question.pl && e.options.every((o) => o.en && o.pl)));
    });

    it('makes a form with questions in order, moves them, and edits them', async () => {
      const formId = await createReviewForm(db, journalId, { title: { en: '  Articles  ', pl: '' }, description: { en: 'Answer all.' }, isActive: true }, NOW);
      const a = await addReviewFormElement(db, journalId, formId, text('short-text', 'Summary'), NOW);
      const b = await addReviewFormElement(db, journalId, formId, choice('Originality', ['High', 'Low'], { required: true }), NOW);
      const c = await addReviewFormElement(db, journalId, formId, text('long-text', 'Methods', { visibleToAuthor: false }), NOW);
      let form = await reviewForm(db, journalId, formId);
      assert.deepEqual(form?.title, { en: 'Articles' }, 'trimmed, the empty language left out');
      assert.deepEqual(form?.elements.map((e) => e.id), [a, b, c]);

      await moveReviewFormElement(db, journalId, formId, c, 'up');
      await moveReviewFormElement(db, journalId, formId, a, 'up'); // the first stays first
      form = await reviewForm(db, journalId, formId);
      assert.deepEqual(form?.elements.map((e) => e.id), [a, c, b]);

      await updateReviewFormElement(db, journalId, formId, a, text('multiple-choice', 'Improvements', { options: [{ en: 'Structure' }, { en: 'Language' }] }), NOW);
      await deleteReviewFormElement(db, journalId, formId, c);
      form = await reviewForm(db, journalId, formId);
      assert.deepEqual(form?.elements.map((e) => [e.id, e.kind, e.question.en, e.options.length]), [
        [a, 'multiple-choice', 'Improvements', 2],
        [b, 'single-choice', 'Originality', 2],
      ]);
      // A text question keeps no choices.
      await updateReviewFormElement(db, journalId, formId, a, text('short-text', 'Summary', { options: [{ en: 'stray' }] }), NOW);
      assert.deepEqual((await reviewForm(db, journalId, formId))?.elements[0]?.options, []);
    });

    it('refuses a form or question that is not right, saying which field', async () => {
      const invalid = async (work: Promise<unknown>, expected: string[]) => {
        await assert.rejects(work, (error: unknown) => error instanceof ReviewFormInvalid && assert.deepEqual(error.errors.map((e) => `${e.field}:${e.code}`), expected) === undefined);
      };
      await invalid(createReviewForm(db, journalId, { title: { en: ' ' }, description: { en: 'd'.repeat(5001) }, isActive: true }, NOW), ['title:required', 'description:too-long']);
      const formId = await createReviewForm(db, journalId, { title: { en: 'Checks' }, description: {}, isActive: true }, NOW);
      await invalid(addReviewFormElement(db, journalId, formId, text('rating', ''), NOW), ['kind:kind-unknown', 'question:required']);
      await invalid(addReviewFormElement(db, journalId, formId, choice('One choice only', ['Yes']), NOW), ['options:options-missing']);
      await invalid(addReviewFormElement(db, journalId, formId, choice('Too many', Array.from({ length: 51 }, (_, i) => `c${i}`)), NOW), ['options:too-many']);
      await invalid(addReviewFormElement(db, journalId, formId, choice('Long choice', ['ok', 'x'.repeat(501)]), NOW), ['options:too-long']);
      assert.deepEqual((await reviewForm(db, journalId, formId))?.elements, [], 'nothing was added');
      // Another journal's form is no form here.
      await refusedWith(addReviewFormElement(db, journalId + 1000, formId, text('short-text', 'x'), NOW), 'unknown');
      assert.equal(await reviewForm(db, journalId + 1000, formId), undefined);
    });

    it('one default form per journal; an inactive form is neither the default nor offered', async () => {
      const first = await createReviewForm(db, journalId, { title: { en: 'First' }, description: {}, isActive: false }, NOW);
      const second = await createReviewForm(db, journalId, { title: { en: 'Second' }, description: {}, isActive: true }, NOW);
      await makeDefaultReviewForm(db, journalId, first, NOW);
      assert.equal((await defaultReviewForm(db, journalId))?.id, first, 'made active by becoming the default');
      await makeDefaultReviewForm(db, journalId, second, NOW);
      assert.equal((await defaultReviewForm(db, journalId))?.id, second);
      const defaults = await db.selectFrom('review_forms').select('id').where('journal_id', '=', journalId).where('is_default', '=', true).execute();
      assert.deepEqual(defaults.map((d) => d.id), [second]);
      // The database holds the rule too.
      await assert.rejects(db.updateTable('review_forms').set({ is_default: true }).where('id', '=', first).execute());

      const active = await activeReviewForms(db, journalId);
      assert.equal(active[0]?.id, second, 'the default first');
      await updateReviewForm(db, journalId, second, { title: { en: 'Second' }, description: {}, isActive: false }, NOW);
      assert.equal(await defaultReviewForm(db, journalId), undefined, 'a form made inactive stops being the default');
      assert.ok(!(await activeReviewForms(db, journalId)).some((f) => f.id === second));
    });

    it('once reviewers answered, questions keep their kind, choices and flags; only their texts and order change', async () => {
      const formId = await createReviewForm(db, journalId, { title: { en: 'Used' }, description: {}, isActive: true }, NOW);
      const summary = await addReviewFormElement(db, journalId, formId, text('short-text', 'Summary', { required: true }), NOW);
      const originality = await addReviewFormElement(db, journalId, formId, choice('Originality', ['High', 'Low']), NOW);
      const reviewId = await reviewUsing(formId, 'answered@example.org');
      assert.deepEqual(await reviewFormUse(db, formId), { used: true, answered: false });
      // Not answered yet: the questions may still change, the form may not go.
      await updateReviewFormElement(db, journalId, formId, originality, choice('Originality', ['High', 'Medium', 'Low']), NOW);
      await refusedWith(deleteReviewForm(db, journalId, formId), 'in-use');

      const form = (await reviewForm(db, journalId, formId))!;
      const { values, errors } = checkResponses(form, { [`answer-${summary}`]: 'Good.', [`answer-${originality}`]: '2' }, { final: true });
      assert.deepEqual(errors, []);
      await db.transaction().execute((trx) => saveResponses(trx, reviewId, values));
      assert.deepEqual([...(await reviewResponses(db, reviewId))], [[summary, 'Good.'], [originality, '2']]);
      assert.deepEqual(await reviewFormUse(db, formId), { used: true, answered: true });

      await refusedWith(addReviewFormElement(db, journalId, formId, text('long-text', 'Late question'), NOW), 'answered');
      await refusedWith(deleteReviewFormElement(db, journalId, formId, summary), 'answered');
      await refusedWith(updateReviewFormElement(db, journalId, formId, originality, choice('Originality', ['High', 'Low']), NOW), 'answered');
      await refusedWith(updateReviewFormElement(db, journalId, formId, summary, text('long-text', 'Summary', { required: true }), NOW), 'answered');
      await refusedWith(updateReviewFormElement(db, journalId, formId, summary, text('short-text', 'Summary', { required: true, visibleToAuthor: false }), NOW), 'answered');
      // Rewording and reordering are fine.
      await updateReviewFormElement(db, journalId, formId, summary, text('short-text', 'Summary in one line', { required: true, description: { en: 'Be brief.' } }), NOW);
      await moveReviewFormElement(db, journalId, formId, originality, 'up');
      const after = (await reviewForm(db, journalId, formId))!;
      assert.deepEqual(after.elements.map((e) => [e.id, e.question.en]), [[originality, 'Originality'], [summary, 'Summary in one line']]);
      assert.deepEqual(after.elements[0]?.options.map((o) => o.en), ['High', 'Medium', 'Low']);

      // A draft saved again replaces the answers: an answer taken back is gone.
      await saveResponses(db, reviewId, checkResponses(after, { [`answer-${originality}`]: '0' }, { final: false }).values);
      assert.deepEqual([...(await reviewResponses(db, reviewId))], [[originality, '0']]);
    });

    it('deletes a form nobody uses, with its questions', async () => {
      const formId = await createReviewForm(db, journalId, { title: { en: 'Spare' }, description: {}, isActive: true }, NOW);
      await addReviewFormElement(db, journalId, formId, text('short-text', 'Anything'), NOW);
      await deleteReviewForm(db, journalId, formId);
      assert.equal(await reviewForm(db, journalId, formId), undefined);
      assert.equal((await db.selectFrom('review_form_elements').select('id').where('review_form_id', '=', formId).execute()).length, 0);
      await refusedWith(deleteReviewForm(db, journalId, formId), 'unknown');
    });
  });
}
