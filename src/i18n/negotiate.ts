import { isUiLocale, type UiLocale } from './locales.ts';

export const LOCALE_COOKIE = 'revista_locale';

/** Languages from an Accept-Language header, best first (q-values honoured, ties keep header order). */
export function parseAcceptLanguage(header: string | undefined): string[] {
  if (!header) return [];
  return header
    .split(',')
    .map((part, index) => {
      const [tag = '', ...options] = part.trim().split(';');
      const q = options.map((o) => o.trim()).find((o) => o.startsWith('q='));
      const quality = q ? Number(q.slice(2)) : 1;
      return { tag: tag.trim().toLowerCase(), quality: Number.isFinite(quality) ? quality : 0, index };
    })
    .filter((entry) => entry.tag !== '' && entry.tag !== '*' && entry.quality > 0)
    .sort((a, b) => b.quality - a.quality || a.index - b.index)
    .map((entry) => entry.tag);
}

export interface LocaleRequest {
  /** `?locale=` from the URL: an explicit switch. */
  query: string | undefined;
  /** The remembered choice. */
  cookie: string | undefined;
  acceptLanguage: string | undefined;
}

/**
 * Which UI language a page is shown in: an explicit `?locale=`, then the remembered cookie, then the
 * browser's Accept-Language, then the context's primary locale. Only locales the context (journal or
 * site) supports and Revista has a UI for are chosen.
 */
export function negotiateLocale(request: LocaleRequest, supported: readonly string[], primary: string): UiLocale {
  const usable = supported.filter(isUiLocale);
  const pick = (candidate: string | undefined): UiLocale | undefined => {
    if (!candidate) return undefined;
    const tag = candidate.toLowerCase();
    return usable.find((locale) => locale === tag || tag.startsWith(`${locale}-`) || tag.startsWith(`${locale}_`));
  };
  const fromHeader = parseAcceptLanguage(request.acceptLanguage).map(pick).find((l) => l !== undefined);
  return pick(request.query) ?? pick(request.cookie) ?? fromHeader ?? pick(primary) ?? usable[0] ?? 'en';
}
