import type { Child, SafeHtml } from '#jsx/jsx-runtime';
import type { MessageKey } from '../../i18n/index.ts';
import { AppLayout, langIf, Notice, Pagination, type AppNavGroup, type PageContext } from '../../ui/index.ts';

export interface AdminNavItem {
  href: string;
  label: MessageKey;
  /** The sidebar group the item belongs to; items without one stand on top. */
  group?: MessageKey;
}

export const SITE_ADMIN_NAV: AdminNavItem[] = [
  { href: '/admin', label: 'admin.overview' },
  { href: '/admin/journals', label: 'admin.journals', group: 'design.nav.journalsAndPeople' },
  { href: '/admin/users', label: 'admin.users', group: 'design.nav.journalsAndPeople' },
  { href: '/admin/settings', label: 'admin.siteSettings', group: 'design.nav.site' },
  { href: '/admin/outbox', label: 'admin.outbox', group: 'design.nav.site' },
  { href: '/admin/jobs', label: 'jobs.title', group: 'design.nav.site' },
];

/** What of a journal's management this person may open (from `manageContext`). */
export interface ManageAccess {
  settings: boolean;
  issues: boolean;
  users: boolean;
  stats: boolean;
}

/**
 * The journal management menu, limited to what this person may open, grouped by kind of work:
 * content, people, settings, distribution, statistics. Everyone who may open management may open
 * the overview and the articles.
 */
export function journalNav(journalPath: string, allowed: ManageAccess): AdminNavItem[] {
  const base = `/${journalPath}/management`;
  const content: MessageKey = 'design.nav.content';
  const settings: MessageKey = 'design.nav.settings';
  const distribution: MessageKey = 'design.nav.distribution';
  return [
    { href: base, label: 'manage.overview', group: content },
    { href: `/${journalPath}/dashboard/editorial`, label: 'workflow.nav.submissions', group: content },
    { href: `${base}/articles`, label: 'manage.articles', group: content },
    ...(allowed.issues ? [{ href: `${base}/issues`, label: 'manage.issues', group: content } as const] : []),
    ...(allowed.users ? [{ href: `${base}/users`, label: 'manage.users', group: 'design.nav.people' } as const] : []),
    ...(allowed.settings
      ? ([
          { href: `${base}/settings`, label: 'manage.settings', group: settings },
          { href: `${base}/sections`, label: 'manage.sections', group: settings },
          { href: `${base}/settings/submissions`, label: 'workflow.nav.submissionSettings', group: settings },
          { href: `${base}/settings/review`, label: 'review-forms.nav.reviewSettings', group: settings },
          { href: `${base}/settings/reviewForms`, label: 'review-forms.nav.reviewForms', group: settings },
          { href: `${base}/pages`, label: 'manage.pages', group: settings },
          { href: `${base}/navigation`, label: 'manage.navigation', group: settings },
          { href: `${base}/announcements`, label: 'manage.announcements', group: settings },
          { href: `${base}/appearance`, label: 'manage.appearance', group: settings },
          { href: `${base}/mail-templates`, label: 'manage.mailTemplates', group: settings },
          { href: `${base}/doi`, label: 'doi.title', group: distribution },
          { href: `${base}/ojs`, label: 'ojs.title', group: distribution },
        ] as AdminNavItem[])
      : []),
    ...(allowed.stats ? [{ href: `${base}/stats`, label: 'stats.title', group: 'design.nav.statistics' } as const] : []),
  ];
}

/** Consecutive items of one group become one group of the sidebar, in the order they come. */
function groups(ctx: PageContext, nav: AdminNavItem[]): AppNavGroup[] {
  const out: Array<AppNavGroup & { key?: MessageKey }> = [];
  for (const item of nav) {
    let group = out.at(-1);
    if (!group || group.key !== item.group) {
      group = { key: item.group, ...(item.group ? { label: ctx.t(item.group) } : {}), items: [] };
      out.push(group);
    }
    group.items.push({ href: item.href, label: ctx.t(item.label) });
  }
  return out.map(({ label, items }) => (label ? { label, items } : { items }));
}

/** Every administration page: the application frame, its sidebar, breadcrumbs, and an optional notice. */
export function AdminPage({
  ctx,
  title,
  nav,
  area,
  areaHref,
  notice,
  children,
}: {
  ctx: PageContext;
  title: string;
  nav: AdminNavItem[];
  area: string;
  areaHref: string;
  notice?: string;
  children?: Child;
}): SafeHtml {
  const journal = ctx.journal;
  return (
    <AppLayout
      ctx={ctx}
      title={`${title} | ${area}`}
      heading={title}
      area={{ label: area, href: areaHref }}
      owner={journal ? { name: journal.name, lang: langIf(ctx, journal.nameLocale) } : { name: ctx.siteTitle }}
      site={journal ? { label: ctx.t('manage.viewSite'), href: `/${journal.path}` } : { label: ctx.t('design.viewSite'), href: '/' }}
      nav={groups(ctx, nav)}
      crumbs={ctx.path === areaHref ? [] : [{ label: area, href: areaHref }, { label: title }]}
      notice={notice ? <Notice>{notice}</Notice> : undefined}
    >
      {children}
    </AppLayout>
  );
}

/** A paged admin list. */
export function Pager({ ctx, page, pages, href }: { ctx: PageContext; page: number; pages: number; href: (page: number) => string }): SafeHtml {
  return <Pagination ctx={ctx} page={page} pages={pages} href={href} label={ctx.t('admin.pages')} />;
}

/** A site administration page: the site's administration menu on the side. */
export function SitePage(props: { ctx: PageContext; title: string; notice?: string; children?: unknown }): SafeHtml {
  return (
    <AdminPage ctx={props.ctx} title={props.title} nav={SITE_ADMIN_NAV} area={props.ctx.t('admin.area')} areaHref="/admin" notice={props.notice}>
      {props.children as SafeHtml}
    </AdminPage>
  );
}

/** A journal management page: the journal's menu of management areas on the side. */
export function ManagePage({ ctx, access, title, notice, children }: { ctx: PageContext; access: ManageAccess; title: string; notice?: string; children?: Child }): SafeHtml {
  const path = ctx.journal!.path;
  return (
    <AdminPage ctx={ctx} title={title} nav={journalNav(path, access)} area={ctx.t('manage.area')} areaHref={`/${path}/management`} notice={notice}>
      {children}
    </AdminPage>
  );
}
