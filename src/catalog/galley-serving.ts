import fs from 'node:fs';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { matchesIfNoneMatch } from '../platform/http/caching.ts';
import { NotFoundError } from '../platform/http/errors.ts';
import { InvalidStorageKeyError, isActiveContentType, mimeEssence, type FileStore } from '../storage/index.ts';
import { isHttpUrl } from '../ui/index.ts';
import type { GalleyFile } from './types.ts';

/**
 * How galleys' bytes are sent: the reader's downloads and in-page viewer, and the team's preview
 * (workflow) use the same code, each with its own access check. Here, in the capability that owns
 * galleys, because the reader imports the workflow and so the workflow cannot import the reader.
 */

export type ByteRange = { start: number; end: number };

/**
 * Reads a Range header for a file of `size` bytes. One range is served (several are answered with
 * the whole file, as RFC 9110 allows); 'unsatisfiable' means 416.
 */
export function parseRange(header: string | undefined, size: number): ByteRange | 'unsatisfiable' | undefined {
  if (!header) return undefined;
  const match = /^bytes=(\d*)-(\d*)$/.exec(header.trim());
  if (!match) return undefined;
  const [, first, last] = match as unknown as [string, string, string];
  if (first === '' && last === '') return undefined;
  if (first === '') {
    const suffix = Number(last);
    if (suffix === 0) return 'unsatisfiable';
    return { start: Math.max(0, size - suffix), end: size - 1 };
  }
  const start = Number(first);
  const end = last === '' ? size - 1 : Math.min(Number(last), size - 1);
  if (start >= size || start > end) return 'unsatisfiable';
  return { start, end };
}

/** `attachment` with an ASCII fallback name and the exact UTF-8 name (RFC 6266). */
export function contentDisposition(fileName: string, disposition: 'attachment' | 'inline'): string {
  const ascii = fileName.replace(/[^\x20-\x7e]/g, '_').replace(/["\\]/g, '_');
  return `${disposition}; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(fileName)}`;
}

/** Whether a galley's file is a PDF, which the viewer page shows in page (served inline). */
export function isPdfGalley(galley: Pick<GalleyFile, 'remoteUrl' | 'file'>): boolean {
  return galley.remoteUrl === null && galley.file !== null && mimeEssence(galley.file.mimeType) === 'application/pdf';
}

/**
 * `audience` 'private': a galley only some people may download (not yet published), never kept by a
 * shared cache. `disposition` 'inline' (the viewer's frame) applies to a PDF only: any other file is
 * always a download.
 */
export async function sendGalley(request: FastifyRequest, reply: FastifyReply, store: FileStore, galley: GalleyFile, audience: 'public' | 'private' = 'public', disposition: 'attachment' | 'inline' = 'attachment'): Promise<FastifyReply> {
  if (galley.remoteUrl) {
    // Only to an http(s) address: never a javascript: URL, never a header split by CR/LF.
    if (!isHttpUrl(galley.remoteUrl)) {
      request.log.error({ galleyId: galley.galleyId }, 'remote galley address is not an http(s) URL; not redirected');
      throw new NotFoundError('galley address is not an http(s) URL');
    }
    return reply.redirect(galley.remoteUrl, 302);
  }
  const file = galley.file;
  if (!file) throw new NotFoundError('galley has no file');
  let path: string;
  try {
    path = store.pathOf(file.storageKey);
  } catch (error) {
    if (!(error instanceof InvalidStorageKeyError)) throw error;
    // A key Revista could not have made (written into the database by hand): nothing outside storage is sent.
    request.log.error({ galleyId: galley.galleyId }, 'galley file has an invalid storage key; not sent');
    throw new NotFoundError('galley file has an invalid storage key');
  }
  let size: number;
  try {
    size = (await fs.promises.stat(path)).size;
  } catch {
    request.log.error({ storageKey: file.storageKey, galleyId: galley.galleyId }, 'galley file missing from storage');
    throw new NotFoundError('galley file missing');
  }
  const etag = `"${file.sha256}"`;
  reply
    .header('etag', etag)
    .header('last-modified', file.createdAt.toUTCString())
    .header('cache-control', audience === 'public' ? 'public, max-age=0, must-revalidate' : 'private, no-store')
    .header('accept-ranges', 'bytes')
    .header('content-disposition', contentDisposition(file.originalName, disposition === 'inline' && isPdfGalley(galley) ? 'inline' : 'attachment'))
    .header('x-content-type-options', 'nosniff')
    // A script, style sheet or SVG is never sent as one (an import refuses them; SQL could still write one).
    .type(isActiveContentType(file.mimeType) ? 'application/octet-stream' : file.mimeType);
  if (matchesIfNoneMatch(request.headers['if-none-match'], etag)) return reply.code(304).send();

  // If-Range: a range asked for against an older version of the file gets the whole new file.
  const ifRange = request.headers['if-range'];
  const rangeHeader = ifRange === undefined || ifRange === etag ? request.headers.range : undefined;
  const range = parseRange(rangeHeader, size);
  if (range === 'unsatisfiable') {
    return reply.code(416).header('content-range', `bytes */${size}`).type('text/plain; charset=utf-8').send('Requested range not satisfiable');
  }
  if (range) {
    reply.code(206).header('content-range', `bytes ${range.start}-${range.end}/${size}`).header('content-length', range.end - range.start + 1);
    return reply.send(fs.createReadStream(path, { start: range.start, end: range.end }));
  }
  reply.header('content-length', size);
  return reply.send(fs.createReadStream(path));
}
