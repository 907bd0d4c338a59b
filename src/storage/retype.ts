import fsp from 'node:fs/promises';
import type { Kysely } from 'kysely';
import type { Database } from '../db/index.ts';
import { fileType, isActiveContentType, SNIFF_BYTES } from './file-types.ts';

/** Where the store is and how a key becomes a path (FileStore's, without importing the store). */
interface StoreLocation {
  pathOf(key: string): string;
}

export interface RetypeReport {
  /** Files whose first bytes were read. */
  checked: number;
  /** Files whose recorded type changed. */
  changed: number;
  /** Rows whose file is not in the store (or whose key Revista could not have made): left as they were. */
  missing: number;
  /** Files whose bytes or name say script, style sheet or SVG: recorded as application/octet-stream, never served as what they are. */
  disarmed: number;
}

const BATCH = 500;

/**
 * Reads the first bytes of stored files and records the type they show (file-types.ts `fileType`,
 * with the recorded type and the original name as the claim). By default only the files stored
 * before types were read from bytes (migration 0015), each once: the server does this at start.
 * With `all`, every file again (`revista files retype --all`, after restoring a store from a backup).
 *
 * A changed file's galleys are touched in the same transaction, so their articles' OAI records get a
 * new datestamp (harvesters see the new dc:format), the search index reads their text again (a PDF
 * stored as octet-stream had none read) and every server drops its cached pages.
 */
export async function retypeStoredFiles(db: Kysely<Database>, files: StoreLocation, options: { all?: boolean; onProgress?: (report: RetypeReport) => void } = {}): Promise<RetypeReport> {
  const report: RetypeReport = { checked: 0, changed: 0, missing: 0, disarmed: 0 };
  let after = 0;
  for (;;) {
    let query = db.selectFrom('files').select(['id', 'storage_key', 'mime_type', 'original_name']).where('id', '>', after).orderBy('id').limit(BATCH);
    if (!options.all) query = query.where('type_checked_at', 'is', null);
    const rows = await query.execute();
    if (rows.length === 0) break;
    after = rows.at(-1)!.id;
    const changes = new Map<number, string>();
    for (const row of rows) {
      const head = await readHead(files, row.storage_key);
      if (!head) {
        report.missing++;
        continue;
      }
      report.checked++;
      let type = fileType({ head, declared: row.mime_type, name: row.original_name });
      if (isActiveContentType(type)) {
        // Import refuses such files; one stored by an older version stays, but only as bytes to download.
        type = 'application/octet-stream';
        report.disarmed++;
      }
      if (type !== row.mime_type) changes.set(row.id, type);
    }
    await db.transaction().execute(async (tx) => {
      for (const [id, type] of changes) await tx.updateTable('files').set({ mime_type: type }).where('id', '=', id).execute();
      const changed = [...changes.keys()];
      if (changed.length > 0) {
        await tx.deleteFrom('search_file_texts').where('file_id', 'in', changed).execute();
        await tx.updateTable('galleys').set((eb) => ({ file_id: eb.ref('file_id') })).where('file_id', 'in', changed).execute();
      }
      // A missing file is stamped too: it is looked at again only when asked (--all), not at every start.
      await tx.updateTable('files').set({ type_checked_at: new Date() }).where('id', 'in', rows.map((r) => r.id)).execute();
    });
    report.changed += changes.size;
    options.onProgress?.({ ...report });
  }
  return report;
}

/** The first SNIFF_BYTES of a stored file (fewer if it is shorter); undefined when it cannot be read. */
async function readHead(files: StoreLocation, key: string): Promise<Buffer | undefined> {
  let handle: fsp.FileHandle | undefined;
  try {
    handle = await fsp.open(files.pathOf(key), 'r');
    const buffer = Buffer.alloc(SNIFF_BYTES);
    const { bytesRead } = await handle.read(buffer, 0, SNIFF_BYTES, 0);
    return buffer.subarray(0, bytesRead);
  } catch {
    return undefined;
  } finally {
    await handle?.close();
  }
}
