import type { Db } from '../db.ts';
import type { StoredGalleyFile } from '../article-parts.ts';
import { changeArticle } from '../versions.ts';

/**
 * An HTML galley's dependent files (issue 21; OJS: "dependent files"): its images, style sheets and
 * fonts, each a stored file under the name the HTML refers to it by (`figure1.png`). A name is unique
 * in its galley: storing a file under a name it already has replaces the earlier one. They change
 * through changeArticle like the galley itself, so a published article changes only by a new version.
 */

export interface GalleyAsset {
  id: number;
  galleyId: number;
  name: string;
  file: { id: number; storageKey: string; mimeType: string; sizeBytes: number; sha256: string };
  createdAt: Date;
}

/** The assets of galleys, by name (several galleys at once: a page lists every HTML galley's). */
export async function galleyAssets(db: Db, galleyIds: readonly number[]): Promise<GalleyAsset[]> {
  if (galleyIds.length === 0) return [];
  const rows = await db
    .selectFrom('galley_assets as a')
    .innerJoin('files as f', 'f.id', 'a.file_id')
    .select(['a.id', 'a.galley_id', 'a.name', 'a.created_at', 'f.id as file_id', 'f.storage_key', 'f.mime_type', 'f.size_bytes', 'f.sha256'])
    .where('a.galley_id', 'in', [...galleyIds])
    .orderBy('a.galley_id')
    .orderBy('a.name')
    .execute();
  return rows.map((r) => ({
    id: r.id,
    galleyId: r.galley_id,
    name: r.name,
    file: { id: r.file_id, storageKey: r.storage_key, mimeType: r.mime_type, sizeBytes: Number(r.size_bytes), sha256: r.sha256 },
    createdAt: r.created_at,
  }));
}

/**
 * Stores `file` as the asset `name` of a galley of the article's current version (replacing one of
 * that name). Returns the asset's id; undefined when the galley is not the current version's.
 */
export function saveGalleyAsset(db: Db, articleId: number, galleyId: number, name: string, file: StoredGalleyFile): Promise<number | undefined> {
  if (!isGalleyAssetName(name)) throw new RangeError(`not a galley asset name: ${JSON.stringify(name)}`);
  return changeArticle(db, articleId, async (trx, target) => {
    const id = target.galley(galleyId);
    if (id === undefined) return undefined;
    const stored = await trx
      .insertInto('files')
      .values({ storage_key: file.storageKey, mime_type: file.mimeType, size_bytes: file.sizeBytes, sha256: file.sha256, original_name: file.originalName, type_checked_at: new Date() })
      .returning('id')
      .executeTakeFirstOrThrow();
    await trx.deleteFrom('galley_assets').where('galley_id', '=', id).where('name', '=', name).execute();
    const row = await trx.insertInto('galley_assets').values({ galley_id: id, name, file_id: stored.id }).returning('id').executeTakeFirstOrThrow();
    return row.id;
  });
}

/** Removes an asset of a galley of the current version; false when it is not one of its. */
export function removeGalleyAsset(db: Db, articleId: number, galleyId: number, assetId: number): Promise<boolean> {
  return changeArticle(db, articleId, async (trx, target) => {
    const id = target.galley(galleyId);
    if (id === undefined) return false;
    const asset = await trx.selectFrom('galley_assets').select(['id', 'name']).where('id', '=', assetId).where('galley_id', '=', galleyId).executeTakeFirst();
    if (!asset) return false;
    // On a new version the galley was copied: its asset of the same name goes (the old version keeps its own).
    const removed = await trx.deleteFrom('galley_assets').where('galley_id', '=', id).where('name', '=', asset.name).executeTakeFirst();
    return Number(removed.numDeletedRows) > 0;
  });
}


/**
 * An HTML galley's image, style sheet or font, recorded as it is (import, fixtures: no new version of
 * a published article, unlike saveGalleyAsset) under the name its HTML refers to it by (a file
 * already put in the store and recorded with `recordFile`). The name is kept as given: the
 * reader serves an asset only when asked for exactly this name, so a name no relative link could
 * reach (`..`, a backslash) is refused here rather than stored.
 */
export async function addGalleyAsset(db: Db, galleyId: number, asset: { name: string; fileId: number }): Promise<number> {
  if (!isGalleyAssetName(asset.name)) throw new RangeError(`not a galley asset name: ${JSON.stringify(asset.name)}`);
  const row = await db.insertInto('galley_assets').values({ galley_id: galleyId, name: asset.name, file_id: asset.fileId }).returning('id').executeTakeFirstOrThrow();
  return row.id;
}

/**
 * A name an HTML galley's relative links may give an asset (`figure1.png`, `images/fig-2.png`): 1–255
 * characters, segments of letters, digits, spaces and `._-`, none starting with a dot — so never `..`,
 * an absolute path, a backslash or a control character. Stored and served only under such a name.
 */
export function isGalleyAssetName(name: string): boolean {
  if (name.length === 0 || name.length > 255) return false;
  return name.split('/').every((s) => /^[A-Za-z0-9_-][A-Za-z0-9 ._-]{0,200}$/.test(s) && !s.endsWith(' '));
}
