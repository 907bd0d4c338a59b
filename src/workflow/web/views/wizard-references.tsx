import type { SafeHtml } from '#jsx/jsx-runtime';
import { fieldId, Notice, type FormErrors, type PageContext } from '../../../ui/index.ts';
import { stepHref, WizardPage, type DraftSummary } from './wizard.tsx';

/**
 * Step 5: the reference list, pasted, read by Revista's reference parser, each reference shown with
 * what looks wrong in it, for the author to fix and check again before saving.
 */

export interface CheckedReference {
  text: string;
  /** What the parser read: authors, year, title, source (shown so the author sees how it was understood). */
  readAs: string[];
  problems: Array<{ severity: 'error' | 'warning'; message: string }>;
}

export function ReferencesPage({
  ctx,
  draft,
  text,
  checked,
  saved,
  errors,
  notice,
}: {
  ctx: PageContext;
  draft: DraftSummary;
  text: string;
  checked: CheckedReference[];
  /** Whether `checked` is what is stored (else: the text just checked, not saved). */
  saved: boolean;
  errors: FormErrors;
  notice?: string;
}): SafeHtml {
  const withProblems = checked.filter((r) => r.problems.length > 0).length;
  const csrf = ctx.csrf ?? '';
  const hasError = errors.references !== undefined;
  return (
    <WizardPage ctx={ctx} draft={draft} current="references" errors={errors} notice={notice}>
      <p>{ctx.t('wizard.references.intro')}</p>
      <form action={stepHref(ctx, draft.id, 'references')} method="post" class="form" novalidate>
        <input type="hidden" name="_csrf" value={csrf} />
        <div class={hasError ? 'field field--error' : 'field'}>
          <label for={fieldId('references')}>{ctx.t('wizard.references.field')}</label>
          <p class="hint" id={`${fieldId('references')}-hint`}>
            {ctx.t('wizard.references.fieldHint')}
          </p>
          {hasError ? (
            <p class="field-error" id={`${fieldId('references')}-error`}>
              {errors.references}
            </p>
          ) : null}
          <textarea
            id={fieldId('references')}
            name="references"
            rows="14"
            spellcheck="false"
            aria-invalid={hasError ? 'true' : undefined}
            aria-describedby={hasError ? `${fieldId('references')}-hint ${fieldId('references')}-error` : `${fieldId('references')}-hint`}
          >
            {text}
          </textarea>
        </div>
        <div class="form-actions">
          <button type="submit" class="button" name="action" value="save">
            {ctx.t('wizard.references.save')}
          </button>{' '}
          <button type="submit" class="button button--secondary" name="action" value="check">
            {ctx.t('wizard.references.check')}
          </button>
        </div>
      </form>
      {checked.length > 0 ? (
        <section aria-labelledby="reference-results">
          <h3 id="reference-results">{ctx.t('wizard.references.results')}</h3>
          <p role="status">{withProblems === 0 ? ctx.t('wizard.references.allGood', { count: checked.length }) : ctx.t('wizard.references.summary', { count: checked.length, problems: withProblems })}</p>
          {saved ? null : <Notice kind="warning">{ctx.t('wizard.references.unsaved')}</Notice>}
          <ol class="reference-check">
            {checked.map((reference, index) => (
              <li id={`reference-${index + 1}`} class={reference.problems.length > 0 ? 'reference-check__item reference-check__item--problem' : 'reference-check__item'}>
                <p>{reference.text}</p>
                {reference.readAs.length > 0 ? (
                  <p class="hint">
                    {ctx.t('wizard.references.readAs')} {reference.readAs.join(' · ')}
                  </p>
                ) : null}
                {reference.problems.length === 0 ? (
                  <p>{ctx.t('wizard.references.noProblems')}</p>
                ) : (
                  <ul aria-label={ctx.t('wizard.references.number', { n: index + 1 })}>
                    {reference.problems.map((p) => (
                      <li>
                        <strong>{p.severity === 'error' ? ctx.t('wizard.references.error') : ctx.t('wizard.references.warning')}:</strong> {p.message}
                      </li>
                    ))}
                  </ul>
                )}
              </li>
            ))}
          </ol>
        </section>
      ) : null}
    </WizardPage>
  );
}
