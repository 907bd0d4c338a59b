import type { SafeHtml } from '#jsx/jsx-runtime';
import type { ArticleListEntry, ArticleListQuery, ArticleStanding, IssueListEntry } from '../../catalog/index.ts';
import type { Section } from '../../db/index.ts';
import { formatNumericDate, localizeText } from '../../i18n/index.ts';
import { type PageContext, richToPlainLine } from '../../ui/index.ts';
import { issueName } from './issues.tsx';
import { ManagePage, type ManageAccess } from './manage.tsx';
import { Pager } from '../../platform/web/index.ts';

const BADGE: Record<ArticleStanding, string> = { published: 'badge badge--success', scheduled: 'badge badge--warning', unpublished: 'badge badge--neutral' };

export function StandingBadge({ ctx, standing }: { ctx: PageContext; standing: ArticleStanding }): SafeHtml {
  return <span class={BADGE[standing]}>{ctx.t(`articles.standing.${standing}`)}</span>;
}

const plainTitle = (ctx: PageContext, title: Record<string, string>, id: number) => richToPlainLine(localizeText(title, ctx.locale)) || `#${id}`;

/** The query string of the list with some parameters changed (paging and sorting keep the filters). */
function listHref(base: string, query: ArticleListQuery, change: Partial<Record<'page' | 'sort' | 'dir', string>>): string {
  const params = new URLSearchParams();
  if (query.search) params.set('search', query.search);
  if (query.issueId !== undefined) params.set('issue', String(query.issueId));
  if (query.sectionId !== undefined) params.set('section', String(query.sectionId));
  if (query.standing) params.set('status', query.standing);
  const sort = change.sort ?? query.sort;
  if (sort) params.set('sort', sort);
  const dir = change.dir ?? query.dir;
  if (dir) params.set('dir', dir);
  if (change.page && change.page !== '1') params.set('page', change.page);
  const text = params.toString();
  return text ? `${base}?${text}` : base;
}

export function ArticleListPage({
  ctx,
  access,
  articles,
  total,
  pages,
  query,
  issues,
  sections,
}: {
  ctx: PageContext;
  access: ManageAccess;
  articles: ArticleListEntry[];
  total: number;
  pages: number;
  query: ArticleListQuery;
  issues: IssueListEntry[];
  sections: Section[];
}): SafeHtml {
  const base = `/${ctx.journal!.path}/management/articles`;
  const filtered = Boolean(query.search || query.issueId !== undefined || query.sectionId !== undefined || query.standing);
  const sortHeader = (key: 'title' | 'issue' | 'published', label: string) => {
    const active = query.sort === key;
    const dir = active && query.dir !== 'desc' ? 'desc' : 'asc';
    return (
      <th scope="col" aria-sort={active ? (query.dir === 'desc' ? 'descending' : 'ascending') : undefined}>
        <a class="sort-link" href={listHref(base, query, { sort: key, dir, page: '1' })}>
          {label}
        </a>
      </th>
    );
  };
  return (
    <ManagePage ctx={ctx} access={access} title={ctx.t('articles.title')}>
      <form method="get" action={base} class="toolbar" role="search" aria-label={ctx.t('articles.findArticles')}>
        <div class="field">
          <label for="articles-search">{ctx.t('articles.search')}</label>
          <input id="articles-search" type="search" name="search" value={query.search ?? ''} maxlength="200" aria-describedby="articles-search-hint" />
          <p class="hint" id="articles-search-hint">
            {ctx.t('articles.searchHint')}
          </p>
        </div>
        <div class="field">
          <label for="articles-issue">{ctx.t('articles.issue')}</label>
          <select id="articles-issue" name="issue">
            <option value="">{ctx.t('articles.anyIssue')}</option>
            {issues.map((i) => (
              <option value={String(i.id)} selected={query.issueId === i.id}>
                {issueName(ctx, i)}
              </option>
            ))}
          </select>
        </div>
        <div class="field">
          <label for="articles-section">{ctx.t('article.section')}</label>
          <select id="articles-section" name="section">
            <option value="">{ctx.t('articles.anySection')}</option>
            {sections.map((s) => (
              <option value={String(s.id)} selected={query.sectionId === s.id}>
                {localizeText(s.title, ctx.locale) || `#${s.id}`}
              </option>
            ))}
          </select>
        </div>
        <div class="field">
          <label for="articles-status">{ctx.t('articles.status')}</label>
          <select id="articles-status" name="status">
            <option value="">{ctx.t('articles.anyStatus')}</option>
            {(['published', 'scheduled', 'unpublished'] as const).map((s) => (
              <option value={s} selected={query.standing === s}>
                {ctx.t(`articles.standing.${s}`)}
              </option>
            ))}
          </select>
        </div>
        {query.sort ? <input type="hidden" name="sort" value={query.sort} /> : null}
        {query.dir ? <input type="hidden" name="dir" value={query.dir} /> : null}
        <button type="submit" class="button button--primary">
          {ctx.t('articles.filter')}
        </button>
        {filtered ? (
          <a class="button button--secondary" href={base}>
            {ctx.t('articles.clearFilters')}
          </a>
        ) : null}
      </form>
      <p role="status">{ctx.t('articles.count', { count: total })}</p>
      {articles.length === 0 ? (
        <div class="empty-state">
          <p>{filtered ? ctx.t('articles.noneMatch') : ctx.t('articles.none')}</p>
          {filtered ? (
            <a class="button button--primary" href={base}>
              {ctx.t('articles.clearFilters')}
            </a>
          ) : access.settings ? (
            <a class="button button--primary" href={`/${ctx.journal!.path}/management/ojs`}>
              {ctx.t('articles.importFromOjs')}
            </a>
          ) : null}
        </div>
      ) : (
        <table class="data-table">
          <caption class="visually-hidden">{ctx.t('articles.title')}</caption>
          <thead>
            <tr>
              {sortHeader('title', ctx.t('manage.articleTitle'))}
              <th scope="col">{ctx.t('article.authors')}</th>
              {sortHeader('issue', ctx.t('articles.issue'))}
              <th scope="col">{ctx.t('article.section')}</th>
              {sortHeader('published', ctx.t('article.published'))}
              <th scope="col">{ctx.t('articles.status')}</th>
              <th scope="col">{ctx.t('admin.actions')}</th>
            </tr>
          </thead>
          <tbody>
            {articles.map((a) => (
              <tr>
                <td>
                  <a href={`${base}/${a.articleId}`}>{plainTitle(ctx, a.title, a.articleId)}</a>
                  {a.doi ? <div class="hint">{`https://doi.org/${a.doi}`}</div> : null}
                </td>
                <td>{a.authors}</td>
                <td>{a.issue && a.issueId !== null ? issueName(ctx, { ...a.issue, id: a.issueId }) : ctx.t('articles.noIssue')}</td>
                <td>{localizeText(a.sectionTitle, ctx.locale) || `#${a.sectionId}`}</td>
                <td>{a.datePublished ? formatNumericDate(ctx.locale, a.datePublished) : '—'}</td>
                <td>
                  <StandingBadge ctx={ctx} standing={a.standing} />
                </td>
                <td class="row-actions">
                  <a href={`${base}/${a.articleId}`}>{ctx.t('articles.edit')}</a>
                  {a.standing === 'published' ? (
                    <>
                      {' '}
                      <a href={`/${ctx.journal!.path}/article/view/${a.articleId}`}>{ctx.t('manage.viewArticle')}</a>
                    </>
                  ) : null}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <Pager ctx={ctx} page={query.page ?? 1} pages={pages} href={(page) => listHref(base, query, { page: String(page) })} />
    </ManagePage>
  );
}
