import type { Db } from '../db.ts';

/**
 * An HTML galley's image, style sheet or font, recorded under the name its HTML refers to it by
 * (a file already put in the store and recorded with `recordFile`). The name is kept as given: the
 * reader serves an asset only when asked for exactly this name, so a name that is not a plain file
 * name (a slash, `..`) is refused here rather than stored where no link could reach it.
 */
export async function addGalleyAsset(db: Db, galleyId: number, asset: { name: string; fileId: number }): Promise<number> {
  if (!isGalleyAssetName(asset.name)) throw new RangeError(`not a galley asset name: ${JSON.stringify(asset.name)}`);
  const row = await db.insertInto('galley_assets').values({ galley_id: galleyId, name: asset.name, file_id: asset.fileId }).returning('id').executeTakeFirstOrThrow();
  return row.id;
}

/** A plain file name (as an HTML galley's relative links name its assets): no path, no control characters, not `.` or `..`. */
export function isGalleyAssetName(name: string): boolean {
  return name.length >= 1 && name.length <= 255 && name !== '.' && name !== '..' && !/[/\\\u0000-\u001f\u007f]/.test(name);
}
