import type { Db } from '../../../catalog/index.ts';
import { formList, formText } from '../../../platform/http/forms.ts';
import type { ReviewForm, ReviewFormElement } from './read.ts';

/** An answer: the text, the chosen choice's position (as text), or the chosen positions in order. */
export type ResponseValue = string | string[];

/** How long an answer may be, by kind of question (characters). */
export const ANSWER_LIMITS = { 'short-text': 1_000, 'long-text': 50_000 } as const;

export interface ResponseError {
  elementId: number;
  code: 'answer-missing' | 'answer-invalid' | 'too-long';
  params?: Record<string, string | number>;
}

/** The field of question `elementId` in the review's HTML form. */
export const answerField = (elementId: number) => `answer-${elementId}`;

function choiceIndex(element: ReviewFormElement, value: string): boolean {
  return /^[0-9]{1,3}$/.test(value) && Number(value) < element.options.length;
}

/**
 * A reviewer's answers to `form`, checked: the answers worth keeping by question, and why any is
 * refused. `input` is the HTML form's body (fields `answer-<elementId>`) or answers keyed by the
 * question's id (`"12"`, as the API and the review commands take them). A draft (`final: false`) may
 * leave questions out; the review sent (`final: true`) answers every required one. Fields of other
 * questions are ignored.
 */
export function checkResponses(form: ReviewForm, input: Readonly<Record<string, unknown>>, options: { final: boolean }): { values: Map<number, ResponseValue>; errors: ResponseError[] } {
  const values = new Map<number, ResponseValue>();
  const errors: ResponseError[] = [];
  for (const element of form.elements) {
    const name = answerField(element.id) in input ? answerField(element.id) : String(element.id);
    let answered = false;
    if (element.kind === 'short-text' || element.kind === 'long-text') {
      const max = ANSWER_LIMITS[element.kind];
      const text = formText(input, name, max + 1);
      if (text.length > max) errors.push({ elementId: element.id, code: 'too-long', params: { max } });
      else if (text !== '') values.set(element.id, text);
      answered = text !== '';
    } else if (element.kind === 'single-choice') {
      const choice = formText(input, name, 10);
      if (choice !== '' && !choiceIndex(element, choice)) errors.push({ elementId: element.id, code: 'answer-invalid' });
      else if (choice !== '') values.set(element.id, String(Number(choice)));
      answered = choice !== '';
    } else {
      // Each choice once, in the order of the choices; more fields than choices is no browser's doing.
      const chosen = formList(input, name).slice(0, element.options.length + 1).map((v) => v.trim()).filter((v) => v !== '');
      if (chosen.some((v) => !choiceIndex(element, v))) errors.push({ elementId: element.id, code: 'answer-invalid' });
      else if (chosen.length > 0) values.set(element.id, [...new Set(chosen.map(Number))].sort((a, b) => a - b).map(String));
      answered = chosen.length > 0;
    }
    if (options.final && element.required && !answered) errors.push({ elementId: element.id, code: 'answer-missing' });
  }
  return { values, errors };
}

/**
 * Stores a review's answers in the caller's transaction, in place of those it had: a question left
 * unanswered in a draft loses its earlier answer. The forms answered are locked while it runs, so a
 * manager's change of their questions (which looks for answers) waits for it.
 */
export async function saveResponses(trx: Db, reviewAssignmentId: number, values: ReadonlyMap<number, ResponseValue>): Promise<void> {
  const elementIds = [...values.keys()];
  if (elementIds.length > 0) {
    await trx
      .selectFrom('review_forms')
      .select('id')
      .where('id', 'in', (eb) => eb.selectFrom('review_form_elements').select('review_form_id').where('id', 'in', elementIds))
      .forShare()
      .execute();
  }
  await trx.deleteFrom('review_responses').where('review_assignment_id', '=', reviewAssignmentId).execute();
  if (elementIds.length === 0) return;
  await trx
    .insertInto('review_responses')
    .values([...values].map(([elementId, value]) => ({ review_assignment_id: reviewAssignmentId, element_id: elementId, value: JSON.stringify(value) })))
    .execute();
}

/** A review's answers by question. */
export async function reviewResponses(db: Db, reviewAssignmentId: number): Promise<Map<number, ResponseValue>> {
  const rows = await db.selectFrom('review_responses').select(['element_id', 'value']).where('review_assignment_id', '=', reviewAssignmentId).execute();
  return new Map(rows.map((r) => [r.element_id, r.value]));
}
