import type { Kysely } from 'kysely';
import type { ContributorView, GalleyView } from '../../../catalog/index.ts';
import type { Article, Database, Publication as PublicationRow } from '../../../db/index.ts';
import type { Static } from '../../../platform/http/index.ts';
import { isoDate } from '../common.ts';
import { loadPublications, type ListedArticle } from './queries.ts';
import type { Contributor, Galley, Publication, Submission } from './schema.ts';

export function presentContributor(c: ContributorView): Static<typeof Contributor> {
  return { id: c.id, givenName: c.givenName, familyName: c.familyName, affiliation: c.affiliation, orcid: c.orcid, rorId: c.rorId, isOrganization: c.isOrganization ?? false, primaryContact: c.isPrimaryContact };
}

export function presentGalley(g: GalleyView, articleUrl: string): Static<typeof Galley> {
  return { id: g.id, label: g.label, locale: g.locale, mimetype: g.mimeType, fileSize: g.sizeBytes, urlRemote: g.remoteUrl, urlPublished: `${articleUrl}/${g.id}` };
}

/** OJS's fullTitle: prefix, title and subtitle (after a colon) in each locale that has a title. */
export function fullTitle(p: Pick<PublicationRow, 'prefix' | 'title' | 'subtitle'>): Record<string, string> {
  return Object.fromEntries(
    Object.entries(p.title).map(([locale, title]) => {
      const prefix = p.prefix[locale]?.trim();
      const subtitle = p.subtitle[locale]?.trim();
      return [locale, `${prefix ? `${prefix} ` : ''}${title}${subtitle ? `: ${subtitle}` : ''}`];
    }),
  );
}

export interface PublicationParts {
  contributors: ContributorView[];
  galleys: GalleyView[];
}

export function presentPublication(p: PublicationRow, parts: PublicationParts, where: { journalPath: string; baseUrl: string }): Static<typeof Publication> {
  const articleUrl = `${where.baseUrl}/${where.journalPath}/article/view/${p.article_id}`;
  return {
    id: p.id,
    submissionId: p.article_id,
    version: p.version,
    status: p.status,
    locale: p.locale,
    prefix: p.prefix,
    title: p.title,
    subtitle: p.subtitle,
    fullTitle: fullTitle(p),
    abstract: p.abstract,
    keywords: p.keywords,
    pages: p.pages,
    doi: p.doi,
    datePublished: isoDate(p.date_published),
    sectionId: p.section_id,
    issueId: p.issue_id,
    licenseUrl: p.license_url,
    copyrightHolder: p.copyright_holder,
    copyrightYear: p.copyright_year,
    authors: parts.contributors.map(presentContributor),
    galleys: parts.galleys.map((g) => presentGalley(g, articleUrl)),
    urlPublished: `${articleUrl}/version/${p.id}`,
    _href: `${where.baseUrl}/${where.journalPath}/api/v1/submissions/${p.article_id}/publications/${p.id}`,
  };
}

export function presentSubmission(a: Article & { current_publication_id: number }, publications: Static<typeof Publication>[], where: { journalPath: string; baseUrl: string }): Static<typeof Submission> {
  return {
    id: a.id,
    contextId: a.journal_id,
    status: a.status,
    locale: a.locale,
    currentPublicationId: a.current_publication_id,
    dateSubmitted: a.date_submitted ? a.date_submitted.toISOString() : null,
    lastModified: a.updated_at.toISOString(),
    urlPublished: `${where.baseUrl}/${where.journalPath}/article/view/${a.id}`,
    publications,
    _href: `${where.baseUrl}/${where.journalPath}/api/v1/submissions/${a.id}`,
  };
}

/** Articles as the API gives them, with the versions the caller may see: four queries whatever their number. */
export async function presentArticles(db: Kysely<Database>, where: { journalPath: string; baseUrl: string }, articles: ListedArticle[], editor: boolean): Promise<Static<typeof Submission>[]> {
  const { byArticle, parts } = await loadPublications(db, articles, editor);
  return articles.map((a) => presentSubmission(a, (byArticle.get(a.id) ?? []).map((p) => presentPublication(p, parts.get(p.id)!, where)), where));
}
