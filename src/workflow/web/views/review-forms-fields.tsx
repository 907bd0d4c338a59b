import type { SafeHtml } from '#jsx/jsx-runtime';
import { localize, localizeText } from '../../../i18n/index.ts';
import { FieldGroup, fieldId, langIf, TextArea, TextField, type FormErrors, type PageContext } from '../../../ui/index.ts';
import type { ReviewForm, ReviewFormElement } from '../../review/forms/read.ts';
import { ANSWER_LIMITS, answerField, type ResponseError, type ResponseValue } from '../../review/forms/responses.ts';

/**
 * A review form as the reviewer fills it in, and its answers as the editors and the author read them
 * (issue 20, item 5). Field names are `answer-<elementId>` (what `checkResponses` reads).
 */

/** A refused answer's message, by field, for the page's error summary and the field itself. */
export function responseErrorMessages(ctx: PageContext, errors: readonly ResponseError[]): FormErrors {
  const out: FormErrors = {};
  for (const error of errors) {
    const message =
      error.code === 'answer-missing' ? ctx.t('workflow.error.answer-missing') : error.code === 'answer-invalid' ? ctx.t('workflow.error.answer-invalid') : ctx.t('workflow.error.too-long', { max: error.params?.max ?? '' });
    out[answerField(error.elementId)] ??= message;
  }
  return out;
}

const text = (ctx: PageContext, value: Record<string, string>) => localizeText(value, ctx.locale);

/** The question's description and who reads the answer: the field's hint. */
function hintOf(ctx: PageContext, element: ReviewFormElement): string {
  const who = ctx.t(element.visibleToAuthor ? 'review-forms.fields.authorSees' : 'review-forms.fields.editorsOnly');
  const description = text(ctx, element.description);
  return description ? `${description} ${who}` : who;
}

function Question({ ctx, element, value, error }: { ctx: PageContext; element: ReviewFormElement; value: ResponseValue | undefined; error?: string }): SafeHtml {
  const name = answerField(element.id);
  const label = text(ctx, element.question);
  const hint = hintOf(ctx, element);
  if (element.kind === 'short-text') return <TextField ctx={ctx} name={name} label={label} hint={hint} error={error} required={element.required} value={typeof value === 'string' ? value : ''} maxlength={ANSWER_LIMITS['short-text']} />;
  if (element.kind === 'long-text') return <TextArea ctx={ctx} name={name} label={label} hint={hint} error={error} required={element.required} value={typeof value === 'string' ? value : ''} rows={8} />;
  const chosen = value === undefined ? [] : Array.isArray(value) ? value : [value];
  const type = element.kind === 'single-choice' ? 'radio' : 'checkbox';
  const legend = (
    <>
      {label}
      {element.required ? <span class="required"> ({ctx.t('form.required')})</span> : null}
    </>
  );
  return (
    <FieldGroup name={name} legend={legend} hint={hint} error={error}>
      {element.options.map((option, i) => {
        const id = `${fieldId(name)}-${i}`;
        const shown = localize(option, ctx.locale);
        return (
          <div class="field field--checkbox">
            <input type={type} id={id} name={name} value={String(i)} checked={chosen.includes(String(i))} required={type === 'radio' && element.required} />
            <label for={id} lang={langIf(ctx, shown?.locale)}>
              {shown?.text ?? ''}
            </label>
          </div>
        );
      })}
    </FieldGroup>
  );
}

/** The form's questions as inputs, with the answers given so far and the refusals beside their questions. */
export function ReviewFormFields({ ctx, form, values, errors = [] }: { ctx: PageContext; form: ReviewForm; values: ReadonlyMap<number, ResponseValue>; errors?: readonly ResponseError[] }): SafeHtml {
  const messages = responseErrorMessages(ctx, errors);
  const description = text(ctx, form.description);
  return (
    <div class="review-form-fields">
      {description ? <p class="hint">{description}</p> : null}
      {form.elements.map((element) => (
        <Question ctx={ctx} element={element} value={values.get(element.id)} error={messages[answerField(element.id)]} />
      ))}
    </div>
  );
}

function Answer({ ctx, element, value }: { ctx: PageContext; element: ReviewFormElement; value: ResponseValue | undefined }): SafeHtml {
  if (value === undefined || value.length === 0) return <p class="hint">{ctx.t('review-forms.answers.none')}</p>;
  if (typeof value === 'string' && (element.kind === 'short-text' || element.kind === 'long-text')) {
    return (
      <>
        {value.split(/\r?\n\s*\r?\n/).map((paragraph) => (
          <p class="review-answer">{paragraph}</p>
        ))}
      </>
    );
  }
  const chosen = (Array.isArray(value) ? value : [value]).map((v) => element.options[Number(v)]).filter((o) => o !== undefined);
  return (
    <ul class="review-answer">
      {chosen.map((option) => {
        const shown = localize(option, ctx.locale);
        return <li lang={langIf(ctx, shown?.locale)}>{shown?.text ?? ''}</li>;
      })}
    </ul>
  );
}

/** The answers, read-only: every question for the editors, only those the author may read for the author. */
export function ReviewFormAnswers({ ctx, form, values, audience }: { ctx: PageContext; form: ReviewForm; values: ReadonlyMap<number, ResponseValue>; audience: 'editor' | 'author' }): SafeHtml {
  const elements = form.elements.filter((e) => audience === 'editor' || e.visibleToAuthor);
  if (elements.length === 0) return <></>;
  return (
    <dl class="review-answers">
      {elements.map((element) => (
        <>
          <dt>
            {text(ctx, element.question)}
            {audience === 'editor' && !element.visibleToAuthor ? <span class="hint"> ({ctx.t('review-forms.answers.editorsOnly')})</span> : null}
          </dt>
          <dd>
            <Answer ctx={ctx} element={element} value={values.get(element.id)} />
          </dd>
        </>
      ))}
    </dl>
  );
}
