import { localize } from '../../i18n/index.ts';
import { httpLink, richToPlainLine, richToPlainText } from '../../ui/index.ts';
import { articleUrl, galleyUrl, inArticleLanguage, localesOf, noticeRelations, type RecordInput } from '../record.ts';
import { element } from '../xml.ts';

/**
 * Simple Dublin Core (`oai_dc`), as OJS's OAI provider fills it: titles and abstracts per language,
 * creators "Family, Given", keywords as subjects, the journal and issue as the source, the article
 * page, DOI and galleys as identifiers and relations. Written with the small escaping writer of
 * ../xml.ts: this format is what whole-repository harvests ask for.
 */
export function dublinCoreRecord(input: RecordInput): string {
  const { article, journal } = input;
  const parts: string[] = [];
  const dc = (name: string, value: string | null | undefined, lang?: string) => parts.push(element(`dc:${name}`, value, { 'xml:lang': lang }));
  for (const locale of localesOf(input, article.title)) dc('title', richToPlainLine(article.title[locale]), locale);
  for (const c of article.contributors) {
    const family = inArticleLanguage(input, c.familyName);
    const given = inArticleLanguage(input, c.givenName);
    dc('creator', family && given ? `${family}, ${given}` : (family ?? given));
  }
  for (const [locale, keywords] of Object.entries(article.keywords)) for (const k of keywords) dc('subject', k, locale);
  for (const locale of localesOf(input, article.abstract)) dc('description', richToPlainText(article.abstract[locale]!), locale);
  dc('publisher', journal.publisher ?? localize(journal.name, journal.primaryLocale)?.text);
  if (article.datePublished) dc('date', article.datePublished);
  dc('type', 'info:eu-repo/semantics/article');
  dc('type', 'info:eu-repo/semantics/publishedVersion');
  dc('type', inArticleLanguage(input, article.section.title));
  for (const g of article.galleys) dc('format', g.mimeType);
  dc('identifier', articleUrl(input));
  if (article.doi) dc('identifier', `https://doi.org/${article.doi}`);
  const journalName = localize(journal.name, journal.primaryLocale)?.text ?? journal.path;
  const issue = article.issue;
  const numbering = issue ? [issue.volume !== null ? `Vol. ${issue.volume}` : '', issue.number ? `No. ${issue.number}` : '', issue.year !== null ? `(${issue.year})` : ''].filter(Boolean).join(' ') : '';
  dc('source', [journalName, numbering, article.pages ?? ''].filter(Boolean).join('; '));
  if (journal.onlineIssn) dc('source', journal.onlineIssn);
  if (journal.printIssn) dc('source', journal.printIssn);
  dc('language', article.locale);
  for (const g of article.galleys) dc('relation', g.remoteUrl ? httpLink(g.remoteUrl) : galleyUrl(input, g.id));
  // A correction or retraction and the article it updates name each other.
  for (const related of noticeRelations(input)) dc('relation', related.doiUrl ?? related.pageUrl);
  dc('rights', httpLink(article.licenseUrl ?? journal.licenseUrl));
  return (
    '<oai_dc:dc xmlns:oai_dc="http://www.openarchives.org/OAI/2.0/oai_dc/" xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" ' +
    'xsi:schemaLocation="http://www.openarchives.org/OAI/2.0/oai_dc/ http://www.openarchives.org/OAI/2.0/oai_dc.xsd">' +
    parts.join('') +
    '</oai_dc:dc>'
  );
}
