import type { Db } from '../db.ts';

/** A stored file's record: the bytes are in the file store, under `storageKey`. */
export interface FileRecord {
  storageKey: string;
  mimeType: string;
  sizeBytes: number;
  sha256: string;
  originalName: string;
  /** The file's own date when known (OJS's, from an import); served as Last-Modified. */
  createdAt?: Date;
}

/** Records files already put in the store, in one statement; returns their ids with their storage keys. */
export async function recordFiles(db: Db, files: FileRecord[]): Promise<Array<{ id: number; storageKey: string }>> {
  if (files.length === 0) return [];
  const rows = await db
    .insertInto('files')
    .values(
      files.map((f) => ({
        storage_key: f.storageKey,
        mime_type: f.mimeType,
        size_bytes: f.sizeBytes,
        sha256: f.sha256,
        original_name: f.originalName,
        ...(f.createdAt ? { created_at: f.createdAt } : {}),
      })),
    )
    .returning(['id', 'storage_key'])
    .execute();
  return rows.map((r) => ({ id: r.id, storageKey: r.storage_key }));
}

export async function recordFile(db: Db, file: FileRecord): Promise<number> {
  return (await recordFiles(db, [file]))[0]!.id;
}
