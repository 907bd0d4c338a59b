import { open } from 'node:fs/promises';
import { galleyAssets, publicationGalleys, type Db, type GalleyAsset, type GalleyForEditing } from '../../catalog/index.ts';
import type { FileStore } from '../../storage/index.ts';
import { assetType, GALLEY_TYPES, isHtmlGalleyType } from './galleys.ts';
import { htmlReferences, MAX_SCANNED_HTML } from './html-references.ts';

/** A galley as the Production section and the API show it: its format, assets, and what its HTML still misses. */
export interface ProductionGalley extends GalleyForEditing {
  seq: number;
  format: 'pdf' | 'html' | 'jats' | 'epub' | 'remote' | 'other';
  assets: GalleyAsset[];
  /** Names the HTML (or its style sheets) refers to that no asset has. */
  missing: string[];
}

async function readText(files: FileStore, storageKey: string): Promise<string> {
  const handle = await open(files.pathOf(storageKey), 'r');
  try {
    const buffer = Buffer.alloc(MAX_SCANNED_HTML);
    const { bytesRead } = await handle.read(buffer, 0, MAX_SCANNED_HTML, 0);
    return buffer.subarray(0, bytesRead).toString('utf8');
  } finally {
    await handle.close();
  }
}

/** The names an HTML galley refers to: in its HTML, and in the style sheets among its assets. */
export async function galleyReferences(files: FileStore, htmlKey: string, assets: readonly GalleyAsset[]): Promise<string[]> {
  const names = new Set(htmlReferences(await readText(files, htmlKey)));
  for (const css of assets.filter((a) => a.file.mimeType === 'text/css')) {
    const folder = css.name.includes('/') ? css.name.slice(0, css.name.lastIndexOf('/') + 1) : '';
    // A style sheet's url() is relative to the style sheet.
    for (const name of htmlReferences(`<style>${await readText(files, css.file.storageKey)}</style>`)) names.add(`${folder}${name}`);
  }
  return [...names];
}

/** The galleys of a publication, in order, with the assets and missing references of the HTML ones. */
export async function productionGalleys(db: Db, files: FileStore, publicationId: number): Promise<ProductionGalley[]> {
  const galleys = await publicationGalleys(db, publicationId);
  const assets = await galleyAssets(
    db,
    galleys.filter((g) => g.file && isHtmlGalleyType(g.file.mimeType)).map((g) => g.id),
  );
  const keys = new Map((await db.selectFrom('files').select(['id', 'storage_key']).where('id', 'in', [0, ...galleys.flatMap((g) => (g.file ? [g.file.id] : []))]).execute()).map((r) => [r.id, r.storage_key]));
  return Promise.all(
    galleys.map(async (g, i): Promise<ProductionGalley> => {
      const own = assets.filter((a) => a.galleyId === g.id);
      const format = g.file === null ? 'remote' : (GALLEY_TYPES[g.file.mimeType] ?? 'other');
      let missing: string[] = [];
      if (format === 'html' && g.file) {
        const have = new Set(own.map((a) => a.name));
        try {
          missing = (await galleyReferences(files, keys.get(g.file.id)!, own)).filter((n) => !have.has(n));
        } catch {
          missing = [];
        }
      }
      return { ...g, seq: i + 1, format, assets: own, missing };
    }),
  );
}

/**
 * An uploaded asset with its type read again from its stored first bytes by `assetType` (the
 * upload's own reading knows documents, not fonts and style sheets); undefined type: refused.
 */
export async function retypedAsset<U extends { storageKey: string; mimeType: string }>(files: FileStore, upload: U, name: string): Promise<U> {
  const handle = await open(files.pathOf(upload.storageKey), 'r');
  try {
    const head = Buffer.alloc(1024);
    const { bytesRead } = await handle.read(head, 0, 1024, 0);
    return { ...upload, mimeType: assetType(head.subarray(0, bytesRead), name) ?? 'application/octet-stream' };
  } finally {
    await handle.close();
  }
}
