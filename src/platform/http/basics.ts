import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest, FastifyServerOptions } from 'fastify';
import FindMyWay from 'find-my-way';
import http from 'node:http';
import type { Socket } from 'node:net';
import { closeIfBodyUnread, unreadableBody } from './bodies.ts';
import { ForbiddenError, HttpError, ServiceBusyError, SignInRequiredError, TooManyRequestsError } from './errors.ts';
import { registerSecurityHeaders, securityHeaders } from './security.ts';
import { isApiPath, problem, problemFor, sendProblem } from './problems.ts';

export * from './errors.ts';
export * from './caching.ts';
export { createUploadSlots, registerBodyRules, bodyUnread, closeIfBodyUnread, uploadWriting, UPLOAD_FINISH_MS, PUBLIC_BODY_LIMIT, ACCOUNT_BODY_LIMIT, MANAGEMENT_BODY_LIMIT, UnsupportedMediaTypeError, type UploadSlots, type UploadRule } from './bodies.ts';
export { lazyRequestLogger, loggerOptions, redactSecretsInUrl, RequestLogs } from './logging.ts';
export { createResponseCache, serverWithResponseCache, type ReaderOfAnswer, type ResponseCache } from './response-cache.ts';

export interface ErrorPages {
  notFound(request: FastifyRequest, reply: FastifyReply): Promise<FastifyReply>;
  serverError(request: FastifyRequest, reply: FastifyReply): Promise<FastifyReply>;
  /** 403 (or 401 for a non-GET request without a session), explained in the reader's language. */
  forbidden(request: FastifyRequest, reply: FastifyReply, reason: 'forbidden' | 'csrf' | 'sign-in'): Promise<FastifyReply>;
  /** 400 for a browser: what the page does not take (a schema's refusal or the route's own words). */
  badRequest(request: FastifyRequest, reply: FastifyReply, reason: string): Promise<FastifyReply>;
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

  // Every route's address and methods, to tell "no such address" (404) from "not this way" (405).
  const routes = FindMyWay();
  app.addHook('onRoute', (route) => {
    for (const method of Array.isArray(route.method) ? route.method : [route.method]) {
      if (!routes.hasRoute(method as 'GET', route.url, route.constraints ?? {})) routes.on(method as 'GET', route.url, () => undefined);
    }
  });

  app.setNotFoundHandler(async (request, reply) => {
    const canonical = withoutTrailingSlash(request);
    if (canonical !== undefined) return reply.redirect(canonical, 301);
    closeIfBodyUnread(request, reply);
    // A reader's GET of a form's address gets the friendly 404 page; other methods learn what the address takes.
    const path = request.url.split('?')[0]!;
    const api = isApiPath(path);
    const methods = api ? ['GET', 'HEAD', 'POST', 'PUT'] : ['GET', 'HEAD', 'POST'];
    const allowed = !api && (request.method === 'GET' || request.method === 'HEAD') ? [] : methods.filter((method) => method !== request.method && routes.find(method as 'GET', path) !== null);
    // The API answers in problem details: 405 with Allow, or 404.
    if (api) return sendProblem(allowed.length > 0 ? reply.header('allow', allowed.join(', ')) : reply, problem(allowed.length > 0 ? 405 : 404, path, allowed.length > 0 ? `this address answers ${allowed.join(', ')}` : 'no such resource'));
    if (allowed.length > 0) {
      return reply.code(405).header('allow', allowed.join(', ')).header('cache-control', 'no-store').type('text/plain; charset=utf-8').send(`405 Method Not Allowed: this address answers ${allowed.join(', ')}`);
    }
    return options.pages.notFound(request, reply);
  });

  app.setErrorHandler(async (caught: FastifyError, request, reply) => {
    const error = (unreadableBody(request, caught) as FastifyError | undefined) ?? caught;
    // Refused before its body was read (no permission, no token, too large): the rest is never read.
    closeIfBodyUnread(request, reply);
    // The JSON API answers every error as problem details (platform/http/problems.ts), never as a page.
    if (isApiPath(request.url)) {
      const details = problemFor(error, request);
      if (details.status >= 500) request.log.error({ err: error, requestId: request.id }, 'request failed');
      return sendProblem(reply, details, error);
    }
    if (error instanceof TooManyRequestsError || error instanceof ServiceBusyError) reply.header('retry-after', String(error.retryAfterSeconds));
    // A malformed path parameter names nothing: that is a missing page, not a bad request.
    if (error instanceof HttpError && error.statusCode === 404) return options.pages.notFound(request, reply);
    if (error.validation && error.validationContext === 'params') return options.pages.notFound(request, reply);
    if (error instanceof SignInRequiredError) {
      if (request.method === 'GET' || request.method === 'HEAD') return reply.header('cache-control', 'no-store').redirect(error.loginUrl, 303);
      return options.pages.forbidden(request, reply, 'sign-in');
    }
    if (error instanceof ForbiddenError) return options.pages.forbidden(request, reply, error.reason);
    const status = error instanceof HttpError ? error.statusCode : (error.statusCode ?? 500);
    if (status >= 500 && !(error instanceof HttpError)) {
      request.log.error({ err: error, requestId: request.id }, 'request failed');
      if (wantsHtml(request)) return options.pages.serverError(request, reply);
      return reply.code(500).type('application/json').send({ error: 'Internal Server Error', requestId: request.id });
    }
    // A page's query or form refused by its schema, or by the route: a page in the reader's language.
    if (status === 400 && wantsHtml(request)) return options.pages.badRequest(request, reply, error.message);
    return reply
      .code(status)
      .type('text/plain; charset=utf-8')
      .header('cache-control', 'no-store')
      .send(`${status} ${error.message}`);
  });
}

/**
 * A request's address as a URL on this site. Its target is always a path, but one that starts with
 * "//" (`//[`, `//a%00b`) would be read as another host by `new URL(target, base)`, and an invalid one
 * at that: the path is appended to the base instead, and anything unreadable is the site's root.
 */
export function requestUrl(target: string): URL {
  try {
    return new URL(`http://revista.invalid${target.startsWith('/') ? target : `/${target}`}`);
  } catch {
    return new URL('http://revista.invalid/');
  }
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

/**
 * Answers that Fastify or Node's HTTP parser give before any route or hook runs — an address that is
 * not valid percent-encoding, an unknown method, a malformed request — carry the same security headers
 * as every other answer.
 */
export function frameworkErrorOptions(options: { https: boolean }): Pick<FastifyServerOptions, 'frameworkErrors' | 'clientErrorHandler'> {
  const headers = securityHeaders(options);
  return {
    frameworkErrors(error, request, reply) {
      const status = error.statusCode ?? 400;
      reply.headers(headers).header('x-request-id', request.id).header('cache-control', 'no-store');
      void (reply as FastifyReply).code(status).type('text/plain; charset=utf-8').send(`${status} ${http.STATUS_CODES[status] ?? 'Bad Request'}: the address is not valid (${error.code})`);
    },
    clientErrorHandler(error: NodeJS.ErrnoException, socket: Socket) {
      if (error.code === 'ECONNRESET' || socket.destroyed) return;
      const status = error.code === 'ERR_HTTP_REQUEST_TIMEOUT' ? 408 : error.code === 'HPE_HEADER_OVERFLOW' ? 431 : 400;
      const body = `${status} ${http.STATUS_CODES[status]}\n`;
      if (socket.writable) {
        const lines = Object.entries({ ...headers, 'content-type': 'text/plain; charset=utf-8', 'content-length': String(Buffer.byteLength(body)), 'cache-control': 'no-store', connection: 'close' }).map(([name, value]) => `${name}: ${value}`);
        socket.write(`HTTP/1.1 ${status} ${http.STATUS_CODES[status]}\r\n${lines.join('\r\n')}\r\n\r\n${body}`);
      }
      socket.destroy(error);
    },
  };
}
