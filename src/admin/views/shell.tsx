import type { Child, SafeHtml } from '#jsx/jsx-runtime';
import type { MessageKey } from '../../i18n/index.ts';
import { Breadcrumbs, Layout, Notice, Pagination, type PageContext } from '../../ui/index.ts';

export interface AdminNavItem {
  href: string;
  label: MessageKey;
}

export const SITE_ADMIN_NAV: AdminNavItem[] = [
  { href: '/admin', label: 'admin.overview' },
  { href: '/admin/journals', label: 'admin.journals' },
  { href: '/admin/users', label: 'admin.users' },
  { href: '/admin/settings', label: 'admin.siteSettings' },
  { href: '/admin/outbox', label: 'admin.outbox' },
];

/** The journal management menu, limited to what this person may open. */
export function journalNav(journalPath: string, allowed: { settings: boolean; issues: boolean; users: boolean; stats: boolean }): AdminNavItem[] {
  const base = `/${journalPath}/management`;
  return [
    { href: base, label: 'manage.overview' as MessageKey },
    ...(allowed.issues ? [{ href: `${base}/issues`, label: 'manage.issues' as MessageKey }] : []),
    ...(allowed.settings
      ? ([
          { href: `${base}/settings`, label: 'manage.settings' },
          { href: `${base}/sections`, label: 'manage.sections' },
          { href: `${base}/pages`, label: 'manage.pages' },
          { href: `${base}/navigation`, label: 'manage.navigation' },
          { href: `${base}/announcements`, label: 'manage.announcements' },
          { href: `${base}/appearance`, label: 'manage.appearance' },
          { href: `${base}/mail-templates`, label: 'manage.mailTemplates' },
          { href: `${base}/doi`, label: 'doi.title' },
          { href: `${base}/ojs`, label: 'ojs.title' },
        ] as AdminNavItem[])
      : []),
    ...(allowed.users ? [{ href: `${base}/users`, label: 'manage.users' as MessageKey }] : []),
    ...(allowed.stats ? [{ href: `${base}/stats`, label: 'stats.title' as MessageKey }] : []),
  ];
}

/** Every administration page: the site layout, breadcrumbs, a side menu, and an optional notice. */
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
  return (
    <Layout ctx={ctx} title={`${title} | ${area}`}>
      <Breadcrumbs ctx={ctx} crumbs={[{ label: area, href: areaHref }, { label: title }]} />
      <div class="admin-layout">
        <nav class="admin-nav" aria-label={area}>
          <ul>
            {nav.map((item) => (
              <li>
                <a href={item.href} aria-current={ctx.path === item.href ? 'page' : undefined}>
                  {ctx.t(item.label)}
                </a>
              </li>
            ))}
          </ul>
        </nav>
        <div>
          <h1>{title}</h1>
          {notice ? <Notice>{notice}</Notice> : null}
          {children}
        </div>
      </div>
    </Layout>
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
