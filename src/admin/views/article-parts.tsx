import type { SafeHtml } from '#jsx/jsx-runtime';
import type { ArticleForEditing } from '../../catalog/index.ts';
import { localizeText, type UiLocale } from '../../i18n/index.ts';
import { CheckboxField, Confirmation, ErrorSummary, Form, LocalizedFields, SelectField, SubmitButton, TextArea, TextField, type FormErrors, type PageContext, richToPlainLine } from '../../ui/index.ts';
import { ManagePage, type ManageAccess } from './manage.tsx';

/** Affiliation rows the contributor form shows: the contributor's, and one empty row to add another. */
export const MAX_AFFILIATIONS = 10;

export interface ContributorForm {
  givenName: Record<string, string>;
  familyName: Record<string, string>;
  email: string;
  orcid: string;
  affiliations: Array<{ name: Record<string, string>; ror: string }>;
  isPrimaryContact: boolean;
  includeInBrowse: boolean;
  errors: FormErrors;
}

export interface GalleyForm {
  label: string;
  locale: string;
  remoteUrl: string;
  /** The stored file's name, when the galley has one. */
  currentFile?: string;
  errors: FormErrors;
}

const articleTitle = (ctx: PageContext, article: ArticleForEditing) => richToPlainLine(localizeText(article.current.title, ctx.locale)) || `#${article.articleId}`;

export function ContributorEditPage({ ctx, access, article, contributorId, form, locales }: { ctx: PageContext; access: ManageAccess; article: ArticleForEditing; contributorId?: number; form: ContributorForm; locales: readonly UiLocale[] }): SafeHtml {
  const base = `/${ctx.journal!.path}/management/articles/${article.articleId}`;
  const rows = form.affiliations.length < MAX_AFFILIATIONS ? [...form.affiliations, { name: {}, ror: '' }] : form.affiliations;
  return (
    <ManagePage ctx={ctx} access={access} title={contributorId === undefined ? ctx.t('articles.addContributor') : ctx.t('articles.editContributor')}>
      <p>
        <a href={base}>{ctx.t('articles.backToArticle', { title: articleTitle(ctx, article) })}</a>
      </p>
      <ErrorSummary ctx={ctx} errors={form.errors} />
      <Form action={contributorId === undefined ? `${base}/contributors/new` : `${base}/contributors/${contributorId}`} csrf={ctx.csrf ?? ''}>
        <LocalizedFields ctx={ctx} name="givenName" label={ctx.t('articles.givenName')} values={form.givenName} locales={locales} required error={form.errors.givenName} />
        <LocalizedFields ctx={ctx} name="familyName" label={ctx.t('articles.familyName')} values={form.familyName} locales={locales} />
        <TextField ctx={ctx} name="email" type="email" label={ctx.t('articles.email')} value={form.email} error={form.errors.email} autocomplete="off" />
        <TextField ctx={ctx} name="orcid" label="ORCID iD" value={form.orcid} hint={ctx.t('articles.orcidHint')} error={form.errors.orcid} />
        {rows.map((a, i) => (
          <fieldset class="field-group">
            <legend>{ctx.t('articles.affiliationNumber', { number: i + 1 })}</legend>
            <LocalizedFields ctx={ctx} name={`affiliation${i}`} label={ctx.t('articles.affiliationName')} values={a.name} locales={locales} error={form.errors[`affiliation${i}`]} />
            <TextField ctx={ctx} name={`ror${i}`} label={ctx.t('articles.ror')} value={a.ror} hint={ctx.t('articles.rorHint')} error={form.errors[`ror${i}`]} />
          </fieldset>
        ))}
        <CheckboxField name="isPrimaryContact" label={ctx.t('articles.primaryContact')} checked={form.isPrimaryContact} />
        <CheckboxField name="includeInBrowse" label={ctx.t('articles.includeInBrowse')} checked={form.includeInBrowse} />
        <SubmitButton label={ctx.t('form.save')} />
      </Form>
    </ManagePage>
  );
}

export function GalleyEditPage({ ctx, access, article, galleyId, form, locales }: { ctx: PageContext; access: ManageAccess; article: ArticleForEditing; galleyId?: number; form: GalleyForm; locales: readonly string[] }): SafeHtml {
  const base = `/${ctx.journal!.path}/management/articles/${article.articleId}`;
  const names = new Intl.DisplayNames([ctx.locale], { type: 'language' });
  const options = [...new Set([...locales, form.locale].filter(Boolean))].map((code) => ({ value: code, label: names.of(code.replace('_', '-')) ?? code }));
  return (
    <ManagePage ctx={ctx} access={access} title={galleyId === undefined ? ctx.t('articles.addGalley') : ctx.t('articles.editGalley')}>
      <p>
        <a href={base}>{ctx.t('articles.backToArticle', { title: articleTitle(ctx, article) })}</a>
      </p>
      <ErrorSummary ctx={ctx} errors={form.errors} />
      <Form action={galleyId === undefined ? `${base}/galleys/new` : `${base}/galleys/${galleyId}`} csrf={ctx.csrf ?? ''} multipart>
        <TextField ctx={ctx} name="label" label={ctx.t('articles.galleyLabel')} value={form.label} hint={ctx.t('articles.galleyLabelHint')} required error={form.errors.label} />
        <SelectField ctx={ctx} name="locale" label={ctx.t('articles.language')} value={form.locale} options={options} error={form.errors.locale} />
        <div class={form.errors.file ? 'field field--error' : 'field'}>
          <label for="field-file">{form.currentFile ? ctx.t('articles.replaceFile') : ctx.t('articles.file')}</label>
          <p class="hint" id="field-file-hint">
            {form.currentFile ? ctx.t('articles.currentFile', { name: form.currentFile }) : ''} {ctx.t('articles.fileHint')}
          </p>
          {form.errors.file ? (
            <p class="field-error" id="field-file-error">
              {form.errors.file}
            </p>
          ) : null}
          <input id="field-file" type="file" name="file" aria-describedby={form.errors.file ? 'field-file-hint field-file-error' : 'field-file-hint'} />
        </div>
        <TextField ctx={ctx} name="remoteUrl" type="url" label={ctx.t('articles.remoteUrl')} value={form.remoteUrl} hint={ctx.t('articles.remoteUrlHint')} error={form.errors.remoteUrl} />
        <SubmitButton label={ctx.t('form.save')} />
      </Form>
    </ManagePage>
  );
}

/** The confirmation page of a destructive step on an article (removing a part, unpublishing). */
export function ArticleConfirmPage({
  ctx,
  access,
  article,
  action,
  question,
  consequences,
  confirmLabel,
  reason,
}: {
  ctx: PageContext;
  access: ManageAccess;
  article: ArticleForEditing;
  action: string;
  question: string;
  consequences: string[];
  confirmLabel: string;
  /** Unpublishing asks why: the text typed so far and its error. */
  reason?: { value: string; error?: string };
}): SafeHtml {
  const base = `/${ctx.journal!.path}/management/articles/${article.articleId}`;
  return (
    <ManagePage ctx={ctx} access={access} title={articleTitle(ctx, article)}>
      {reason?.error ? <ErrorSummary ctx={ctx} errors={{ reason: reason.error }} /> : null}
      <Confirmation ctx={ctx} action={action} question={question} consequences={consequences} confirmLabel={confirmLabel} cancelHref={base}>
        {reason ? <TextArea ctx={ctx} name="reason" label={ctx.t('articles.unpublishReason')} value={reason.value} rows={4} required hint={ctx.t('articles.unpublishReasonHint')} error={reason.error} /> : null}
      </Confirmation>
    </ManagePage>
  );
}
