import type { SafeHtml } from '#jsx/jsx-runtime';
import type { Section } from '../../db/index.ts';
import { localizeText } from '../../i18n/index.ts';
import { ErrorSummary, Form, SelectField, SubmitButton, TextArea, TextField, type FormErrors, type PageContext } from '../../ui/index.ts';
import { ManagePage, type ManageAccess } from './manage.tsx';

export interface IssueArticleForm {
  title: string;
  sectionId: string;
  givenName: string;
  familyName: string;
  abstract: string;
  errors: FormErrors;
}

/** "New article" in an issue: an editorial or back content added without the workflow (its galleys and other authors on the article's page). */
export function IssueArticleNewPage({ ctx, access, issueName, action, sections, form }: { ctx: PageContext; access: ManageAccess; issueName: string; action: string; sections: Section[]; form: IssueArticleForm }): SafeHtml {
  const { t } = ctx;
  return (
    <ManagePage ctx={ctx} access={access} title={t('issueArticle.title', { issue: issueName })}>
      <p>{t('issueArticle.intro')}</p>
      <ErrorSummary ctx={ctx} errors={form.errors} />
      <Form action={action} csrf={ctx.csrf ?? ''}>
        <TextField ctx={ctx} name="title" label={t('issueArticle.articleTitle')} value={form.title} maxlength={500} required error={form.errors.title} />
        <SelectField ctx={ctx} name="sectionId" label={t('issueArticle.section')} value={form.sectionId} options={sections.map((s) => ({ value: String(s.id), label: localizeText(s.title, ctx.locale) || `#${s.id}` }))} error={form.errors.sectionId} />
        <TextField ctx={ctx} name="givenName" label={t('issueArticle.givenName')} value={form.givenName} maxlength={200} autocomplete="off" />
        <TextField ctx={ctx} name="familyName" label={t('issueArticle.familyName')} value={form.familyName} maxlength={200} autocomplete="off" />
        <TextArea ctx={ctx} name="abstract" label={t('issueArticle.abstract')} value={form.abstract} rows={6} error={form.errors.abstract} />
        <SubmitButton label={t('issueArticle.create')} />
      </Form>
    </ManagePage>
  );
}
