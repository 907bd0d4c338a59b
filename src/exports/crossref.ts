import { create } from 'xmlbuilder2';
import { localize } from '../i18n/index.ts';
import type { ContributorView } from '../catalog/index.ts';
import { articleUrl, galleyUrl, inArticleLanguage, localesOf, xmlSafe, type RecordInput, pageRange, issn, orcidUrl, rorUrl, xmlText as text, xmlLine as line, escapeXml, jatsBlocksXml, richSlots, type RichSlots } from '../discovery/index.ts';
import { CROSSREF_MIME_TYPES } from './crossref-mime-types.ts';
import { citationList, isDoi } from './crossref-citations.ts';
import { httpLink, richToJatsBlocks, richToJatsInline, type JatsInline } from '../ui/index.ts';

export { doiInText } from './crossref-citations.ts';

/**
 * Crossref metadata deposit, schema 5.3.1: one `<doi_batch>` registering the DOIs of published
 * articles. Element order follows crossref5.3.1.xsd and common5.3.1.xsd, whose content models are
 * sequences. Items of one journal issue share a `<journal>` (the schema allows one journal_issue per
 * journal element); items without an issue share one `<journal>` without journal_issue.
 */

const CROSSREF_NS = 'http://www.crossref.org/schema/5.3.1';
const XMLNS_NS = 'http://www.w3.org/2000/xmlns/';
const XSI_NS = 'http://www.w3.org/2001/XMLSchema-instance';
const XML_NS = 'http://www.w3.org/XML/1998/namespace';
const JATS_NS = 'http://www.ncbi.nlm.nih.gov/JATS1';
const AI_NS = 'http://www.crossref.org/AccessIndicators.xsd';
const SCHEMA_LOCATION = 'http://www.crossref.org/schema/5.3.1 https://www.crossref.org/schemas/crossref5.3.1.xsd';

type Node = ReturnType<typeof create>;

export interface CrossrefDepositor {
  /** The organisation depositing (depositor_name, at most 130 characters). */
  name: string;
  /** Where Crossref sends the batch's success and error reports. */
  email: string;
  /** The organisation responsible for the metadata (usually the publisher). */
  registrant: string;
}

export interface CrossrefDepositOptions {
  depositor: CrossrefDepositor;
  /** Unique per submission, 4–100 characters; Crossref quotes it in its reports. */
  batchId: string;
  /** Version of the deposit (e.g. 20211227103000): Crossref ignores a deposit whose timestamp is not greater than the last one. */
  timestamp: number;
}

/**
 * The deposit for the given published articles. Throws when the batch could not be registered
 * (an article without a usable DOI, without a publication date or title; bad head values), naming
 * every article concerned, so that nothing is half-deposited.
 */
export function crossrefDeposit(items: RecordInput[], options: CrossrefDepositOptions): string {
  checkHead(options);
  if (items.length === 0) throw new Error('Crossref deposit: there are no articles to deposit.');
  const problems = items.flatMap(depositProblems);
  if (problems.length > 0) throw new Error(`Crossref deposit: these articles cannot be deposited:\n${problems.map((p) => `- ${p}`).join('\n')}`);

  const root = create({ version: '1.0', encoding: 'UTF-8' })
    .ele(CROSSREF_NS, 'doi_batch')
    .att(XMLNS_NS, 'xmlns:xsi', XSI_NS)
    .att(XMLNS_NS, 'xmlns:jats', JATS_NS)
    .att(XMLNS_NS, 'xmlns:ai', AI_NS)
    .att('version', '5.3.1')
    .att(XSI_NS, 'xsi:schemaLocation', SCHEMA_LOCATION);

  const head = root.ele('head');
  head.ele('doi_batch_id').txt(line(options.batchId));
  head.ele('timestamp').txt(String(options.timestamp));
  const depositor = head.ele('depositor');
  depositor.ele('depositor_name').txt(line(options.depositor.name));
  depositor.ele('email_address').txt(line(options.depositor.email));
  head.ele('registrant').txt(line(options.depositor.registrant));

  const body = root.ele('body');
  const slots = richSlots();
  for (const group of groupByIssue(items)) {
    const journal = body.ele('journal');
    journalMetadata(journal.ele('journal_metadata'), group[0]!);
    journalIssue(journal, group);
    for (const item of group) journalArticle(journal.ele('journal_article', { publication_type: 'full_text' }), item, slots);
  }
  return slots.fill(root.end({ prettyPrint: true }));
}

function checkHead({ depositor, batchId, timestamp }: CrossrefDepositOptions): void {
  const problems: string[] = [];
  const id = line(batchId);
  if (id.length < 4 || id.length > 100) problems.push(`the batch id must have 4 to 100 characters (got "${id}")`);
  if (!Number.isSafeInteger(timestamp) || timestamp < 0) problems.push(`the timestamp must be a non-negative integer (got ${timestamp})`);
  const name = line(depositor.name);
  if (name.length < 1 || name.length > 130) problems.push('the depositor name must have 1 to 130 characters');
  const email = line(depositor.email);
  if (email.length < 6 || email.length > 200 || !email.includes('@')) problems.push(`the depositor e-mail address is not valid (got "${email}")`);
  const registrant = line(depositor.registrant);
  if (registrant.length < 1 || registrant.length > 255) problems.push('the registrant must have 1 to 255 characters');
  if (problems.length > 0) throw new Error(`Crossref deposit: ${problems.join('; ')}.`);
}

/** What keeps one article out of a deposit, as sentences naming it. */
function depositProblems(item: RecordInput): string[] {
  const { article, journal } = item;
  const name = `article ${article.id}`;
  const problems: string[] = [];
  const doi = line(article.doi);
  if (doi === '') problems.push(`${name} has no DOI`);
  else if (!isDoi(doi)) problems.push(`${name} has a DOI Crossref does not accept: "${doi}"`);
  if (!articleDate(item)) problems.push(`${name} has no publication date`);
  if (!localize(article.title, article.locale, journal.primaryLocale)) problems.push(`${name} has no title`);
  if (!localize(journal.name, journal.primaryLocale)) problems.push(`${name}: its journal "${journal.path}" has no name`);
  for (const contributor of article.contributors) {
    if (contributor.isOrganization) continue;
    const { given, surname } = personName(contributor, item);
    for (const part of [given, surname]) {
      if (part !== undefined && !isCrossrefName(part)) problems.push(`${name}: Crossref does not accept the name part "${part}" (Crossref's rules for names: at most 60 characters, no question marks or stray digits)`);
    }
  }
  return problems;
}

/** Items in input order, those of one journal and issue together (group order: first appearance). */
function groupByIssue(items: RecordInput[]): RecordInput[][] {
  const groups = new Map<string, RecordInput[]>();
  for (const item of items) {
    const key = `${item.journal.id}:${item.article.issue?.id ?? '-'}`;
    const group = groups.get(key);
    if (group) group.push(item);
    else groups.set(key, [item]);
  }
  return [...groups.values()];
}

function journalMetadata(meta: Node, input: RecordInput): void {
  const { journal } = input;
  const language = languageCode(journal.primaryLocale);
  if (language) meta.att('language', language);
  meta.ele('full_title').txt(line(localize(journal.name, journal.primaryLocale)?.text));
  const acronym = line(localize(journal.acronym, journal.primaryLocale)?.text);
  if (acronym !== '') meta.ele('abbrev_title').txt(acronym);
  const online = issn(journal.onlineIssn);
  const print = issn(journal.printIssn);
  if (online) meta.ele('issn', { media_type: 'electronic' }).txt(online);
  if (print) meta.ele('issn', { media_type: 'print' }).txt(print);
}

/**
 * journal_issue needs a publication date: the issue's own, else its year, else the earliest of its
 * articles'. Volume and number are only said when the issue has them.
 */
function journalIssue(journal: Node, group: RecordInput[]): void {
  const issue = group[0]!.article.issue;
  if (!issue) return;
  const articleDates = group.map(articleDate).filter((d): d is CalendarDate => d !== undefined);
  const date = calendarDate(issue.datePublished) ?? yearOnly(issue.year) ?? articleDates.sort(compareDates)[0];
  if (!date) return;
  const element = journal.ele('journal_issue');
  publicationDate(element, date);
  if (issue.volume !== null) element.ele('journal_volume').ele('volume').txt(String(issue.volume));
  const number = line(issue.number);
  if (number !== '') element.ele('issue').txt(number);
}

function journalArticle(element: Node, input: RecordInput, slots: RichSlots): void {
  const { article, journal } = input;
  const language = languageCode(article.locale);
  if (language) element.att('language', language);

  titles(element.ele('titles'), input, slots);
  contributors(element, article.contributors, input);

  for (const locale of localesOf(input, article.abstract)) {
    const abstract = element.ele(JATS_NS, 'jats:abstract').att(XML_NS, 'xml:lang', locale.replaceAll('_', '-'));
    // The stored HTML as JATS 1.3 paragraphs, lists and inline elements, in Crossref's JATS namespace.
    slots.put(abstract, jatsBlocksXml(richToJatsBlocks(article.abstract[locale]!), 'jats'));
  }

  publicationDate(element, articleDate(input)!);

  const pages = pageRange(article.pages);
  if (pages) {
    const element_ = element.ele('pages');
    element_.ele('first_page').txt(pages.first);
    if (pages.last) element_.ele('last_page').txt(pages.last);
  } else {
    // Not a page range: an article number, which Crossref takes as a publisher item number.
    const number = line(article.pages);
    if (number !== '' && number.length <= 32) element.ele('publisher_item').ele('item_number', { item_number_type: 'article_number' }).txt(number);
  }

  const update = input.article.updates;
  const policy = input.journal.crossmarkPolicyDoi;
  if (update?.doi && update.datePublished && policy) {
    // Crossmark's update relation: this notice corrects, retracts or raises concern about that DOI.
    // The schema puts crossmark in place of the programs, which then go in its custom_metadata.
    const crossmark = element.ele('crossmark');
    crossmark.ele('crossmark_policy').txt(line(policy));
    crossmark.ele('updates').ele('update', { type: update.kind, date: update.datePublished }).txt(line(update.doi));
    accessIndicators(crossmark.ele('custom_metadata'), input);
  } else {
    accessIndicators(element, input);
  }

  const doiData = element.ele('doi_data');
  doiData.ele('doi').txt(line(article.doi));
  doiData.ele('resource').txt(articleUrl(input));
  fullTextCollections(doiData, input);

  citationList(element, input.article.references);
}

/**
 * titles allows one title and one original_language_title, each with an optional subtitle: the
 * title in the article's language, then the first other language that has one.
 */
function titles(element: Node, input: RecordInput, slots: RichSlots): void {
  const { article, journal } = input;
  const main = localize(article.title, article.locale, journal.primaryLocale)!;
  slots.put(element.ele('title'), titleXml(article.prefix[main.locale], main.text));
  if (line(article.subtitle[main.locale]) !== '') slots.put(element.ele('subtitle'), faceMarkupXml(richToJatsInline(article.subtitle[main.locale]!)));
  const other = localesOf(input, article.title).find((locale) => locale !== main.locale && line(article.title[locale]) !== '');
  if (!other) return;
  const original = element.ele('original_language_title');
  const language = languageCode(other);
  if (language) original.att('language', language);
  slots.put(original, titleXml(article.prefix[other], article.title[other]!));
  if (line(article.subtitle[other]) !== '') slots.put(element.ele('subtitle'), faceMarkupXml(richToJatsInline(article.subtitle[other]!)));
}

/**
 * Who is credited, in order. A contributor with no name at all (the demo article's only one is an
 * affiliation) is left out: `anonymous` would tell Crossref, and every service reading its API,
 * that the article has an author whose name is withheld, and `organization` would make the
 * institution the author; the record says neither. Without any named contributor `contributors` is
 * left out, as journal_article allows, and citation styles then start with the title. An
 * `organization` is written only for a contributor OJS marks as one (contributor_type
 * ORGANIZATION, its name in the given name). A person known by one name has it as the surname,
 * which person_name requires.
 */
function contributors(article: Node, list: ContributorView[], input: RecordInput): void {
  const credited = list.flatMap((contributor) => {
    const name = personName(contributor, input);
    if (!name.surname) return [];
    return [{ contributor, given: name.given, surname: name.surname, affiliation: affiliation(contributor, input) }];
  });
  if (credited.length === 0) return;
  const element = article.ele('contributors');
  credited.forEach((c, index) => {
    const attributes = { sequence: index === 0 ? 'first' : 'additional', contributor_role: 'author' };
    if (c.contributor.isOrganization) {
      element.ele('organization', attributes).txt(organizationName(c.contributor, input)!);
      return;
    }
    const person = element.ele('person_name', attributes);
    if (c.given) person.ele('given_name').txt(c.given);
    person.ele('surname').txt(c.surname);
    if (c.affiliation) institution(person.ele('affiliations'), c.affiliation);
    const orcid = orcidUrl(c.contributor.orcid);
    // authenticated="true" only when the person proved the iD through ORCID sign-in (0018_orcid_authenticated.ts).
    if (orcid) person.ele('ORCID', { authenticated: c.contributor.orcidAuthenticated === true ? 'true' : 'false' }).txt(orcid);
  });
}

/** An organisation's name as OJS keeps it (given name, else family name), within organization_t's 511 characters. */
function organizationName(contributor: ContributorView, input: RecordInput): string | undefined {
  const name = line(inArticleLanguage(input, contributor.givenName)) || line(inArticleLanguage(input, contributor.familyName));
  return name === '' ? undefined : [...name].slice(0, 511).join('');
}

function personName(contributor: ContributorView, input: RecordInput): { given?: string; surname?: string } {
  const family = line(inArticleLanguage(input, contributor.familyName));
  const given = line(inArticleLanguage(input, contributor.givenName));
  if (family !== '') return given !== '' ? { given, surname: family } : { surname: family };
  return given !== '' ? { surname: given } : {};
}

/** given_name and surname: 1–60 characters matching `[^\d\?]*[^\?\s]+[^\d]*` (XSD's \d is any decimal digit). */
function isCrossrefName(value: string): boolean {
  return [...value].length <= 60 && /^[^\p{Nd}?]*[^?\s]+[^\p{Nd}]*$/u.test(value);
}

interface Affiliation {
  name: string;
  ror?: string;
}

function affiliation(contributor: ContributorView, input: RecordInput): Affiliation | undefined {
  const name = line(inArticleLanguage(input, contributor.affiliation));
  const ror = rorUrl(contributor.rorId);
  if (name === '' && !ror) return undefined;
  return ror ? { name, ror } : { name };
}

/** institution: a name (then its ROR iD), or the ROR iD alone. */
function institution(affiliations: Node, value: Affiliation): void {
  const element = affiliations.ele('institution');
  if (value.name !== '') element.ele('institution_name').txt(value.name);
  if (value.ror) element.ele('institution_id', { type: 'ror' }).txt(value.ror);
}

interface CalendarDate {
  year: string;
  month?: string;
  day?: string;
}

function articleDate(input: RecordInput): CalendarDate | undefined {
  const issue = input.article.issue;
  return calendarDate(input.article.datePublished) ?? calendarDate(issue?.datePublished) ?? yearOnly(issue?.year);
}

function calendarDate(value: string | null | undefined): CalendarDate | undefined {
  const match = /^(\d{4})-(\d{2})-(\d{2})/.exec(value ?? '');
  if (!match || !validYear(Number(match[1]))) return undefined;
  return { year: match[1]!, month: match[2]!, day: match[3]! };
}

function yearOnly(year: number | null | undefined): CalendarDate | undefined {
  return year && validYear(year) ? { year: String(year) } : undefined;
}

/** xrefYear: 1400–2200. */
function validYear(year: number): boolean {
  return Number.isInteger(year) && year >= 1400 && year <= 2200;
}

function compareDates(a: CalendarDate, b: CalendarDate): number {
  const key = (d: CalendarDate) => `${d.year}-${d.month ?? '00'}-${d.day ?? '00'}`;
  return key(a).localeCompare(key(b));
}

/** date_t is a sequence: month, day, year. */
function publicationDate(parent: Node, date: CalendarDate): void {
  const element = parent.ele('publication_date', { media_type: 'online' });
  if (date.month) element.ele('month').txt(date.month);
  if (date.month && date.day) element.ele('day').txt(date.day);
  element.ele('year').txt(date.year);
}




/** A ROR iD, bare or as a URL, as https://ror.org/0xxxxxxxx. */
/** language.atts takes ISO 639-1 codes: "pl_PL" → "pl". */
function languageCode(locale: string): string | undefined {
  const code = locale.split(/[_-]/)[0]!.toLowerCase();
  return /^[a-z]{2}$/.test(code) ? code : undefined;
}

/** Crossref's face markup for what a title's inline markup says; links and anything else keep their text. */
const FACE: Partial<Record<string, string>> = { italic: 'i', bold: 'b', sup: 'sup', sub: 'sub', underline: 'u', monospace: 'tt' };

function faceMarkupXml(children: JatsInline[]): string {
  return children
    .map((child) => {
      if (typeof child === 'string') return escapeXml(child);
      const face = FACE[child.tag];
      return face ? `<${face}>${faceMarkupXml(child.children)}</${face}>` : faceMarkupXml(child.children);
    })
    .join('');
}

/** "Prefix Title", with the title's inline markup as face markup. */
function titleXml(prefix: string | undefined, title: string): string {
  const inline = richToJatsInline(title);
  return faceMarkupXml(line(prefix) === '' ? inline : inline.length > 0 ? [`${line(prefix)} `, ...inline] : [line(prefix)]);
}

/**
 * AccessIndicators: free_to_read, because Revista has no subscriptions or embargoes (every
 * published article and galley is served to anyone, signed in or not), and the licence of the
 * version of record when the article or its journal names one by an http(s) address.
 */
function accessIndicators(element: Node, input: RecordInput): void {
  const program = element.ele(AI_NS, 'ai:program', { name: 'AccessIndicators' });
  program.ele(AI_NS, 'ai:free_to_read');
  const licenseUrl = line(httpLink(line(input.article.licenseUrl ?? input.journal.licenseUrl)));
  if (licenseUrl.length >= 10) program.ele(AI_NS, 'ai:license_ref', { applies_to: 'vor' }).txt(licenseUrl);
}

/**
 * Full-text links, as OJS's Crossref plugin deposits them. `crawler-based` (Similarity Check's
 * crawler, iParadigms) gets one full text to compare: the PDF in the article's language, else the
 * first PDF, else the first stored galley. `text-mining` gets every galley, stored or remote, at its
 * download address, with the stored file's type when the schema's list has it (a remote galley's
 * type is not known; an unlisted type is left out rather than refused). No galleys, no collections.
 */
function fullTextCollections(doiData: Node, input: RecordInput): void {
  const { galleys, locale } = input.article;
  const stored = galleys.filter((g) => g.remoteUrl === null);
  const pdfs = stored.filter((g) => mimeType(g.mimeType) === 'application/pdf');
  const crawled = pdfs.find((g) => sameLanguage(g.locale, locale)) ?? pdfs[0] ?? stored.find((g) => sameLanguage(g.locale, locale)) ?? stored[0];
  if (crawled) {
    doiData.ele('collection', { property: 'crawler-based' }).ele('item', { crawler: 'iParadigms' }).ele('resource').txt(galleyUrl(input, crawled.id));
  }
  if (galleys.length === 0) return;
  const textMining = doiData.ele('collection', { property: 'text-mining' });
  for (const galley of galleys) {
    const type = galley.remoteUrl === null ? mimeType(galley.mimeType) : undefined;
    textMining.ele('item').ele('resource', type ? { mime_type: type } : {}).txt(galleyUrl(input, galley.id));
  }
}

/** The schema's spelling of a stored type ("Application/PDF; charset=…" → "application/pdf"), or undefined when its list lacks it. */
function mimeType(stored: string | null): string | undefined {
  const bare = (stored ?? '').split(';')[0]!.trim().toLowerCase();
  return CROSSREF_MIME_TYPES.find((type) => type.toLowerCase() === bare);
}

function sameLanguage(a: string, b: string): boolean {
  return a.split(/[_-]/)[0]!.toLowerCase() === b.split(/[_-]/)[0]!.toLowerCase();
}
