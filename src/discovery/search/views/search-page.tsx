import type { SafeHtml } from '#jsx/jsx-runtime';
import { Breadcrumbs, ErrorSummary, Layout, Pagination, SelectField, TextField, type FormErrors, type PageContext } from '../../../ui/index.ts';
import type { SearchSort } from '../search.ts';
import { ArticleList, countText, type ListedArticle } from './article-list.tsx';

/** What the reader asked for, as typed (shown back in the form). */
export interface SearchForm {
  query: string;
  dateFrom: string;
  dateTo: string;
  authors: string;
  section: string;
  journal: string;
  sort: SearchSort;
}

export type SearchScope =
  | { kind: 'journal'; path: string; sections: Array<{ id: number; title: string }> }
  | { kind: 'site'; journals: Array<{ path: string; name: string }> };

export type SearchOutcome =
  | { state: 'empty' }
  | { state: 'unsearchable' }
  | { state: 'results'; total: number; /** The total is the planner's estimate (many matches). */ approximate?: boolean; page: number; pages: number; pageSize: number; entries: ListedArticle[] };

/** Links to the journal's browse lists: by author, keyword, section, issue. */
export function BrowseLinks({ ctx, journalPath }: { ctx: PageContext; journalPath: string }): SafeHtml {
  return (
    <nav class="browse-links" aria-labelledby="browse-heading">
      <h2 id="browse-heading">{ctx.t('search.browseTitle')}</h2>
      <ul>
        <li>
          <a href={`/${journalPath}/search/authors`}>{ctx.t('search.browseAuthors')}</a>
        </li>
        <li>
          <a href={`/${journalPath}/search/keywords`}>{ctx.t('search.browseKeywords')}</a>
        </li>
        <li>
          <a href={`/${journalPath}/search/sections`}>{ctx.t('search.browseSections')}</a>
        </li>
        <li>
          <a href={`/${journalPath}/issue/archive`}>{ctx.t('search.browseIssues')}</a>
        </li>
      </ul>
    </nav>
  );
}

function SearchFormView({ ctx, form, scope, errors, action }: { ctx: PageContext; form: SearchForm; scope: SearchScope; errors: FormErrors; action: string }): SafeHtml {
  return (
    <form class="search-form" action={action} method="get" role="search" aria-label={ctx.t('search.landmark')} novalidate>
      <TextField ctx={ctx} name="query" type="search" label={ctx.t('search.query')} hint={ctx.t('search.queryHint')} value={form.query} maxlength={256} />
      <fieldset class="field-group">
        <legend>{ctx.t('search.filters')}</legend>
        <TextField ctx={ctx} name="dateFrom" type="date" label={ctx.t('search.dateFrom')} hint={ctx.t('search.dateHint')} value={form.dateFrom} error={errors.dateFrom} />
        <TextField ctx={ctx} name="dateTo" type="date" label={ctx.t('search.dateTo')} hint={ctx.t('search.dateHint')} value={form.dateTo} error={errors.dateTo} />
        <TextField ctx={ctx} name="authors" label={ctx.t('search.author')} hint={ctx.t('search.authorHint')} value={form.authors} maxlength={256} />
        {scope.kind === 'journal' ? (
          <SelectField ctx={ctx} name="section" label={ctx.t('search.section')} value={form.section} empty={ctx.t('search.anySection')} options={scope.sections.map((s) => ({ value: String(s.id), label: s.title }))} />
        ) : (
          <SelectField ctx={ctx} name="journal" label={ctx.t('search.journal')} value={form.journal} empty={ctx.t('search.anyJournal')} options={scope.journals.map((j) => ({ value: j.path, label: j.name }))} />
        )}
        <SelectField
          ctx={ctx}
          name="sort"
          label={ctx.t('search.sort')}
          value={form.sort}
          options={[
            { value: 'relevance', label: ctx.t('search.sortRelevance') },
            { value: 'newest', label: ctx.t('search.sortNewest') },
          ]}
        />
      </fieldset>
      <div class="form-actions">
        <button type="submit" class="button">
          {ctx.t('search.submit')}
        </button>
      </div>
    </form>
  );
}

function Help({ ctx }: { ctx: PageContext }): SafeHtml {
  return (
    <section aria-labelledby="search-help">
      <h2 id="search-help">{ctx.t('search.syntaxTitle')}</h2>
      <ul>
        <li>{ctx.t('search.syntaxWords')}</li>
        <li>{ctx.t('search.syntaxPhrase')}</li>
        <li>{ctx.t('search.syntaxExclude')}</li>
        <li>{ctx.t('search.syntaxDiacritics')}</li>
      </ul>
    </section>
  );
}

function NoResults({ ctx, form, action, scope }: { ctx: PageContext; form: SearchForm; action: string; scope: SearchScope }): SafeHtml {
  const filtered = form.dateFrom || form.dateTo || form.authors || form.section || form.journal;
  return (
    <section aria-labelledby="search-none">
      <h2 id="search-none">{ctx.t('search.noResultsTitle')}</h2>
      <p role="status">{ctx.t('search.noResults', { query: `“${form.query}”` })}</p>
      <p>{ctx.t('search.tipsTitle')}:</p>
      <ul>
        <li>{ctx.t('search.tipSpelling')}</li>
        {filtered ? (
          <li>
            <a href={`${action}?${new URLSearchParams({ query: form.query }).toString()}`}>{ctx.t('search.tipFilters')}</a>
          </li>
        ) : null}
        <li>{scope.kind === 'journal' ? <a href={`/${scope.path}/search/authors`}>{ctx.t('search.tipBrowse')}</a> : ctx.t('search.tipBrowse')}</li>
      </ul>
    </section>
  );
}

export function SearchPage({ ctx, form, scope, errors, outcome }: { ctx: PageContext; form: SearchForm; scope: SearchScope; errors: FormErrors; outcome: SearchOutcome }): SafeHtml {
  const action = scope.kind === 'journal' ? `/${scope.path}/search/search` : '/search';
  const heading = outcome.state === 'empty' ? ctx.t(scope.kind === 'journal' ? 'search.title' : 'search.siteTitle') : ctx.t('search.resultsTitle', { query: `“${form.query}”` });
  const place = ctx.journal?.name ?? ctx.siteTitle;
  const pageHref = (n: number) => {
    const query = new URLSearchParams(ctx.query);
    if (n === 1) query.delete('searchPage');
    else query.set('searchPage', String(n));
    return `${action}?${query.toString()}`;
  };
  return (
    <Layout ctx={ctx} title={`${heading} | ${place}`} indexable={outcome.state === 'empty'}>
      <Breadcrumbs ctx={ctx} crumbs={[{ label: ctx.t('breadcrumb.home'), href: scope.kind === 'journal' ? `/${scope.path}` : '/' }, { label: ctx.t('search.title') }]} />
      <h1>{heading}</h1>
      <ErrorSummary ctx={ctx} errors={errors} />
      <SearchFormView ctx={ctx} form={form} scope={scope} errors={errors} action={action} />
      {outcome.state === 'empty' ? (
        <>
          <p>{ctx.t('search.emptyIntro')}</p>
          <Help ctx={ctx} />
          {scope.kind === 'journal' ? <BrowseLinks ctx={ctx} journalPath={scope.path} /> : null}
        </>
      ) : null}
      {outcome.state === 'unsearchable' ? (
        <>
          <p role="status">{ctx.t('search.notSearchable')}</p>
          <Help ctx={ctx} />
        </>
      ) : null}
      {outcome.state === 'results' && outcome.total === 0 ? <NoResults ctx={ctx} form={form} action={action} scope={scope} /> : null}
      {outcome.state === 'results' && outcome.total > 0 ? (
        <section aria-labelledby="search-results">
          <h2 id="search-results">{ctx.t('search.results')}</h2>
          <p role="status">{countText(ctx, outcome.approximate ? 'search.about' : 'search.count', outcome.total)}</p>
          {outcome.entries.length > 0 ? (
            <ArticleList ctx={ctx} entries={outcome.entries} start={(outcome.page - 1) * outcome.pageSize + 1} headingLevel={3} />
          ) : (
            <p>
              {ctx.t('search.pageGone')} <a href={pageHref(1)}>{ctx.t('search.firstPage')}</a>
            </p>
          )}
          <Pagination ctx={ctx} page={Math.min(outcome.page, outcome.pages)} pages={outcome.pages} href={pageHref} label={ctx.t('search.pagination')} />
        </section>
      ) : null}
    </Layout>
  );
}
