import { createHash } from 'node:crypto';
import type { FastifyReply, FastifyRequest } from 'fastify';

/** A strong validator for a body: the same bytes always give the same tag. */
export function etagOf(body: string | Buffer): string {
  return `"${createHash('sha1').update(body).digest('base64url')}"`;
}

/** True when the client's If-None-Match already names this tag (so a 304 will do). */
export function matchesIfNoneMatch(header: string | undefined, etag: string): boolean {
  if (!header) return false;
  if (header.trim() === '*') return true;
  return header.split(',').some((candidate) => candidate.trim().replace(/^W\//, '') === etag);
}

export interface PublicPage {
  body: string;
  etag: string;
  /** The body as UTF-8 bytes, encoded once when the page is cached rather than on every request. */
  bytes?: Buffer;
}

/** A generated public document (feed, sitemap, stylesheet) with validators (ETag, 304). */
export function sendValidated(request: FastifyRequest, reply: FastifyReply, page: PublicPage, type: string): FastifyReply {
  reply.header('etag', page.etag).header('cache-control', 'public, max-age=0, must-revalidate');
  if (matchesIfNoneMatch(request.headers['if-none-match'], page.etag)) return reply.code(304).send();
  return reply.type(type).send(page.bytes ?? page.body);
}

/**
 * Sends a public HTML page with validators; answers a conditional request with 304 and no body.
 * Browsers and proxies may keep the page but must revalidate it, so an edit shows up at once.
 */
export function sendPublicPage(request: FastifyRequest, reply: FastifyReply, page: PublicPage, status = 200): FastifyReply {
  reply
    .header('etag', page.etag)
    .header('cache-control', 'public, max-age=0, must-revalidate')
    .header('vary', 'Accept-Language, Cookie');
  if (status === 200 && matchesIfNoneMatch(request.headers['if-none-match'], page.etag)) {
    return reply.code(304).send();
  }
  return reply.code(status).type('text/html; charset=utf-8').send(page.bytes ?? page.body);
}
