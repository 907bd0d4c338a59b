import type { SafeHtml } from '#jsx/jsx-runtime';
import type { IssueArticle, IssueListEntry, ReferenceProblemCount } from '../../catalog/index.ts';
import type { Issue, Section } from '../../db/index.ts';
import { formatLongDate, localizeText, type UiLocale } from '../../i18n/index.ts';
import { ActionButton, CheckboxField, ConfirmLink, ErrorSummary, Form, LocalizedFields, SelectField, SubmitButton, TextArea, TextField, type FormErrors, type PageContext, richToPlainLine } from '../../ui/index.ts';
import { ManagePage, type ManageAccess } from './manage.tsx';
import { IssueReferenceSummary, referenceCell } from './references.tsx';

/** "Vol. 74 No. 4 (2021): Title" as editors identify issues. */
export function issueName(ctx: PageContext, issue: Pick<Issue, 'volume' | 'number' | 'year' | 'title' | 'id'>): string {
  const parts = [issue.volume !== null ? ctx.t('issue.volume', { volume: issue.volume }) : '', issue.number ? ctx.t('issue.number', { number: issue.number }) : '', issue.year !== null ? ctx.t('issue.year', { year: issue.year }) : '']
    .filter(Boolean)
    .join(' ');
  const title = localizeText(issue.title, ctx.locale);
  return [parts, title].filter(Boolean).join(': ') || `#${issue.id}`;
}

export function SectionsPage({ ctx, access, sections, notice, errors }: { ctx: PageContext; access: ManageAccess; sections: Section[]; notice?: string; errors: FormErrors }): SafeHtml {
  const base = `/${ctx.journal!.path}/management/sections`;
  const csrf = ctx.csrf ?? '';
  return (
    <ManagePage ctx={ctx} access={access} title={ctx.t('manage.sections')} notice={notice}>
      <ErrorSummary ctx={ctx} errors={errors} />
      <p>
        <a class="button" href={`${base}/new`}>
          {ctx.t('manage.newSection')}
        </a>
      </p>
      <table class="data-table">
        <thead>
          <tr>
            <th scope="col">{ctx.t('manage.sectionTitle')}</th>
            <th scope="col">{ctx.t('admin.actions')}</th>
          </tr>
        </thead>
        <tbody>
          {sections.map((s) => (
            <tr>
              <td>
                <a href={`${base}/${s.id}`}>{localizeText(s.title, ctx.locale) || `#${s.id}`}</a>
              </td>
              <td class="actions">
                <ActionButton action={`${base}/${s.id}/move`} csrf={csrf} label={ctx.t('manage.moveUp')} name="direction" value="up" />
                <ActionButton action={`${base}/${s.id}/move`} csrf={csrf} label={ctx.t('manage.moveDown')} name="direction" value="down" />
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </ManagePage>
  );
}

export interface SectionForm {
  title: Record<string, string>;
  abbreviation: Record<string, string>;
  policy: Record<string, string>;
  errors: FormErrors;
}

export function SectionEditPage({ ctx, access, id, form, locales }: { ctx: PageContext; access: ManageAccess; id?: number; form: SectionForm; locales: readonly UiLocale[] }): SafeHtml {
  const base = `/${ctx.journal!.path}/management/sections`;
  return (
    <ManagePage ctx={ctx} access={access} title={id ? ctx.t('manage.editSection') : ctx.t('manage.newSection')}>
      <ErrorSummary ctx={ctx} errors={form.errors} />
      <Form action={id ? `${base}/${id}` : `${base}/new`} csrf={ctx.csrf ?? ''}>
        <LocalizedFields ctx={ctx} name="title" label={ctx.t('manage.sectionTitle')} values={form.title} locales={locales} required error={form.errors.title} />
        <LocalizedFields ctx={ctx} name="abbreviation" label={ctx.t('manage.sectionAbbreviation')} values={form.abbreviation} locales={locales} />
        <LocalizedFields ctx={ctx} name="policy" label={ctx.t('manage.sectionPolicy')} values={form.policy} locales={locales} multiline rows={4} richText hint={ctx.t('manage.richTextHint')} />
        <SubmitButton label={ctx.t('form.save')} />
      </Form>
      {id ? (
        <p>
          <ConfirmLink href={`${base}/${id}/delete`} label={ctx.t('manage.deleteSection')} />
        </p>
      ) : null}
    </ManagePage>
  );
}

export function IssuesPage({ ctx, access, issues, notice }: { ctx: PageContext; access: ManageAccess; issues: IssueListEntry[]; notice?: string }): SafeHtml {
  const base = `/${ctx.journal!.path}/management/issues`;
  const future = issues.filter((i) => !i.is_published);
  const back = issues.filter((i) => i.is_published);
  const table = (list: IssueListEntry[], caption: string) => (
    <table class="data-table">
      <caption>{caption}</caption>
      <thead>
        <tr>
          <th scope="col">{ctx.t('manage.issue')}</th>
          <th scope="col">{ctx.t('manage.articles')}</th>
          <th scope="col">{ctx.t('manage.datePublished')}</th>
        </tr>
      </thead>
      <tbody>
        {list.map((i) => (
          <tr>
            <td>
              <a href={`${base}/${i.id}`}>{issueName(ctx, i)}</a>
              {i.is_current ? ` (${ctx.t('manage.currentIssue')})` : ''}
            </td>
            <td>
              {String(i.articles)}
              {i.articles === 0 ? (
                <>
                  {' '}
                  <span class="badge badge--warning">{ctx.t('issues.noArticlesBadge')}</span>
                </>
              ) : null}
            </td>
            {/* A future issue's date (an OJS import may carry one) is a plan, not a publication date. */}
            <td>{i.is_published && i.date_published ? <time datetime={i.date_published}>{formatLongDate(ctx.locale, i.date_published)}</time> : <span class="badge badge--neutral">{ctx.t('issues.notPublished')}</span>}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
  return (
    <ManagePage ctx={ctx} access={access} title={ctx.t('manage.issues')} notice={notice}>
      <p>
        <a class="button" href={`${base}/new`}>
          {ctx.t('manage.newIssue')}
        </a>
      </p>
      {table(future, ctx.t('manage.futureIssues'))}
      {table(back, ctx.t('manage.backIssues'))}
    </ManagePage>
  );
}

export interface IssueForm {
  volume: string;
  number: string;
  year: string;
  title: Record<string, string>;
  description: Record<string, string>;
  showVolume: boolean;
  showNumber: boolean;
  showYear: boolean;
  showTitle: boolean;
  errors: FormErrors;
}

export function IssueEditPage({
  ctx,
  access,
  issue,
  form,
  locales,
  articles,
  sections,
  notice,
  canEditArticles,
  problems = {},
  referenceCounts = new Map(),
}: {
  ctx: PageContext;
  access: ManageAccess;
  issue?: Issue;
  form: IssueForm;
  locales: readonly UiLocale[];
  articles: IssueArticle[];
  sections: Section[];
  notice?: string;
  canEditArticles: boolean;
  /** Why an action on the issue (publishing, deleting) was refused. */
  problems?: FormErrors;
  /** Per publication: its references and how many have problems. */
  referenceCounts?: Map<number, ReferenceProblemCount>;
}): SafeHtml {
  const journalPath = ctx.journal!.path;
  const today = new Date().toISOString().slice(0, 10);
  const base = `/${journalPath}/management/issues`;
  const action = issue ? `${base}/${issue.id}` : `${base}/new`;
  const csrf = ctx.csrf ?? '';
  const sectionTitle = (id: number) => localizeText(sections.find((s) => s.id === id)?.title, ctx.locale) || `#${id}`;
  const sectionIds = [...new Set(articles.map((a) => a.sectionId))];
  return (
    <ManagePage ctx={ctx} access={access} title={issue ? issueName(ctx, issue) : ctx.t('manage.newIssue')} notice={notice}>
      {issue ? (
        <section aria-labelledby="issue-status">
          <h2 id="issue-status">{ctx.t('manage.publication')}</h2>
          <ErrorSummary ctx={ctx} errors={problems} />
          <p>{issue.is_published ? ctx.t('manage.issuePublishedOn', { date: issue.date_published ? formatLongDate(ctx.locale, issue.date_published) : '—' }) : ctx.t('manage.issueNotPublished')}</p>
          <div class="actions">
            {issue.is_published ? (
              <>
                <a href={`/${journalPath}/issue/view/${issue.id}`}>{ctx.t('manage.viewIssue')}</a>
                {issue.is_current ? <span>{ctx.t('manage.currentIssue')}</span> : <ActionButton action={`${action}/current`} csrf={csrf} label={ctx.t('manage.makeCurrent')} />}
                <ConfirmLink href={`${action}/unpublish`} label={ctx.t('manage.unpublish')} />
              </>
            ) : articles.length === 0 ? (
              // An empty issue is published from its confirmation page: this form only asks for it.
              <form action={`${action}/publish`} method="get" class="form inline-form">
                <PublishFields ctx={ctx} issue={issue} today={today} />
              </form>
            ) : (
              <Form action={`${action}/publish`} csrf={csrf} class="inline-form">
                <PublishFields ctx={ctx} issue={issue} today={today} />
              </Form>
            )}
          </div>
          {/* Only an issue that is neither public nor holding articles can go (catalog/lifecycle.ts). */}
          {!issue.is_published && articles.length === 0 ? (
            <p>
              <ConfirmLink href={`${action}/delete`} label={ctx.t('issues.delete')} />
            </p>
          ) : null}
        </section>
      ) : null}
      <section aria-labelledby="issue-identification">
        <h2 id="issue-identification">{ctx.t('manage.identification')}</h2>
        <ErrorSummary ctx={ctx} errors={form.errors} />
        <Form action={action} csrf={csrf} multipart>
          <TextField ctx={ctx} name="volume" label={ctx.t('manage.volume')} value={form.volume} inputmode="numeric" error={form.errors.volume} />
          <TextField ctx={ctx} name="number" label={ctx.t('manage.number')} value={form.number} error={form.errors.number} />
          <TextField ctx={ctx} name="year" label={ctx.t('manage.year')} value={form.year} inputmode="numeric" error={form.errors.year} />
          <LocalizedFields ctx={ctx} name="title" label={ctx.t('manage.issueTitle')} values={form.title} locales={locales} />
          <LocalizedFields ctx={ctx} name="description" label={ctx.t('manage.description')} values={form.description} locales={locales} multiline rows={4} richText hint={ctx.t('manage.richTextHint')} />
          <fieldset class="field-group">
            <legend>{ctx.t('manage.showInLabel')}</legend>
            <CheckboxField name="showVolume" label={ctx.t('manage.volume')} checked={form.showVolume} />
            <CheckboxField name="showNumber" label={ctx.t('manage.number')} checked={form.showNumber} />
            <CheckboxField name="showYear" label={ctx.t('manage.year')} checked={form.showYear} />
            <CheckboxField name="showTitle" label={ctx.t('manage.issueTitle')} checked={form.showTitle} />
          </fieldset>
          <div class="field">
            <label for="field-cover">{ctx.t('manage.cover')}</label>
            <p class="hint" id="field-cover-hint">
              {ctx.t('manage.imageHint')}
            </p>
            {form.errors.cover ? (
              <p class="field-error" id="field-cover-error">
                {form.errors.cover}
              </p>
            ) : null}
            <input id="field-cover" type="file" name="cover" accept="image/png,image/jpeg,image/gif,image/webp" aria-describedby={form.errors.cover ? 'field-cover-hint field-cover-error' : 'field-cover-hint'} />
            {issue?.cover_file_id ? <CheckboxField name="removeCover" label={ctx.t('manage.removeImage')} /> : null}
          </div>
          <SubmitButton label={ctx.t('form.save')} />
        </Form>
      </section>
      {issue ? (
        <section aria-labelledby="issue-toc">
          <h2 id="issue-toc">{ctx.t('issue.tableOfContents')}</h2>
          {articles.length === 0 ? <p>{ctx.t('issue.noArticles')}</p> : null}
          {canEditArticles ? <p><a href={`${action}/articles/new`}>{ctx.t('issueArticle.new')}</a></p> : null}
          {canEditArticles && articles.length > 0 ? (
            <p>
              <a href={`/${journalPath}/management/articles?issue=${issue.id}`}>{ctx.t('journals.issueArticleList')}</a>
            </p>
          ) : null}
          <IssueReferenceSummary ctx={ctx} counts={[...referenceCounts.values()]} />
          {sectionIds.map((sectionId) => (
            <>
              <h3>{sectionTitle(sectionId)}</h3>
              <div class="actions">
                <ActionButton action={`${action}/sections/${sectionId}/move`} csrf={csrf} label={ctx.t('manage.moveSectionUp')} name="direction" value="up" />
                <ActionButton action={`${action}/sections/${sectionId}/move`} csrf={csrf} label={ctx.t('manage.moveSectionDown')} name="direction" value="down" />
              </div>
              <table class="data-table">
                <thead>
                  <tr>
                    <th scope="col">{ctx.t('manage.articleTitle')}</th>
                    <th scope="col">{ctx.t('refcheck.column')}</th>
                    <th scope="col">{ctx.t('admin.actions')}</th>
                  </tr>
                </thead>
                <tbody>
                  {articles
                    .filter((a) => a.sectionId === sectionId)
                    .map((a) => (
                      <tr>
                        <td>{canEditArticles ? <a href={`/${journalPath}/management/articles/${a.articleId}`}>{richToPlainLine(localizeText(a.title, ctx.locale))}</a> : richToPlainLine(localizeText(a.title, ctx.locale))}</td>
                        <td>{referenceCell(ctx, referenceCounts.get(a.publicationId))}</td>
                        <td class="actions">
                          <ActionButton action={`${action}/articles/${a.articleId}/move`} csrf={csrf} label={ctx.t('manage.moveUp')} name="direction" value="up" />
                          <ActionButton action={`${action}/articles/${a.articleId}/move`} csrf={csrf} label={ctx.t('manage.moveDown')} name="direction" value="down" />
                        </td>
                      </tr>
                    ))}
                </tbody>
              </table>
            </>
          ))}
        </section>
      ) : null}
    </ManagePage>
  );
}

/** The publication date (today unless the issue has a planned one) and whether it becomes current. */
function PublishFields({ ctx, issue, today }: { ctx: PageContext; issue: Issue; today: string }): SafeHtml {
  return (
    <>
      <TextField ctx={ctx} name="datePublished" type="date" label={ctx.t('manage.publicationDate')} value={issue.date_published ?? today} />
      <CheckboxField name="current" label={ctx.t('manage.makeCurrent')} checked />
      <SubmitButton label={ctx.t('manage.publishIssue')} />
    </>
  );
}

/** What the confirmation of publishing an empty issue sends: the choices made, and the explicit consent. */
export function PublishEmptyFields({ date, current }: { date: string; current: boolean }): SafeHtml {
  return (
    <>
      <input type="hidden" name="datePublished" value={date} />
      {current ? <input type="hidden" name="current" value="on" /> : null}
      <input type="hidden" name="publishEmpty" value="yes" />
    </>
  );
}
