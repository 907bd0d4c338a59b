import type { SafeHtml } from '#jsx/jsx-runtime';
import type { ArticleDetail, JournalSummary, VersionEntry } from '../../catalog/index.ts';
import { formatLongDate, isoDate, localize } from '../../i18n/index.ts';
import { orcidUrl } from '../../discovery/index.ts';
import { Breadcrumbs, httpLink, Layout, langIf, RichText, RichTitle, richToPlainLine, type PageContext } from '../../ui/index.ts';
import { HowToCite, type CitationView } from './cite.tsx';
import { contributorName, issueLabel, referenceLinks } from '../../platform/web/index.ts';
import { GalleyLinks } from './galleys.tsx';
import { NoticeBanners } from './notices.tsx';

function Contributors({ ctx, article }: { ctx: PageContext; article: ArticleDetail }): SafeHtml {
  if (article.contributors.length === 0) return <></>;
  return (
    <section aria-labelledby="article-authors">
      <h2 id="article-authors" class="visually-hidden">
        {ctx.t('article.authors')}
      </h2>
      <ul class="contributors">
        {article.contributors.map((contributor) => {
          const name = contributorName(contributor, ctx.locale, article.locale);
          const affiliation = localize(contributor.affiliation, ctx.locale, article.locale);
          const orcid = orcidUrl(contributor.orcid);
          return (
            <li>
              {name ? (
                <span class="contributor__name" lang={langIf(ctx, name.locale)}>
                  {name.text}
                </span>
              ) : null}
              {affiliation ? (
                <span class="contributor__affiliation" lang={langIf(ctx, affiliation.locale)}>
                  {affiliation.text}
                </span>
              ) : null}
              {orcid ? (
                // The iD shown as ORCID asks (its https URL), and inside the link's name (WCAG 2.5.3, label in name).
                <a class="contributor__orcid" href={orcid}>
                  <span class="visually-hidden">{`${ctx.t('article.orcid', { name: name?.text ?? '' })}: `}</span>
                  {orcid}
                </a>
              ) : null}
            </li>
          );
        })}
      </ul>
    </section>
  );
}

function References({ ctx, article }: { ctx: PageContext; article: ArticleDetail }): SafeHtml {
  if (article.references.length === 0) return <></>;
  return (
    <section class="article-references" aria-labelledby="article-references">
      <h2 id="article-references">{ctx.t('article.references')}</h2>
      {/* Numbers are text, not list markers, so they survive copying and text-only readers. */}
      <ol class="references" role="list">
        {article.references.map((reference) => {
          const { parts, more } = referenceLinks(reference);
          return (
            <li id={`reference-${reference.seq}`}>
              <span class="reference__number">{`${reference.seq}.`}</span>{' '}
              <span class="reference__text">{parts.map((part) => ('href' in part ? <a href={part.href}>{part.text}</a> : part.text))}</span>
              {more.map((link) => (
                <>
                  {' '}
                  <a class="reference__link" href={link.href}>
                    {link.text}
                  </a>
                </>
              ))}
            </li>
          );
        })}
      </ol>
    </section>
  );
}

/** The article's versions (OJS 3.2+ lists them on the article page), shown once there is more than one. */
function Versions({ ctx, journalPath, article, versions }: { ctx: PageContext; journalPath: string; article: ArticleDetail; versions: VersionEntry[] }): SafeHtml {
  if (versions.length < 2) return <></>;
  return (
    <section class="article-versions" aria-labelledby="article-versions">
      <h2 id="article-versions">{ctx.t('articles.versions')}</h2>
      <ul>
        {versions.map((v) => {
          const date = v.datePublished ?? isoDate(v.createdAt);
          const text = ctx.t('articles.versionItem', { version: v.version, date: formatLongDate(ctx.locale, date) });
          const href = v.isCurrent ? `/${journalPath}/article/view/${article.id}` : `/${journalPath}/article/view/${article.id}/version/${v.publicationId}`;
          return (
            <li>
              {v.publicationId === article.publicationId ? (
                <span aria-current="page">{text}</span>
              ) : (
                <a href={href}>{text}</a>
              )}
              {v.isCurrent ? ` (${ctx.t('articles.versionCurrent')})` : ''}
            </li>
          );
        })}
      </ul>
    </section>
  );
}

export function ArticlePage({
  ctx,
  journal,
  article,
  head,
  citation,
  usage,
  similar,
  versions = [],
  newerVersionHref,
}: {
  ctx: PageContext;
  journal: JournalSummary;
  article: ArticleDetail;
  head?: SafeHtml;
  citation?: CitationView;
  usage?: SafeHtml;
  similar?: SafeHtml;
  versions?: VersionEntry[];
  /** On an earlier version's page: the address of the current version. */
  newerVersionHref?: string;
}): SafeHtml {
  const fallback = journal.primaryLocale;
  const title = localize(article.title, ctx.locale, article.locale, fallback);
  const subtitle = localize(article.subtitle, title?.locale ?? ctx.locale, article.locale);
  const abstract = localize(article.abstract, ctx.locale, article.locale, fallback);
  const keywords = localize(
    Object.fromEntries(Object.entries(article.keywords).map(([locale, list]) => [locale, list.join('\u0000')])),
    ctx.locale,
    article.locale,
    fallback,
  );
  const section = localize(article.section.title, ctx.locale, fallback);
  // Titles may carry inline markup (OJS 3.4+): the heading shows it, <title> and crumbs are text.
  const titleText = richToPlainLine(title?.text);
  const issue = article.issue ? issueLabel(article.issue, ctx.t, ctx.locale, fallback) : undefined;
  const journalName = ctx.journal?.name ?? '';
  return (
    <Layout ctx={ctx} title={`${titleText} | ${journalName}`} head={head} indexable={newerVersionHref === undefined}>
      <Breadcrumbs
        ctx={ctx}
        crumbs={[
          { label: ctx.t('breadcrumb.home'), href: `/${journal.path}` },
          ...(article.issue && issue ? [{ label: issue.text, href: `/${journal.path}/issue/view/${article.issue.id}` }] : []),
          { label: titleText, lang: langIf(ctx, title?.locale) },
        ]}
      />
      <article class="article-page">
        {newerVersionHref ? (
          <p class="notice notice--warning">
            {ctx.t('articles.olderVersionNotice', { version: article.version })} <a href={newerVersionHref}>{ctx.t('articles.olderVersionLink')}</a>
          </p>
        ) : null}
        {article.issue && issue ? (
          <p class="article-page__issue">
            <span class="visually-hidden">{ctx.t('article.issue')}: </span>
            <a href={`/${journal.path}/issue/view/${article.issue.id}`}>
              {issue.numbering}
              {issue.numbering && issue.title ? ': ' : ''}
              {issue.title ? <span lang={langIf(ctx, issue.title.locale)}>{issue.title.text}</span> : null}
            </a>
          </p>
        ) : null}
        {section ? (
          <p class="article-page__section">
            <span class="visually-hidden">{ctx.t('article.section')}: </span>
            <span lang={langIf(ctx, section.locale)}>{section.text}</span>
          </p>
        ) : null}
        <NoticeBanners ctx={ctx} journalPath={journal.path} article={article} />
        <h1 lang={langIf(ctx, title?.locale)}>
          <RichTitle text={title?.text ?? ''} />
          {subtitle ? (
            <span class="article-page__subtitle">
              : <RichTitle text={subtitle.text} />
            </span>
          ) : null}
        </h1>
        <Contributors ctx={ctx} article={article} />
        {/* One way of writing dates on the page: OJS mixes "27 grudnia 2021" and "27.12.2021" here. */}
        <div class="dates">
          {article.dateSubmitted ? (
            <p class="dates__submitted">
              <span class="dates__label">{ctx.t('article.submitted')}:</span>{' '}
              <time datetime={isoDate(article.dateSubmitted)}>{formatLongDate(ctx.locale, article.dateSubmitted)}</time>
            </p>
          ) : null}
          {article.datePublished ? (
            <p class="dates__published">
              <span class="dates__label">{ctx.t('article.published')}:</span>{' '}
              <time datetime={isoDate(article.datePublished)}>{formatLongDate(ctx.locale, article.datePublished)}</time>
            </p>
          ) : null}
        </div>
        {article.doi ? (
          <p class="article-page__doi">
            {ctx.t('article.doi')}: <a href={`https://doi.org/${article.doi}`}>{`https://doi.org/${article.doi}`}</a>
          </p>
        ) : null}
        {abstract ? (
          <section class="abstract" aria-labelledby="article-abstract">
            <h2 id="article-abstract">{ctx.t('article.abstract')}</h2>
            <RichText text={abstract.text} lang={langIf(ctx, abstract.locale)} />
          </section>
        ) : null}
        {keywords ? (
          <section aria-labelledby="article-keywords">
            <h2 id="article-keywords">{ctx.t('article.keywords')}</h2>
            <ul class="keywords" lang={langIf(ctx, keywords.locale)}>
              {keywords.text.split('\u0000').map((keyword) => (
                <li>{keyword}</li>
              ))}
            </ul>
          </section>
        ) : null}
        {article.galleys.length > 0 ? (
          <section aria-labelledby="article-downloads">
            <h2 id="article-downloads">{ctx.t('article.downloads')}</h2>
            <GalleyLinks ctx={ctx} journalPath={journal.path} articleId={article.id} galleys={article.galleys} titleText={titleText} />
          </section>
        ) : null}
        {httpLink(article.licenseUrl) ? (
          <p class="article-page__license">
            {ctx.t('article.license')}: <a href={httpLink(article.licenseUrl)} rel="license">{article.licenseUrl}</a>
          </p>
        ) : null}
        <Versions ctx={ctx} journalPath={journal.path} article={article} versions={versions} />
        <References ctx={ctx} article={article} />
        {citation ? <HowToCite ctx={ctx} journalPath={journal.path} articleId={article.id} citation={citation} /> : null}
        {newerVersionHref ? null : (
          <section class="usage" aria-labelledby="article-usage">
            <h2 id="article-usage">{ctx.t('usage.heading')}</h2>
            {usage ?? <p>{ctx.t('usage.noData')}</p>}
          </section>
        )}
        {similar}
      </article>
    </Layout>
  );
}
