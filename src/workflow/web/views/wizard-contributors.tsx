import type { SafeHtml } from '#jsx/jsx-runtime';
import type { MessageKey } from '../../../i18n/index.ts';
import { CheckboxField, fieldId, Form, SelectField, SubmitButton, TextField, type FormErrors, type PageContext } from '../../../ui/index.ts';
import { ContinueButton, languageLabel, stepHref, wizardBase, WizardPage, type DraftSummary } from './wizard.tsx';

/** Step 4: who wrote the manuscript, in order, with the primary contact, ORCID iDs and ROR ids. */

/** Contributor roles as OJS names its user groups (stored as the contributor's `userGroup`). */
export const CONTRIBUTOR_ROLES: Record<string, MessageKey> = {
  Author: 'wizard.contributors.role.Author',
  Translator: 'wizard.contributors.role.Translator',
  Editor: 'wizard.contributors.role.Editor',
  Contributor: 'wizard.contributors.role.Contributor',
};

/** Affiliation rows the form offers. */
export const AFFILIATION_ROWS = 3;

export interface ContributorRow {
  id: number;
  name: string;
  email: string | null;
  orcid: string | null;
  role: string | null;
  affiliations: Array<{ name: string; ror: string | null }>;
  isPrimaryContact: boolean;
}

export function ContributorsPage({ ctx, draft, contributors, errors, notice }: { ctx: PageContext; draft: DraftSummary; contributors: ContributorRow[]; errors: FormErrors; notice?: string }): SafeHtml {
  const base = `${wizardBase(ctx, draft.id)}/contributors`;
  const csrf = ctx.csrf ?? '';
  const roleName = (role: string | null) => (role && Object.hasOwn(CONTRIBUTOR_ROLES, role) ? ctx.t(CONTRIBUTOR_ROLES[role]!) : (role ?? ''));
  return (
    <WizardPage ctx={ctx} draft={draft} current="contributors" errors={errors} notice={notice}>
      <p>{ctx.t('wizard.contributors.intro')}</p>
      {contributors.length === 0 ? (
        <p>{ctx.t('wizard.contributors.none')}</p>
      ) : (
        <ol class="contributor-list">
          {contributors.map((c, index) => (
            <li>
              <p>
                <strong>{c.name}</strong> {c.role ? `(${roleName(c.role)})` : null} {c.isPrimaryContact ? <em>— {ctx.t('wizard.contributors.primary')}</em> : null}
              </p>
              <dl>
                {c.email ? (
                  <>
                    <dt>{ctx.t('wizard.contributors.email')}</dt>
                    <dd>{c.email}</dd>
                  </>
                ) : null}
                {c.orcid ? (
                  <>
                    <dt>{ctx.t('wizard.contributors.orcid')}</dt>
                    <dd>
                      <a href={c.orcid}>{c.orcid}</a>
                    </dd>
                  </>
                ) : null}
                {c.affiliations.length > 0 ? (
                  <>
                    <dt>{ctx.t('wizard.contributors.affiliations')}</dt>
                    {c.affiliations.map((a) => (
                      <dd>
                        {a.name}
                        {a.ror ? (
                          <>
                            {' '}
                            (<a href={a.ror}>{a.ror}</a>)
                          </>
                        ) : null}
                      </dd>
                    ))}
                  </>
                ) : null}
              </dl>
              <div class="row-actions">
                {index > 0 ? <MoveButton ctx={ctx} action={`${base}/${c.id}/move`} direction="up" label={ctx.t('wizard.contributors.upNamed', { name: c.name })} text={ctx.t('wizard.contributors.up')} /> : null}
                {index < contributors.length - 1 ? <MoveButton ctx={ctx} action={`${base}/${c.id}/move`} direction="down" label={ctx.t('wizard.contributors.downNamed', { name: c.name })} text={ctx.t('wizard.contributors.down')} /> : null}
                <a class="button button--secondary" href={`${base}/${c.id}`} aria-label={ctx.t('wizard.contributors.editNamed', { name: c.name })}>
                  {ctx.t('wizard.contributors.edit')}
                </a>
                <a class="button button--secondary" href={`${base}/${c.id}/remove`} aria-label={ctx.t('wizard.contributors.removeNamed', { name: c.name })}>
                  {ctx.t('wizard.contributors.remove')}
                </a>
              </div>
            </li>
          ))}
        </ol>
      )}
      <p>
        <a class="button button--secondary" href={`${base}/new`}>
          {ctx.t('wizard.contributors.add')}
        </a>
      </p>
      {contributors.length > 1 ? (
        <Form action={`${base}/primary`} csrf={csrf}>
          <fieldset class={errors.primary ? 'field-group field--error' : 'field-group'} id={fieldId('primary')} aria-describedby={`${fieldId('primary')}-hint`}>
            <legend>{ctx.t('wizard.contributors.primary')}</legend>
            <p class="hint" id={`${fieldId('primary')}-hint`}>
              {ctx.t('wizard.contributors.primaryHint')}
            </p>
            {errors.primary ? <p class="field-error">{errors.primary}</p> : null}
            {contributors.map((c) => (
              <div class="field field--checkbox">
                <input type="radio" id={`field-primary-${c.id}`} name="primary" value={String(c.id)} checked={c.isPrimaryContact} />
                <label for={`field-primary-${c.id}`}>{c.name}</label>
              </div>
            ))}
          </fieldset>
          <SubmitButton label={ctx.t('wizard.contributors.primarySave')} />
        </Form>
      ) : null}
      <ContinueButton ctx={ctx} action={stepHref(ctx, draft.id, 'contributors')} />
    </WizardPage>
  );
}

function MoveButton({ ctx, action, direction, label, text }: { ctx: PageContext; action: string; direction: 'up' | 'down'; label: string; text: string }): SafeHtml {
  return (
    <form action={action} method="post" class="inline-form">
      <input type="hidden" name="_csrf" value={ctx.csrf ?? ''} />
      <button type="submit" name="direction" value={direction} class="button button--secondary" aria-label={label}>
        {text}
      </button>
    </form>
  );
}

export interface ContributorForm {
  givenName: Record<string, string>;
  familyName: Record<string, string>;
  email: string;
  orcid: string;
  role: string;
  affiliations: Array<{ name: string; ror: string }>;
  isPrimaryContact: boolean;
}

export function ContributorFormPage({
  ctx,
  draft,
  locales,
  contributorId,
  name,
  form,
  errors,
}: {
  ctx: PageContext;
  draft: DraftSummary;
  /** The manuscript's language first, then the journal's others: names may be written in each. */
  locales: string[];
  contributorId?: number;
  name?: string;
  form: ContributorForm;
  errors: FormErrors;
}): SafeHtml {
  const base = `${wizardBase(ctx, draft.id)}/contributors`;
  const title = contributorId ? ctx.t('wizard.contributors.editTitle', { name: name ?? '' }) : ctx.t('wizard.contributors.addTitle');
  const rows = Array.from({ length: Math.max(AFFILIATION_ROWS, form.affiliations.length) }, (_, i) => form.affiliations[i] ?? { name: '', ror: '' });
  const main = locales[0]!;
  return (
    <WizardPage ctx={ctx} draft={draft} current="contributors" errors={errors}>
      <h3>{title}</h3>
      <Form action={contributorId ? `${base}/${contributorId}` : `${base}/new`} csrf={ctx.csrf ?? ''}>
        {locales.map((locale) => (
          <fieldset class="field-group" lang={locale}>
            <legend>{languageLabel(ctx, locale)}</legend>
            <TextField ctx={ctx} name={`givenName.${locale}`} label={ctx.t('wizard.contributors.givenName')} value={form.givenName[locale]} lang={locale} required={locale === main} autocomplete="off" error={errors[`givenName.${locale}`]} />
            <TextField ctx={ctx} name={`familyName.${locale}`} label={ctx.t('wizard.contributors.familyName')} value={form.familyName[locale]} lang={locale} autocomplete="off" />
          </fieldset>
        ))}
        <TextField ctx={ctx} name="email" type="email" label={ctx.t('wizard.contributors.email')} value={form.email} autocomplete="off" error={errors.email} />
        <TextField ctx={ctx} name="orcid" label={ctx.t('wizard.contributors.orcid')} hint={ctx.t('wizard.contributors.orcidHint')} value={form.orcid} error={errors.orcid} />
        <SelectField ctx={ctx} name="role" label={ctx.t('wizard.contributors.roleLabel')} value={form.role} options={Object.entries(CONTRIBUTOR_ROLES).map(([value, key]) => ({ value, label: ctx.t(key) }))} />
        {rows.map((row, i) => (
          <fieldset class="field-group">
            <legend>{ctx.t('wizard.contributors.affiliation', { n: i + 1 })}</legend>
            <TextField ctx={ctx} name={`affiliation${i}`} label={ctx.t('wizard.contributors.affiliationName')} value={row.name} lang={main} error={errors[`affiliation${i}`]} />
            <TextField ctx={ctx} name={`ror${i}`} label={ctx.t('wizard.contributors.ror')} hint={i === 0 ? ctx.t('wizard.contributors.rorHint') : undefined} value={row.ror} error={errors[`ror${i}`]} />
          </fieldset>
        ))}
        <CheckboxField name="isPrimaryContact" label={ctx.t('wizard.contributors.isPrimary')} checked={form.isPrimaryContact} />
        <SubmitButton label={ctx.t('wizard.contributors.save')} />
      </Form>
      <p>
        <a href={stepHref(ctx, draft.id, 'contributors')}>{ctx.t('wizard.contributors.cancel')}</a>
      </p>
    </WizardPage>
  );
}
