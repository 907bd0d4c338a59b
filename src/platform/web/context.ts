import type {} from '@fastify/cookie';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { isUiLocale, localize, LOCALE_COOKIE, negotiateLocale, translate, UI_LOCALES, type UiLocale } from '../../i18n/index.ts';
import { requestUrl } from '../http/index.ts';
import { pageContext, type JournalChrome, type PageContext } from '../../ui/index.ts';

export interface SiteInfo {
  /** Public address of the site, for canonical links; absent where a page needs none. */
  baseUrl?: string;
  title: Record<string, string>;
  primaryLocale: string;
  supportedLocales: string[];
}

export const DEFAULT_SITE: SiteInfo = { title: { pl: 'Revista', en: 'Revista' }, primaryLocale: 'pl', supportedLocales: ['pl', 'en'] };

/**
 * A journal as the frame shows it: its name, languages, theme and menu. The catalog's journals have
 * this shape (and more); the frame asks no more of them.
 */
export interface FrameJournal {
  id: number;
  path: string;
  name: Record<string, string>;
  primaryLocale: string;
  supportedLocales: string[];
  theme: { version: string; logoFileId: number | null; faviconFileId: number | null; colour: string | null; customCss: boolean };
  navigation: Array<{ label: Record<string, string>; kind: string; target: string }>;
}

const ONE_YEAR = 365 * 24 * 3600;

/**
 * The page context of a request: its UI language (explicit `?locale=`, remembered cookie,
 * Accept-Language, then the journal's or site's primary locale) and what the layout shows.
 * An explicit switch is remembered in a cookie.
 */
export function contextForRequest(request: FastifyRequest, reply: FastifyReply, site: SiteInfo, journal?: FrameJournal, options: { forms?: boolean } = {}): PageContext {
  const url = requestUrl(request.url);
  const requested = url.searchParams.get('locale') ?? undefined;
  url.searchParams.delete('locale');
  const supported = journal ? journal.supportedLocales : site.supportedLocales;
  const primary = journal ? journal.primaryLocale : site.primaryLocale;
  const locale = negotiateLocale(
    { query: requested, cookie: request.cookies[LOCALE_COOKIE], acceptLanguage: request.headers['accept-language'] },
    supported,
    primary,
  );
  if (requested !== undefined && requested === locale && request.cookies[LOCALE_COOKIE] !== locale) {
    reply.setCookie(LOCALE_COOKIE, locale, { path: '/', maxAge: ONE_YEAR, sameSite: 'lax', httpOnly: true, secure: request.protocol === 'https' });
  }
  const locales = supported.filter(isUiLocale) as UiLocale[];
  // The signed-in person's menu, from the access layer (accounts), which decorates every request.
  const viewer = request.viewer?.menu(locale, journal?.id);
  const journalName = journal ? localize(journal.name, locale, journal.primaryLocale) : undefined;
  return pageContext({
    locale,
    locales: locales.length > 0 ? locales : [...UI_LOCALES],
    path: url.pathname,
    query: url.searchParams,
    siteTitle: localize(site.title, locale, site.primaryLocale)?.text ?? 'Revista',
    ...(journal ? { journal: journalChrome(journal, locale, journalName?.text ?? journal.path, journalName?.locale ?? locale) } : {}),
    ...(viewer ? { viewer } : {}),
    ...(site.baseUrl ? { baseUrl: site.baseUrl } : {}),
    ...(options.forms ? { csrf: request.viewer.csrfToken() } : {}),
  });
}

const BUILTIN_TARGETS: Record<string, string> = {
  current: '/issue/current',
  archive: '/issue/archive',
  about: '/about',
  'editorial-team': '/about/editorialTeam',
  submissions: '/about/submissions',
  privacy: '/about/privacy',
  announcements: '/announcement',
  home: '',
};

/** Where a menu entry leads: a built-in page, one of the journal's pages, or an address elsewhere. */
export function navigationHref(journalPath: string, entry: { kind: string; target: string }): string | undefined {
  if (entry.kind === 'builtin') return BUILTIN_TARGETS[entry.target] === undefined ? undefined : `/${journalPath}${BUILTIN_TARGETS[entry.target]}`;
  if (entry.kind === 'page') return `/${journalPath}/page/${entry.target}`;
  return /^https?:\/\//.test(entry.target) ? entry.target : undefined;
}

export const BUILTIN_NAVIGATION_TARGETS = Object.keys(BUILTIN_TARGETS);

/** The menu of a journal that has not stored one of its own (OJS's primary navigation menu). */
const DEFAULT_NAVIGATION = [
  { target: 'current', label: 'nav.current' },
  { target: 'archive', label: 'nav.archive' },
  { target: 'about', label: 'nav.about' },
  { target: 'announcements', label: 'nav.announcements' },
] as const;

/**
 * The default menu as stored items, labelled in each of `locales`: what readers see until the journal
 * edits its menu, and what the menu editor starts from (it stores these before the first change).
 */
export function defaultNavigation(locales: readonly UiLocale[]): Array<{ kind: 'builtin'; target: string; label: Record<string, string> }> {
  return DEFAULT_NAVIGATION.map((item) => ({ kind: 'builtin', target: item.target, label: Object.fromEntries(locales.map((l) => [l, translate(l, item.label)])) }));
}

/** A journal's chrome in each language, kept with the journal object (memoized until the catalog changes). */
const chromes = new WeakMap<FrameJournal, Map<string, JournalChrome>>();

function journalChrome(journal: FrameJournal, locale: UiLocale, name: string, nameLocale: string): JournalChrome {
  let byLocale = chromes.get(journal);
  if (!byLocale) chromes.set(journal, (byLocale = new Map()));
  const key = `${locale} ${nameLocale} ${name}`;
  let chrome = byLocale.get(key);
  if (!chrome) byLocale.set(key, (chrome = buildJournalChrome(journal, locale, name, nameLocale)));
  return chrome;
}

function buildJournalChrome(journal: FrameJournal, locale: UiLocale, name: string, nameLocale: string): JournalChrome {
  const theme = journal.theme;
  const menu = (journal.navigation.length > 0 ? journal.navigation : defaultNavigation([locale]))
    .map((entry) => ({ label: localize(entry.label, locale, journal.primaryLocale)?.text ?? '', href: navigationHref(journal.path, entry) }))
    .filter((item): item is { label: string; href: string } => item.label !== '' && item.href !== undefined);
  return {
    path: journal.path,
    name,
    nameLocale,
    ...(menu.length > 0 ? { menu } : {}),
    ...(theme.logoFileId ? { logoHref: `/${journal.path}/theme/logo?v=${theme.version}` } : {}),
    ...(theme.faviconFileId ? { faviconHref: `/${journal.path}/theme/favicon?v=${theme.version}` } : {}),
    ...(theme.colour || theme.customCss ? { themeHref: `/${journal.path}/theme.css?v=${theme.version}` } : {}),
  };
}

/** The key a rendered page is cached under: its language and address without `?locale=`. */
export function pageCacheKey(ctx: PageContext): string {
  const query = ctx.query.toString();
  return `${ctx.locale} ${ctx.path}${query ? `?${query}` : ''}`;
}
