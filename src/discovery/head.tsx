import { trustedHtml, type SafeHtml } from '#jsx/jsx-runtime';
import { localize } from '../i18n/index.ts';
import { httpLink, richToPlainLine, richToPlainText } from '../ui/index.ts';
import { articleUrl, galleyUrl, inArticleLanguage, issueUrl, localesOf, noticeRelations, orcidUrl, pageRange, rorUrl, xmlSafe, type RecordInput } from './record.ts';

/**
 * The article page's `<head>` for indexers: Google Scholar's Highwire Press tags, Dublin Core as OJS
 * emits it, schema.org JSON-LD, OpenGraph and Twitter cards. Pure: data in, tags out; every value is
 * escaped by the JSX runtime (JSON-LD by `jsonForScript`).
 */
export interface MetaTag {
  name?: string;
  property?: string;
  content: string;
  lang?: string;
  scheme?: string;
}

/** "2021/12/27", the date form Google Scholar's guidelines ask for. */
function scholarDate(date: string): string {
  return date.replaceAll('-', '/');
}

function personName(input: RecordInput, c: RecordInput['article']['contributors'][number]): string | undefined {
  const name = `${inArticleLanguage(input, c.givenName) ?? ''} ${inArticleLanguage(input, c.familyName) ?? ''}`.trim();
  return name === '' ? undefined : name;
}


/** Highwire Press `citation_*` tags, in the order Google Scholar's inclusion guidelines list them. */
export function highwireTags(input: RecordInput): MetaTag[] {
  const { article, journal } = input;
  const tags: MetaTag[] = [];
  const add = (name: string, content: string | null | undefined, lang?: string) => {
    if (content && content.trim() !== '') tags.push({ name, content: xmlSafe(content), ...(lang ? { lang } : {}) });
  };
  add('citation_title', richToPlainLine(inArticleLanguage(input, article.title)));
  for (const contributor of article.contributors) {
    const name = personName(input, contributor);
    // Scholar ties institution and ORCID to the author tag before them: without a name there is no author tag to follow.
    if (!name) continue;
    add('citation_author', name);
    add('citation_author_institution', inArticleLanguage(input, contributor.affiliation));
    add('citation_author_orcid', orcidUrl(contributor.orcid));
  }
  if (article.datePublished) {
    add('citation_publication_date', scholarDate(article.datePublished));
    add('citation_online_date', scholarDate(article.datePublished));
  }
  add('citation_journal_title', localize(journal.name, journal.primaryLocale)?.text);
  add('citation_journal_abbrev', localize(journal.acronym, journal.primaryLocale)?.text);
  add('citation_issn', journal.onlineIssn);
  add('citation_issn', journal.printIssn);
  add('citation_publisher', journal.publisher);
  add('citation_volume', article.issue?.volume?.toString());
  add('citation_issue', article.issue?.number);
  const { first, last } = pageRange(article.pages) ?? {};
  add('citation_firstpage', first);
  add('citation_lastpage', last);
  add('citation_doi', article.doi);
  add('citation_language', article.locale);
  for (const locale of localesOf(input, Object.fromEntries(Object.entries(article.keywords).map(([l, list]) => [l, list.join(' ')])))) {
    add('citation_keywords', (article.keywords[locale] ?? []).join('; '), locale);
  }
  add('citation_abstract_html_url', articleUrl(input));
  for (const galley of article.galleys) {
    if (galley.mimeType === 'application/pdf') add('citation_pdf_url', galleyUrl(input, galley.id));
  }
  for (const reference of article.references) add('citation_reference', citationReference(reference));
  return tags;
}

const PERIODICALS = new Set(['article-journal', 'article-magazine', 'article-newspaper']);

/**
 * One `citation_reference`: the parsed reference as "key=value; …" with Highwire's own tag names, the
 * form HighWire-hosted journals use and Scholar reads — but only when the parse found a title, a
 * year and an author or a periodical, enough to identify the work. Anything less keeps the text as
 * the author wrote it, as OJS sends it, so a thin parse never hides what the text says.
 */
export function citationReference(reference: RecordInput['article']['references'][number]): string {
  const csl = reference.csl;
  const year = csl?.issued?.['date-parts']?.[0]?.[0];
  const journal = csl && PERIODICALS.has(csl.type) ? csl['container-title'] : undefined;
  const authors = (csl?.author ?? []).map((a) => (a.family ? [a.family, a.given].filter(Boolean).join(', ') : (a.literal ?? ''))).filter((a) => a.trim() !== '');
  if (!csl?.title || year === undefined || (authors.length === 0 && !journal)) return reference.text;
  const pairs: Array<[string, string | number | undefined]> = [
    ...authors.map((a): [string, string] => ['citation_author', a]),
    ['citation_title', csl.title],
    ['citation_journal_title', journal],
    ['citation_publisher', journal ? undefined : csl.publisher],
    ['citation_volume', csl.volume],
    ['citation_issue', csl.issue],
    ['citation_firstpage', pageRange(csl.page ?? null)?.first],
    ['citation_lastpage', pageRange(csl.page ?? null)?.last],
    ['citation_publication_date', year],
    ['citation_doi', csl.DOI],
    ['citation_isbn', csl.ISBN],
  ];
  // A value cannot carry the separator; whitespace runs fold to one space.
  const clean = (value: string | number) => String(value).replace(/;/g, ',').replace(/\s+/g, ' ').trim();
  return pairs
    .filter((pair): pair is [string, string | number] => pair[1] !== undefined && clean(pair[1]) !== '')
    .map(([key, value]) => `${key}=${clean(value)}`)
    .join('; ');
}

/** Dublin Core in HTML, with the names and schemes OJS uses (DC.Date.created, DC.Identifier.DOI, …). */
export function dublinCoreTags(input: RecordInput): MetaTag[] {
  const { article, journal } = input;
  const tags: MetaTag[] = [];
  const add = (name: string, content: string | null | undefined, extra: { lang?: string; scheme?: string } = {}) => {
    if (content && content.trim() !== '') tags.push({ name, content: xmlSafe(content), ...extra });
  };
  for (const locale of localesOf(input, article.title)) add(locale === article.locale ? 'DC.Title' : 'DC.Title.Alternative', richToPlainLine(article.title[locale]), { lang: locale });
  for (const contributor of article.contributors) add('DC.Creator.PersonalName', personName(input, contributor));
  if (article.datePublished) add('DC.Date.created', article.datePublished, { scheme: 'ISO8601' });
  if (article.dateSubmitted) add('DC.Date.dateSubmitted', article.dateSubmitted.toISOString().slice(0, 10), { scheme: 'ISO8601' });
  add('DC.Date.issued', article.issue?.datePublished ?? article.datePublished, { scheme: 'ISO8601' });
  add('DC.Date.modified', article.lastModified.toISOString().slice(0, 10), { scheme: 'ISO8601' });
  for (const locale of localesOf(input, article.abstract)) add('DC.Description', richToPlainText(article.abstract[locale]!), { lang: locale });
  for (const galley of article.galleys) add('DC.Format', galley.mimeType, { scheme: 'IMT' });
  add('DC.Identifier', String(article.id));
  add('DC.Identifier.pageNumber', article.pages);
  add('DC.Identifier.DOI', article.doi);
  add('DC.Identifier.URI', articleUrl(input));
  add('DC.Language', article.locale, { scheme: 'ISO639-1' });
  add('DC.Rights', httpLink(article.licenseUrl ?? journal.licenseUrl));
  add('DC.Source', localize(journal.name, journal.primaryLocale)?.text);
  add('DC.Source.ISSN', journal.onlineIssn ?? journal.printIssn);
  add('DC.Source.Issue', article.issue?.number);
  add('DC.Source.Volume', article.issue?.volume?.toString());
  add('DC.Source.URI', `${input.baseUrl}/${journal.path}`);
  for (const locale of Object.keys(article.keywords)) for (const keyword of article.keywords[locale] ?? []) add('DC.Subject', keyword, { lang: locale });
  for (const related of noticeRelations(input)) add('DC.Relation', related.doiUrl ?? related.pageUrl, { scheme: 'URI' });
  add('DC.Type', 'Text.Serial.Journal', { scheme: 'DCMIType' });
  add('DC.Type.articleType', inArticleLanguage(input, article.section.title));
  return tags;
}

/** schema.org ScholarlyArticle, with the issue → volume → periodical chain Google's guide describes. */
export function scholarlyArticleJsonLd(input: RecordInput): Record<string, unknown> {
  const { article, journal } = input;
  const periodical: Record<string, unknown> = {
    '@type': 'Periodical',
    name: localize(journal.name, journal.primaryLocale)?.text,
    ...(journal.onlineIssn || journal.printIssn ? { issn: [journal.onlineIssn, journal.printIssn].filter(Boolean) } : {}),
    ...(journal.publisher ? { publisher: { '@type': 'Organization', name: journal.publisher } } : {}),
    url: `${input.baseUrl}/${journal.path}`,
  };
  let isPartOf: Record<string, unknown> = periodical;
  if (article.issue) {
    const volume = article.issue.volume !== null ? { '@type': 'PublicationVolume', volumeNumber: String(article.issue.volume), isPartOf: periodical } : periodical;
    isPartOf = {
      '@type': 'PublicationIssue',
      ...(article.issue.number ? { issueNumber: article.issue.number } : {}),
      ...(article.issue.datePublished ? { datePublished: article.issue.datePublished } : {}),
      url: issueUrl(input),
      isPartOf: volume,
    };
  }
  // A contributor with no name is no author (its affiliation is not one either); an organisation
  // credited as one (OJS's contributor_type ORGANIZATION) is an Organization author.
  const authors = article.contributors.flatMap((c) => {
    const name = personName(input, c);
    if (!name) return [];
    if (c.isOrganization) return [{ '@type': 'Organization', name }];
    const affiliation = inArticleLanguage(input, c.affiliation);
    const organization = affiliation ? { '@type': 'Organization', name: affiliation, ...(rorUrl(c.rorId) ? { '@id': rorUrl(c.rorId) } : {}) } : undefined;
    return [{ '@type': 'Person', name, ...(orcidUrl(c.orcid) ? { '@id': orcidUrl(c.orcid), sameAs: orcidUrl(c.orcid) } : {}), ...(organization ? { affiliation: organization } : {}) }];
  });
  const { first, last } = pageRange(article.pages) ?? {};
  const keywords = article.keywords[article.locale] ?? Object.values(article.keywords)[0] ?? [];
  const abstract = richToPlainText(inArticleLanguage(input, article.abstract) ?? '');
  return {
    '@context': 'https://schema.org',
    '@type': 'ScholarlyArticle',
    '@id': articleUrl(input),
    url: articleUrl(input),
    headline: richToPlainLine(inArticleLanguage(input, article.title)),
    name: richToPlainLine(inArticleLanguage(input, article.title)),
    ...(authors.length ? { author: authors } : {}),
    ...(article.datePublished ? { datePublished: article.datePublished } : {}),
    dateModified: article.lastModified.toISOString(),
    inLanguage: article.locale,
    ...(abstract ? { abstract } : {}),
    ...(keywords.length ? { keywords } : {}),
    ...(article.doi ? { identifier: { '@type': 'PropertyValue', propertyID: 'DOI', value: article.doi }, sameAs: `https://doi.org/${article.doi}` } : {}),
    ...(first ? { pageStart: first } : {}),
    ...(last ? { pageEnd: last } : {}),
    ...(httpLink(article.licenseUrl ?? journal.licenseUrl) ? { license: article.licenseUrl ?? journal.licenseUrl } : {}),
    articleSection: inArticleLanguage(input, article.section.title),
    isPartOf,
    citation: article.references.map((r) => ({ '@type': 'CreativeWork', name: r.text })),
    // schema.org's correction: a correction (or retraction) published in another document.
    ...(article.notices?.length ? { correction: noticeRelations({ ...input, article: { ...article, updates: undefined } }).map((r) => r.pageUrl) } : {}),
  };
}

/**
 * JSON that can sit inside `<script type="application/ld+json">`: `<`, `>`, `&` and the line
 * separators are written as \u escapes, so no value can close the element or start markup.
 */
export function jsonForScript(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) => (typeof v === 'string' ? xmlSafe(v) : v)).replace(/[<>&\u2028\u2029]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/** OpenGraph and Twitter card tags, for link previews. */
export function socialTags(input: RecordInput, pageLocale: string): MetaTag[] {
  const { article, journal } = input;
  const abstract = richToPlainText(inArticleLanguage(input, article.abstract) ?? '', ' ');
  const description = abstract.length > 300 ? `${abstract.slice(0, 297)}…` : abstract;
  const title = richToPlainLine(inArticleLanguage(input, article.title));
  const tags: MetaTag[] = [
    { property: 'og:type', content: 'article' },
    { property: 'og:title', content: title },
    { property: 'og:url', content: articleUrl(input) },
    { property: 'og:site_name', content: localize(journal.name, pageLocale, journal.primaryLocale)?.text ?? journal.path },
    { property: 'og:locale', content: pageLocale === 'pl' ? 'pl_PL' : 'en_GB' },
    ...(description ? [{ property: 'og:description', content: description }] : []),
    ...(article.datePublished ? [{ property: 'article:published_time', content: article.datePublished }] : []),
    ...(article.keywords[article.locale] ?? []).map((k) => ({ property: 'article:tag', content: k })),
    { name: 'twitter:card', content: 'summary' },
    { name: 'twitter:title', content: title },
    ...(description ? [{ name: 'twitter:description', content: description }] : []),
  ];
  return tags.map((t) => ({ ...t, content: xmlSafe(t.content) }));
}

function Meta({ tag }: { tag: MetaTag }): SafeHtml {
  // `scheme` (DC) is not in the HTML element types; the runtime escapes it like any attribute.
  const attributes = { name: tag.name, property: tag.property, content: tag.content, lang: tag.lang, scheme: tag.scheme } as Record<string, string | undefined>;
  return <meta {...attributes} />;
}

/** Everything an article page adds to `<head>`. */
export function ArticleHead({ input, pageLocale }: { input: RecordInput; pageLocale: string }): SafeHtml {
  return (
    <>
      {highwireTags(input).map((tag) => (
        <Meta tag={tag} />
      ))}
      {dublinCoreTags(input).map((tag) => (
        <Meta tag={tag} />
      ))}
      {socialTags(input, pageLocale).map((tag) => (
        <Meta tag={tag} />
      ))}
      {trustedHtml(`<script type="application/ld+json">${jsonForScript(scholarlyArticleJsonLd(input))}</script>`)}
    </>
  );
}

