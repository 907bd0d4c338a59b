import { LANGUAGE_NAMES, translator, type Translate, type UiLocale } from '../i18n/index.ts';

/** What every page needs to know about the request it answers. */
export interface PageContext {
  locale: UiLocale;
  t: Translate;
  /** Locales the reader may switch to on this page (the journal's, or the site's). */
  locales: UiLocale[];
  /** Path of this page without the `locale` query parameter, for the language switcher. */
  path: string;
  /** Other query parameters of this page, kept when switching language. */
  query: URLSearchParams;
  siteTitle: string;
  /** Set on journal pages: name and path for the header and navigation. */
  journal?: JournalChrome;
  /** The signed-in person, for the header's account menu; absent for visitors (and on shared cached pages). */
  viewer?: ViewerMenu;
  /** The CSRF token for forms on this page; set only on pages with forms (never on shared cached pages). */
  csrf?: string;
  /** Public address of the site: public pages then carry canonical and hreflang links. */
  baseUrl?: string;
}

/** What the layout shows of the journal a page belongs to. */
export interface JournalChrome {
  path: string;
  name: string;
  nameLocale: string;
  /** The journal's menu (its own, or the default one), resolved to links. */
  menu?: Array<{ label: string; href: string }>;
  logoHref?: string;
  faviconHref?: string;
  /** The journal's theme stylesheet (colour, custom CSS), when it has one; only public pages load it (`themeHref` in layout.tsx). */
  themeHref?: string;
}

export interface ViewerMenu {
  name: string;
  csrf: string;
  /** Site administration, for administrators. */
  admin: boolean;
  /** The journal's management area, when the person manages or edits the journal of this page. */
  manage: boolean;
  /** "My reviews", when the person reviews for the journal of this page. */
  reviews?: boolean;
  /** Unread notifications, for the header's link (counted up to 100). */
  unreadNotifications?: number;
}

export function pageContext(input: Omit<PageContext, 't'>): PageContext {
  return { ...input, t: translator(input.locale) };
}

export function languageName(locale: UiLocale): string {
  return LANGUAGE_NAMES[locale];
}

/** Link to this page in another language. */
export function localeSwitchHref(ctx: PageContext, locale: UiLocale): string {
  const query = new URLSearchParams(ctx.query);
  query.set('locale', locale);
  return `${ctx.path}?${query.toString()}`;
}
