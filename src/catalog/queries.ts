import { sql, type Kysely, type Selectable } from 'kysely';
import type { Database, IssueTable, JournalTable, LocalizedText, SectionTable } from '../db/schema.ts';
import type {
  ArticleDetail,
  ArticleSummary,
  ContributorName,
  ContributorView,
  GalleyFile,
  GalleyView,
  IssueContents,
  IssueIdentity,
  IssueSummary,
  JournalSummary,
  NavigationEntry,
  ReferenceView,
  SectionSummary,
} from './types.ts';
import { toReferenceView } from './references.ts';
import type { Db } from './db.ts';
import { articleOfNotice, noticesOfArticle } from './notices.ts';

/**
 * Reader-side queries. Each page loads with a fixed number of queries: lists of contributors,
 * galleys and references come in one query per table for all articles at once, never one per item.
 */

function toJournal(row: Selectable<JournalTable>, navigation: NavigationEntry[] = []): JournalSummary {
  return {
    id: row.id,
    path: row.path,
    name: row.name,
    acronym: row.acronym,
    description: row.description,
    primaryLocale: row.primary_locale,
    supportedLocales: row.supported_locales,
    onlineIssn: row.online_issn,
    printIssn: row.print_issn,
    publisher: row.publisher,
    licenseUrl: row.license_url,
    theme: {
      version: row.updated_at.getTime().toString(36),
      logoFileId: row.logo_file_id,
      faviconFileId: row.favicon_file_id,
      homepageImageFileId: row.homepage_image_file_id,
      colour: row.theme_colour,
      customCss: (row.custom_css ?? '').trim() !== '',
    },
    navigation,
    ...(row.crossmark_policy_doi ? { crossmarkPolicyDoi: row.crossmark_policy_doi } : {}),
  };
}

function toIssue(row: Selectable<IssueTable>): IssueSummary {
  return {
    id: row.id,
    volume: row.volume,
    number: row.number,
    year: row.year,
    title: row.title,
    description: row.description,
    coverFileId: row.cover_file_id,
    showVolume: row.show_volume,
    showNumber: row.show_number,
    showYear: row.show_year,
    showTitle: row.show_title,
    datePublished: row.date_published,
    isCurrent: row.is_current,
  };
}

export function toSection(row: Pick<Selectable<SectionTable>, 'id' | 'title' | 'abbreviation' | 'seq'>): SectionSummary {
  return { id: row.id, title: row.title, abbreviation: row.abbreviation, seq: row.seq };
}

/** The columns of a publication's issue (`issues as i`, left-joined) that name it, for `issueIdentityOf`. */
export const ISSUE_IDENTITY_COLUMNS = [
  'i.id as i_id',
  'i.volume as i_volume',
  'i.number as i_number',
  'i.year as i_year',
  'i.title as i_title',
  'i.show_volume as i_show_volume',
  'i.show_number as i_show_number',
  'i.show_year as i_show_year',
  'i.show_title as i_show_title',
  'i.date_published as i_date_published',
] as const;

type Nullable<T> = { [K in keyof T]: T[K] | null };
type IssueIdentityRow = Nullable<{
  i_id: number;
  i_volume: number | null;
  i_number: string | null;
  i_year: number | null;
  i_title: LocalizedText;
  i_show_volume: boolean;
  i_show_number: boolean;
  i_show_year: boolean;
  i_show_title: boolean;
  i_date_published: string | null;
}>;

/** A publication's issue from the `ISSUE_IDENTITY_COLUMNS` of its row; null without one. */
export function issueIdentityOf(row: IssueIdentityRow): IssueIdentity | null {
  if (row.i_id === null) return null;
  return {
    id: row.i_id,
    volume: row.i_volume,
    number: row.i_number,
    year: row.i_year,
    title: row.i_title ?? {},
    showVolume: row.i_show_volume ?? true,
    showNumber: row.i_show_number ?? true,
    showYear: row.i_show_year ?? true,
    showTitle: row.i_show_title ?? true,
    datePublished: row.i_date_published,
  };
}

export async function listJournals(db: Db): Promise<JournalSummary[]> {
  const rows = await db.selectFrom('journals').selectAll().where('enabled', '=', true).orderBy('seq').orderBy('path').execute();
  return rows.map((row) => toJournal(row));
}

export async function findJournal(db: Db, path: string): Promise<JournalSummary | undefined> {
  const row = await db.selectFrom('journals').selectAll().where('path', '=', path).where('enabled', '=', true).executeTakeFirst();
  if (!row) return undefined;
  const navigation = await db.selectFrom('navigation_items').select(['label', 'kind', 'target']).where('journal_id', '=', row.id).orderBy('seq').orderBy('id').execute();
  return toJournal(row, navigation);
}

export async function findCurrentIssue(db: Db, journalId: number): Promise<IssueSummary | undefined> {
  // The issue the editors marked current; a journal that marked none shows its newest issue.
  const row = await db
    .selectFrom('issues')
    .selectAll()
    .where('journal_id', '=', journalId)
    .where('is_published', '=', true)
    .orderBy('is_current', 'desc')
    .orderBy(sql`date_published DESC NULLS LAST`)
    .orderBy(sql`year DESC NULLS LAST`)
    .orderBy(sql`volume DESC NULLS LAST`)
    .orderBy('id', 'desc')
    .limit(1)
    .executeTakeFirst();
  return row && toIssue(row);
}

export async function findPublishedIssue(db: Db, journalId: number, issueId: number): Promise<IssueSummary | undefined> {
  const row = await db
    .selectFrom('issues')
    .selectAll()
    .where('journal_id', '=', journalId)
    .where('id', '=', issueId)
    .where('is_published', '=', true)
    .executeTakeFirst();
  return row && toIssue(row);
}

export async function listPublishedIssues(db: Db, journalId: number, page: { limit: number; offset: number }): Promise<{ issues: IssueSummary[]; total: number }> {
  const [rows, count] = await Promise.all([
    db
      .selectFrom('issues')
      .selectAll()
      .where('journal_id', '=', journalId)
      .where('is_published', '=', true)
      .orderBy(sql`date_published DESC NULLS LAST`)
      .orderBy(sql`year DESC NULLS LAST`)
      .orderBy(sql`volume DESC NULLS LAST`)
      .orderBy('id', 'desc')
      .limit(page.limit)
      .offset(page.offset)
      .execute(),
    db
      .selectFrom('issues')
      .select((eb) => eb.fn.countAll<number>().as('total'))
      .where('journal_id', '=', journalId)
      .where('is_published', '=', true)
      .executeTakeFirstOrThrow(),
  ]);
  return { issues: rows.map(toIssue), total: Number(count.total) };
}

/** Published, current versions of articles: the only publications readers may see. */
function visiblePublications(db: Db, journalId: number) {
  return visibleAnywhere(db, journalId);
}

/** As visiblePublications, in one journal or (without an id) in every enabled journal. */
function visibleAnywhere(db: Db, journalId?: number) {
  const query = visibleCurrentPublications(db);
  return journalId === undefined ? query : query.where('a.journal_id', '=', journalId);
}

/**
 * The one rule of what readers (and indexers) may see: an article's current version, published,
 * outside any issue or in a published one, of an enabled journal. Aliases: p, a, s, i, j.
 */
export function visibleCurrentPublications(db: Db) {
  return db
    .selectFrom('publications as p')
    .innerJoin('articles as a', (join) => join.onRef('a.current_publication_id', '=', 'p.id'))
    .innerJoin('sections as s', 's.id', 'p.section_id')
    .leftJoin('issues as i', 'i.id', 'p.issue_id')
    .innerJoin('journals as j', 'j.id', 'a.journal_id')
    .where('j.enabled', '=', true)
    .where('p.status', '=', 'published')
    .where((eb) => eb.or([eb('p.issue_id', 'is', null), eb('i.is_published', '=', true)]));
}

export async function contributorsOf(db: Db, publicationIds: number[]): Promise<Map<number, ContributorView[]>> {
  const byPublication = new Map<number, ContributorView[]>();
  if (publicationIds.length === 0) return byPublication;
  // The columns a ContributorView shows, not every one (biographies, e-mail…): a table of contents of
  // 500 articles reads 1,250 contributors, and on the embedded database each column read costs (issue 22).
  const rows = await db
    .selectFrom('contributors')
    .select(['id', 'publication_id', 'given_name', 'family_name', 'affiliation', 'ror_id', 'orcid', 'orcid_authenticated', 'contributor_type', 'is_primary_contact'])
    .where('publication_id', 'in', publicationIds)
    .orderBy('publication_id')
    .orderBy('seq')
    .execute();
  for (const row of rows) {
    const list = byPublication.get(row.publication_id) ?? [];
    list.push({
      id: row.id,
      givenName: row.given_name,
      familyName: row.family_name,
      affiliation: row.affiliation,
      rorId: row.ror_id,
      orcid: row.orcid,
      orcidAuthenticated: row.orcid_authenticated,
      isOrganization: row.contributor_type === 'ORGANIZATION',
      isPrimaryContact: row.is_primary_contact,
    });
    byPublication.set(row.publication_id, list);
  }
  return byPublication;
}

/**
 * Contributors' names only, for tables of contents: a big issue's 1,250 contributors cost half as
 * much to read without their affiliations and identifiers (issue 22, on the embedded database).
 */
async function contributorNamesOf(db: Db, publicationIds: number[]): Promise<Map<number, ContributorName[]>> {
  const byPublication = new Map<number, ContributorName[]>();
  if (publicationIds.length === 0) return byPublication;
  const rows = await db.selectFrom('contributors').select(['publication_id', 'given_name', 'family_name']).where('publication_id', 'in', publicationIds).orderBy('publication_id').orderBy('seq').execute();
  for (const row of rows) {
    const list = byPublication.get(row.publication_id) ?? [];
    list.push({ givenName: row.given_name, familyName: row.family_name });
    byPublication.set(row.publication_id, list);
  }
  return byPublication;
}

export async function galleysOf(db: Db, publicationIds: number[]): Promise<Map<number, GalleyView[]>> {
  const byPublication = new Map<number, GalleyView[]>();
  if (publicationIds.length === 0) return byPublication;
  const rows = await db
    .selectFrom('galleys as g')
    .leftJoin('files as f', 'f.id', 'g.file_id')
    .select(['g.id', 'g.publication_id', 'g.label', 'g.locale', 'g.remote_url', 'f.mime_type', 'f.size_bytes'])
    .where('g.publication_id', 'in', publicationIds)
    .orderBy('g.publication_id')
    .orderBy('g.seq')
    .orderBy('g.id')
    .execute();
  for (const row of rows) {
    const list = byPublication.get(row.publication_id) ?? [];
    list.push({ id: row.id, label: row.label, locale: row.locale, remoteUrl: row.remote_url, mimeType: row.mime_type, sizeBytes: row.size_bytes });
    byPublication.set(row.publication_id, list);
  }
  return byPublication;
}

export async function loadIssueContents(db: Db, journalId: number, issue: IssueSummary): Promise<IssueContents> {
  const rows = await visiblePublications(db, journalId)
    .select([
      'a.id as article_id',
      'a.locale',
      'p.id as publication_id',
      'p.title',
      'p.subtitle',
      'p.prefix',
      'p.pages',
      'p.doi',
      'p.date_published',
      's.id as section_id',
      's.title as section_title',
      's.abbreviation as section_abbreviation',
      's.seq as section_seq',
    ])
    .leftJoin('issue_section_order as o', (join) => join.onRef('o.section_id', '=', 's.id').on('o.issue_id', '=', issue.id))
    .where('p.issue_id', '=', issue.id)
    // The editor's order of sections for this issue when set, else the journal's section order.
    .orderBy(sql`o.seq NULLS LAST`)
    .orderBy('s.seq')
    .orderBy('s.id')
    .orderBy('p.seq')
    .orderBy('a.id')
    .execute();
  const publicationIds = rows.map((r) => r.publication_id);
  const [contributors, galleys] = await Promise.all([contributorNamesOf(db, publicationIds), galleysOf(db, publicationIds)]);
  const sections: IssueContents['sections'] = [];
  for (const row of rows) {
    let group = sections.at(-1);
    if (!group || group.section.id !== row.section_id) {
      group = {
        section: toSection({ id: row.section_id, title: row.section_title, abbreviation: row.section_abbreviation, seq: row.section_seq }),
        articles: [],
      };
      sections.push(group);
    }
    const article: ArticleSummary = {
      id: row.article_id,
      publicationId: row.publication_id,
      locale: row.locale,
      title: row.title,
      subtitle: row.subtitle,
      prefix: row.prefix,
      pages: row.pages,
      doi: row.doi,
      datePublished: row.date_published,
      section: group.section,
      contributors: contributors.get(row.publication_id) ?? [],
      galleys: galleys.get(row.publication_id) ?? [],
    };
    group.articles.push(article);
  }
  return { issue, sections, galleys: await issueGalleysOf(db, issue.id) };
}

/** An issue's own galleys (migration 0016), in order. */
async function issueGalleysOf(db: Db, issueId: number): Promise<GalleyView[]> {
  const rows = await db
    .selectFrom('issue_galleys as g')
    .innerJoin('files as f', 'f.id', 'g.file_id')
    .select(['g.id', 'g.label', 'g.locale', 'f.mime_type', 'f.size_bytes'])
    .where('g.issue_id', '=', issueId)
    .orderBy('g.seq')
    .orderBy('g.id')
    .execute();
  return rows.map((r) => ({ id: r.id, label: r.label, locale: r.locale, remoteUrl: null, mimeType: r.mime_type, sizeBytes: r.size_bytes }));
}

/** The file of a galley of a published issue of the journal, or undefined when any part is missing or hidden. */
export async function findIssueGalleyFile(db: Db, journalId: number, issueId: number, galleyId: number): Promise<GalleyFile | undefined> {
  const row = await db
    .selectFrom('issue_galleys as g')
    .innerJoin('issues as i', 'i.id', 'g.issue_id')
    .innerJoin('files as f', 'f.id', 'g.file_id')
    .select(['g.id', 'g.label', 'f.storage_key', 'f.mime_type', 'f.size_bytes', 'f.sha256', 'f.original_name', 'f.created_at'])
    .where('i.journal_id', '=', journalId)
    .where('i.is_published', '=', true)
    .where('g.issue_id', '=', issueId)
    .where('g.id', '=', galleyId)
    .executeTakeFirst();
  if (!row) return undefined;
  return {
    galleyId: row.id,
    label: row.label,
    remoteUrl: null,
    file: { storageKey: row.storage_key, mimeType: row.mime_type, sizeBytes: row.size_bytes, sha256: row.sha256, originalName: row.original_name, createdAt: row.created_at },
  };
}

export async function findPublishedArticle(db: Db, journalId: number, articleId: number): Promise<ArticleDetail | undefined> {
  return (await loadPublishedArticles(db, [articleId], journalId)).get(articleId);
}

/**
 * Published, visible articles by id (of one journal, or of any), with everything a page, a feed or an
 * OAI record shows; a fixed number of queries whatever the number of articles.
 */
export async function loadPublishedArticles(db: Db, articleIds: number[], journalId?: number, options: { references?: boolean } = {}): Promise<Map<number, ArticleDetail>> {
  const articles = new Map<number, ArticleDetail>();
  if (articleIds.length === 0) return articles;
  const rows = await visibleAnywhere(db, journalId)
    .selectAll('p')
    .select([
      'a.journal_id',
      'a.locale as article_locale',
      'a.date_submitted',
      's.title as section_title',
      's.abbreviation as section_abbreviation',
      's.seq as section_seq',
      ...ISSUE_IDENTITY_COLUMNS,
      // The notices about the article and the article a notice updates, in the same query (a page's query count stays).
      noticesOfArticle.as('notices_json'),
      articleOfNotice.as('updates_json'),
    ])
    .where('a.id', 'in', articleIds)
    .execute();
  if (rows.length === 0) return articles;
  const publicationIds = rows.map((r) => r.id);
  const [contributors, galleys, references] = await Promise.all([
    contributorsOf(db, publicationIds),
    galleysOf(db, publicationIds),
    // Callers that show no references (oai_dc, feeds) skip the largest table.
    options.references === false
      ? Promise.resolve([] as Array<{ publication_id: number; seq: number; raw_text: string; parsed: unknown }>)
      : db.selectFrom('citations').select(['publication_id', 'seq', 'raw_text', 'parsed']).where('publication_id', 'in', publicationIds).orderBy('publication_id').orderBy('seq').execute(),
  ]);
  const referencesOf = new Map<number, ReferenceView[]>();
  for (const r of references) {
    const list = referencesOf.get(r.publication_id) ?? [];
    list.push(toReferenceView(r));
    referencesOf.set(r.publication_id, list);
  }
  for (const row of rows) {
    articles.set(row.article_id, {
      id: row.article_id,
      journalId: row.journal_id,
      publicationId: row.id,
      version: row.version,
      locale: row.article_locale,
      title: row.title,
      subtitle: row.subtitle,
      prefix: row.prefix,
      abstract: row.abstract,
      keywords: row.keywords,
      pages: row.pages,
      doi: row.doi,
      licenseUrl: row.license_url,
      copyrightHolder: row.copyright_holder,
      copyrightYear: row.copyright_year,
      datePublished: row.date_published,
      dateSubmitted: row.date_submitted,
      lastModified: row.updated_at,
      section: toSection({ id: row.section_id, title: row.section_title, abbreviation: row.section_abbreviation, seq: row.section_seq }),
      issue: issueIdentityOf(row),
      contributors: contributors.get(row.id) ?? [],
      galleys: galleys.get(row.id) ?? [],
      references: referencesOf.get(row.id) ?? [],
      ...(row.notices_json ? { notices: row.notices_json } : {}),
      ...(row.updates_json ? { updates: row.updates_json } : {}),
    });
  }
  return articles;
}

/** The file behind a galley of a visible article, or undefined when any part is missing or hidden. */
export async function findGalleyFile(db: Db, journalId: number, articleId: number, galleyId: number): Promise<GalleyFile | undefined> {
  // A galley of the current version, or of an earlier published one (its page lists them): links
  // to a galley made before a new version (bookmarks, indexers' citation_pdf_url) keep working.
  const row = await visiblePublications(db, journalId)
    .innerJoin('publications as gp', 'gp.article_id', 'a.id')
    .innerJoin('galleys as g', 'g.publication_id', 'gp.id')
    .leftJoin('files as f', 'f.id', 'g.file_id')
    .where((eb) => eb.or([eb('gp.id', '=', eb.ref('p.id')), eb('gp.status', '=', 'published')]))
    .select([
      'g.id as galley_id',
      'g.label',
      'g.remote_url',
      'f.storage_key',
      'f.mime_type',
      'f.size_bytes',
      'f.sha256',
      'f.original_name',
      'f.created_at',
    ])
    .where('a.id', '=', articleId)
    .where('g.id', '=', galleyId)
    .executeTakeFirst();
  if (!row) return undefined;
  return {
    galleyId: row.galley_id,
    label: row.label,
    remoteUrl: row.remote_url,
    file: storedFileOf(row),
  };
}

/** A galley's stored file from the `files` columns of a row (null for a remote galley). */
export const storedFileOf = (row: { storage_key: string | null; mime_type: string | null; size_bytes: number | null; sha256: string | null; original_name: string | null; created_at: Date | null }): GalleyFile['file'] =>
  row.storage_key === null
    ? null
    : {
        storageKey: row.storage_key,
        mimeType: row.mime_type ?? 'application/octet-stream',
        sizeBytes: row.size_bytes ?? 0,
        sha256: row.sha256 ?? '',
        originalName: row.original_name ?? 'file',
        createdAt: row.created_at ?? new Date(0),
      };
