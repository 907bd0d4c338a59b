import type { Kysely } from 'kysely';
import { addPublishedArticle, createIssue, createJournal, createSection } from '../../src/catalog/index.ts';
import type { Database } from '../../src/db/index.ts';
import type { FileStore } from '../../src/storage/index.ts';

/** One journal's things, each readers may see or not: what the role × route × resource test asks about. */
export interface JournalThings {
  path: string;
  journalId: number;
  /** The section a section editor of journal A is assigned to. */
  sectionId: number;
  publishedIssue: number;
  draftIssue: number;
  publishedIssueGalley: number;
  draftIssueGalley: number;
  /** Published, in the published issue. */
  article: { id: number; galleyId: number };
  /** Scheduled in the draft issue: not visible to readers yet. */
  scheduled: { id: number; galleyId: number };
  /** Scheduled too, in a section the section editor is not assigned to. */
  scheduledElsewhere: { id: number; galleyId: number };
}

const PDF = Buffer.from('%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n');

async function pdf(files: FileStore, name: string) {
  const stored = await files.put(PDF);
  return { storageKey: stored.key, sizeBytes: stored.sizeBytes, sha256: stored.sha256, mimeType: 'application/pdf', originalName: name };
}

async function article(db: Kysely<Database>, files: FileStore, journalId: number, sectionId: number, issueId: number, title: string) {
  const { articleId } = await addPublishedArticle(db, {
    journalId, sectionId, issueId, locale: 'en', title: { en: title }, datePublished: '2024-01-01',
    galleys: [{ label: 'PDF', locale: 'en', file: await pdf(files, `${title}.pdf`) }],
  });
  const galley = await db.selectFrom('galleys as g').innerJoin('publications as p', 'p.id', 'g.publication_id').select('g.id').where('p.article_id', '=', articleId).executeTakeFirstOrThrow();
  return { id: articleId, galleyId: galley.id };
}

async function issueGalley(db: Kysely<Database>, files: FileStore, issueId: number): Promise<number> {
  const file = await pdf(files, `issue-${issueId}.pdf`);
  const row = await db.insertInto('files').values({ storage_key: file.storageKey, mime_type: file.mimeType, size_bytes: file.sizeBytes, sha256: file.sha256, original_name: file.originalName }).returning('id').executeTakeFirstOrThrow();
  const galley = await db.insertInto('issue_galleys').values({ issue_id: issueId, label: 'Full issue', locale: 'en', file_id: row.id, date_uploaded: null, date_modified: null }).returning('id').executeTakeFirstOrThrow();
  return galley.id;
}

/** Gives journal `path` (created unless it exists) a published and a draft issue, each with articles and galleys. */
export async function journalThings(db: Kysely<Database>, files: FileStore, path: string): Promise<JournalThings> {
  const existing = await db.selectFrom('journals').select('id').where('path', '=', path).executeTakeFirst();
  const journalId = existing?.id ?? (await createJournal(db, { path, name: { en: path }, primaryLocale: 'en', supportedLocales: ['en'] }));
  const sectionId = await createSection(db, { journalId, title: { en: 'Articles' } });
  const otherSection = await createSection(db, { journalId, title: { en: 'Reviews' } });
  const publishedIssue = await createIssue(db, { journalId, volume: 90, year: 2024, published: true, datePublished: '2024-01-01' });
  const draftIssue = await createIssue(db, { journalId, volume: 91, year: 2025, published: false });
  return {
    path,
    journalId,
    sectionId,
    publishedIssue,
    draftIssue,
    publishedIssueGalley: await issueGalley(db, files, publishedIssue),
    draftIssueGalley: await issueGalley(db, files, draftIssue),
    article: await article(db, files, journalId, sectionId, publishedIssue, `${path}-published`),
    scheduled: await article(db, files, journalId, sectionId, draftIssue, `${path}-scheduled`),
    scheduledElsewhere: await article(db, files, journalId, otherSection, draftIssue, `${path}-elsewhere`),
  };
}
