import type { Db } from '../../../catalog/index.ts';
import type { LocalizedText, ReviewFormElementKind } from '../../../db/schema.ts';

/** A journal's review form with its questions in order (issue 20, item 5). */
export interface ReviewForm {
  id: number;
  journalId: number;
  title: LocalizedText;
  description: LocalizedText;
  isActive: boolean;
  isDefault: boolean;
  elements: ReviewFormElement[];
}

export interface ReviewFormElement {
  id: number;
  kind: ReviewFormElementKind;
  question: LocalizedText;
  description: LocalizedText;
  options: LocalizedText[];
  required: boolean;
  visibleToAuthor: boolean;
}

export type ResponseValue = string | string[];

export const MAX_ANSWER = 20000;

export async function reviewForm(db: Db, journalId: number, formId: number): Promise<ReviewForm | undefined> {
  const form = await db.selectFrom('review_forms').selectAll().where('id', '=', formId).where('journal_id', '=', journalId).executeTakeFirst();
  if (!form) return undefined;
  const elements = await db.selectFrom('review_form_elements').selectAll().where('review_form_id', '=', form.id).orderBy('seq').orderBy('id').execute();
  return {
    id: form.id,
    journalId: form.journal_id,
    title: form.title,
    description: form.description,
    isActive: form.is_active,
    isDefault: form.is_default,
    elements: elements.map((e) => ({ id: e.id, kind: e.kind, question: e.question, description: e.description, options: e.options, required: e.required, visibleToAuthor: e.visible_to_author })),
  };
}

export async function defaultReviewForm(db: Db, journalId: number): Promise<ReviewForm | undefined> {
  const row = await db.selectFrom('review_forms').select('id').where('journal_id', '=', journalId).where('is_default', '=', true).where('is_active', '=', true).executeTakeFirst();
  return row ? reviewForm(db, journalId, row.id) : undefined;
}

/**
 * Checks a reviewer's answers (`input`: by element id) against the form: choices must be the form's
 * (an option's index), texts bounded; when `final` (sending the review) every required question answered.
 */
export function checkResponses(form: ReviewForm, input: Record<string, ResponseValue | undefined>, options: { final: boolean }): { values: Map<number, ResponseValue>; errors: Array<{ elementId: number; code: 'answer-missing' | 'answer-invalid' | 'too-long' }> } {
  const values = new Map<number, ResponseValue>();
  const errors: Array<{ elementId: number; code: 'answer-missing' | 'answer-invalid' | 'too-long' }> = [];
  for (const element of form.elements) {
    const raw = input[String(element.id)];
    const list = raw === undefined ? [] : (Array.isArray(raw) ? raw : [raw]).filter((v) => v.trim() !== '');
    if (list.length === 0) {
      if (options.final && element.required) errors.push({ elementId: element.id, code: 'answer-missing' });
      continue;
    }
    if (element.kind === 'short-text' || element.kind === 'long-text') {
      const text = list.join('\n');
      if (text.length > (element.kind === 'short-text' ? 500 : MAX_ANSWER)) errors.push({ elementId: element.id, code: 'too-long' });
      else values.set(element.id, text);
      continue;
    }
    const valid = list.every((v) => /^\d{1,3}$/.test(v) && Number(v) < element.options.length);
    if (!valid || (element.kind === 'single-choice' && list.length > 1)) errors.push({ elementId: element.id, code: 'answer-invalid' });
    else values.set(element.id, element.kind === 'single-choice' ? list[0]! : [...new Set(list)]);
  }
  return { values, errors };
}

/** Replaces a review's answers with `values`. */
export async function saveResponses(db: Db, reviewAssignmentId: number, values: ReadonlyMap<number, ResponseValue>): Promise<void> {
  await db.deleteFrom('review_responses').where('review_assignment_id', '=', reviewAssignmentId).execute();
  if (values.size === 0) return;
  await db
    .insertInto('review_responses')
    .values([...values].map(([elementId, value]) => ({ review_assignment_id: reviewAssignmentId, element_id: elementId, value: JSON.stringify(value) })))
    .execute();
}

export async function reviewResponses(db: Db, reviewAssignmentId: number): Promise<Map<number, ResponseValue>> {
  const rows = await db.selectFrom('review_responses').select(['element_id', 'value']).where('review_assignment_id', '=', reviewAssignmentId).execute();
  return new Map(rows.map((r) => [r.element_id, r.value]));
}
