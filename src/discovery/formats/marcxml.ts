import { create } from 'xmlbuilder2';
import { localize } from '../../i18n/index.ts';
import { httpLink, richToPlainLine, richToPlainText } from '../../ui/index.ts';
import type { LocalizedText } from '../../db/index.ts';
import { licenseName } from './jats.ts';
import { articleUrl, galleyUrl, inArticleLanguage, invertedName, ISO_639_2B, localesOf, orcidUrl, xmlSafe, type RecordInput } from '../record.ts';

/**
 * MARCXML (MARC 21 slim) bibliographic record for one article: the content of OAI-PMH `<metadata>`
 * for metadataPrefix `marcxml`, after OJS's MARC21 format but valid against MARC21slim.xsd (OJS
 * writes indicators as "#" and a 773 with `id`/`label` attributes, which the schema refuses).
 */

const MARC_NS = 'http://www.loc.gov/MARC21/slim';
const XSI_NS = 'http://www.w3.org/2001/XMLSchema-instance';
const XMLNS_NS = 'http://www.w3.org/2000/xmlns/';

/**
 * 05 n (new), 06 a (language material), 07 b (serial component part), 09 a (UCS/Unicode),
 * 10–11 "22", 17 7 (minimal level), 18 a, 20–23 "4500"; length and base address left blank, as
 * the schema's leader pattern allows for XML records.
 */
const LEADER = '     nab a22     7a 4500';

type Subfield = [code: string, value: string | null | undefined];
interface DataField {
  tag: string;
  ind1: string;
  ind2: string;
  subfields: Subfield[];
}

export function marcxmlRecord(input: RecordInput): string {
  const { article, journal } = input;
  const fields: DataField[] = [];
  const add = (tag: string, ind1: string, ind2: string, ...subfields: Subfield[]) => fields.push({ tag, ind1, ind2, subfields });

  for (const issn of [journal.onlineIssn, journal.printIssn]) add('022', ' ', ' ', ['a', issn]);
  add('024', '7', ' ', ['a', article.doi], ['2', article.doi ? 'doi' : undefined]);
  add('041', '0', ' ', ['a', languageCode(article.locale)]);
  add('042', ' ', ' ', ['a', 'dc']);

  // Main entry: the first contributor; the rest are added entries. A contributor known only by an
  // affiliation (the demo article's case) keeps the field with $u alone rather than vanishing.
  article.contributors.forEach((c, index) => {
    const name = invertedName(input, c);
    const hasFamily = Boolean(inArticleLanguage(input, c.familyName));
    add(index === 0 ? '100' : '700', name && !hasFamily ? '0' : '1', ' ', ['a', name], ['u', inArticleLanguage(input, c.affiliation)], ['1', orcidUrl(c.orcid)]);
  });
  const hasMainEntry = article.contributors.length > 0;

  const title = localize(article.title, article.locale, journal.primaryLocale);
  if (title) {
    const { full, nonFiling } = fullTitle(article.prefix[title.locale], richToPlainLine(title.text));
    add('245', hasMainEntry ? '1' : '0', nonFiling, ['a', full], ['b', richToPlainLine(article.subtitle[title.locale])]);
    for (const locale of localesOf(input, article.title)) {
      if (locale === title.locale) continue;
      add('246', '3', '1', ['a', fullTitle(article.prefix[locale], richToPlainLine(article.title[locale])).full], ['b', richToPlainLine(article.subtitle[locale])]);
    }
  }

  const published = publicationDate(input);
  add('260', ' ', ' ', ['b', journal.publisher], ['c', published?.iso]);
  add('300', ' ', ' ', ['a', article.pages]);
  for (const locale of localesOf(input, article.abstract)) add('520', ' ', ' ', ['a', richToPlainText(article.abstract[locale]!)]);
  const licenseUrl = httpLink(article.licenseUrl ?? journal.licenseUrl);
  add('540', ' ', ' ', ['a', licenseUrl ? licenseName(licenseUrl) : undefined], ['u', licenseUrl]);
  add('546', ' ', ' ', ['a', languageName(article.locale)]);
  const keywordsByLocale = Object.fromEntries(Object.entries(article.keywords).map(([locale, list]) => [locale, list.join(' ')]));
  for (const locale of localesOf(input, keywordsByLocale)) {
    for (const keyword of article.keywords[locale] ?? []) add('653', ' ', ' ', ['a', keyword]);
  }
  add('773', '0', ' ', ['t', localizedIn(journal.name, journal.primaryLocale)], ['g', issueDesignation(input)], ['x', journal.onlineIssn ?? journal.printIssn]);
  add('856', '4', '0', ['u', articleUrl(input)]);
  for (const galley of article.galleys) {
    add('856', '4', '0', ['u', galleyUrl(input, galley.id)], ['q', galley.mimeType], ['y', galley.label]);
  }

  const record = create()
    .ele(MARC_NS, 'record')
    .att(XMLNS_NS, 'xmlns:xsi', XSI_NS)
    .att(XSI_NS, 'xsi:schemaLocation', `${MARC_NS} http://www.loc.gov/standards/marcxml/schema/MARC21slim.xsd`)
    .att('type', 'Bibliographic');
  record.ele('leader').txt(LEADER);
  record.ele('controlfield', { tag: '008' }).txt(field008(input, published));
  // Stable sort: fields leave in tag order, repeated tags in the order they were added.
  for (const field of [...fields].sort((a, b) => a.tag.localeCompare(b.tag))) {
    const subfields = field.subfields.map(([code, value]) => [code, clean(value)] as const).filter(([, value]) => value !== '');
    if (subfields.length === 0) continue;
    const element = record.ele('datafield', { tag: field.tag, ind1: field.ind1, ind2: field.ind2 });
    for (const [code, value] of subfields) element.ele('subfield', { code }).txt(value);
  }
  return record.end({ headless: true, prettyPrint: true });
}

/** MARC values are single-line: XML-safe, whitespace runs (paragraph breaks too) folded to one space. */
function clean(value: string | null | undefined): string {
  return xmlSafe(value ?? '').replace(/\s+/g, ' ').trim();
}

function localizedIn(text: LocalizedText, locale: string): string | undefined {
  return localize(text, locale)?.text;
}

/** "The" + "Title" → "The Title", with the non-filing count (245 second indicator, 0–9). */
function fullTitle(prefix: string | undefined, title: string): { full: string; nonFiling: string } {
  const cleanPrefix = clean(prefix);
  if (cleanPrefix === '') return { full: title, nonFiling: '0' };
  const count = cleanPrefix.length + 1;
  return { full: `${cleanPrefix} ${title}`, nonFiling: count <= 9 ? String(count) : '0' };
}

interface PublicationDate {
  year: string;
  /** YYMMDD, for 008/00-05. */
  yymmdd: string;
  /** YYYY-MM-DD, or just the year when only the issue's year is known. */
  iso: string;
}

function publicationDate(input: RecordInput): PublicationDate | undefined {
  const { article } = input;
  const match = /^(\d{4})-(\d{2})-(\d{2})/.exec(article.datePublished ?? article.issue?.datePublished ?? '');
  if (match) return { year: match[1]!, yymmdd: `${match[1]!.slice(2)}${match[2]}${match[3]}`, iso: `${match[1]}-${match[2]}-${match[3]}` };
  const year = article.issue?.year;
  if (year) return { year: String(year), yymmdd: `${String(year).slice(2)}0101`, iso: String(year) };
  return undefined;
}

/**
 * 008 for a continuing-resource component part (40 characters): 00–05 date entered (the
 * publication date), 06 "s" single date, 07–10 year, 11–14 blank, 15–17 "xx " place unknown,
 * 18–34 continuing-resource codes (periodical, online, fill where not known), 35–37 language,
 * 38 blank, 39 "d" other cataloguing source. Without any date: "n" and "uuuu".
 */
function field008(input: RecordInput, published: PublicationDate | undefined): string {
  const entered = published?.yymmdd ?? input.article.lastModified.toISOString().slice(2, 10).replaceAll('-', '');
  const dates = published ? `s${published.year}    ` : 'nuuuuuuuu';
  // 18 frequency, 19 regularity (| not coded), 20 blank, 21 p periodical, 22 blank, 23 o online,
  // 24–28 blank (nature of work and contents, government publication), 29 0 not a conference,
  // 30–33 blank, 34 | (entry convention not coded).
  const continuing = '||' + ' ' + 'p' + ' ' + 'o' + ' '.repeat(5) + '0' + ' '.repeat(4) + '|';
  const value = `${entered}${dates}xx ${continuing}${languageCode(input.article.locale)} d`;
  if (value.length !== 40) throw new Error(`MARC 008 must be 40 characters, got ${value.length}`);
  return value;
}

function baseLanguage(locale: string): string {
  return locale.split(/[-_]/)[0]!.toLowerCase();
}

/** ISO 639-2/B, "und" (undetermined) when the locale is not one we know. */
function languageCode(locale: string): string {
  return ISO_639_2B[baseLanguage(locale)] ?? 'und';
}

/** 546 is a note for people: the language's English name ("English", "Polish"). */
function languageName(locale: string): string | undefined {
  try {
    return new Intl.DisplayNames(['en'], { type: 'language' }).of(baseLanguage(locale));
  } catch {
    return undefined;
  }
}

/** "Vol. 74 No. 4 (2021)": the issue as a citation names it, whatever the journal shows on its pages. */
function issueDesignation(input: RecordInput): string | undefined {
  const issue = input.article.issue;
  if (!issue) return undefined;
  const parts = [issue.volume !== null ? `Vol. ${issue.volume}` : '', issue.number ? `No. ${issue.number}` : '', issue.year !== null ? `(${issue.year})` : ''];
  return parts.filter((p) => p !== '').join(' ') || undefined;
}
