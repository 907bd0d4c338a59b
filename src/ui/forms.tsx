import type { Child, SafeHtml } from '#jsx/jsx-runtime';
import { languageName, type PageContext } from './context.ts';
import type { UiLocale } from '../i18n/index.ts';

/**
 * Form pieces shared by every page that edits something. Accessible by construction: each control
 * has a label, errors are tied to their control (aria-describedby, aria-invalid) and listed in a
 * summary at the top that links to them (GOV.UK pattern), and every form carries its CSRF token.
 */

/** Problems with a submitted form, by field name; `''` for the form as a whole. */
export type FormErrors = Record<string, string>;

export function hasErrors(errors: FormErrors): boolean {
  return Object.keys(errors).length > 0;
}

export function fieldId(name: string): string {
  return `field-${name.replace(/[^a-zA-Z0-9_-]/g, '-')}`;
}

export function ErrorSummary({ ctx, errors }: { ctx: PageContext; errors: FormErrors }): SafeHtml {
  const entries = Object.entries(errors);
  if (entries.length === 0) return <></>;
  return (
    <div class="error-summary" role="alert" tabindex="-1" aria-labelledby="error-summary-title">
      <h2 id="error-summary-title">{ctx.t('form.errorSummary')}</h2>
      <ul>
        {entries.map(([name, message]) => (
          <li>{name === '' ? message : <a href={`#${fieldId(name)}`}>{message}</a>}</li>
        ))}
      </ul>
    </div>
  );
}

export function Notice({ children, kind = 'status' }: { children?: Child; kind?: 'status' | 'warning' }): SafeHtml {
  return (
    <div class={`notice notice--${kind}`} role={kind === 'status' ? 'status' : 'alert'}>
      {children}
    </div>
  );
}

export function Form({ action, csrf, children, multipart, method = 'post', class: className }: { action: string; csrf: string; children?: Child; multipart?: boolean; method?: 'post'; class?: string }): SafeHtml {
  return (
    <form action={action} method={method} enctype={multipart ? 'multipart/form-data' : undefined} class={className ?? 'form'} novalidate>
      <input type="hidden" name="_csrf" value={csrf} />
      {children}
    </form>
  );
}

/** A one-button form, for actions such as sign out, publish or delete. */
export function ActionButton({ action, csrf, label, name, value, danger }: { action: string; csrf: string; label: string; name?: string; value?: string; danger?: boolean }): SafeHtml {
  return (
    <form action={action} method="post" class="inline-form">
      <input type="hidden" name="_csrf" value={csrf} />
      <button type="submit" name={name} value={value} class={danger ? 'button button--danger' : 'button button--secondary'}>
        {label}
      </button>
    </form>
  );
}

interface FieldProps {
  name: string;
  label: string;
  hint?: string;
  error?: string;
  required?: boolean;
  ctx: PageContext;
}

function describedBy(name: string, hint?: string, error?: string): string | undefined {
  const ids = [hint ? `${fieldId(name)}-hint` : '', error ? `${fieldId(name)}-error` : ''].filter(Boolean);
  return ids.length ? ids.join(' ') : undefined;
}

function FieldLabel({ ctx, name, label, required }: FieldProps): SafeHtml {
  return (
    <label for={fieldId(name)}>
      {label}
      {required ? <span class="required"> ({ctx.t('form.required')})</span> : null}
    </label>
  );
}

/** A group of fields (checkboxes of one name) under a legend, with its hint and error tied to the group. */
export function FieldGroup({ name, legend, hint, error, children }: { name: string; legend: Child; hint?: string; error?: string; children?: Child }): SafeHtml {
  return (
    <fieldset class={error ? 'field-group field--error' : 'field-group'} id={fieldId(name)} aria-describedby={describedBy(name, hint, error)}>
      <legend>{legend}</legend>
      <HintAndError name={name} hint={hint} error={error} />
      {children}
    </fieldset>
  );
}

function HintAndError({ name, hint, error }: { name: string; hint?: string; error?: string }): SafeHtml {
  return (
    <>
      {hint ? (
        <p class="hint" id={`${fieldId(name)}-hint`}>
          {hint}
        </p>
      ) : null}
      {error ? (
        <p class="field-error" id={`${fieldId(name)}-error`}>
          {error}
        </p>
      ) : null}
    </>
  );
}

export function TextField(props: FieldProps & { value?: string | null; type?: string; autocomplete?: string; maxlength?: number; lang?: string; inputmode?: string }): SafeHtml {
  const { name, hint, error, required, value, type = 'text', autocomplete, maxlength, lang, inputmode } = props;
  return (
    <div class={error ? 'field field--error' : 'field'}>
      <FieldLabel {...props} />
      <HintAndError name={name} hint={hint} error={error} />
      <input
        id={fieldId(name)}
        name={name}
        type={type}
        value={type === 'password' ? undefined : (value ?? undefined)}
        autocomplete={autocomplete}
        maxlength={maxlength}
        lang={lang}
        inputmode={inputmode}
        required={required}
        aria-required={required ? 'true' : undefined}
        aria-invalid={error ? 'true' : undefined}
        aria-describedby={describedBy(name, hint, error)}
      />
    </div>
  );
}

export function TextArea(props: FieldProps & { value?: string | null; rows?: number; lang?: string; code?: boolean }): SafeHtml {
  const { name, hint, error, required, value, rows = 6, lang, code } = props;
  return (
    <div class={error ? 'field field--error' : 'field'}>
      <FieldLabel {...props} />
      <HintAndError name={name} hint={hint} error={error} />
      <textarea
        id={fieldId(name)}
        name={name}
        rows={String(rows)}
        lang={lang}
        class={code ? 'code' : undefined}
        spellcheck={code ? 'false' : undefined}
        required={required}
        aria-invalid={error ? 'true' : undefined}
        aria-describedby={describedBy(name, hint, error)}
      >
        {value ?? ''}
      </textarea>
    </div>
  );
}

export function SelectField(props: FieldProps & { value?: string | null; options: Array<{ value: string; label: string }>; empty?: string }): SafeHtml {
  const { name, hint, error, required, value, options, empty } = props;
  return (
    <div class={error ? 'field field--error' : 'field'}>
      <FieldLabel {...props} />
      <HintAndError name={name} hint={hint} error={error} />
      <select id={fieldId(name)} name={name} required={required} aria-invalid={error ? 'true' : undefined} aria-describedby={describedBy(name, hint, error)}>
        {empty !== undefined ? <option value="">{empty}</option> : null}
        {options.map((o) => (
          <option value={o.value} selected={o.value === value}>
            {o.label}
          </option>
        ))}
      </select>
    </div>
  );
}

export function CheckboxField({ name, label, checked, error, hint, value = 'on', id: givenId }: { name: string; label: Child; checked?: boolean; error?: string; hint?: string; value?: string; id?: string }): SafeHtml {
  // Several boxes of one name (a list of choices) each need their own id for their label; boxes of
  // one name and value in several forms of a page (one per row of a table) are told apart by `id`.
  const id = givenId ?? (value === 'on' ? name : `${name}-${value}`);
  return (
    <div class={error ? 'field field--checkbox field--error' : 'field field--checkbox'}>
      <input id={fieldId(id)} type="checkbox" name={name} value={value} checked={checked} aria-invalid={error ? 'true' : undefined} aria-describedby={describedBy(id, hint, error)} />
      <label for={fieldId(id)}>{label}</label>
      <HintAndError name={id} hint={hint} error={error} />
    </div>
  );
}

/**
 * One field per locale, grouped: `name.pl`, `name.en`. Each input is labelled with its language and
 * carries `lang`, so screen readers read it right.
 */
export function LocalizedFields(props: FieldProps & { values: Record<string, string> | undefined; locales: readonly UiLocale[]; multiline?: boolean; rows?: number; richText?: boolean }): SafeHtml {
  const { ctx, name, label, hint, error, required, values, locales, multiline, rows } = props;
  return (
    <fieldset class={error ? 'field-group field--error' : 'field-group'} id={fieldId(name)} aria-describedby={describedBy(name, hint, error)}>
      <legend>
        {label}
        {required ? <span class="required"> ({ctx.t('form.required')})</span> : null}
      </legend>
      <HintAndError name={name} hint={hint} error={error} />
      {locales.map((locale) =>
        multiline ? (
          <TextArea ctx={ctx} name={`${name}.${locale}`} label={languageName(locale)} value={values?.[locale]} rows={rows} lang={locale} code={props.richText} />
        ) : (
          <TextField ctx={ctx} name={`${name}.${locale}`} label={languageName(locale)} value={values?.[locale]} lang={locale} />
        ),
      )}
    </fieldset>
  );
}

export function SubmitButton({ label }: { label: string }): SafeHtml {
  return (
    <div class="form-actions">
      <button type="submit" class="button">
        {label}
      </button>
    </div>
  );
}
