import { sql, type Kysely, type Transaction } from 'kysely';
import type { Database, LocalizedList, LocalizedText } from '../db/schema.ts';
import { insertReferences } from './references.ts';
import { toRichTextPerLocale } from '../ui/rich-text-convert.ts';
import { emit } from '../platform/events/index.ts';

/**
 * Named writes to the catalog. Each runs in one transaction, so a failure leaves nothing half done.
 * Later capabilities (journal administration, the editorial workflow, OJS import) build on these.
 */

type Db = Kysely<Database> | Transaction<Database>;

export interface JournalInput {
  path: string;
  name: LocalizedText;
  primaryLocale: string;
  supportedLocales: string[];
  description?: LocalizedText;
  acronym?: LocalizedText;
  onlineIssn?: string | null;
  printIssn?: string | null;
  publisher?: string | null;
  licenseUrl?: string | null;
  contactName?: string | null;
  contactEmail?: string | null;
}

export async function createJournal(db: Db, input: JournalInput): Promise<number> {
  const row = await db
    .insertInto('journals')
    .values({
      path: input.path,
      name: JSON.stringify(input.name),
      acronym: JSON.stringify(input.acronym ?? {}),
      description: JSON.stringify(input.description ?? {}),
      primary_locale: input.primaryLocale,
      supported_locales: input.supportedLocales,
      online_issn: input.onlineIssn ?? null,
      print_issn: input.printIssn ?? null,
      publisher: input.publisher ?? null,
      license_url: input.licenseUrl ?? null,
      copyright_notice: '{}',
      contact_name: input.contactName ?? null,
      contact_email: input.contactEmail ?? null,
      publisher_url: null,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

export async function createSection(db: Db, input: { journalId: number; title: LocalizedText; abbreviation?: LocalizedText; seq?: number }): Promise<number> {
  const row = await db
    .insertInto('sections')
    .values({
      journal_id: input.journalId,
      title: JSON.stringify(input.title),
      abbreviation: JSON.stringify(input.abbreviation ?? {}),
      policy: '{}',
      seq: input.seq ?? 0,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

export interface IssueInput {
  journalId: number;
  volume?: number | null;
  number?: string | null;
  year?: number | null;
  title?: LocalizedText;
  datePublished?: string | null;
  published?: boolean;
  current?: boolean;
}

export async function createIssue(db: Db, input: IssueInput): Promise<number> {
  const insert = async (tx: Db) => {
    if (input.current) {
      // One current issue per journal: marking a new one unmarks the old.
      await tx.updateTable('issues').set({ is_current: false }).where('journal_id', '=', input.journalId).where('is_current', '=', true).execute();
    }
    const row = await tx
      .insertInto('issues')
      .values({
        journal_id: input.journalId,
        volume: input.volume ?? null,
        number: input.number ?? null,
        year: input.year ?? null,
        title: JSON.stringify(input.title ?? {}),
        description: '{}',
        is_published: input.published ?? false,
        is_current: input.current ?? false,
        date_published: input.datePublished ?? null,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    return row.id;
  };
  return inTransaction(db, insert);
}

export interface ContributorInput {
  givenName?: LocalizedText;
  familyName?: LocalizedText;
  affiliation?: LocalizedText;
  rorId?: string | null;
  email?: string | null;
  orcid?: string | null;
  country?: string | null;
  isPrimaryContact?: boolean;
}

export interface GalleyInput {
  label: string;
  locale: string;
  /** A stored file (see storage) or a link to a copy elsewhere: exactly one of the two. */
  file?: { storageKey: string; mimeType: string; sizeBytes: number; sha256: string; originalName: string };
  remoteUrl?: string;
}

export interface PublishedArticleInput {
  /** Keep a known id (demo content, migrations); new articles get the next one. */
  id?: number;
  journalId: number;
  sectionId: number;
  issueId: number | null;
  locale: string;
  title: LocalizedText;
  subtitle?: LocalizedText;
  abstract?: LocalizedText;
  keywords?: LocalizedList;
  pages?: string | null;
  doi?: string | null;
  licenseUrl?: string | null;
  dateSubmitted?: string | null;
  datePublished: string;
  seq?: number;
  contributors?: ContributorInput[];
  references?: string[];
  galleys?: GalleyInput[];
}

async function inTransaction<T>(db: Db, work: (tx: Transaction<Database>) => Promise<T>): Promise<T> {
  if (db.isTransaction) return work(db as Transaction<Database>);
  return (db as Kysely<Database>).transaction().execute(work);
}

/** Adds an article with one published version, its contributors, references and galleys. */
export async function addPublishedArticle(db: Db, input: PublishedArticleInput): Promise<{ articleId: number; publicationId: number }> {
  return inTransaction(db, async (tx) => {
    const article = await tx
      .insertInto('articles')
      .values({
        ...(input.id === undefined ? {} : { id: input.id }),
        journal_id: input.journalId,
        locale: input.locale,
        status: 'published',
        date_submitted: input.dateSubmitted ?? null,
      } as never)
      .returning('id')
      .executeTakeFirstOrThrow();
    if (input.id !== undefined) {
      // An explicit id must not collide with ids the sequence hands out later.
      await sql`SELECT setval(pg_get_serial_sequence('articles', 'id'), GREATEST((SELECT max(id) FROM articles), 1))`.execute(tx);
    }
    const publication = await tx
      .insertInto('publications')
      .values({
        article_id: article.id,
        version: 1,
        status: 'published',
        locale: input.locale,
        prefix: '{}',
        title: JSON.stringify(input.title),
        subtitle: JSON.stringify(input.subtitle ?? {}),
        // Stored as rich text whatever it came as: plain text becomes escaped paragraphs.
        abstract: JSON.stringify(toRichTextPerLocale(input.abstract ?? {})),
        keywords: JSON.stringify(input.keywords ?? {}),
        subjects: '{}',
        section_id: input.sectionId,
        issue_id: input.issueId,
        seq: input.seq ?? 0,
        pages: input.pages ?? null,
        doi: input.doi ?? null,
        url_path: null,
        license_url: input.licenseUrl ?? null,
        copyright_holder: '{}',
        copyright_year: null,
        date_published: input.datePublished,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    await tx.updateTable('articles').set({ current_publication_id: publication.id }).where('id', '=', article.id).execute();
    const contributors = input.contributors ?? [];
    if (contributors.length > 0) {
      await tx
        .insertInto('contributors')
        .values(
          contributors.map((c, seq) => ({
            publication_id: publication.id,
            given_name: JSON.stringify(c.givenName ?? {}),
            family_name: JSON.stringify(c.familyName ?? {}),
            affiliation: JSON.stringify(c.affiliation ?? {}),
            ror_id: c.rorId ?? null,
            email: c.email ?? null,
            orcid: c.orcid ?? null,
            country: c.country ?? null,
            is_primary_contact: c.isPrimaryContact ?? seq === 0,
            seq,
          })),
        )
        .execute();
    }
    await insertReferences(tx, publication.id, input.references ?? []);
    for (const [seq, galley] of (input.galleys ?? []).entries()) {
      let fileId: number | null = null;
      if (galley.file) {
        const file = await tx
          .insertInto('files')
          .values({
            storage_key: galley.file.storageKey,
            mime_type: galley.file.mimeType,
            size_bytes: galley.file.sizeBytes,
            sha256: galley.file.sha256,
            original_name: galley.file.originalName,
          })
          .returning('id')
          .executeTakeFirstOrThrow();
        fileId = file.id;
      }
      await tx
        .insertInto('galleys')
        .values({ publication_id: publication.id, label: galley.label, locale: galley.locale, file_id: fileId, remote_url: galley.remoteUrl ?? null, url_path: null, seq })
        .execute();
    }
    await emit(tx, { type: 'ArticlePublished', journalId: input.journalId, articleId: article.id, publicationId: publication.id });
    return { articleId: article.id, publicationId: publication.id };
  });
}
