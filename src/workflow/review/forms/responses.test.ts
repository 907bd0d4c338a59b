import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { ReviewForm } from './read.ts';
import { answerField, checkResponses } from './responses.ts';

/**
 * A reviewer's answers are checked against the form: a draft may be incomplete, the review sent
 * answers every required question; a choice that is not one of the form's, or a text over its limit,
 * is refused beside its question whether drafting or sending.
 */

const option = (en: string) => ({ en });
const FORM: ReviewForm = {
  id: 1,
  journalId: 1,
  title: { en: 'Review form' },
  description: {},
  isActive: true,
  isDefault: true,
  elements: [
    { id: 11, kind: 'short-text', question: { en: 'Summary in a line' }, description: {}, options: [], required: true, visibleToAuthor: true },
    { id: 12, kind: 'long-text', question: { en: 'Methods' }, description: {}, options: [], required: false, visibleToAuthor: true },
    { id: 13, kind: 'single-choice', question: { en: 'Originality' }, description: {}, options: [option('High'), option('Medium'), option('Low')], required: true, visibleToAuthor: true },
    { id: 14, kind: 'multiple-choice', question: { en: 'Improvements' }, description: {}, options: [option('Structure'), option('Literature'), option('Language')], required: false, visibleToAuthor: false },
  ],
};

const codes = (errors: ReadonlyArray<{ elementId: number; code: string }>) => errors.map((e) => `${e.elementId}:${e.code}`).sort();

describe('checkResponses', () => {
  it('names each answer’s field answer-<question id>', () => {
    assert.equal(answerField(13), 'answer-13');
  });

  it('keeps complete answers, the text trimmed and the choices in the form’s order', () => {
    const { values, errors } = checkResponses(FORM, { 'answer-11': '  Sound and clear.  ', 'answer-12': 'Line one\n\nLine two', 'answer-13': '1', 'answer-14': ['2', '0', '2'] }, { final: true });
    assert.deepEqual(errors, []);
    assert.deepEqual([...values], [
      [11, 'Sound and clear.'],
      [12, 'Line one\n\nLine two'],
      [13, '1'],
      [14, ['0', '2']],
    ]);
  });

  it('sending the review: each required question unanswered is refused; a draft may leave them', () => {
    const input = { 'answer-11': '   ', 'answer-12': 'Only this.' };
    assert.deepEqual(codes(checkResponses(FORM, input, { final: true }).errors), ['11:answer-missing', '13:answer-missing']);
    const draft = checkResponses(FORM, input, { final: false });
    assert.deepEqual(draft.errors, []);
    assert.deepEqual([...draft.values], [[12, 'Only this.']], 'blank answers are not kept');
  });

  it('a choice that is not one of the form’s is refused, for a draft too', () => {
    for (const bad of ['3', '-1', 'High', '1.0', '999999999999']) {
      const { errors, values } = checkResponses(FORM, { 'answer-13': bad }, { final: false });
      assert.deepEqual(codes(errors), ['13:answer-invalid'], bad);
      assert.equal(values.has(13), false, bad);
    }
    assert.deepEqual(codes(checkResponses(FORM, { 'answer-14': ['0', '7'] }, { final: false }).errors), ['14:answer-invalid']);
    // A required choice refused as invalid is not reported twice.
    assert.deepEqual(codes(checkResponses(FORM, { 'answer-11': 'x', 'answer-13': '9' }, { final: true }).errors), ['13:answer-invalid']);
  });

  it('a text over its limit is refused with the limit', () => {
    const { errors, values } = checkResponses(FORM, { 'answer-11': 'x'.repeat(1001), 'answer-12': 'y'.repeat(50_000) }, { final: false });
    assert.deepEqual(errors, [{ elementId: 11, code: 'too-long', params: { max: 1000 } }]);
    assert.equal(values.get(12), 'y'.repeat(50_000), 'a long text up to its limit is kept');
    assert.equal(checkResponses(FORM, { 'answer-12': 'y'.repeat(50_001) }, { final: false }).errors[0]?.code, 'too-long');
  });

  it('takes answers keyed by the question’s id as well (the API, the review commands)', () => {
    const { values, errors } = checkResponses(FORM, { '11': 'Fine.', '13': '2', '14': ['1'] }, { final: true });
    assert.deepEqual(errors, []);
    assert.deepEqual([...values], [[11, 'Fine.'], [13, '2'], [14, ['1']]]);
  });

  it('ignores fields of other questions and anything that is not text', () => {
    const { values, errors } = checkResponses(FORM, { 'answer-99': 'elsewhere', _csrf: 'token', 'answer-12': { value: 'multipart part' }, 'answer-13': 42 }, { final: false });
    assert.deepEqual(errors, []);
    assert.deepEqual([...values], [[12, 'multipart part']]);
  });
});
