import type { SafeHtml } from '#jsx/jsx-runtime';
import { Breadcrumbs, Layout, Pagination, type PageContext } from '../../../ui/index.ts';
import type { AuthorEntry } from '../browse.ts';
import { ArticleList, countText, type ListedArticle } from './article-list.tsx';

type Crumbs = Array<{ label: string; href?: string }>;

function pageHref(ctx: PageContext, n: number): string {
  const query = new URLSearchParams(ctx.query);
  if (n === 1) query.delete('page');
  else query.set('page', String(n));
  const search = query.toString();
  return `${ctx.path}${search ? `?${search}` : ''}`;
}

function BrowseLayout({ ctx, title, crumbs, children }: { ctx: PageContext; title: string; crumbs: Crumbs; children?: unknown }): SafeHtml {
  return (
    <Layout ctx={ctx} title={`${title} | ${ctx.journal?.name ?? ctx.siteTitle}`}>
      <Breadcrumbs ctx={ctx} crumbs={[...crumbs, { label: title }]} />
      <h1>{title}</h1>
      {children as SafeHtml}
    </Layout>
  );
}

function homeCrumbs(ctx: PageContext, journalPath: string, browse?: { label: string; href: string }): Crumbs {
  return [{ label: ctx.t('breadcrumb.home'), href: `/${journalPath}` }, ...(browse ? [browse] : [])];
}

export function AuthorsPage({ ctx, journalPath, authors, page, pages }: { ctx: PageContext; journalPath: string; authors: AuthorEntry[]; page: number; pages: number }): SafeHtml {
  return (
    <BrowseLayout ctx={ctx} title={ctx.t('search.authorsTitle')} crumbs={homeCrumbs(ctx, journalPath)}>
      {authors.length === 0 ? (
        <p>{ctx.t('search.listEmpty')}</p>
      ) : (
        <ul class="browse-list">
          {authors.map((a) => {
            const query = new URLSearchParams({ givenName: a.givenName, familyName: a.familyName });
            const name = a.familyName && a.givenName ? `${a.familyName}, ${a.givenName}` : a.familyName || a.givenName;
            return (
              <li>
                <a href={`/${journalPath}/search/authors/view?${query.toString()}`}>{name}</a> ({countText(ctx, 'search.articles', a.articles)})
              </li>
            );
          })}
        </ul>
      )}
      <Pagination ctx={ctx} page={page} pages={pages} href={(n) => pageHref(ctx, n)} label={ctx.t('search.listPagination')} />
    </BrowseLayout>
  );
}

export function KeywordsPage({ ctx, journalPath, keywords, page, pages }: { ctx: PageContext; journalPath: string; keywords: Array<{ keyword: string; articles: number }>; page: number; pages: number }): SafeHtml {
  return (
    <BrowseLayout ctx={ctx} title={ctx.t('search.keywordsTitle')} crumbs={homeCrumbs(ctx, journalPath)}>
      {keywords.length === 0 ? (
        <p>{ctx.t('search.listEmpty')}</p>
      ) : (
        <ul class="browse-list">
          {keywords.map((k) => (
            <li>
              <a href={`/${journalPath}/search/keywords/view?${new URLSearchParams({ keyword: k.keyword }).toString()}`}>{k.keyword}</a> ({countText(ctx, 'search.articles', k.articles)})
            </li>
          ))}
        </ul>
      )}
      <Pagination ctx={ctx} page={page} pages={pages} href={(n) => pageHref(ctx, n)} label={ctx.t('search.listPagination')} />
    </BrowseLayout>
  );
}

export function SectionsPage({ ctx, journalPath, sections }: { ctx: PageContext; journalPath: string; sections: Array<{ id: number; title: string; lang?: string; articles: number }> }): SafeHtml {
  return (
    <BrowseLayout ctx={ctx} title={ctx.t('search.sectionsTitle')} crumbs={homeCrumbs(ctx, journalPath)}>
      {sections.length === 0 ? (
        <p>{ctx.t('search.listEmpty')}</p>
      ) : (
        <ul class="browse-list">
          {sections.map((s) => (
            <li>
              <a href={`/${journalPath}/section/view/${s.id}`} lang={s.lang}>
                {s.title}
              </a>{' '}
              ({countText(ctx, 'search.articles', s.articles)})
            </li>
          ))}
        </ul>
      )}
    </BrowseLayout>
  );
}

/** The articles of one author, keyword or section, newest first. */
export function ArticlesPage(props: { ctx: PageContext; journalPath: string; title: string; parent: { label: string; href: string }; entries: ListedArticle[]; total: number; page: number; pages: number; pageSize: number }): SafeHtml {
  const { ctx, journalPath, title, parent, entries, total, page, pages, pageSize } = props;
  return (
    <BrowseLayout ctx={ctx} title={title} crumbs={homeCrumbs(ctx, journalPath, parent)}>
      {total === 0 ? (
        <p>{ctx.t('search.listEmpty')}</p>
      ) : (
        <>
          <p>{countText(ctx, 'search.articles', total)}</p>
          <ArticleList ctx={ctx} entries={entries} start={(page - 1) * pageSize + 1} />
        </>
      )}
      <Pagination ctx={ctx} page={page} pages={pages} href={(n) => pageHref(ctx, n)} label={ctx.t('search.listPagination')} />
    </BrowseLayout>
  );
}
