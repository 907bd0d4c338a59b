import { create } from 'xmlbuilder2';
import { localize } from '../../i18n/index.ts';
import { httpLink, richToJatsBlocks, richToJatsInline } from '../../ui/index.ts';
import { jatsBlocksXml, jatsInlineXml, richSlots, type RichSlots } from '../rich-xml.ts';
import type { LocalizedText } from '../../db/index.ts';
import type { ContributorView } from '../../catalog/index.ts';
import { referenceList } from './jats-references.ts';
import { articleUrl, galleyUrl, inArticleLanguage, localesOf, orcidUrl, rorUrl, xmlSafe, type RecordInput, xmlText as text, xmlLine as line } from '../record.ts';

/**
 * JATS 1.3 Journal Publishing `<article>` (no namespace, front matter and reference list, no body)
 * for one article: what OAI-PMH harvesters get for metadataPrefix `jats`. Element order follows the
 * schema's content models (article-meta-model, contrib-model, permissions-model), which are sequences.
 */

const XMLNS_NS = 'http://www.w3.org/2000/xmlns/';
const XML_NS = 'http://www.w3.org/XML/1998/namespace';
const XLINK_NS = 'http://www.w3.org/1999/xlink';
const MML_NS = 'http://www.w3.org/1998/Math/MathML';
const ALI_NS = 'http://www.niso.org/schemas/ali/1.0/';

type Node = ReturnType<typeof create>;

export function jatsArticle(input: RecordInput, options: { idPrefix?: string } = {}): string {
  const { article } = input;
  const root = create()
    .ele('article')
    .att(XMLNS_NS, 'xmlns:xlink', XLINK_NS)
    .att(XMLNS_NS, 'xmlns:mml', MML_NS)
    .att('article-type', 'research-article')
    .att('dtd-version', '1.3')
    .att(XML_NS, 'xml:lang', languageTag(article.locale));
  const front = root.ele('front');
  const slots = richSlots();
  journalMeta(front.ele('journal-meta'), input);
  articleMeta(front.ele('article-meta'), input, slots);

  if (article.references.some((r) => text(r.text) !== '')) referenceList(root.ele('back'), article.references, options.idPrefix);
  return slots.fill(root.end({ headless: true, prettyPrint: true }));
}

function journalMeta(meta: Node, input: RecordInput): void {
  const { journal } = input;
  meta.ele('journal-id', { 'journal-id-type': 'publisher' }).txt(text(journal.path));

  const titleGroup = meta.ele('journal-title-group');
  const name = localize(journal.name, journal.primaryLocale);
  if (name) {
    withLang(titleGroup.ele('journal-title'), name.locale, input).txt(line(name.text));
    for (const locale of otherLocales(journal.name, name.locale)) {
      titleGroup.ele('trans-title-group').att(XML_NS, 'xml:lang', languageTag(locale)).ele('trans-title').txt(line(journal.name[locale]));
    }
  }
  const acronym = localize(journal.acronym, journal.primaryLocale);
  if (acronym) titleGroup.ele('abbrev-journal-title', { 'abbrev-type': 'publisher' }).txt(line(acronym.text));

  const issns: [string | null, string, string][] = [
    [journal.onlineIssn, 'epub', 'electronic'],
    [journal.printIssn, 'ppub', 'print'],
  ];
  let issnCount = 0;
  for (const [issn, pubType, format] of issns) {
    if (line(issn) === '') continue;
    meta.ele('issn', { 'pub-type': pubType, 'publication-format': format }).txt(line(issn));
    issnCount++;
  }
  // The Publishing model requires issn+; a journal without one still gets a valid record, with an
  // empty issn rather than an invented number.
  if (issnCount === 0) meta.ele('issn');

  if (line(journal.publisher) !== '') meta.ele('publisher').ele('publisher-name').txt(line(journal.publisher));
}

function articleMeta(meta: Node, input: RecordInput, slots: RichSlots): void {
  const { article, journal } = input;
  meta.ele('article-id', { 'pub-id-type': 'publisher-id' }).txt(String(article.id));
  if (line(article.doi) !== '') meta.ele('article-id', { 'pub-id-type': 'doi' }).txt(line(article.doi));

  const section = line(inArticleLanguage(input, article.section.title));
  if (section !== '') meta.ele('article-categories').ele('subj-group', { 'subj-group-type': 'heading' }).ele('subject').txt(section);

  titleGroup(meta.ele('title-group'), input, slots);

  // A contributor with no name is no author: its affiliation alone stays, as an aff of the article
  // (article-meta allows aff beside contrib-group), so the institution is kept without being credited.
  const named = article.contributors.filter((c) => hasName(c, input));
  if (named.length > 0) {
    const group = meta.ele('contrib-group');
    for (const contributor of named) contrib(group.ele('contrib', { 'contrib-type': 'author' }), contributor, input);
  }
  for (const contributor of article.contributors) if (!hasName(contributor, input)) affiliation(meta, contributor, input);

  const published = calendarDate(article.datePublished);
  if (published) date(meta.ele('pub-date', { 'date-type': 'pub', 'publication-format': 'electronic' }), published);
  if (article.issue?.year) meta.ele('pub-date', { 'date-type': 'collection', 'publication-format': 'electronic' }).ele('year').txt(String(article.issue.year));
  if (!published && !article.issue?.year) meta.ele('pub-date-not-available');

  const issue = article.issue;
  if (issue?.volume !== null && issue?.volume !== undefined) meta.ele('volume').txt(String(issue.volume));
  if (issue && line(issue.number) !== '') meta.ele('issue').txt(line(issue.number));
  const issueTitle = issue ? localize(issue.title, article.locale, journal.primaryLocale) : undefined;
  if (issueTitle) withLang(meta.ele('issue-title'), issueTitle.locale, input).txt(line(issueTitle.text));

  const pages = pageRange(article.pages);
  if (pages?.first) {
    meta.ele('fpage').txt(pages.first);
    if (pages.last) meta.ele('lpage').txt(pages.last);
  } else if (line(article.pages) !== '') {
    meta.ele('elocation-id').txt(line(article.pages));
  }

  const received = article.dateSubmitted && !Number.isNaN(article.dateSubmitted.getTime()) ? calendarDate(article.dateSubmitted.toISOString()) : undefined;
  if (received) date(meta.ele('history').ele('date', { 'date-type': 'received' }), received);

  permissions(meta, input);

  meta.ele('self-uri').att(XLINK_NS, 'xlink:href', articleUrl(input));
  for (const galley of article.galleys) {
    const uri = meta.ele('self-uri');
    if (galley.mimeType) uri.att('content-type', text(galley.mimeType));
    uri.att(XLINK_NS, 'xlink:href', galleyUrl(input, galley.id));
    if (line(galley.label) !== '') uri.txt(line(galley.label));
  }

  const abstractLocales = localesOf(input, article.abstract);
  abstractLocales.forEach((locale, index) => {
    const element = index === 0 ? withLang(meta.ele('abstract'), locale, input) : meta.ele('trans-abstract').att(XML_NS, 'xml:lang', languageTag(locale));
    // The stored HTML as JATS: paragraphs, lists, italic/bold/sup/sub, web links as ext-link.
    slots.put(element, jatsBlocksXml(richToJatsBlocks(article.abstract[locale]!)));
  });

  const keywordsByLocale = Object.fromEntries(Object.entries(article.keywords).map(([locale, list]) => [locale, list.join(' ')]));
  for (const locale of localesOf(input, keywordsByLocale)) {
    const keywords = (article.keywords[locale] ?? []).map(line).filter((k) => k !== '');
    if (keywords.length === 0) continue;
    const group = meta.ele('kwd-group', { 'kwd-group-type': 'author' }).att(XML_NS, 'xml:lang', languageTag(locale));
    for (const keyword of keywords) group.ele('kwd').txt(keyword);
  }
}

function titleGroup(group: Node, input: RecordInput, slots: RichSlots): void {
  const { article, journal } = input;
  const title = localize(article.title, article.locale, journal.primaryLocale);
  // article-title is required; an untitled article gets an empty one.
  const articleTitle = group.ele('article-title');
  if (!title) return;
  slots.put(withLang(articleTitle, title.locale, input), titleXml(article.prefix[title.locale], title.text));
  if (line(article.subtitle[title.locale]) !== '') slots.put(group.ele('subtitle'), jatsInlineXml(richToJatsInline(article.subtitle[title.locale]!)));
  for (const locale of otherLocales(article.title, title.locale)) {
    const trans = group.ele('trans-title-group').att(XML_NS, 'xml:lang', languageTag(locale));
    slots.put(trans.ele('trans-title'), titleXml(article.prefix[locale], article.title[locale]!));
    if (line(article.subtitle[locale]) !== '') slots.put(trans.ele('trans-subtitle'), jatsInlineXml(richToJatsInline(article.subtitle[locale]!)));
  }
}

function hasName(contributor: ContributorView, input: RecordInput): boolean {
  return line(inArticleLanguage(input, contributor.familyName)) !== '' || line(inArticleLanguage(input, contributor.givenName)) !== '';
}

/**
 * contrib-model is a sequence: contrib-id, then the name, then aff. An organisation credited as an
 * author (OJS contributor_type ORGANIZATION, its name as the given name) is a collab.
 */
function contrib(element: Node, contributor: ContributorView, input: RecordInput): void {
  if (contributor.isPrimaryContact) element.att('corresp', 'yes');
  const orcid = orcidUrl(contributor.orcid);
  if (orcid) element.ele('contrib-id', { 'contrib-id-type': 'orcid', ...(contributor.orcidAuthenticated ? { authenticated: 'true' } : {}) }).txt(orcid);
  const surname = line(inArticleLanguage(input, contributor.familyName));
  const given = line(inArticleLanguage(input, contributor.givenName));
  if (contributor.isOrganization) {
    element.ele('collab').txt(given || surname);
  } else if (surname !== '') {
    const name = element.ele('name');
    name.ele('surname').txt(surname);
    if (given !== '') name.ele('given-names').txt(given);
  } else if (given !== '') {
    element.ele('name', { 'name-style': 'given-only' }).ele('given-names').txt(given);
  }
  affiliation(element, contributor, input);
}

/** The contributor's affiliation as an aff: the institution's name, with its ROR iD when known. */
function affiliation(parent: Node, contributor: ContributorView, input: RecordInput): void {
  const name = line(inArticleLanguage(input, contributor.affiliation));
  const ror = rorUrl(contributor.rorId) ?? '';
  if (name === '' && ror === '') return;
  const aff = parent.ele('aff');
  if (ror !== '') {
    const wrap = aff.ele('institution-wrap');
    wrap.ele('institution-id', { 'institution-id-type': 'ror' }).txt(ror);
    if (name !== '') wrap.ele('institution').txt(name);
  } else {
    aff.ele('institution').txt(name);
  }
}

function permissions(meta: Node, input: RecordInput): void {
  const { article, journal } = input;
  const year = article.copyrightYear;
  const holder = line(inArticleLanguage(input, article.copyrightHolder));
  const licenseUrl = line(httpLink(article.licenseUrl ?? journal.licenseUrl));
  if (!year && holder === '' && licenseUrl === '') return;
  const element = meta.ele('permissions');
  if (year) element.ele('copyright-year').txt(String(year));
  if (holder !== '') element.ele('copyright-holder').txt(holder);
  if (licenseUrl !== '') {
    const license = element.ele('license').att(XLINK_NS, 'xlink:href', licenseUrl);
    // JATS4R: the URL in ali:license_ref for machines, a sentence in license-p for people.
    license.ele(ALI_NS, 'ali:license_ref').txt(licenseUrl);
    license.ele('license-p').txt(licenseName(licenseUrl) ?? licenseUrl);
  }
}

const CC_ELEMENTS: Record<string, string> = { by: 'Attribution', nc: 'NonCommercial', sa: 'ShareAlike', nd: 'NoDerivatives' };

/** "https://creativecommons.org/licenses/by/4.0/" → "Creative Commons Attribution 4.0 International (CC BY 4.0)". */
export function licenseName(url: string): string | undefined {
  if (/creativecommons\.org\/publicdomain\/zero\/1\.0/i.test(url)) return 'CC0 1.0 Universal (public domain dedication)';
  const match = /creativecommons\.org\/licenses\/((?:by|nc|sa|nd)(?:-(?:by|nc|sa|nd))*)\/(\d\.\d)/i.exec(url);
  if (!match) return undefined;
  const parts = match[1]!.toLowerCase().split('-');
  const version = match[2]!;
  const words = parts.map((p) => CC_ELEMENTS[p]).join('-');
  const scope = version === '4.0' ? ' International' : '';
  return `Creative Commons ${words} ${version}${scope} (CC ${parts.join('-').toUpperCase()} ${version})`;
}

interface CalendarDate {
  year: string;
  month: string;
  day: string;
}

function calendarDate(value: string | null | undefined): CalendarDate | undefined {
  const match = /^(\d{4})-(\d{2})-(\d{2})/.exec(value ?? '');
  return match ? { year: match[1]!, month: match[2]!, day: match[3]! } : undefined;
}

/** date-model is a sequence: day, month, year. */
function date(element: Node, value: CalendarDate): void {
  element.att('iso-8601-date', `${value.year}-${value.month}-${value.day}`);
  element.ele('day').txt(value.day);
  element.ele('month').txt(value.month);
  element.ele('year').txt(value.year);
}

/** "45-67", "45–67", "45" and Roman "xi-xx" give fpage/lpage; anything else is an elocation-id. */
function pageRange(pages: string | null): { first: string; last?: string } | undefined {
  const match = /^\s*(\d+|[ivxlcdm]+)\s*(?:[-‐‑–—]\s*(\d+|[ivxlcdm]+))?\s*$/i.exec(xmlSafe(pages ?? ''));
  if (!match) return undefined;
  return match[2] ? { first: match[1]!, last: match[2] } : { first: match[1]! };
}

/** xml:lang only where the text's language is not the article's (which the root states). */
function withLang(element: Node, locale: string, input: RecordInput): Node {
  return locale === input.article.locale ? element : element.att(XML_NS, 'xml:lang', languageTag(locale));
}

function otherLocales(value: LocalizedText, except: string): string[] {
  return Object.keys(value)
    .filter((locale) => locale !== except && line(value[locale]) !== '')
    .sort();
}

/** "Prefix Title", the title's inline markup (italic, bold, sup, sub) as JATS elements. */
function titleXml(prefix: string | undefined, title: string): string {
  const inline = richToJatsInline(title);
  return jatsInlineXml(line(prefix) !== '' && inline.length > 0 ? [`${line(prefix)} `, ...inline] : line(prefix) !== '' ? [line(prefix)] : inline);
}

/** "pl_PL" → "pl-PL": xml:lang wants BCP 47 tags. */
function languageTag(locale: string): string {
  return locale.replaceAll('_', '-');
}
