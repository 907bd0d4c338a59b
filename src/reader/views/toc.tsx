import type { SafeHtml } from '#jsx/jsx-runtime';
import type { ArticleSummary, IssueContents } from '../../catalog/index.ts';
import { localize } from '../../i18n/index.ts';
import { langIf, RichTitle, richToPlainLine, type PageContext } from '../../ui/index.ts';
import { contributorName } from '../../platform/web/index.ts';
import { GalleyLinks } from './galleys.tsx';

function TocEntry({ ctx, journalPath, article, fallback, headingLevel }: { ctx: PageContext; journalPath: string; article: ArticleSummary; fallback: string; headingLevel: 3 | 4 }): SafeHtml {
  const title = localize(article.title, ctx.locale, article.locale, fallback);
  const names = article.contributors.map((c) => contributorName(c, ctx.locale, article.locale)).filter((n) => n !== undefined);
  const link = (
    <a href={`/${journalPath}/article/view/${article.id}`} lang={langIf(ctx, title?.locale)}>
      <RichTitle text={title?.text ?? ''} />
    </a>
  );
  return (
    <li>
      {headingLevel === 3 ? <h3 class="toc__title">{link}</h3> : <h4 class="toc__title">{link}</h4>}
      {names.length > 0 || article.pages ? (
        <div class="toc__meta">
          {names.length > 0 ? <span class="toc__authors">{names.map((n, i) => <>{i > 0 ? ', ' : ''}<span lang={langIf(ctx, n.locale)}>{n.text}</span></>)}</span> : null}{' '}
          {article.pages ? <span class="toc__pages">{ctx.t('issue.pages', { pages: article.pages })}</span> : null}
        </div>
      ) : null}
      <GalleyLinks ctx={ctx} journalPath={journalPath} articleId={article.id} galleys={article.galleys} titleText={richToPlainLine(title?.text)} />
    </li>
  );
}

/** An issue's table of contents: sections in order, each with its articles, authors, pages and galleys. */
export function TableOfContents({ ctx, journalPath, contents, fallback, headingLevel }: { ctx: PageContext; journalPath: string; contents: IssueContents; fallback: string; headingLevel: 2 | 3 }): SafeHtml {
  if (contents.sections.length === 0) return <p>{ctx.t('issue.noArticles')}</p>;
  return (
    <div class="toc-sections">
      {contents.sections.map(({ section, articles }) => {
        const title = localize(section.title, ctx.locale, fallback);
        const heading = <span lang={langIf(ctx, title?.locale)}>{title?.text ?? ''}</span>;
        return (
          <section class="toc-section">
            {headingLevel === 2 ? <h2>{heading}</h2> : <h3>{heading}</h3>}
            <ul class="toc">
              {articles.map((article) => (
                <TocEntry ctx={ctx} journalPath={journalPath} article={article} fallback={fallback} headingLevel={headingLevel === 2 ? 3 : 4} />
              ))}
            </ul>
          </section>
        );
      })}
    </div>
  );
}
