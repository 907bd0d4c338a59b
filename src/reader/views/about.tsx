import type { SafeHtml } from '#jsx/jsx-runtime';
import type { JournalSummary } from '../../catalog/index.ts';
import type { Announcement } from '../../db/index.ts';
import { formatLongDate, localize, type LocalizedValue } from '../../i18n/index.ts';
import { Breadcrumbs, httpLink, Layout, langIf, RichText, type PageContext } from '../../ui/index.ts';

export interface AboutDetails {
  description: LocalizedValue | undefined;
  content: LocalizedValue | undefined;
  contactName: string | null;
  contactEmail: string | null;
  licenseUrl: string | null;
  copyrightNotice: LocalizedValue | undefined;
}

function crumbs(ctx: PageContext, title: string) {
  return <Breadcrumbs ctx={ctx} crumbs={[{ label: ctx.journal!.name, href: `/${ctx.journal!.path}`, lang: langIf(ctx, ctx.journal!.nameLocale) }, { label: title }]} />;
}

/** OJS's "About the Journal": what the journal says of itself, how to reach it, its identifiers and licence. */
export function AboutPage({ ctx, journal, about }: { ctx: PageContext; journal: JournalSummary; about: AboutDetails }): SafeHtml {
  const title = ctx.t('about.title');
  return (
    <Layout ctx={ctx} title={`${title} | ${ctx.journal!.name}`}>
      {crumbs(ctx, title)}
      <h1>{title}</h1>
      {about.description ? <RichText text={about.description.text} lang={langIf(ctx, about.description.locale)} /> : null}
      {about.content ? <RichText text={about.content.text} lang={langIf(ctx, about.content.locale)} /> : null}
      <dl class="about-details">
        {journal.publisher ? (
          <>
            <dt>{ctx.t('about.publisher')}</dt>
            <dd>{journal.publisher}</dd>
          </>
        ) : null}
        {journal.onlineIssn ? (
          <>
            <dt>{ctx.t('about.onlineIssn')}</dt>
            <dd>{journal.onlineIssn}</dd>
          </>
        ) : null}
        {journal.printIssn ? (
          <>
            <dt>{ctx.t('about.printIssn')}</dt>
            <dd>{journal.printIssn}</dd>
          </>
        ) : null}
        {about.contactName || about.contactEmail ? (
          <>
            <dt id="contact">{ctx.t('about.contact')}</dt>
            <dd>
              {about.contactName ?? ''} {about.contactEmail ? <a href={`mailto:${about.contactEmail}`}>{about.contactEmail}</a> : null}
            </dd>
          </>
        ) : null}
        {httpLink(about.licenseUrl) ? (
          <>
            <dt>{ctx.t('about.license')}</dt>
            <dd>
              <a href={httpLink(about.licenseUrl)} rel="license">
                {about.licenseUrl}
              </a>
            </dd>
          </>
        ) : null}
      </dl>
      {about.copyrightNotice ? <RichText text={about.copyrightNotice.text} lang={langIf(ctx, about.copyrightNotice.locale)} /> : null}
      <ul>
        <li>
          <a href={`/${journal.path}/about/editorialTeam`}>{ctx.t('about.editorialTeam')}</a>
        </li>
        <li>
          <a href={`/${journal.path}/about/submissions`}>{ctx.t('about.submissions')}</a>
        </li>
        <li>
          <a href={`/${journal.path}/about/privacy`}>{ctx.t('about.privacy')}</a>
        </li>
      </ul>
      {/* Where OJS's "About this Publishing System" address leads. */}
      <p id="publishing-system">{ctx.t('about.publishingSystem')}</p>
    </Layout>
  );
}

/** One of the journal's pages (Editorial Team, Submissions, Privacy Statement, or its own). */
export function JournalTextPage({ ctx, title, content, empty }: { ctx: PageContext; title: string; content: LocalizedValue | undefined; empty: string }): SafeHtml {
  return (
    <Layout ctx={ctx} title={`${title} | ${ctx.journal?.name ?? ctx.siteTitle}`}>
      {ctx.journal ? crumbs(ctx, title) : null}
      <h1>{title}</h1>
      {content ? <RichText text={content.text} lang={langIf(ctx, content.locale)} /> : <p>{empty}</p>}
    </Layout>
  );
}

export function AnnouncementList({ ctx, journal, announcements, headingLevel }: { ctx: PageContext; journal: JournalSummary; announcements: Announcement[]; headingLevel: 2 | 3 }): SafeHtml {
  const Heading = headingLevel === 2 ? 'h2' : 'h3';
  return (
    <ul class="announcements">
      {announcements.map((a) => {
        const title = localize(a.title, ctx.locale, journal.primaryLocale);
        const summary = localize(a.summary, ctx.locale, journal.primaryLocale);
        return (
          <li>
            <Heading>
              <a href={`/${journal.path}/announcement/view/${a.id}`} lang={langIf(ctx, title?.locale)}>
                {title?.text ?? `#${a.id}`}
              </a>
            </Heading>
            <p>{formatLongDate(ctx.locale, a.posted_at.toISOString().slice(0, 10))}</p>
            {summary ? <RichText text={summary.text} lang={langIf(ctx, summary.locale)} /> : null}
          </li>
        );
      })}
    </ul>
  );
}

export function AnnouncementsPage({ ctx, journal, announcements }: { ctx: PageContext; journal: JournalSummary; announcements: Announcement[] }): SafeHtml {
  const title = ctx.t('announcements.title');
  return (
    <Layout ctx={ctx} title={`${title} | ${ctx.journal!.name}`} head={<link rel="alternate" type="application/atom+xml" href={`/${journal.path}/announcement/feed`} title={title} />}>
      {crumbs(ctx, title)}
      <h1>{title}</h1>
      {announcements.length === 0 ? <p>{ctx.t('announcements.none')}</p> : <AnnouncementList ctx={ctx} journal={journal} announcements={announcements} headingLevel={2} />}
      <p>
        <a href={`/${journal.path}/announcement/feed`}>{ctx.t('announcements.feed')}</a>
      </p>
    </Layout>
  );
}

export function AnnouncementPage({ ctx, journal, announcement }: { ctx: PageContext; journal: JournalSummary; announcement: Announcement }): SafeHtml {
  const title = localize(announcement.title, ctx.locale, journal.primaryLocale);
  const body = localize(announcement.body, ctx.locale, journal.primaryLocale) ?? localize(announcement.summary, ctx.locale, journal.primaryLocale);
  return (
    <Layout ctx={ctx} title={`${title?.text ?? ''} | ${ctx.journal!.name}`}>
      <Breadcrumbs
        ctx={ctx}
        crumbs={[
          { label: ctx.journal!.name, href: `/${journal.path}`, lang: langIf(ctx, ctx.journal!.nameLocale) },
          { label: ctx.t('announcements.title'), href: `/${journal.path}/announcement` },
          { label: title?.text ?? '', lang: langIf(ctx, title?.locale) },
        ]}
      />
      <h1 lang={langIf(ctx, title?.locale)}>{title?.text ?? ''}</h1>
      <p>{formatLongDate(ctx.locale, announcement.posted_at.toISOString().slice(0, 10))}</p>
      {body ? <RichText text={body.text} lang={langIf(ctx, body.locale)} /> : null}
    </Layout>
  );
}
