import type { LocalizedText } from '../db/schema.ts';
import type { Db } from './db.ts';
import { contributorsOf, storedFileOf } from './queries.ts';
import type { ContributorView, GalleyFile } from './types.ts';

/**
 * A galley as its viewer page shows it (reader/galley-view.ts, and the team's preview): the galley, its
 * file, and the version it belongs to (title, authors). Whether the viewer may see it is the caller's
 * question: readers ask `findGalleyFile` (visible articles only), the workflow its own policy.
 */
export interface GalleyToView {
  galleyId: number;
  articleId: number;
  publicationId: number;
  /** Whether the galley belongs to the article's current version (else an earlier one, or one in preparation). */
  current: boolean;
  /** The version's number (1 for the first). */
  version: number;
  label: string;
  locale: string;
  remoteUrl: string | null;
  file: GalleyFile['file'];
  title: LocalizedText;
  /** The version's own language, the fallback of its localized fields. */
  publicationLocale: string;
  contributors: ContributorView[];
}

/** A galley of any version of the article, whatever the article's state. */
export async function findGalleyToView(db: Db, journalId: number, articleId: number, galleyId: number): Promise<GalleyToView | undefined> {
  if (!Number.isSafeInteger(galleyId) || galleyId <= 0 || galleyId > 2147483647) return undefined;
  const row = await db
    .selectFrom('galleys as g')
    .innerJoin('publications as p', 'p.id', 'g.publication_id')
    .innerJoin('articles as a', 'a.id', 'p.article_id')
    .leftJoin('files as f', 'f.id', 'g.file_id')
    .select(['g.id as galley_id', 'g.label', 'g.locale as galley_locale', 'g.remote_url', 'p.id as publication_id', 'p.title', 'p.locale as publication_locale', 'p.version', 'a.current_publication_id'])
    .select(['f.storage_key', 'f.mime_type', 'f.size_bytes', 'f.sha256', 'f.original_name', 'f.created_at'])
    .where('a.journal_id', '=', journalId)
    .where('a.id', '=', articleId)
    .where('g.id', '=', galleyId)
    .executeTakeFirst();
  if (!row) return undefined;
  const contributors = (await contributorsOf(db, [row.publication_id])).get(row.publication_id) ?? [];
  return {
    galleyId: row.galley_id,
    articleId,
    publicationId: row.publication_id,
    current: row.current_publication_id === row.publication_id,
    version: row.version,
    label: row.label,
    locale: row.galley_locale,
    remoteUrl: row.remote_url,
    file: storedFileOf(row),
    title: row.title,
    publicationLocale: row.publication_locale,
    contributors,
  };
}

/** One asset of an HTML galley, by its exact name; undefined when the galley has none of that name. */
export async function findGalleyAsset(db: Db, galleyId: number, name: string): Promise<NonNullable<GalleyFile['file']> | undefined> {
  const row = await db
    .selectFrom('galley_assets as ga')
    .innerJoin('files as f', 'f.id', 'ga.file_id')
    .select(['f.storage_key', 'f.mime_type', 'f.size_bytes', 'f.sha256', 'f.original_name', 'f.created_at'])
    .where('ga.galley_id', '=', galleyId)
    .where('ga.name', '=', name)
    .executeTakeFirst();
  return row ? (storedFileOf(row) ?? undefined) : undefined;
}
