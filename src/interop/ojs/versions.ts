import { toOjsLocale } from './locales.ts';

/**
 * The OJS releases Revista writes Native XML for. Each release's importer reads a slightly different
 * document (checked against its native.xsd and its pkp-lib import filters):
 *
 * - 3.3: locales `en_US`, `pl_PL` only (importexport.xsd's pattern); authors name a user group
 *   (`user_group_ref`) and hold one affiliation, as plain text per locale; keywords are text;
 *   publications say `version` and `locale`, and must have an author; an author must have a given
 *   name in the article's language (the importer fails on one without).
 * - 3.4: as 3.3 but `en`, `pl`, `pt_BR`; a publication may have no authors.
 * - 3.5: affiliations as `<affiliation><name locale>` or `<rorAffiliation>`; vocabularies as
 *   `<keyword><name>`; still `user_group_ref` and `version`.
 * - main (3.6 in development): publications carry `id` and `version_*`; authors carry
 *   `contributor_type` and `<contributor_roles>` instead of a user group.
 */
export const OJS_VERSIONS = ['3.3', '3.4', '3.5', 'main'] as const;
export type OjsVersion = (typeof OJS_VERSIONS)[number];
/** The newest release: what a journal going back to OJS today installs. */
export const DEFAULT_OJS_VERSION: OjsVersion = '3.5';

export function isOjsVersion(value: unknown): value is OjsVersion {
  return typeof value === 'string' && (OJS_VERSIONS as readonly string[]).includes(value);
}

/**
 * What a release cannot hold, counted while writing, so the person exporting learns it (nothing is
 * dropped silently). Keys name the catalogue strings `ojs.lost.<key>`.
 */
export const LOSSES = ['ror', 'affiliationsJoined', 'contributorRoles', 'contributorType', 'givenName', 'namelessAuthors', 'noAuthors'] as const;
export type Loss = (typeof LOSSES)[number];
export type Losses = Partial<Record<Loss, number>>;

/** The English lines the command prints (the page says the same through i18n, `ojs.lost.*`). */
export const LOSS_TEXT: Record<Loss, string> = {
  ror: 'OJS {version} has no ROR ids for affiliations: {count} left out (the names are kept)',
  affiliationsJoined: 'OJS {version} holds one affiliation per author: {count} authors’ affiliations joined with “; ”',
  contributorRoles: 'OJS {version} has one role per author (author or translator): {count} other roles left out',
  contributorType: 'OJS {version} has persons only: {count} contributors of another type written as persons',
  givenName: 'OJS {version} needs every author’s given name in the article’s language: {count} authors without one got there their given name in another language, else their family name, else their affiliation',
  namelessAuthors: 'OJS {version} needs every author’s name: {count} authors without a name or affiliation left out',
  noAuthors: 'OJS {version} needs at least one author in every version of an article: {count} articles without left out',
};

export function describeLosses(losses: Losses, version: OjsVersion): string[] {
  return LOSSES.filter((key) => (losses[key] ?? 0) > 0).map((key) => LOSS_TEXT[key].replace('{version}', version).replace('{count}', String(losses[key])));
}

/**
 * OJS 3.3's locale for Revista's: the regions OJS 3.3 ships (its `locale/` folders), so `pl` is
 * `pl_PL`, `en` is `en_US`; a region Revista keeps (`pt-BR`, `fr-CA`) stays as it is.
 */
const OJS33_REGION: Record<string, string> = {
  ar: 'ar_IQ', bs: 'bs_BA', ca: 'ca_ES', cs: 'cs_CZ', da: 'da_DK', de: 'de_DE', el: 'el_GR', en: 'en_US', es: 'es_ES', eu: 'eu_ES',
  fa: 'fa_IR', fi: 'fi_FI', fr: 'fr_FR', gd: 'gd_GB', gl: 'gl_ES', he: 'he_IL', hi: 'hi_IN', hr: 'hr_HR', hu: 'hu_HU', hy: 'hy_AM',
  id: 'id_ID', is: 'is_IS', it: 'it_IT', ja: 'ja_JP', ku: 'ku_IQ', mk: 'mk_MK', nb: 'nb_NO', nl: 'nl_NL', pl: 'pl_PL', pt: 'pt_PT',
  ro: 'ro_RO', ru: 'ru_RU', sk: 'sk_SK', sl: 'sl_SI', sr: 'sr_RS@latin', sv: 'sv_SE', tr: 'tr_TR', uk: 'uk_UA', ur: 'ur_PK', uz: 'uz_UZ@latin',
  vi: 'vi_VN', zh: 'zh_CN',
};
const OJS33_SCRIPT: Record<string, string> = { 'sr-Latn': 'sr_RS@latin', 'sr-Cyrl': 'sr_RS@cyrillic', 'uz-Latn': 'uz_UZ@latin' };
const OJS33_PATTERN = /^[a-z][a-z]_[A-Z][A-Z](@[a-z]+)?$/;

/** Thrown for a language a release has no way to name. */
export class UnwritableLocaleError extends Error {}

/** Revista's locale as the release writes it: `en_US` for 3.3, `en` for 3.4 and later. */
export function localeFor(version: OjsVersion, locale: string): string {
  if (version !== '3.3') return toOjsLocale(locale);
  const [language, second] = locale.split('-');
  const code = OJS33_SCRIPT[locale] ?? (second && /^[A-Z]{2}$/.test(second) ? `${language}_${second}` : OJS33_REGION[language!]);
  if (!code || !OJS33_PATTERN.test(code)) throw new UnwritableLocaleError(`OJS 3.3 cannot name the language ${locale} (it knows two-letter languages with a region, e.g. en_US, pl_PL): export for OJS 3.4 or later`);
  return code;
}
