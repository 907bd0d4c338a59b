import type { SafeHtml } from '#jsx/jsx-runtime';
import { formList, formText, type FormBody } from '../../platform/http/forms.ts';
import type { FormErrors, PageContext } from '../../ui/index.ts';
import { answerField, checkResponses, responseErrorMessages, ReviewFormAnswers, ReviewFormFields, type ResponseError, type ResponseValue, type ReviewForm } from '../review/forms/index.ts';

/**
 * The review form's questions on the review page, through the forms library: the fields
 * (`answer-<elementId>`) with the answers as typed or saved, the refusals beside each, and the
 * answers read-only once the review is sent.
 */

/** The answers as the reviewer typed them, refused ones too: shown again after a refusal, nothing typed is lost. */
export function typedAnswers(form: ReviewForm, body: FormBody): Map<number, ResponseValue> {
  const values = new Map<number, ResponseValue>();
  for (const element of form.elements) {
    const name = answerField(element.id);
    if (element.kind === 'multiple-choice') values.set(element.id, formList(body, name));
    else values.set(element.id, formText(body, name, 100_000));
  }
  return values;
}

/** The form's answer fields as sent, for `saveReview` (which checks them). */
export function sentAnswers(body: FormBody): Record<string, ResponseValue | undefined> {
  const out: Record<string, ResponseValue | undefined> = {};
  for (const [name, value] of Object.entries(body)) {
    if (!/^answer-[0-9]{1,10}$/.test(name)) continue;
    if (typeof value === 'string') out[name] = value;
    else if (Array.isArray(value)) out[name] = value.filter((v): v is string => typeof v === 'string');
  }
  return out;
}

/** What sending the answers (`final`) or saving them would refuse, by field and by question. */
export function answerRefusals(ctx: PageContext, form: ReviewForm, answers: Readonly<Record<string, unknown>>, final: boolean): { errors: FormErrors; answerErrors: ResponseError[] } {
  const checked = checkResponses(form, answers, { final });
  return { errors: responseErrorMessages(ctx, checked.errors), answerErrors: checked.errors };
}

/** Answers by question, as `saveReview` takes them. */
export function storedAnswers(values: ReadonlyMap<number, ResponseValue>): Record<string, ResponseValue | undefined> {
  return Object.fromEntries([...values].map(([id, value]) => [String(id), value]));
}

/** The questions as fields (or, read-only, the answers). */
export function questionsOf(ctx: PageContext, form: ReviewForm, values: ReadonlyMap<number, ResponseValue>, errors: readonly ResponseError[], editable: boolean): SafeHtml {
  return editable ? ReviewFormFields({ ctx, form, values, errors }) : ReviewFormAnswers({ ctx, form, values, audience: 'editor' });
}
