import type { SafeHtml } from '#jsx/jsx-runtime';
import type { ArticleForEditing } from '../../catalog/index.ts';
import type { Issue, NoticeKind, Section } from '../../db/index.ts';
import { localizeText, type UiLocale } from '../../i18n/index.ts';
import { ActionButton, CheckboxField, ErrorSummary, Form, LocalizedFields, SelectField, SubmitButton, type FormErrors, type PageContext, richToPlainLine } from '../../ui/index.ts';
import { ManagePage, type ManageAccess } from './manage.tsx';

/**
 * Versions and notices on a published article's management page: the draft version being edited
 * (publish it, or throw it away), or the button that makes one; and the way to a correction,
 * retraction or expression of concern.
 */
export function VersionPanel({ ctx, article, isNotice }: { ctx: PageContext; article: ArticleForEditing; isNotice: boolean }): SafeHtml {
  const base = `/${ctx.journal!.path}/management/articles/${article.articleId}`;
  const csrf = ctx.csrf ?? '';
  const draft = article.current.id !== article.readerVersion.id ? article.current : undefined;
  if (article.readerVersion.status !== 'published') return <></>;
  return (
    <section aria-labelledby="article-version-draft">
      <h2 id="article-version-draft">{draft ? ctx.t('versions.draftHeading', { version: draft.version }) : ctx.t('versions.heading')}</h2>
      {draft ? (
        <>
          <p>{ctx.t('versions.draftExplain', { version: draft.version, current: article.readerVersion.version })}</p>
          <div class="actions">
            <ActionButton action={`${base}/versions/${draft.id}/publish`} csrf={csrf} label={ctx.t('versions.publish')} />
            <ActionButton action={`${base}/versions/${draft.id}/discard`} csrf={csrf} label={ctx.t('versions.discard')} danger />
          </div>
        </>
      ) : (
        <>
          <p>{ctx.t('versions.createExplain')}</p>
          <div class="actions">
            <ActionButton action={`${base}/versions`} csrf={csrf} label={ctx.t('versions.create')} />
            {isNotice ? null : (
              <a class="button button--secondary" href={`${base}/notice`}>
                {ctx.t('notices.publishLink')}
              </a>
            )}
          </div>
        </>
      )}
    </section>
  );
}

export interface NoticeForm {
  kind: NoticeKind | '';
  title: Record<string, string>;
  text: Record<string, string>;
  sectionId: string;
  intoCurrentIssue: boolean;
  errors: FormErrors;
}

export function NoticeFormPage({
  ctx,
  access,
  article,
  form,
  locales,
  sections,
  currentIssue,
  policyMissing,
  kinds,
}: {
  ctx: PageContext;
  access: ManageAccess;
  article: ArticleForEditing;
  form: NoticeForm;
  locales: readonly UiLocale[];
  sections: Section[];
  currentIssue: Issue | undefined;
  /** The journal has a DOI prefix but no Crossmark policy DOI: Crossref gets no update relation. */
  policyMissing: boolean;
  kinds: readonly NoticeKind[];
}): SafeHtml {
  const base = `/${ctx.journal!.path}/management/articles/${article.articleId}`;
  const title = richToPlainLine(localizeText(article.readerVersion.title, ctx.locale)) || `#${article.articleId}`;
  return (
    <ManagePage ctx={ctx} access={access} title={ctx.t('notices.pageTitle', { title })}>
      <p>
        <a href={base}>{ctx.t('notices.back')}</a>
      </p>
      <p>{ctx.t('notices.explain')}</p>
      {policyMissing ? (
        <p class="notice notice--warning" role="note">
          {ctx.t('notices.policyMissing')} <a href={`/${ctx.journal!.path}/management/doi`}>{ctx.t('notices.policyMissingLink')}</a>
        </p>
      ) : null}
      <ErrorSummary ctx={ctx} errors={form.errors} />
      <Form action={`${base}/notice`} csrf={ctx.csrf ?? ''} multipart>
        <SelectField
          ctx={ctx}
          name="kind"
          label={ctx.t('notices.kind')}
          value={form.kind}
          required
          empty={ctx.t('notices.kindChoose')}
          options={kinds.map((k) => ({ value: k, label: ctx.t(`notices.kind.${k}`) }))}
          error={form.errors.kind}
        />
        <LocalizedFields ctx={ctx} name="title" label={ctx.t('notices.title')} values={form.title} locales={locales} hint={ctx.t('notices.titleHint')} error={form.errors.title} />
        <LocalizedFields ctx={ctx} name="text" label={ctx.t('notices.text')} values={form.text} locales={locales} multiline rows={8} richText hint={ctx.t('manage.abstractHint')} required error={form.errors.text} />
        <SelectField ctx={ctx} name="sectionId" label={ctx.t('article.section')} value={form.sectionId} options={sections.map((s) => ({ value: String(s.id), label: localizeText(s.title, ctx.locale) || `#${s.id}` }))} error={form.errors.sectionId} />
        {currentIssue ? <CheckboxField name="intoCurrentIssue" label={ctx.t('notices.intoCurrentIssue')} checked={form.intoCurrentIssue} /> : null}
        <div class={form.errors.file ? 'field field--error' : 'field'}>
          <label for="field-file">{ctx.t('notices.pdf')}</label>
          <p class="hint" id="field-file-hint">
            {ctx.t('notices.pdfHint')}
          </p>
          {form.errors.file ? (
            <p class="field-error" id="field-file-error">
              {form.errors.file}
            </p>
          ) : null}
          <input type="file" id="field-file" name="file" accept="application/pdf" aria-describedby={form.errors.file ? 'field-file-hint field-file-error' : 'field-file-hint'} />
        </div>
        <SubmitButton label={ctx.t('notices.publish')} />
      </Form>
    </ManagePage>
  );
}
