import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.ts';
import { contributorsOf, findPublishedArticle, galleysOf, ISSUE_IDENTITY_COLUMNS, issueIdentityOf, toSection } from './queries.ts';
import { toReferenceView } from './references.ts';
import type { ArticleDetail } from './types.ts';
import type { Db } from './db.ts';

/**
 * Earlier versions of a published article, as readers open them (OJS 3.2+: "Versions" on the article
 * page, each at /{journal}/article/view/{id}/version/{publicationId}). Only while the article itself
 * is on the reader site, and only versions that were published.
 */

export interface VersionEntry {
  publicationId: number;
  version: number;
  /** The version's own publication date; null when it carries an earlier version's (see createdAt). */
  datePublished: string | null;
  /** When the version was made. */
  createdAt: Date;
  isCurrent: boolean;
}

/** The article's published versions, newest first (one query; the page shows the list only when there are two or more). */
export async function listPublishedVersions(db: Db, articleId: number, currentPublicationId: number): Promise<VersionEntry[]> {
  const rows = await db
    .selectFrom('publications')
    .select(['id', 'version', 'date_published', 'created_at'])
    .where('article_id', '=', articleId)
    .where((eb) => eb.or([eb('status', '=', 'published'), eb('id', '=', currentPublicationId)]))
    .orderBy('version', 'desc')
    .execute();
  // A version made in Revista carries its predecessor's publication date (citations keep the article's
  // date); the list says when each version appeared: its own date, else the day it was made.
  return rows.map((r, i) => {
    const older = rows[i + 1];
    const own = r.date_published !== null && (older === undefined || older.date_published !== r.date_published);
    return { publicationId: r.id, version: r.version, datePublished: own ? r.date_published : null, createdAt: r.created_at, isCurrent: r.id === currentPublicationId };
  });
}

/**
 * An earlier published version of a visible article, shaped as the article page shows one, with the
 * current version's identity (id, journal, DOI); undefined when the article is hidden, the version is
 * not the article's, was never published, or is the current one (which lives at the article's address).
 */
export async function findArticleVersion(db: Db, journalId: number, articleId: number, publicationId: number): Promise<{ version: ArticleDetail; current: ArticleDetail } | undefined> {
  const current = await findPublishedArticle(db, journalId, articleId);
  if (!current || current.publicationId === publicationId) return undefined;
  const row = await db
    .selectFrom('publications as p')
    .innerJoin('sections as s', 's.id', 'p.section_id')
    .leftJoin('issues as i', 'i.id', 'p.issue_id')
    .selectAll('p')
    .select([
      's.title as section_title',
      's.abbreviation as section_abbreviation',
      's.seq as section_seq',
      ...ISSUE_IDENTITY_COLUMNS,
      'i.is_published as i_is_published',
    ])
    .where('p.id', '=', publicationId)
    .where('p.article_id', '=', articleId)
    .where('p.status', '=', 'published')
    .executeTakeFirst();
  if (!row) return undefined;
  const [contributors, galleys, references] = await Promise.all([
    contributorsOf(db, [row.id]),
    galleysOf(db, [row.id]),
    db.selectFrom('citations').select(['publication_id', 'seq', 'raw_text', 'parsed']).where('publication_id', '=', row.id).orderBy('seq').execute(),
  ]);
  const version: ArticleDetail = {
    ...current,
    publicationId: row.id,
    version: row.version,
    title: row.title,
    subtitle: row.subtitle,
    prefix: row.prefix,
    abstract: row.abstract,
    keywords: row.keywords,
    pages: row.pages,
    licenseUrl: row.license_url,
    copyrightHolder: row.copyright_holder,
    copyrightYear: row.copyright_year,
    datePublished: row.date_published,
    lastModified: row.updated_at,
    section: toSection({ id: row.section_id, title: row.section_title, abbreviation: row.section_abbreviation, seq: row.section_seq }),
    // An issue readers cannot open is not linked from the old version either.
    issue: row.i_is_published ? issueIdentityOf(row) : null,
    contributors: contributors.get(row.id) ?? [],
    galleys: galleys.get(row.id) ?? [],
    references: references.map(toReferenceView),
  };
  return { version, current };
}
