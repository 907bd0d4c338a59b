import { sql } from 'kysely';
import type { LocalizedList, LocalizedText } from '../../db/schema.ts';
import { inTransaction, type Db } from '../db.ts';
import { insertReferences } from '../references.ts';
import { toRichTextPerLocale } from '../../ui/rich-text-convert.ts';
import { copyCurrentVersion, findDraftVersion } from '../versions.ts';
import { emit } from '../../platform/events/index.ts';

/**
 * Articles as whole records: one added already published (demo content, scripts), and the metadata
 * of a published one changed as a new version. Each runs in one transaction (the caller's, when it
 * passes one), so a failure leaves nothing half done. The parts of an article (contributors,
 * galleys, placement) are changed by the commands in ../article-parts.ts.
 */

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

export interface PublicationMetadata {
  title: LocalizedText;
  subtitle: LocalizedText;
  abstract: LocalizedText;
  keywords: LocalizedList;
  pages: string | null;
  sectionId: number;
  licenseUrl: string | null;
  /** The article's DOI; every version carries the same one. */
  doi: string | null;
  /** The new reference list, one text per reference; absent: the current version's, unchanged. */
  references?: string[];
}

/**
 * Changes a published article's metadata the way OJS does: a new version (publication) copied from
 * the current one, with its contributors, references and galleys, carrying the changes; it becomes
 * the version readers see, and the old one stays on record. While the article has a draft version
 * (commands/versions.ts), the changes go to the draft, which readers see once it is published.
 */
export async function publishNewVersion(db: Db, articleId: number, changes: PublicationMetadata): Promise<number> {
  return inTransaction(db, async (trx) => {
    const draft = await findDraftVersion(trx, articleId);
    const { publicationId, previous } = draft ? { publicationId: draft.id, previous: draft } : await copyCurrentVersion(trx, articleId);
    await trx
      .updateTable('publications')
      .set({
        title: JSON.stringify(changes.title),
        subtitle: JSON.stringify(changes.subtitle),
        // Stored as rich text whatever it came as: plain text becomes escaped paragraphs.
        abstract: JSON.stringify(toRichTextPerLocale(changes.abstract)),
        keywords: JSON.stringify(changes.keywords),
        pages: changes.pages,
        section_id: changes.sectionId,
        license_url: changes.licenseUrl,
      })
      .where('id', '=', publicationId)
      .execute();
    const oldReferences = await trx.selectFrom('citations').select('raw_text').where('publication_id', '=', previous.id).orderBy('seq').execute();
    const same = changes.references === undefined || (changes.references.length === oldReferences.length && changes.references.every((text, i) => text === oldReferences[i]!.raw_text));
    if (!same) {
      await trx.deleteFrom('citations').where('publication_id', '=', publicationId).execute();
      await insertReferences(trx, publicationId, changes.references!);
    }
    if (!draft) await trx.updateTable('articles').set({ current_publication_id: publicationId }).where('id', '=', articleId).execute();
    await trx.updateTable('publications').set({ doi: changes.doi }).where('article_id', '=', articleId).execute();
    const { journal_id: journalId } = await trx.selectFrom('articles').select('journal_id').where('id', '=', articleId).executeTakeFirstOrThrow();
    await emit(trx, { type: 'PublicationChanged', journalId, articleId, publicationId, newVersion: !draft });
    return publicationId;
  });
}
