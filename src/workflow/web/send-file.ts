import fs from 'node:fs';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { NotFoundError } from '../../platform/http/index.ts';
import { InvalidStorageKeyError, isActiveContentType, type FileStore } from '../../storage/index.ts';

/** A content disposition with the plain-ASCII fallback and the exact name (RFC 6266, RFC 5987). */
export function attachment(name: string): string {
  const ascii = name.replace(/[^\x20-\x7e]/g, '_').replace(/["\\]/g, '_');
  const encoded = encodeURIComponent(name).replace(/['()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
  return `attachment; filename="${ascii}"; filename*=UTF-8''${encoded}`;
}

/**
 * Sends a stored file of the workflow as a download under `name`: never cached, never sniffed, an
 * active type (HTML, SVG) as bytes. A file missing from the store is a 404 (and an error in the log).
 */
export async function sendStoredFile(files: FileStore, request: FastifyRequest, reply: FastifyReply, stored: { storageKey: string; fileId: number; name: string; mimeType: string; sha256: string }): Promise<FastifyReply> {
  let path: string;
  try {
    path = files.pathOf(stored.storageKey);
  } catch (error) {
    if (error instanceof InvalidStorageKeyError) throw new NotFoundError('stored file has an invalid storage key');
    throw error;
  }
  let size: number;
  try {
    size = (await fs.promises.stat(path)).size;
  } catch {
    request.log.error({ fileId: stored.fileId }, 'stored file missing from storage');
    throw new NotFoundError('stored file missing');
  }
  return reply
    .header('content-disposition', attachment(stored.name))
    .header('x-content-type-options', 'nosniff')
    .header('cache-control', 'private, no-store')
    .header('etag', `"${stored.sha256}"`)
    .header('content-length', size)
    .type(isActiveContentType(stored.mimeType) ? 'application/octet-stream' : stored.mimeType)
    .send(fs.createReadStream(path));
}
