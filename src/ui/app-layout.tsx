import { trustedHtml, type Child, type SafeHtml } from '#jsx/jsx-runtime';
import type { PageContext } from './context.ts';
import { AccountMenu, Breadcrumbs, LanguageSwitcher, type Crumb } from './layout.tsx';
import { CONFIRM_DIALOG_SCRIPT_HREF, MANAGE_STYLESHEET_HREF, STYLESHEET_HREF } from './assets.ts';

export interface AppNavLink {
  href: string;
  label: string;
}

/** A named group of the sidebar ("Content", "Settings"); a group without a label stands on top. */
export interface AppNavGroup {
  label?: string;
  items: AppNavLink[];
}

export interface AppLayoutProps {
  ctx: PageContext;
  /** The document title, most specific first. */
  title: string;
  /** The page's heading. */
  heading: string;
  /** What the application is ("Journal management") and its home, the brand of the header. */
  area: { label: string; href: string };
  /** Whose application it is: the journal's (or site's) name, with its language when not the page's. */
  owner: { name: string; lang?: string };
  /** The public site this application runs. */
  site: { label: string; href: string };
  nav: AppNavGroup[];
  crumbs?: Crumb[];
  notice?: Child;
  children?: Child;
}

/**
 * The item of the sidebar this page belongs to: the link to this very page, or else the one whose
 * address is the longest prefix of it (an issue's page belongs to "Issues", not to the overview).
 */
export function currentNavHref(path: string, nav: AppNavGroup[]): string | undefined {
  let best: string | undefined;
  for (const item of nav.flatMap((g) => g.items)) {
    if (item.href === path) return item.href;
    if (path.startsWith(`${item.href}/`) && (!best || item.href.length > best.length)) best = item.href;
  }
  return best;
}

function NavGroups({ ctx, nav, current, idPrefix }: { ctx: PageContext; nav: AppNavGroup[]; current: string | undefined; idPrefix: string }): SafeHtml {
  return (
    <>
      {nav.map((group, index) => {
        const labelId = `${idPrefix}-group-${index}`;
        return (
          <div class="app-nav__group">
            {group.label ? (
              <p class="app-nav__heading" id={labelId}>
                {group.label}
              </p>
            ) : null}
            <ul aria-labelledby={group.label ? labelId : undefined}>
              {group.items.map((item) => (
                <li>
                  <a href={item.href} aria-current={item.href === current ? (item.href === ctx.path ? 'page' : 'true') : undefined}>
                    {item.label}
                  </a>
                </li>
              ))}
            </ul>
          </div>
        );
      })}
    </>
  );
}

/**
 * The frame of the management and administration application: a header with whose application it is
 * and a way back to the public site, the areas of work in a sidebar (a menu to open on phones, with
 * no script: a `<details>`), and the page. It carries its own stylesheet and the confirmation dialog,
 * and never the journal's theme: a manager's CSS dresses the reader site only.
 */
export function AppLayout({ ctx, title, heading, area, owner, site, nav, crumbs, notice, children }: AppLayoutProps): SafeHtml {
  const current = currentNavHref(ctx.path, nav);
  const currentLabel = nav.flatMap((g) => g.items).find((i) => i.href === current)?.label;
  return (
    <>
      {trustedHtml('<!DOCTYPE html>')}
      <html lang={ctx.locale}>
        <head>
          <meta charset="utf-8" />
          <meta name="viewport" content="width=device-width, initial-scale=1" />
          <title>{title}</title>
          <link rel="stylesheet" href={STYLESHEET_HREF} />
          <link rel="stylesheet" href={MANAGE_STYLESHEET_HREF} />
          <meta name="robots" content="noindex, nofollow" />
          <script src={CONFIRM_DIALOG_SCRIPT_HREF} defer></script>
        </head>
        <body class="app">
          <nav class="skip-links" aria-label={ctx.t('skip.label')}>
            <a href="#app-navigation">{ctx.t('skip.mainNavigation')}</a> <a href="#main-content">{ctx.t('skip.mainContent')}</a>
          </nav>
          <header class="app-header">
            <div class="app-header__brand">
              <a class="app-brand" href={area.href}>
                <span class="app-brand__name" lang={owner.lang}>
                  {owner.name}
                </span>
                <span class="app-brand__area">{area.label}</span>
              </a>
            </div>
            <div class="app-header__tools">
              <a class="app-header__site" href={site.href}>
                {site.label}
                <span aria-hidden="true"> ↗</span>
              </a>
              <LanguageSwitcher ctx={ctx} />
              <AccountMenu ctx={ctx} inApp />
            </div>
          </header>
          <div class="app-body">
            <div id="app-navigation" class="app-navigation" tabindex="-1">
              <nav class="app-sidebar" aria-label={area.label}>
                <NavGroups ctx={ctx} nav={nav} current={current} idPrefix="sidebar" />
              </nav>
              <nav class="app-menu" aria-label={area.label}>
                <details>
                  <summary>
                    {ctx.t('design.menu')}
                    {currentLabel ? <span class="app-menu__current">{currentLabel}</span> : null}
                  </summary>
                  <NavGroups ctx={ctx} nav={nav} current={current} idPrefix="menu" />
                </details>
              </nav>
            </div>
            <main id="main-content" class="app-main" tabindex="-1">
              {crumbs && crumbs.length > 1 ? <Breadcrumbs ctx={ctx} crumbs={crumbs} /> : null}
              <h1>{heading}</h1>
              {notice}
              {children}
            </main>
          </div>
        </body>
      </html>
    </>
  );
}
