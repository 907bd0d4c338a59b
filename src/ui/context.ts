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
  journal?: { path: string; name: string; nameLocale: string };
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
