import fsp from 'node:fs/promises';
import type { Kysely } from 'kysely';
import { forgetUnreferencedFiles, recordFile } from '../../../catalog/index.ts';
import type { Database } from '../../../db/index.ts';
import { extensionOfType, type FileStore } from '../../../storage/index.ts';
import { WorkflowError } from '../../errors.ts';
import { AnonymizeError, MAX_ANONYMIZED_BYTES } from './errors.ts';
import { hasKnownMetadata } from './strip.ts';
import { stripStoredFile } from './strip-thread.ts';

export interface AnonymizedCopy {
  /** The stored file to give the reviewer: the copy, or the original when its type has no metadata Revista knows of. */
  fileId: number;
  /** What was taken out (names of properties and parts, never their values), for the editors' record. */
  removed: string[];
}

/** Copies being made by this process, by store and original: a second reviewer waits for the first's. */
const inFlight = new Map<string, Promise<AnonymizedCopy>>();

/**
 * The copy of a stored file reviewers get in double-anonymous review: made once (stripMetadata), kept
 * in the file store like any file and named in `anonymized_files`, then served from there. Two
 * reviewers at once make one copy: in this process the second waits for the first; across processes
 * both may do the work, the first row wins and the loser's bytes go. The copy is referred to by its
 * row (catalog FILE_REFERENCES), so the store's sweep keeps it; when the original goes, the row goes
 * with it (ON DELETE CASCADE) and `forgetUnreferencedFiles` takes the copy too.
 *
 * Refuses (AnonymizeError) a file that cannot be made anonymous (encrypted, damaged, over `maxBytes`
 * — the file kind's limit, at most 100 MB); WorkflowError `file-unknown` for a file that is not there.
 */
export async function anonymizedCopy(db: Kysely<Database>, files: FileStore, fileId: number, options: { maxBytes?: number } = {}): Promise<AnonymizedCopy> {
  const key = `${files.root}\0${fileId}`;
  const running = inFlight.get(key);
  if (running) return running;
  const work = makeCopy(db, files, fileId, Math.min(options.maxBytes ?? MAX_ANONYMIZED_BYTES, MAX_ANONYMIZED_BYTES)).finally(() => inFlight.delete(key));
  inFlight.set(key, work);
  return work;
}

async function existingCopy(db: Kysely<Database>, fileId: number): Promise<AnonymizedCopy | undefined> {
  const row = await db.selectFrom('anonymized_files').select(['copy_file_id', 'removed']).where('file_id', '=', fileId).executeTakeFirst();
  return row ? { fileId: row.copy_file_id, removed: row.removed } : undefined;
}

async function makeCopy(db: Kysely<Database>, files: FileStore, fileId: number, maxBytes: number): Promise<AnonymizedCopy> {
  const made = await existingCopy(db, fileId);
  if (made) return made;
  const original = await db.selectFrom('files').select(['storage_key', 'mime_type', 'size_bytes']).where('id', '=', fileId).executeTakeFirst();
  if (!original) throw new WorkflowError('file-unknown');
  if (!hasKnownMetadata(original.mime_type)) return { fileId, removed: [] };
  if (Number(original.size_bytes) > maxBytes) throw new AnonymizeError('too-large', `the file has ${original.size_bytes} bytes (at most ${maxBytes})`);
  let path: string;
  try {
    path = files.pathOf(original.storage_key);
    await fsp.access(path);
  } catch {
    throw new WorkflowError('file-unknown');
  }
  const stripped = await stripStoredFile(path, original.mime_type, maxBytes);
  if (!stripped) return { fileId, removed: [] };
  const stored = await files.put(Buffer.from(stripped.bytes.buffer, stripped.bytes.byteOffset, stripped.bytes.byteLength));
  let won: boolean;
  try {
    won = await db.transaction().execute(async (trx) => {
      const copy = {
        id: await recordFile(trx, {
          storageKey: stored.key,
          mimeType: original.mime_type,
          sizeBytes: stored.sizeBytes,
          sha256: stored.sha256,
          // Never the uploaded name: it may be the author's.
          originalName: `anonymized.${extensionOfType(original.mime_type) ?? 'bin'}`,
        }),
      };
      const row = await trx
        .insertInto('anonymized_files')
        .values({ file_id: fileId, copy_file_id: copy.id, removed: JSON.stringify(stripped.removed) })
        .onConflict((oc) => oc.column('file_id').doNothing())
        .returning('file_id')
        .executeTakeFirst();
      if (!row) await forgetUnreferencedFiles(trx, [copy.id]);
      return row !== undefined;
    });
  } catch (error) {
    await files.remove(stored.key);
    // The original went while its copy was made (its row's foreign key says so).
    if (!(await db.selectFrom('files').select('id').where('id', '=', fileId).executeTakeFirst())) throw new WorkflowError('file-unknown');
    throw error;
  }
  if (!won) await files.remove(stored.key);
  const copy = await existingCopy(db, fileId);
  if (!copy) throw new WorkflowError('file-unknown');
  return copy;
}

/** Characters a file name part keeps: what survives every file system and mail client. */
const slug = (text: string) => text.toLowerCase().normalize('NFKD').replace(/[\u0300-\u036f]/g, '').replace(/[^a-z0-9]+/g, '-').replace(/^-+|-+$/g, '').slice(0, 40) || 'file';

/**
 * The name a reviewer downloads a file under, never the uploaded one (which may carry an author's
 * name): `submission-1786-round-1-article-text.pdf`, from the submission, the round, the file's kind
 * (its name in the journal's language, or its key) and the extension of the type read from its bytes;
 * `number` (the file's place among the round's files of that kind, from 2) tells several apart.
 */
export function reviewerFileName(file: { submissionId: number; round: number; kind: string; mimeType: string; number?: number }): string {
  const extension = extensionOfType(file.mimeType) ?? 'bin';
  const number = file.number !== undefined && file.number > 1 ? `-${file.number}` : '';
  return `submission-${file.submissionId}-round-${file.round}-${slug(file.kind)}${number}.${extension}`;
}
