import type { SafeHtml } from '#jsx/jsx-runtime';
import { formatNumber } from '../../i18n/index.ts';
import { Cards, EmptyState, type CardItem, type PageContext } from '../../ui/index.ts';
import type { JournalOverviewCounts } from '../overview.ts';
import { ManagePage, SitePage, type ManageAccess } from '../../platform/web/index.ts';

/** "listopad 2026" / "November 2026". */
function monthName(ctx: PageContext, month: string): string {
  return new Intl.DateTimeFormat(ctx.locale, { month: 'long', year: 'numeric', timeZone: 'UTC' }).format(new Date(`${month}-01T00:00:00Z`));
}

/**
 * The journal team's start page: one card per area this person may open, each with its count and a
 * link; an empty area says what to do first. A new journal starts with "Create the first issue".
 */
export function ManagementOverviewPage({ ctx, access, counts }: { ctx: PageContext; access: ManageAccess; counts: JournalOverviewCounts }): SafeHtml {
  const base = `/${ctx.journal!.path}/management`;
  const n = (value: number) => formatNumber(ctx.locale, value);
  const wholeJournal = access.issues || access.settings;
  const cards: CardItem[] = [];
  cards.push({
    title: ctx.t('design.articles'),
    value: n(counts.articles.total),
    detail: wholeJournal ? ctx.t('design.articlesDetail', { published: n(counts.articles.published), waiting: n(counts.articles.waiting) }) : ctx.t('design.articlesSectionEditor'),
    href: `${base}/articles`,
    ...(counts.articles.total === 0 && access.settings ? { next: { href: `${base}/ojs`, label: ctx.t('design.importArticles') } } : {}),
  });
  if (counts.issues) {
    const none = counts.issues.published + counts.issues.future === 0;
    cards.push({
      title: ctx.t('design.issues'),
      value: n(counts.issues.published + counts.issues.future),
      detail: none ? ctx.t('design.noIssues') : ctx.t('design.issuesDetail', { future: n(counts.issues.future), published: n(counts.issues.published) }),
      href: `${base}/issues`,
      ...(none ? { next: { href: `${base}/issues/new`, label: ctx.t('design.createFirstIssue') } } : {}),
    });
  }
  if (counts.sections !== undefined) {
    cards.push({
      title: ctx.t('design.sections'),
      value: n(counts.sections),
      detail: ctx.t('design.sectionsDetail'),
      href: `${base}/sections`,
      ...(counts.sections === 0 ? { next: { href: `${base}/sections/new`, label: ctx.t('design.createFirstSection') } } : {}),
    });
  }
  if (counts.people !== undefined) cards.push({ title: ctx.t('design.people'), value: n(counts.people), detail: ctx.t('design.peopleDetail'), href: `${base}/users` });
  if (counts.usage) {
    const month = counts.usage.month;
    cards.push({ title: ctx.t('design.usage'), value: n(counts.usage.requests), detail: monthName(ctx, month), href: `${base}/stats?from=${month}&to=${month}` });
  }
  if (counts.failedMail) cards.push({ title: ctx.t('design.failedMail'), value: n(counts.failedMail), detail: ctx.t('design.failedMailDetail'), attention: true });
  return (
    <ManagePage ctx={ctx} access={access} title={ctx.t('manage.overview')}>
      {wholeJournal ? null : <p class="lead">{ctx.t('design.sectionEditorIntro')}</p>}
      <Cards cards={cards} label={ctx.t('design.cards')} />
      {counts.articles.total === 0 && !access.settings ? <EmptyState message={ctx.t('design.noArticles')} /> : null}
    </ManagePage>
  );
}

/** The site administrator's start page: journals, people, mail, and requests waiting for an answer. */
export function SiteOverview({ ctx, counts }: { ctx: PageContext; counts: { journals: number; users: number; outbox: number; deletionRequests: number } }): SafeHtml {
  const n = (value: number) => formatNumber(ctx.locale, value);
  const cards: CardItem[] = [
    {
      title: ctx.t('design.siteJournals'),
      value: n(counts.journals),
      detail: ctx.t('design.siteJournalsDetail'),
      href: '/admin/journals',
      ...(counts.journals === 0 ? { next: { href: '/admin/journals/new', label: ctx.t('design.createFirstJournal') } } : {}),
    },
    { title: ctx.t('design.siteUsers'), value: n(counts.users), detail: ctx.t('design.siteUsersDetail'), href: '/admin/users' },
    { title: ctx.t('design.siteOutbox'), value: n(counts.outbox), detail: ctx.t('design.siteOutboxDetail'), href: '/admin/outbox' },
  ];
  if (counts.deletionRequests > 0) {
    cards.push({ title: ctx.t('design.deletionRequests'), value: n(counts.deletionRequests), detail: ctx.t('design.deletionRequestsDetail'), href: '/admin/users?deletion=1', attention: true });
  }
  return (
    <SitePage ctx={ctx} title={ctx.t('admin.overview')}>
      <Cards cards={cards} label={ctx.t('design.cards')} />
    </SitePage>
  );
}
