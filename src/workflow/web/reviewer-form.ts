import type { SafeHtml } from '#jsx/jsx-runtime';
import { formList, type FormBody } from '../../platform/http/forms.ts';
import type { FormErrors, PageContext } from '../../ui/index.ts';
import { checkResponses, type ResponseValue, type ReviewForm } from '../review/forms/index.ts';
import { ERROR_LABEL } from './views/editorial-labels.tsx';

/**
 * The review form's questions on the review page: their fields (`answer-<elementId>`), the answers
 * as typed or saved, and the refusals next to each question.
 */

export interface AnswerError {
  elementId: number;
  code: 'answer-missing' | 'answer-invalid' | 'too-long';
}

const field = (elementId: number) => `answer-${elementId}`;

/** The answers as the reviewer typed them (for showing them again after a refusal). */
export function answersOf(form: ReviewForm, body: FormBody): Map<number, ResponseValue> {
  const values = new Map<number, ResponseValue>();
  for (const element of form.elements) {
    const list = formList(body, field(element.id));
    if (list.length === 0) continue;
    values.set(element.id, element.kind === 'multiple-choice' ? list : list[0]!);
  }
  return values;
}

/** The answers as `saveReview` takes them, and what sending them (`final`) or saving them would refuse. */
export function formAnswers(ctx: PageContext, form: ReviewForm, body: FormBody, final: boolean): { answers: Record<string, ResponseValue | undefined>; errors: FormErrors; answerErrors: AnswerError[] } {
  const answers = storedAnswers(answersOf(form, body));
  const checked = checkResponses(form, answers, { final });
  const errors: FormErrors = {};
  for (const e of checked.errors) errors[field(e.elementId)] ??= ctx.t(ERROR_LABEL[e.code], { max: 20000 });
  return { answers, errors, answerErrors: checked.errors };
}

/** Saved answers, as `saveReview` takes them. */
export function storedAnswers(values: ReadonlyMap<number, ResponseValue>): Record<string, ResponseValue | undefined> {
  return Object.fromEntries([...values].map(([id, value]) => [String(id), value]));
}

/** The questions as fields (or, read-only, the answers). */
export function questionsOf(_ctx: PageContext, _form: ReviewForm, _values: ReadonlyMap<number, ResponseValue>, _errors: FormErrors, _editable: boolean): SafeHtml | null {
  return null;
}
