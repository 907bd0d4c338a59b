import type { SafeHtml } from '#jsx/jsx-runtime';
import { formatNumber, formatNumericDate, isoDate, localize, type MessageKey } from '../../../i18n/index.ts';
import { contributorName, issueLabel } from '../../../platform/web/index.ts';
import { langIf, Pagination, RichTitle, type PageContext } from '../../../ui/index.ts';
import type { ListedArticleData } from '../listing.ts';
import { snippetParts } from '../search.ts';

/** An article as a list shows it: the article, where it lives, and the passage that matched. */
export interface ListedArticle {
  article: ListedArticleData;
  /** Shown on lists that span journals (site-wide search). */
  showJournal?: boolean;
  snippet?: { text: string; locale: string } | null;
}

/** "3 articles", "3 artykuły", "5 artykułów": the plural form the language asks for. */
export function countText(ctx: PageContext, base: 'search.count' | 'search.about' | 'search.articles', count: number): string {
  const form = new Intl.PluralRules(ctx.locale).select(count);
  const key = `${base}.${['one', 'few', 'many'].includes(form) ? form : 'other'}` as MessageKey;
  return ctx.t(key, { count: formatNumber(ctx.locale, count) });
}

function Snippet({ ctx, snippet }: { ctx: PageContext; snippet: { text: string; locale: string } }): SafeHtml {
  return (
    <p class="search-result__snippet" lang={langIf(ctx, snippet.locale)}>
      {snippetParts(snippet.text).map((part) => (part.match ? <mark>{part.text}</mark> : part.text))}
    </p>
  );
}

function Entry({ ctx, entry, headingLevel }: { ctx: PageContext; entry: ListedArticle; headingLevel: 2 | 3 }): SafeHtml {
  const { article } = entry;
  const journalPath = article.journal.path;
  const fallback = article.journal.primaryLocale;
  const journalName = entry.showJournal ? localize(article.journal.name, ctx.locale, fallback) : undefined;
  const title = localize(article.title, ctx.locale, article.locale, fallback);
  const names = article.contributors.map((c) => contributorName(c, ctx.locale, article.locale)).filter((n) => n !== undefined);
  const section = localize(article.section.title, ctx.locale, fallback);
  const issue = article.issue ? issueLabel(article.issue, ctx.t, ctx.locale, fallback) : undefined;
  const link = (
    <a href={`/${journalPath}/article/view/${article.id}`} lang={langIf(ctx, title?.locale)}>
      <RichTitle text={title?.text ?? ''} />
    </a>
  );
  return (
    <li>
      {headingLevel === 2 ? <h2 class="search-result__title">{link}</h2> : <h3 class="search-result__title">{link}</h3>}
      {names.length > 0 ? (
        <p class="search-result__meta">
          {names.map((n, i) => (
            <>
              {i > 0 ? ', ' : ''}
              <span lang={langIf(ctx, n.locale)}>{n.text}</span>
            </>
          ))}
        </p>
      ) : null}
      <p class="search-result__meta">
        {journalName ? (
          <>
            <span lang={langIf(ctx, journalName.locale)}>{journalName.text}</span>
            {' · '}
          </>
        ) : null}
        {issue && article.issue ? (
          <>
            <a href={`/${journalPath}/issue/view/${article.issue.id}`}>{issue.text}</a>
            {' · '}
          </>
        ) : null}
        {section ? (
          <>
            <span lang={langIf(ctx, section.locale)}>{section.text}</span>
            {article.datePublished ? ' · ' : ''}
          </>
        ) : null}
        {article.datePublished ? (
          <>
            {ctx.t('search.published')}: <time datetime={isoDate(article.datePublished)}>{formatNumericDate(ctx.locale, article.datePublished)}</time>
          </>
        ) : null}
      </p>
      {entry.snippet ? <Snippet ctx={ctx} snippet={entry.snippet} /> : null}
    </li>
  );
}

/** A numbered list of articles (results numbered on from `start`). */
export function ArticleList({ ctx, entries, start = 1, headingLevel = 2, label }: { ctx: PageContext; entries: ListedArticle[]; start?: number; headingLevel?: 2 | 3; label?: string }): SafeHtml {
  return (
    <ol class="search-results" start={start > 1 ? String(start) : undefined} aria-label={label}>
      {entries.map((entry) => (
        <Entry ctx={ctx} entry={entry} headingLevel={headingLevel} />
      ))}
    </ol>
  );
}

/** The article page's "Similar articles": server-rendered, paged by ?articlesBySimilarityPage=N as in OJS. */
export function SimilarArticles({ ctx, entries, page, pages, pageSize }: { ctx: PageContext; entries: ListedArticle[]; page: number; pages: number; pageSize: number }): SafeHtml {
  if (entries.length === 0) return <></>;
  const href = (n: number) => {
    const query = new URLSearchParams(ctx.query);
    if (n === 1) query.delete('articlesBySimilarityPage');
    else query.set('articlesBySimilarityPage', String(n));
    const search = query.toString();
    return `${ctx.path}${search ? `?${search}` : ''}#similar-articles`;
  };
  return (
    <section class="similar-articles" id="similar-articles" aria-labelledby="similar-articles-heading">
      <h2 id="similar-articles-heading">{ctx.t('search.similarTitle')}</h2>
      <ArticleList ctx={ctx} entries={entries} start={(page - 1) * pageSize + 1} headingLevel={3} />
      <Pagination ctx={ctx} page={page} pages={pages} href={href} label={ctx.t('search.similarPagination')} />
    </section>
  );
}
