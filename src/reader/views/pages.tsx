import type { SafeHtml } from '#jsx/jsx-runtime';
import type { IssueContents, IssueSummary, JournalSummary } from '../../catalog/index.ts';
import { formatNumericDate, isoDate, localize } from '../../i18n/index.ts';
import { Breadcrumbs, Layout, langIf, Pagination, RichText, type PageContext } from '../../ui/index.ts';
import { issueLabel } from '../../platform/web/index.ts';
import { TableOfContents } from './toc.tsx';
import { IssueGalleyLinks } from './galleys.tsx';
import { AnnouncementList } from './about.tsx';
import type { Announcement } from '../../db/index.ts';

function Description({ ctx, text }: { ctx: PageContext; text: { text: string; locale: string } | undefined }): SafeHtml {
  if (!text) return <></>;
  return <RichText text={text.text} lang={langIf(ctx, text.locale)} class="description" />;
}

export function SiteIndexPage({ ctx, journals }: { ctx: PageContext; journals: JournalSummary[] }): SafeHtml {
  return (
    <Layout ctx={ctx} title={ctx.siteTitle}>
      <h1>{ctx.t('site.journals')}</h1>
      {journals.length === 0 ? (
        <p>{ctx.t('site.noJournals')}</p>
      ) : (
        <ul class="journal-list">
          {journals.map((journal) => {
            const name = localize(journal.name, ctx.locale, journal.primaryLocale);
            const description = localize(journal.description, ctx.locale, journal.primaryLocale);
            return (
              <li>
                <h2>
                  <a href={`/${journal.path}`} lang={langIf(ctx, name?.locale)}>
                    {name?.text ?? journal.path}
                  </a>
                </h2>
                <Description ctx={ctx} text={description} />
                <p>
                  <a href={`/${journal.path}/issue/current`}>{ctx.t('site.currentIssue', { journal: name?.text ?? journal.path })}</a>
                </p>
              </li>
            );
          })}
        </ul>
      )}
    </Layout>
  );
}

function IssueHeading({ ctx, issue, fallback, level }: { ctx: PageContext; issue: IssueSummary; fallback: string; level: 1 | 2 }): SafeHtml {
  const label = issueLabel(issue, ctx.t, ctx.locale, fallback);
  const inner = (
    <>
      {label.numbering}
      {label.numbering && label.title ? ': ' : ''}
      {label.title ? <span lang={langIf(ctx, label.title.locale)}>{label.title.text}</span> : null}
    </>
  );
  return level === 1 ? <h1>{inner}</h1> : <h2>{inner}</h2>;
}

function IssuePublished({ ctx, issue }: { ctx: PageContext; issue: IssueSummary }): SafeHtml {
  if (!issue.datePublished) return <></>;
  const [before, after] = ctx.t('issue.published', { date: '\u0000' }).split('\u0000');
  return (
    <p class="issue-published">
      {before}
      <time datetime={isoDate(issue.datePublished)}>{formatNumericDate(ctx.locale, issue.datePublished)}</time>
      {after}
    </p>
  );
}

export function JournalHomePage({ ctx, journal, current, announcements }: { ctx: PageContext; journal: JournalSummary; current: IssueContents | undefined; announcements: Announcement[] }): SafeHtml {
  const fallback = journal.primaryLocale;
  const name = ctx.journal?.name ?? journal.path;
  return (
    <Layout ctx={ctx} title={name}>
      <h1 lang={langIf(ctx, ctx.journal?.nameLocale)}>{name}</h1>
      {journal.theme.homepageImageFileId ? <img class="homepage-image" src={`/${journal.path}/theme/homepage?v=${journal.theme.version}`} alt="" /> : null}
      <Description ctx={ctx} text={localize(journal.description, ctx.locale, fallback)} />
      {announcements.length > 0 ? (
        <section class="journal-announcements" aria-labelledby="announcements-heading">
          <h2 id="announcements-heading">{ctx.t('announcements.title')}</h2>
          <AnnouncementList ctx={ctx} journal={journal} announcements={announcements} headingLevel={3} />
          <p>
            <a href={`/${journal.path}/announcement`}>{ctx.t('announcements.all')}</a>
          </p>
        </section>
      ) : null}
      <section class="current-issue" aria-labelledby="current-issue-heading">
        <h2 id="current-issue-heading">{ctx.t('journal.currentIssue')}</h2>
        {current ? (
          <>
            <h3>
              <a href={`/${journal.path}/issue/view/${current.issue.id}`}>{issueLabel(current.issue, ctx.t, ctx.locale, fallback).text}</a>
            </h3>
            <IssuePublished ctx={ctx} issue={current.issue} />
            <TableOfContents ctx={ctx} journalPath={journal.path} contents={current} fallback={fallback} headingLevel={3} />
            <p>
              <a href={`/${journal.path}/issue/archive`}>{ctx.t('journal.viewArchive')}</a>
            </p>
          </>
        ) : (
          <p>{ctx.t('journal.noIssues')}</p>
        )}
      </section>
    </Layout>
  );
}

/** The issue's cover; decorative (alt="") beside a link that already names the issue. */
function IssueCover({ journalPath, issue, alt }: { journalPath: string; issue: IssueSummary; alt: string }): SafeHtml {
  return <img class="issue-cover" src={`/${journalPath}/issue/cover/${issue.id}`} alt={alt} loading="lazy" />;
}

export function IssuePage({ ctx, journal, contents }: { ctx: PageContext; journal: JournalSummary; contents: IssueContents }): SafeHtml {
  const fallback = journal.primaryLocale;
  const label = issueLabel(contents.issue, ctx.t, ctx.locale, fallback);
  return (
    <Layout ctx={ctx} title={`${label.text} | ${ctx.journal?.name ?? journal.path}`}>
      <Breadcrumbs
        ctx={ctx}
        crumbs={[
          { label: ctx.t('breadcrumb.home'), href: `/${journal.path}` },
          { label: ctx.t('archive.title'), href: `/${journal.path}/issue/archive` },
          { label: label.text },
        ]}
      />
      <IssueHeading ctx={ctx} issue={contents.issue} fallback={fallback} level={1} />
      {contents.issue.coverFileId ? <IssueCover journalPath={journal.path} issue={contents.issue} alt={ctx.t('issue.cover', { issue: label.text })} /> : null}
      <IssuePublished ctx={ctx} issue={contents.issue} />
      <Description ctx={ctx} text={localize(contents.issue.description, ctx.locale, fallback)} />
      <IssueGalleyLinks ctx={ctx} journalPath={journal.path} issueId={contents.issue.id} galleys={contents.galleys} issueText={label.text} />
      <h2 class="visually-hidden">{ctx.t('issue.tableOfContents')}</h2>
      <TableOfContents ctx={ctx} journalPath={journal.path} contents={contents} fallback={fallback} headingLevel={2} />
    </Layout>
  );
}

export function ArchivePage({ ctx, journal, issues, page, pages }: { ctx: PageContext; journal: JournalSummary; issues: IssueSummary[]; page: number; pages: number }): SafeHtml {
  const fallback = journal.primaryLocale;
  const pageHref = (n: number) => (n === 1 ? `/${journal.path}/issue/archive` : `/${journal.path}/issue/archive/${n}`);
  const title = page > 1 ? ctx.t('archive.pageTitle', { page }) : ctx.t('archive.title');
  return (
    <Layout ctx={ctx} title={`${title} | ${ctx.journal?.name ?? journal.path}`}>
      <Breadcrumbs ctx={ctx} crumbs={[{ label: ctx.t('breadcrumb.home'), href: `/${journal.path}` }, { label: ctx.t('archive.title') }]} />
      <h1>{title}</h1>
      {issues.length === 0 ? (
        <p>{ctx.t('archive.empty')}</p>
      ) : (
        <ul class="issue-list">
          {issues.map((issue) => (
            <li>
              {issue.coverFileId ? <IssueCover journalPath={journal.path} issue={issue} alt="" /> : null}
              <a class="issue-list__title" href={`/${journal.path}/issue/view/${issue.id}`}>
                {issueLabel(issue, ctx.t, ctx.locale, fallback).text}
              </a>
              <IssuePublished ctx={ctx} issue={issue} />
            </li>
          ))}
        </ul>
      )}
      <Pagination ctx={ctx} page={page} pages={pages} href={pageHref} label={ctx.t('pagination.label')} />
    </Layout>
  );
}
