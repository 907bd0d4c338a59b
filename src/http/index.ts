import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { ForbiddenError, HttpError, SignInRequiredError } from './errors.ts';
import { registerSecurityHeaders } from './security.ts';

export * from './errors.ts';
export * from './caching.ts';
export { createPageCache, type PageCache } from './page-cache.ts';
export { loggerOptions, redactSecretsInUrl } from './logging.ts';

export interface ErrorPages {
  notFound(request: FastifyRequest, reply: FastifyReply): Promise<FastifyReply>;
  serverError(request: FastifyRequest, reply: FastifyReply): Promise<FastifyReply>;
  /** 403 (or 401 for a non-GET request without a session), explained in the reader's language. */
  forbidden(request: FastifyRequest, reply: FastifyReply, reason: 'forbidden' | 'csrf' | 'sign-in'): Promise<FastifyReply>;
}

function wantsHtml(request: FastifyRequest): boolean {
  const accept = request.headers.accept ?? '';
  return accept === '' || accept.includes('text/html') || accept.includes('*/*');
}

/**
 * What every answer shares: security headers, the request id header, and the one place where errors
 * become statuses. Unknown addresses and ids that name nothing are 404 pages in the reader's
 * language; faults are logged with the request id and shown as a plain page without details.
 */
export function registerHttpBasics(app: FastifyInstance, options: { https: boolean; pages: ErrorPages }): void {
  registerSecurityHeaders(app, options);

  app.setNotFoundHandler(async (request, reply) => {
    const canonical = withoutTrailingSlash(request);
    if (canonical !== undefined) return reply.redirect(canonical, 301);
    return options.pages.notFound(request, reply);
  });

  app.setErrorHandler(async (error: FastifyError, request, reply) => {
    // A malformed path parameter names nothing: that is a missing page, not a bad request.
    if (error instanceof HttpError && error.statusCode === 404) return options.pages.notFound(request, reply);
    if (error.validation && error.validationContext === 'params') return options.pages.notFound(request, reply);
    if (error instanceof SignInRequiredError) {
      if (request.method === 'GET' || request.method === 'HEAD') return reply.header('cache-control', 'no-store').redirect(error.loginUrl, 303);
      return options.pages.forbidden(request, reply, 'sign-in');
    }
    if (error instanceof ForbiddenError) return options.pages.forbidden(request, reply, error.reason);
    const status = error instanceof HttpError ? error.statusCode : (error.statusCode ?? 500);
    if (status >= 500) {
      request.log.error({ err: error, requestId: request.id }, 'request failed');
      if (wantsHtml(request)) return options.pages.serverError(request, reply);
      return reply.code(500).type('application/json').send({ error: 'Internal Server Error', requestId: request.id });
    }
    return reply
      .code(status)
      .type('text/plain; charset=utf-8')
      .header('cache-control', 'no-store')
      .send(`${status} ${error.message}`);
  });
}

/**
 * "/sm/" or "/sm/issue/current/?locale=en", which no route answers: the same address without the
 * final slash, as readers and old links often write it (OJS's own addresses end in one). Only for
 * GET and HEAD, and never to an address starting "//", which a browser would take for another host.
 */
export function withoutTrailingSlash(request: Pick<FastifyRequest, 'method' | 'url'>): string | undefined {
  if (request.method !== 'GET' && request.method !== 'HEAD') return undefined;
  const cut = request.url.indexOf('?');
  const path = cut < 0 ? request.url : request.url.slice(0, cut);
  if (path.length < 2 || !path.endsWith('/')) return undefined;
  const trimmed = path.replace(/\/+$/, '');
  if (!/^\/[^/\\]/.test(trimmed)) return undefined;
  return trimmed + (cut < 0 ? '' : request.url.slice(cut));
}
