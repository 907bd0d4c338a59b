import type { SafeHtml } from '#jsx/jsx-runtime';
import type { ArticleForEditing, ArticleStanding, ContributorForEditing, GalleyForEditing, IssueListEntry, Unpublication } from '../../catalog/index.ts';
import type { Section } from '../../db/index.ts';
import { formatLongDate, localizeText, type UiLocale } from '../../i18n/index.ts';
import { StandingBadge } from './article-list.tsx';
import { VersionPanel } from './article-versions.tsx';
import { ActionButton, ConfirmLink, ErrorSummary, Form, LocalizedFields, SelectField, SubmitButton, TextArea, TextField, type FormErrors, type PageContext, richToPlainLine } from '../../ui/index.ts';
import { issueName } from './issues.tsx';
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

export interface ArticleParts {
  contributors: ContributorForEditing[];
  galleys: GalleyForEditing[];
  issues: IssueListEntry[];
  standing: ArticleStanding;
  unpublications: Unpublication[];
  /** The article is a correction, retraction or expression of concern (no notice about a notice). */
  isNotice?: boolean;
  placement?: { issueId: string; sectionId: string; errors: FormErrors };
}

function contributorName(ctx: PageContext, c: ContributorForEditing): string {
  const given = localizeText(c.givenName, ctx.locale);
  const family = localizeText(c.familyName, ctx.locale);
  return [given, family].filter(Boolean).join(' ') || `#${c.id}`;
}

function ContributorsSection({ ctx, base, contributors }: { ctx: PageContext; base: string; contributors: ContributorForEditing[] }): SafeHtml {
  const csrf = ctx.csrf ?? '';
  return (
    <section aria-labelledby="article-contributors">
      <h2 id="article-contributors">{ctx.t('articles.contributors')}</h2>
      {contributors.length === 0 ? (
        <div class="empty-state">
          <p>{ctx.t('articles.noContributors')}</p>
        </div>
      ) : (
        <table class="data-table">
          <caption class="visually-hidden">{ctx.t('articles.contributors')}</caption>
          <thead>
            <tr>
              <th scope="col">{ctx.t('articles.name')}</th>
              <th scope="col">{ctx.t('articles.affiliation')}</th>
              <th scope="col">ORCID</th>
              <th scope="col">{ctx.t('admin.actions')}</th>
            </tr>
          </thead>
          <tbody>
            {contributors.map((c) => {
              const name = contributorName(ctx, c);
              return (
                <tr>
                  <td>
                    {name}
                    {c.isPrimaryContact ? (
                      <>
                        {' '}
                        <span class="badge badge--neutral">{ctx.t('articles.primaryContact')}</span>
                      </>
                    ) : null}
                  </td>
                  <td>{c.affiliations.map((a) => localizeText(a.name, ctx.locale)).filter(Boolean).join('; ')}</td>
                  <td>{c.orcid ?? ''}</td>
                  <td class="row-actions">
                    <a href={`${base}/contributors/${c.id}`} aria-label={ctx.t('articles.editNamed', { name })}>
                      {ctx.t('articles.edit')}
                    </a>
                    <ActionButton action={`${base}/contributors/${c.id}/move`} csrf={csrf} label={ctx.t('manage.moveUp')} name="direction" value="up" />
                    <ActionButton action={`${base}/contributors/${c.id}/move`} csrf={csrf} label={ctx.t('manage.moveDown')} name="direction" value="down" />
                    <ConfirmLink href={`${base}/contributors/${c.id}/remove`} label={ctx.t('articles.remove')} />
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      )}
      <p>
        <a class="button button--secondary" href={`${base}/contributors/new`}>
          {ctx.t('articles.addContributor')}
        </a>
      </p>
    </section>
  );
}

function GalleysSection({ ctx, base, galleys }: { ctx: PageContext; base: string; galleys: GalleyForEditing[] }): SafeHtml {
  const csrf = ctx.csrf ?? '';
  return (
    <section aria-labelledby="article-galleys">
      <h2 id="article-galleys">{ctx.t('articles.galleys')}</h2>
      {galleys.length === 0 ? (
        <div class="empty-state">
          <p>{ctx.t('articles.noGalleys')}</p>
        </div>
      ) : (
        <table class="data-table">
          <caption class="visually-hidden">{ctx.t('articles.galleys')}</caption>
          <thead>
            <tr>
              <th scope="col">{ctx.t('articles.galleyLabel')}</th>
              <th scope="col">{ctx.t('articles.language')}</th>
              <th scope="col">{ctx.t('articles.file')}</th>
              <th scope="col">{ctx.t('admin.actions')}</th>
            </tr>
          </thead>
          <tbody>
            {galleys.map((g) => (
              <tr>
                <td>{g.label}</td>
                <td>{g.locale}</td>
                <td>{g.file ? `${g.file.name} (${g.file.mimeType})` : (g.remoteUrl ?? '')}</td>
                <td class="row-actions">
                  <a href={`${base}/galleys/${g.id}`} aria-label={ctx.t('articles.editNamed', { name: g.label })}>
                    {ctx.t('articles.edit')}
                  </a>
                  <ActionButton action={`${base}/galleys/${g.id}/move`} csrf={csrf} label={ctx.t('manage.moveUp')} name="direction" value="up" />
                  <ActionButton action={`${base}/galleys/${g.id}/move`} csrf={csrf} label={ctx.t('manage.moveDown')} name="direction" value="down" />
                  <ConfirmLink href={`${base}/galleys/${g.id}/remove`} label={ctx.t('articles.remove')} />
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <p>
        <a class="button button--secondary" href={`${base}/galleys/new`}>
          {ctx.t('articles.addGalley')}
        </a>
      </p>
    </section>
  );
}

function StandingSection({ ctx, base, article, parts, sections }: { ctx: PageContext; base: string; article: ArticleForEditing; parts: ArticleParts; sections: Section[] }): SafeHtml {
  const csrf = ctx.csrf ?? '';
  const placement = parts.placement ?? { issueId: article.current.issue_id === null ? '' : String(article.current.issue_id), sectionId: String(article.current.section_id), errors: {} };
  const last = parts.unpublications[0];
  return (
    <section aria-labelledby="article-standing">
      <h2 id="article-standing">{ctx.t('articles.standingHeading')}</h2>
      <p>
        <StandingBadge ctx={ctx} standing={parts.standing} />
      </p>
      {parts.standing === 'unpublished' && last ? <p>{ctx.t('articles.unpublishedBecause', { date: formatLongDate(ctx.locale, last.at), reason: last.reason })}</p> : null}
      <div class="actions">
        {parts.standing === 'published' ? (
          <>
            <a class="button button--secondary" href={`/${ctx.journal!.path}/article/view/${article.articleId}`}>
              {ctx.t('manage.viewArticle')}
            </a>
            <ConfirmLink href={`${base}/unpublish`} label={ctx.t('articles.unpublish')} />
          </>
        ) : parts.standing === 'unpublished' ? (
          <ActionButton action={`${base}/publish`} csrf={csrf} label={ctx.t('articles.publish')} />
        ) : null}
      </div>
      <ErrorSummary ctx={ctx} errors={placement.errors} />
      <Form action={`${base}/placement`} csrf={csrf}>
        <SelectField
          ctx={ctx}
          name="toIssue"
          label={ctx.t('articles.issue')}
          value={placement.issueId}
          options={[{ value: '', label: ctx.t('articles.noIssue') }, ...parts.issues.map((i) => ({ value: String(i.id), label: `${issueName(ctx, i)}${i.is_published ? '' : ` (${ctx.t('articles.futureIssue')})`}` }))]}
          error={placement.errors.toIssue}
        />
        <SelectField ctx={ctx} name="toSection" label={ctx.t('article.section')} value={placement.sectionId} options={sections.map((s) => ({ value: String(s.id), label: localizeText(s.title, ctx.locale) || `#${s.id}` }))} error={placement.errors.toSection} />
        <SubmitButton label={ctx.t('articles.move')} />
      </Form>
    </section>
  );
}

export function ArticleEditPage({
  ctx,
  access,
  article,
  form,
  locales,
  sections,
  notice,
  parts,
}: {
  ctx: PageContext;
  access: ManageAccess;
  article: ArticleForEditing;
  form: ArticleForm;
  locales: readonly UiLocale[];
  sections: Section[];
  notice?: string;
  parts: ArticleParts;
}): SafeHtml {
  const journalPath = ctx.journal!.path;
  const base = `/${journalPath}/management/articles/${article.articleId}`;
  return (
    <ManagePage ctx={ctx} access={access} title={richToPlainLine(localizeText(article.current.title, ctx.locale)) || `#${article.articleId}`} notice={notice}>
      <p>
        <a href={`/${journalPath}/management/articles`}>{ctx.t('articles.backToList')}</a>
      </p>
      <p>{ctx.t('manage.versionExplain', { version: article.current.version })}</p>
      <StandingSection ctx={ctx} base={base} article={article} parts={parts} sections={sections} />
      <VersionPanel ctx={ctx} article={article} isNotice={parts.isNotice ?? false} />
      <ContributorsSection ctx={ctx} base={base} contributors={parts.contributors} />
      <GalleysSection ctx={ctx} base={base} galleys={parts.galleys} />
      <section aria-labelledby="article-metadata">
        <h2 id="article-metadata">{ctx.t('articles.metadata')}</h2>
        <ErrorSummary ctx={ctx} errors={form.errors} />
        <Form action={base} csrf={ctx.csrf ?? ''}>
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
      </section>
      <ReferenceCheck ctx={ctx} references={article.references} />
      <h2>{ctx.t('manage.versions')}</h2>
      <ul class="link-list">
        {article.versions.map((v) => (
          <li>
            {v.status === 'published' && v.id !== article.readerVersion.id && parts.standing === 'published' ? (
              <a href={`/${journalPath}/article/view/${article.articleId}/version/${v.id}`}>{versionLine(ctx, v)}</a>
            ) : (
              versionLine(ctx, v)
            )}
            {v.id === article.readerVersion.id ? ` (${ctx.t('articles.versionCurrent')})` : ''}
          </li>
        ))}
      </ul>
    </ManagePage>
  );
}

/** "Version 2: published, 27 December 2021": the status in words, the date written out as elsewhere on the page. */
function versionLine(ctx: PageContext, v: { version: number; status: string; datePublished: string | null }): string {
  const status = ctx.t(`publication.status.${v.status as 'queued' | 'scheduled' | 'published'}`);
  return ctx.t('manage.versionLine', { version: v.version, status, date: v.datePublished ? formatLongDate(ctx.locale, v.datePublished) : '—' });
}
