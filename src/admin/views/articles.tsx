import type { SafeHtml } from '#jsx/jsx-runtime';
import type { ArticleForEditing } from '../../catalog/index.ts';
import type { Section } from '../../db/index.ts';
import { localizeText, type UiLocale } from '../../i18n/index.ts';
import { ErrorSummary, Form, LocalizedFields, SelectField, SubmitButton, TextArea, TextField, type FormErrors, type PageContext, richToPlainLine } from '../../ui/index.ts';
import { ManagePage, type ManageAccess } from './manage.tsx';
import { ReferenceCheck } from './references.tsx';

export interface ArticleForm {
  title: Record<string, string>;
  subtitle: Record<string, string>;
  abstract: Record<string, string>;
  keywords: Record<string, string>;
  pages: string;
  sectionId: string;
  licenseUrl: string;
  doi: string;
  /** One reference per line. */
  references: string;
  errors: FormErrors;
}

export function ArticleEditPage({ ctx, access, article, form, locales, sections, notice }: { ctx: PageContext; access: ManageAccess; article: ArticleForEditing; form: ArticleForm; locales: readonly UiLocale[]; sections: Section[]; notice?: string }): SafeHtml {
  const journalPath = ctx.journal!.path;
  return (
    <ManagePage ctx={ctx} access={access} title={richToPlainLine(localizeText(article.current.title, ctx.locale)) || `#${article.articleId}`} notice={notice}>
      <p>{ctx.t('manage.versionExplain', { version: article.current.version })}</p>
      <p>
        <a href={`/${journalPath}/article/view/${article.articleId}`}>{ctx.t('manage.viewArticle')}</a>
      </p>
      <ErrorSummary ctx={ctx} errors={form.errors} />
      <Form action={`/${journalPath}/management/articles/${article.articleId}`} csrf={ctx.csrf ?? ''}>
        <LocalizedFields ctx={ctx} name="title" label={ctx.t('manage.articleTitle')} values={form.title} locales={locales} required error={form.errors.title} />
        <LocalizedFields ctx={ctx} name="subtitle" label={ctx.t('manage.subtitle')} values={form.subtitle} locales={locales} />
        <LocalizedFields ctx={ctx} name="abstract" label={ctx.t('article.abstract')} values={form.abstract} locales={locales} multiline rows={8} richText hint={ctx.t('manage.abstractHint')} />
        <LocalizedFields ctx={ctx} name="keywords" label={ctx.t('article.keywords')} values={form.keywords} locales={locales} hint={ctx.t('manage.keywordsHint')} />
        <TextField ctx={ctx} name="pages" label={ctx.t('manage.pages')} value={form.pages} error={form.errors.pages} />
        <SelectField ctx={ctx} name="sectionId" label={ctx.t('article.section')} value={form.sectionId} options={sections.map((s) => ({ value: String(s.id), label: localizeText(s.title, ctx.locale) || `#${s.id}` }))} error={form.errors.sectionId} />
        <TextField ctx={ctx} name="licenseUrl" type="url" label={ctx.t('manage.license')} value={form.licenseUrl} error={form.errors.licenseUrl} />
        <TextField ctx={ctx} name="doi" label={ctx.t('doi.manual')} value={form.doi} hint={ctx.t('doi.manualHint')} error={form.errors.doi} />
        <TextArea ctx={ctx} name="references" label={ctx.t('refcheck.field')} value={form.references} rows={12} hint={ctx.t('refcheck.fieldHint')} error={form.errors.references} />
        <SubmitButton label={ctx.t('manage.saveNewVersion')} />
      </Form>
      <ReferenceCheck ctx={ctx} references={article.references} />
      <h2>{ctx.t('manage.versions')}</h2>
      <ul>
        {article.versions.map((v) => (
          <li>{ctx.t('manage.versionLine', { version: v.version, status: v.status, date: v.datePublished ?? '—' })}</li>
        ))}
      </ul>
    </ManagePage>
  );
}
