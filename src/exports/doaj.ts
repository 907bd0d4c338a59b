import { create } from 'xmlbuilder2';
import { richToPlainLine, richToPlainText } from '../ui/index.ts';
import { localize } from '../i18n/index.ts';
import type { ContributorView } from '../catalog/index.ts';
import { articleUrl, inArticleLanguage, ISO_639_2B, localesOf, xmlSafe, type RecordInput, pageRange, issn, orcidUrl, xmlText as text, xmlLine as line } from '../discovery/index.ts';

/**
 * DOAJ article XML (doajArticles.xsd, no namespace): `<records>` with one `<record>` per article,
 * for upload to a journal's DOAJ account. The record is a sequence; element order follows it.
 *
 * DOAJ files an uploaded article under the journal whose ISSN it carries, so an article whose journal
 * has no valid ISSN cannot be taken even though the schema makes issn/eissn optional: such articles
 * (and those without a publication date or title, or with a site address DOAJ's fullUrl pattern
 * refuses) make the whole call throw, naming each one, rather than give a file DOAJ would reject.
 */

type Node = ReturnType<typeof create>;

export function doajArticles(items: RecordInput[]): string {
  if (items.length === 0) throw new Error('DOAJ export: there are no articles to export.');
  const problems = items.flatMap(exportProblems);
  if (problems.length > 0) throw new Error(`DOAJ export: these articles cannot be sent to DOAJ:\n${problems.map((p) => `- ${p}`).join('\n')}`);

  const records = create({ version: '1.0', encoding: 'UTF-8' }).ele('records');
  for (const item of items) record(records.ele('record'), item);
  return records.end({ prettyPrint: true });
}

function exportProblems(item: RecordInput): string[] {
  const { article, journal } = item;
  const name = `article ${article.id}`;
  const problems: string[] = [];
  if (!issn(journal.printIssn) && !issn(journal.onlineIssn)) problems.push(`${name}: its journal "${journal.path}" has no ISSN, and DOAJ matches articles to journals by ISSN`);
  if (!publicationDate(item)) problems.push(`${name} has no publication date`);
  if (!localize(article.title, article.locale, journal.primaryLocale)) problems.push(`${name} has no title`);
  if (!localize(journal.name, journal.primaryLocale)) problems.push(`${name}: its journal "${journal.path}" has no name`);
  const url = articleUrl(item);
  if (!FULL_URL.test(url)) problems.push(`${name}: DOAJ does not accept the address ${url} (a public host name is needed)`);
  return problems;
}

/** doajArticles.xsd's fullUrl pattern: a host with a 2–10 letter top-level domain, or an IPv4 address. */
const FULL_URL = /^https?:\/\/([^/:]+\.\p{L}{2,10}|([0-9]{1,3}\.){3}[0-9]{1,3})(:[0-9]+)?(.*)?$/u;

function record(element: Node, input: RecordInput): void {
  const { article, journal } = input;
  const language = languageCode(article.locale);
  if (language) element.ele('language').txt(language);
  const publisher = line(journal.publisher);
  if (publisher !== '') element.ele('publisher').txt(publisher);
  element.ele('journalTitle').txt(line(localize(journal.name, journal.primaryLocale)?.text));
  // issn is the print ISSN, eissn the online one.
  const print = issn(journal.printIssn);
  const online = issn(journal.onlineIssn);
  if (print) element.ele('issn').txt(print);
  if (online) element.ele('eissn').txt(online);
  element.ele('publicationDate').txt(publicationDate(input)!);

  const issue = article.issue;
  if (issue?.volume !== null && issue?.volume !== undefined) element.ele('volume').txt(String(issue.volume));
  if (issue && line(issue.number) !== '') element.ele('issue').txt(line(issue.number));
  const pages = pageRange(article.pages);
  if (pages) {
    element.ele('startPage').txt(pages.first);
    if (pages.last) element.ele('endPage').txt(pages.last);
  } else if (line(article.pages) !== '') {
    // An article number rather than a page range: DOAJ has only startPage for it.
    element.ele('startPage').txt(line(article.pages));
  }
  const doi = line(article.doi);
  if (doi !== '') element.ele('doi').txt(doi);
  element.ele('publisherRecordId').txt(String(article.id));
  element.ele('documentType').txt('article');

  for (const locale of localesOf(input, article.title)) {
    withLanguage(element.ele('title'), locale).txt(fullTitle(article.prefix[locale], richToPlainLine(article.title[locale]), richToPlainLine(article.subtitle[locale])));
  }

  authors(element, article.contributors, input);

  for (const locale of localesOf(input, article.abstract)) withLanguage(element.ele('abstract'), locale).txt(text(richToPlainText(article.abstract[locale]!)));

  element.ele('fullTextUrl', { format: 'html' }).txt(articleUrl(input));

  const keywordsByLocale = Object.fromEntries(Object.entries(article.keywords).map(([locale, list]) => [locale, list.join(' ')]));
  for (const locale of localesOf(input, keywordsByLocale)) {
    const keywords = (article.keywords[locale] ?? []).map(line).filter((k) => k !== '');
    if (keywords.length === 0) continue;
    const group = withLanguage(element.ele('keywords'), locale);
    for (const keyword of keywords) group.ele('keyword').txt(keyword);
  }
}

/**
 * author needs a name: a contributor known only by an affiliation (the demo article's) gets no
 * author element, so no person is invented, but the affiliation still goes into affiliationsList.
 * Affiliations are listed once each and referred to by number.
 */
function authors(record: Node, contributors: ContributorView[], input: RecordInput): void {
  const affiliationIds = new Map<string, string>();
  const people = contributors.map((contributor) => {
    const affiliation = line(inArticleLanguage(input, contributor.affiliation));
    let affiliationId: string | undefined;
    if (affiliation !== '') {
      affiliationId = affiliationIds.get(affiliation) ?? String(affiliationIds.size + 1);
      affiliationIds.set(affiliation, affiliationId);
    }
    const name = [line(inArticleLanguage(input, contributor.givenName)), line(inArticleLanguage(input, contributor.familyName))].filter((p) => p !== '').join(' ');
    return { name, affiliationId, orcid: orcidUrl(contributor.orcid) };
  });

  const named = people.filter((p) => p.name !== '');
  if (named.length > 0) {
    const list = record.ele('authors');
    for (const person of named) {
      const author = list.ele('author');
      author.ele('name').txt(person.name);
      if (person.affiliationId) author.ele('affiliationId').txt(person.affiliationId);
      if (person.orcid) author.ele('orcid_id').txt(person.orcid);
    }
  }
  if (affiliationIds.size > 0) {
    const list = record.ele('affiliationsList');
    for (const [name, id] of affiliationIds) list.ele('affiliationName', { affiliationId: id }).txt(name);
  }
}

/** publicationDate: the article's date, else its issue's, else the issue's year (yyyy[-mm[-dd]]). */
function publicationDate(input: RecordInput): string | undefined {
  const issue = input.article.issue;
  for (const value of [input.article.datePublished, issue?.datePublished]) {
    const match = /^(\d{4}-\d{2}-\d{2})/.exec(value ?? '');
    if (match) return match[1];
  }
  return issue?.year && issue.year >= 1000 && issue.year <= 9999 ? String(issue.year) : undefined;
}

/** The language attribute takes ISO 639-2/B codes; a locale without one gets no attribute. */
function withLanguage(element: Node, locale: string): Node {
  const code = languageCode(locale);
  return code ? element.att('language', code) : element;
}

function languageCode(locale: string): string | undefined {
  return ISO_639_2B[locale.split(/[_-]/)[0]!.toLowerCase()];
}




/** DOAJ has no subtitle element: "Prefix Title: Subtitle". */
function fullTitle(prefix: string | undefined, title: string, subtitle: string | undefined): string {
  const main = [line(prefix), line(title)].filter((part) => part !== '').join(' ');
  return line(subtitle) === '' ? main : `${main}: ${line(subtitle)}`;
}


