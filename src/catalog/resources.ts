import type { Db } from './db.ts';
import type { GalleyResource } from './policy.ts';
import { storedFileOf } from './queries.ts';
import type { GalleyFile } from './types.ts';

/** A galley found whatever its article's or issue's state, with what `can(…, 'galley.download', …)` decides on. */
export interface GalleyForPolicy {
  galley: GalleyFile;
  resource: GalleyResource;
}

/**
 * A galley of an article's current version, published or not (readers' downloads use findGalleyFile,
 * which sees visible articles only). Visible follows the one rule of visibleCurrentPublications.
 */
export async function findArticleGalleyForPolicy(db: Db, journalId: number, articleId: number, galleyId: number): Promise<GalleyForPolicy | undefined> {
  const row = await db
    .selectFrom('articles as a')
    .innerJoin('publications as p', 'p.id', 'a.current_publication_id')
    .innerJoin('journals as j', 'j.id', 'a.journal_id')
    .leftJoin('issues as i', 'i.id', 'p.issue_id')
    .innerJoin('galleys as g', 'g.publication_id', 'p.id')
    .leftJoin('files as f', 'f.id', 'g.file_id')
    .select(['p.section_id', 'p.status', 'p.issue_id', 'i.is_published', 'j.enabled', 'g.id as galley_id', 'g.label', 'g.remote_url'])
    .select(['f.storage_key', 'f.mime_type', 'f.size_bytes', 'f.sha256', 'f.original_name', 'f.created_at'])
    .where('a.journal_id', '=', journalId)
    .where('a.id', '=', articleId)
    .where('g.id', '=', galleyId)
    .executeTakeFirst();
  if (!row) return undefined;
  const published = row.enabled && row.status === 'published' && (row.issue_id === null || row.is_published === true);
  return {
    galley: { galleyId: row.galley_id, label: row.label, remoteUrl: row.remote_url, file: storedFileOf(row) },
    resource: { kind: 'galley', galleyId: row.galley_id, of: { kind: 'article', journalId, sectionId: row.section_id, articleId, published, assignments: [] } },
  };
}

/** An issue's own galley, of a published issue or not (readers' downloads use findIssueGalleyFile). */
export async function findIssueGalleyForPolicy(db: Db, journalId: number, issueId: number, galleyId: number): Promise<GalleyForPolicy | undefined> {
  const row = await db
    .selectFrom('issue_galleys as g')
    .innerJoin('issues as i', 'i.id', 'g.issue_id')
    .innerJoin('journals as j', 'j.id', 'i.journal_id')
    .innerJoin('files as f', 'f.id', 'g.file_id')
    .select(['g.id', 'g.label', 'i.is_published', 'j.enabled', 'f.storage_key', 'f.mime_type', 'f.size_bytes', 'f.sha256', 'f.original_name', 'f.created_at'])
    .where('i.journal_id', '=', journalId)
    .where('g.issue_id', '=', issueId)
    .where('g.id', '=', galleyId)
    .executeTakeFirst();
  if (!row) return undefined;
  return {
    galley: { galleyId: row.id, label: row.label, remoteUrl: null, file: storedFileOf(row) },
    resource: { kind: 'galley', galleyId: row.id, of: { kind: 'issue', journalId, issueId, published: row.enabled && row.is_published } },
  };
}
