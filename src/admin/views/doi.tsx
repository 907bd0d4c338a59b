import type { SafeHtml } from '#jsx/jsx-runtime';
import { localizeText } from '../../i18n/index.ts';
import { ActionButton, ErrorSummary, Form, SubmitButton, TextField, type FormErrors, type PageContext, richToPlainLine } from '../../ui/index.ts';
import { ManagePage, type ManageAccess } from './manage.tsx';

export interface DoiForm {
  prefix: string;
  pattern: string;
  username: string;
  hasPassword: boolean;
  depositorName: string;
  depositorEmail: string;
  /** The DOI of the journal's Crossmark policy page. */
  crossmarkPolicy: string;
  errors: FormErrors;
}

export interface DoiArticleRow {
  articleId: number;
  title: Record<string, string>;
  doi: string | null;
  status: string | null;
  message: string | null;
}

/** DOI settings, the Crossref account, and each published article's DOI and registration state. */
export function DoiPage({ ctx, access, form, articles, notice, crossrefUrl }: { ctx: PageContext; access: ManageAccess; form: DoiForm; articles: DoiArticleRow[]; notice?: string; crossrefUrl: string }): SafeHtml {
  const base = `/${ctx.journal!.path}/management/doi`;
  const csrf = ctx.csrf ?? '';
  return (
    <ManagePage ctx={ctx} access={access} title={ctx.t('doi.title')} notice={notice}>
      <ErrorSummary ctx={ctx} errors={form.errors} />
      <Form action={base} csrf={csrf}>
        <TextField ctx={ctx} name="prefix" label={ctx.t('doi.prefix')} value={form.prefix} hint={ctx.t('doi.prefixHint')} error={form.errors.prefix} />
        <TextField ctx={ctx} name="pattern" label={ctx.t('doi.pattern')} value={form.pattern} hint={ctx.t('doi.patternHint')} error={form.errors.pattern} />
        <h2>{ctx.t('doi.crossref')}</h2>
        <p>{ctx.t('doi.crossrefExplain', { url: crossrefUrl })}</p>
        <TextField ctx={ctx} name="username" label={ctx.t('doi.username')} value={form.username} autocomplete="off" />
        <TextField ctx={ctx} name="password" type="password" label={ctx.t('doi.password')} autocomplete="new-password" hint={form.hasPassword ? ctx.t('doi.passwordKept') : undefined} error={form.errors.password} />
        <TextField ctx={ctx} name="depositorName" label={ctx.t('doi.depositorName')} value={form.depositorName} />
        <TextField ctx={ctx} name="depositorEmail" type="email" label={ctx.t('doi.depositorEmail')} value={form.depositorEmail} error={form.errors.depositorEmail} />
        <TextField ctx={ctx} name="crossmarkPolicy" label={ctx.t('notices.crossmarkPolicy')} value={form.crossmarkPolicy} hint={ctx.t('notices.crossmarkPolicyHint')} error={form.errors.crossmarkPolicy} />
        <SubmitButton label={ctx.t('form.save')} />
      </Form>
      <h2>{ctx.t('doi.articles')}</h2>
      <div class="actions">
        <ActionButton action={`${base}/assign`} csrf={csrf} label={ctx.t('doi.assign')} />
        <ActionButton action={`${base}/deposit`} csrf={csrf} label={ctx.t('doi.deposit')} />
        <ActionButton action={`${base}/check`} csrf={csrf} label={ctx.t('doi.check')} />
      </div>
      <table class="data-table">
        <thead>
          <tr>
            <th scope="col">{ctx.t('manage.articleTitle')}</th>
            <th scope="col">DOI</th>
            <th scope="col">{ctx.t('doi.status')}</th>
          </tr>
        </thead>
        <tbody>
          {articles.map((a) => (
            <tr>
              <td>
                <a href={`/${ctx.journal!.path}/management/articles/${a.articleId}`}>{richToPlainLine(localizeText(a.title, ctx.locale)) || `#${a.articleId}`}</a>
              </td>
              <td>{a.doi ? <a href={`https://doi.org/${a.doi}`}>{a.doi}</a> : '—'}</td>
              <td>
                {ctx.t(`doi.state.${(a.status ?? 'none') as 'none'}`)}
                {a.message ? ` (${a.message})` : ''}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </ManagePage>
  );
}
