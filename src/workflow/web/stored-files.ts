import fs from 'node:fs';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Kysely } from 'kysely';
import type { Database } from '../../db/index.ts';
import { NotFoundError } from '../../platform/http/index.ts';
import { InvalidStorageKeyError, isActiveContentType, type FileStore } from '../../storage/index.ts';

/** A content disposition with the plain-ASCII fallback and the exact name (RFC 6266, RFC 5987). */
export function attachment(name: string): string {
  const ascii = name.replace(/[^\x20-\x7e]/g, '_').replace(/["\\]/g, '_');
  const encoded = encodeURIComponent(name).replace(/['()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
  return `attachment; filename="${ascii}"; filename*=UTF-8''${encoded}`;
}

/**
 * Sends a stored file of the workflow (a submission's file, a revision, a reviewer's copy) as a
 * download under `name`: never shown in the site's origin (attachment, nosniff, active types as
 * octet-stream), never kept by a shared cache.
 */
export async function sendStoredFile(
  deps: { db: Kysely<Database>; files: FileStore },
  request: FastifyRequest,
  reply: FastifyReply,
  stored: { fileId: number; name: string; mimeType: string; sha256?: string },
) {
  const row = await deps.db.selectFrom('files').select(['storage_key', 'sha256']).where('id', '=', stored.fileId).executeTakeFirst();
  if (!row) throw new NotFoundError();
  let path: string;
  try {
    path = deps.files.pathOf(row.storage_key);
  } catch (error) {
    if (error instanceof InvalidStorageKeyError) throw new NotFoundError('submission file has an invalid storage key');
    throw error;
  }
  let size: number;
  try {
    size = (await fs.promises.stat(path)).size;
  } catch {
    request.log.error({ fileId: stored.fileId }, 'submission file missing from storage');
    throw new NotFoundError('submission file missing');
  }
  return reply
    .header('content-disposition', attachment(stored.name))
    .header('x-content-type-options', 'nosniff')
    .header('cache-control', 'private, no-store')
    .header('etag', `"${stored.sha256 ?? row.sha256}"`)
    .header('content-length', size)
    .type(isActiveContentType(stored.mimeType) ? 'application/octet-stream' : stored.mimeType)
    .send(fs.createReadStream(path));
}
