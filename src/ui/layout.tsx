import { trustedHtml, type Child, type SafeHtml } from '#jsx/jsx-runtime';
import { languageName, localeSwitchHref, type PageContext } from './context.ts';
import { STYLESHEET_HREF } from './assets.ts';

export interface Crumb {
  label: string;
  href?: string;
  lang?: string;
}

/** `lang` for a part of the page written in another language than the page (WCAG 3.1.2). */
export function langIf(ctx: PageContext, locale: string | undefined): string | undefined {
  return locale && locale !== ctx.locale ? locale : undefined;
}

function SkipLinks({ ctx }: { ctx: PageContext }): SafeHtml {
  return (
    <nav class="skip-links" aria-label={ctx.t('skip.label')}>
      <a href="#main-navigation">{ctx.t('skip.mainNavigation')}</a> <a href="#main-content">{ctx.t('skip.mainContent')}</a>{' '}
      <a href="#site-footer">{ctx.t('skip.footer')}</a>
    </nav>
  );
}

export function LanguageSwitcher({ ctx }: { ctx: PageContext }): SafeHtml {
  if (ctx.locales.length < 2) return <></>;
  return (
    <nav class="language-switcher" aria-label={ctx.t('language.label')}>
      <ul>
        {ctx.locales.map((locale) =>
          locale === ctx.locale ? (
            <li>
              <span aria-current="true" lang={locale}>
                {languageName(locale)}
              </span>
            </li>
          ) : (
            <li>
              <a href={localeSwitchHref(ctx, locale)} hreflang={locale} lang={locale}>
                {languageName(locale)}
              </a>
            </li>
          ),
        )}
      </ul>
    </nav>
  );
}

function MainNavigation({ ctx }: { ctx: PageContext }): SafeHtml {
  const journal = ctx.journal;
  return (
    <nav id="main-navigation" class="main-navigation" aria-label={ctx.t('nav.label')} tabindex="-1">
      <ul>
        {/* The journal's menu, or the default one (platform/web/context.ts): one definition, shown and edited alike. */}
        {journal?.menu
          ? journal.menu.map((item) => (
              <li>
                <a href={item.href}>{item.label}</a>
              </li>
            ))
          : null}
        <li>
          <a href="/">{ctx.t('nav.allJournals')}</a>
        </li>
      </ul>
    </nav>
  );
}

/** The search box on every page: the journal's search on its pages, the whole site's elsewhere. */
function SearchBox({ ctx }: { ctx: PageContext }): SafeHtml {
  return (
    <form class="search-box" role="search" aria-label={ctx.t('search.landmark')} action={ctx.journal ? `/${ctx.journal.path}/search/search` : '/search'} method="get">
      <label for="search-box-query" class="visually-hidden">
        {ctx.t('search.boxLabel')}
      </label>
      <input id="search-box-query" type="search" name="query" maxlength="256" />
      <button type="submit" class="button">
        {ctx.t('search.submit')}
      </button>
    </form>
  );
}

/** Sign in and register for visitors; the person's name, management links and sign out for others. */
/**
 * Sign in and register, or the signed-in person's links. In the management application (`inApp`) it
 * leaves out the link to where the person already is: management, and administration on its own pages.
 */
export function AccountMenu({ ctx, inApp = false }: { ctx: PageContext; inApp?: boolean }): SafeHtml {
  const prefix = ctx.journal ? `/${ctx.journal.path}` : '';
  const viewer = ctx.viewer;
  if (!viewer) {
    return (
      <nav class="account-menu" aria-label={ctx.t('account.menu')}>
        <ul>
          <li>
            <a href={`${prefix}/login`}>{ctx.t('account.signIn')}</a>
          </li>
          <li>
            <a href={`${prefix}/user/register`}>{ctx.t('account.register')}</a>
          </li>
        </ul>
      </nav>
    );
  }
  return (
    <nav class="account-menu" aria-label={ctx.t('account.menu')}>
      <ul>
        {viewer.admin && !(inApp && !ctx.journal) ? (
          <li>
            <a href="/admin">{ctx.t('account.administration')}</a>
          </li>
        ) : null}
        {viewer.manage && ctx.journal && !inApp ? (
          <li>
            <a href={`/${ctx.journal.path}/management`}>{ctx.t('account.management')}</a>
          </li>
        ) : null}
        {ctx.journal && !inApp ? (
          <li>
            <a href={`/${ctx.journal.path}/dashboard/mySubmissions`}>{ctx.t('account.mySubmissions')}</a>
          </li>
        ) : null}
        {ctx.journal && !inApp && viewer.reviews ? (
          <li>
            <a href={`/${ctx.journal.path}/dashboard/reviewAssignments`}>{ctx.t('account.myReviews')}</a>
          </li>
        ) : null}
        <li>
          <NotificationsLink ctx={ctx} unread={viewer.unreadNotifications ?? 0} />
        </li>
        <li>
          <a href={`${prefix}/user/profile`}>{ctx.t('account.profileOf', { name: viewer.name })}</a>
        </li>
        <li>
          <form action={`${prefix}/login/signOut`} method="post" class="inline-form">
            <input type="hidden" name="_csrf" value={viewer.csrf} />
            <button type="submit" class="link-button">
              {ctx.t('account.signOut')}
            </button>
          </form>
        </li>
      </ul>
    </nav>
  );
}

/** The signed-in person's notifications (all journals'), with how many are unread: "Notifications (3)". */
function NotificationsLink({ ctx, unread }: { ctx: PageContext; unread: number }): SafeHtml {
  if (unread === 0) return <a href="/notifications">{ctx.t('notifications.header')}</a>;
  return (
    <a href="/notifications">
      {ctx.t('notifications.header')} ({unread >= 100 ? '99+' : String(unread)})<span class="visually-hidden"> {ctx.t('notifications.headerUnread')}</span>
    </a>
  );
}

export function Breadcrumbs({ ctx, crumbs }: { ctx: PageContext; crumbs: Crumb[] }): SafeHtml {
  return (
    <nav class="breadcrumbs" aria-label={ctx.t('breadcrumb.label')}>
      <ol>
        {crumbs.map((crumb, index) => (
          <li>
            {crumb.href && index < crumbs.length - 1 ? (
              <a href={crumb.href} lang={crumb.lang}>
                {crumb.label}
              </a>
            ) : (
              <span aria-current={index === crumbs.length - 1 ? 'page' : undefined} lang={crumb.lang}>
                {crumb.label}
              </span>
            )}
          </li>
        ))}
      </ol>
    </nav>
  );
}

/**
 * Links for indexers: each language version of a public page names itself canonical and its
 * siblings as hreflang alternates (`?locale=`; the plain address is x-default, negotiated); journal
 * pages name their feeds. Pages with forms (sign-in, administration) ask not to be indexed.
 */
function DiscoveryLinks({ ctx }: { ctx: PageContext }): SafeHtml {
  if (ctx.csrf !== undefined || ctx.viewer) return <meta name="robots" content="noindex, nofollow" />;
  if (!ctx.baseUrl) return <></>;
  const href = (locale?: string) => {
    const query = new URLSearchParams(ctx.query);
    if (locale) query.set('locale', locale);
    const search = query.toString();
    return `${ctx.baseUrl}${ctx.path}${search ? `?${search}` : ''}`;
  };
  return (
    <>
      <link rel="canonical" href={href(ctx.locales.length > 1 ? ctx.locale : undefined)} />
      {ctx.locales.length > 1
        ? ctx.locales.map((locale) => <link rel="alternate" hreflang={locale} href={href(locale)} />)
        : null}
      {ctx.locales.length > 1 ? <link rel="alternate" hreflang="x-default" href={href()} /> : null}
      {ctx.journal ? (
        <>
          <link rel="alternate" type="application/atom+xml" href={`/${ctx.journal.path}/feed/atom`} title={`${ctx.journal.name} (Atom)`} />
          <link rel="alternate" type="application/rss+xml" href={`/${ctx.journal.path}/feed/rss`} title={`${ctx.journal.name} (RSS)`} />
        </>
      ) : null}
    </>
  );
}

export interface LayoutProps {
  ctx: PageContext;
  /** The document title, most specific first. */
  title: string;
  /** Extra elements for `<head>` (meta tags from later capabilities). */
  head?: Child;
  /** False for error pages: no canonical link, and a request not to index them. */
  indexable?: boolean;
  children?: Child;
}

/**
 * The journal's theme (its colour and a manager's custom CSS) dresses the public reader pages only.
 * Pages with forms — management, profile, sign-in, registration — carry the session's form token,
 * which is good for the whole site (/admin included); CSS written by one journal's manager has no
 * business on them, however well it is sanitized.
 */
export function themeHref(ctx: PageContext): string | undefined {
  return ctx.csrf === undefined ? ctx.journal?.themeHref : undefined;
}

export function Layout({ ctx, title, head, children, indexable = true }: LayoutProps): SafeHtml {
  const brand = ctx.journal ? ctx.journal.name : ctx.siteTitle;
  const brandHref = ctx.journal ? `/${ctx.journal.path}` : '/';
  const theme = themeHref(ctx);
  return (
    <>
      {trustedHtml('<!DOCTYPE html>')}
      <html lang={ctx.locale}>
        <head>
          <meta charset="utf-8" />
          <meta name="viewport" content="width=device-width, initial-scale=1" />
          <title>{title}</title>
          <link rel="stylesheet" href={STYLESHEET_HREF} />
          {theme ? <link rel="stylesheet" href={theme} /> : null}
          {ctx.journal?.faviconHref ? <link rel="icon" href={ctx.journal.faviconHref} /> : null}
          {indexable ? <DiscoveryLinks ctx={ctx} /> : <meta name="robots" content="noindex" />}
          {head}
        </head>
        <body>
          <SkipLinks ctx={ctx} />
          <header class="site-header">
            <div class="site-header__inner">
              <a class="site-brand" href={brandHref} lang={ctx.journal ? langIf(ctx, ctx.journal.nameLocale) : undefined}>
                {ctx.journal?.logoHref ? <img class="site-logo" src={ctx.journal.logoHref} alt={brand} /> : brand}
              </a>
              <SearchBox ctx={ctx} />
              <LanguageSwitcher ctx={ctx} />
              <AccountMenu ctx={ctx} />
            </div>
            <MainNavigation ctx={ctx} />
          </header>
          <main id="main-content" class="main-content" tabindex="-1">
            {children}
          </main>
          <footer id="site-footer" class="site-footer" tabindex="-1" aria-label={ctx.t('footer.label')}>
            <p>{ctx.t('footer.poweredBy')}</p>
          </footer>
        </body>
      </html>
    </>
  );
}
