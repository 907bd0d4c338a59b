import proxyAddr from '@fastify/proxy-addr';
import type { FastifyBaseLogger, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { randomUUID } from 'node:crypto';
import http, { type IncomingMessage, type ServerResponse } from 'node:http';
import { matchesIfNoneMatch } from './caching.ts';
import { writeAccessLine } from './logging.ts';

/**
 * Whole answers to readers, kept in memory and sent before the framework sees the request: a reader
 * without a session asking again for a public page gets the very bytes and headers the page's route
 * sent last time, with a request id of its own, as long as the catalog has not changed since (and,
 * for a page with usage counts, for a few seconds). What the route does for every reader still
 * happens: the view is counted (`onServe`) and the access line written.
 *
 * Only what a route explicitly offers is kept (`keep`): 200 answers to GET setting no cookie but the
 * language choice (the same for all who ask that address in that language). A
 * request is answered here only when it is a GET or HEAD, carries no session cookie, and its address,
 * Accept-Language and language cookie are those of the kept answer; everything else goes on to the
 * routes as before. Conditional requests get their 304 here too.
 */

/** A reader as a route's `onServe` needs them: where they are (for COUNTER's session) and their browser. */
export interface ReaderOfAnswer {
  ip: string;
  userAgent: string | undefined;
}

export interface KeepOptions {
  /** The catalog generation read before the page was rendered or taken from the page cache. */
  generation: number;
  /** How long the answer may be sent again (it also ends when the catalog changes); unlimited when absent. */
  ttlMs?: number;
  /** Run for every reader the kept answer is sent to (the route's per-reader work: counting the view). */
  onServe?: (reader: ReaderOfAnswer) => void;
}

export interface ResponseCache {
  /** Sends the kept answer to `req` if there is one for it; false when the request must go on to the routes. */
  serve(req: IncomingMessage, res: ServerResponse): boolean;
  /** Offers the answer this request is about to get for keeping (taken in the onSend hook). */
  keep(request: FastifyRequest, options: KeepOptions): void;
  /** The onSend hook, the access logger and the end of service, once the app exists. */
  attach(app: FastifyInstance, options: { accessLog: boolean }): void;
  readonly size: number;
}

interface Kept {
  generation: number;
  expires: number;
  headers: [string, string | string[]][];
  etag: string | undefined;
  body: Buffer;
  onServe: ((reader: ReaderOfAnswer) => void) | undefined;
}

export interface ResponseCacheOptions {
  /** The catalog's change generation (platform/web's ChangeGenerations). */
  changes: { generation(): number; reliable(): boolean };
  enabled: boolean;
  maxEntries?: number;
  /** Which peers may tell the client's address (X-Forwarded-For): the app's TRUST_PROXY, read as Fastify reads it. */
  trustProxy: string | boolean;
  /** Cookies whose presence means a person is signed in: their answers are never from here. */
  sessionCookie: string;
  /** The cookie remembering a chosen language: part of what an answer depends on. */
  localeCookie: string;
}

/** Headers that belong to one answer only, or that node writes itself. */
const NOT_KEPT = new Set(['x-request-id', 'content-length', 'date', 'connection', 'keep-alive', 'transfer-encoding', 'set-cookie']);

export function createResponseCache(options: ResponseCacheOptions): ResponseCache {
  const entries = new Map<string, Kept>();
  const offered = new WeakMap<FastifyRequest, KeepOptions>();
  const maxEntries = options.maxEntries ?? 2000;
  const trust = trustFunction(options.trustProxy);
  const sessionMark = `${options.sessionCookie}=`;
  const languageMark = `${options.localeCookie}=`;
  const localePattern = new RegExp(`(?:^|;\\s*)${options.localeCookie}=([^;]*)`);
  let logger: FastifyBaseLogger | undefined;
  let accessLog = false;
  let open = true;

  /** What an answer depends on besides the catalog: address, languages asked for, language chosen, scheme (a cookie's Secure). */
  function keyOf(req: IncomingMessage): string {
    const cookie = req.headers.cookie;
    const locale = cookie ? (localePattern.exec(cookie)?.[1] ?? '') : '';
    const languages = req.headers['accept-language'];
    const scheme = req.headers['x-forwarded-proto'];
    return `${req.url ?? ''}\n${typeof languages === 'string' ? languages : ''}\n${locale}\n${typeof scheme === 'string' ? scheme : ''}`;
  }

  return {
    get size() {
      return entries.size;
    },

    serve(req, res) {
      if (!open || entries.size === 0 || (req.method !== 'GET' && req.method !== 'HEAD')) return false;
      const cookie = req.headers.cookie;
      if (cookie?.includes(sessionMark)) return false;
      const url = req.url ?? '';
      const key = keyOf(req);
      const kept = entries.get(key);
      if (!kept) return false;
      if (kept.generation !== options.changes.generation() || !options.changes.reliable() || kept.expires < Date.now()) {
        entries.delete(key);
        return false;
      }
      const started = process.hrtime.bigint();
      const id = randomUUID();
      res.setHeader('x-request-id', id);
      // RFC 9211: tells operators (and tests) the answer came from here.
      res.setHeader('cache-status', 'revista; hit');
      for (const [name, value] of kept.headers) res.setHeader(name, value);
      let status = 200;
      if (kept.etag !== undefined && matchesIfNoneMatch(req.headers['if-none-match'] as string | undefined, kept.etag)) {
        status = 304;
        res.writeHead(304).end();
      } else {
        res.setHeader('content-length', kept.body.length);
        res.writeHead(200);
        res.end(req.method === 'HEAD' ? undefined : kept.body);
      }
      const ip = proxyAddr(req, trust);
      if (kept.onServe && req.method === 'GET' && status === 200) kept.onServe({ ip, userAgent: req.headers['user-agent'] });
      if (accessLog && logger) {
        const ms = Number(process.hrtime.bigint() - started) / 1e6;
        writeAccessLine(logger, { method: req.method, url, ip, id, statusCode: status, ms });
      }
      return true;
    },

    keep(request, keepOptions) {
      if (options.enabled) offered.set(request, keepOptions);
    },

    attach(app, attachOptions) {
      logger = app.log;
      accessLog = attachOptions.accessLog;
      app.addHook('onClose', async () => {
        open = false;
        entries.clear();
      });
      app.addHook('onSend', (request, reply, payload, done) => {
        const keepOptions = offered.get(request);
        if (keepOptions && request.method === 'GET' && reply.statusCode === 200 && onlyLanguageCookie(reply.getHeader('set-cookie')) && (typeof payload === 'string' || Buffer.isBuffer(payload))) {
          store(request, reply, payload, keepOptions);
        }
        done(null, payload);
      });
    },
  };

  /** No cookie, or only the language choice (the same for every reader asking this address with it). */
  function onlyLanguageCookie(header: unknown): boolean {
    if (header === undefined) return true;
    const cookies = Array.isArray(header) ? header.map(String) : [String(header)];
    return cookies.every((cookie) => cookie.startsWith(languageMark));
  }

  function store(request: FastifyRequest, reply: FastifyReply, payload: string | Buffer, keepOptions: KeepOptions): void {
    // Kept at the generation read before the page was made: a change landing since retires it at once.
    if (!options.changes.reliable() || keepOptions.generation !== options.changes.generation()) return;
    const headers: [string, string | string[]][] = [];
    for (const [name, value] of Object.entries(reply.getHeaders())) {
      if (value === undefined || NOT_KEPT.has(name)) continue;
      headers.push([name, Array.isArray(value) ? value.join(', ') : String(value)]);
    }
    // `?locale=` remembers the choice: the same cookie for every reader of this address and language.
    const cookies = reply.getHeader('set-cookie');
    if (cookies !== undefined) headers.push(['set-cookie', Array.isArray(cookies) ? cookies.map(String) : [String(cookies)]]);
    const etag = reply.getHeader('etag');
    const key = keyOf(request.raw);
    if (entries.size >= maxEntries && !entries.has(key)) entries.delete(entries.keys().next().value as string);
    entries.set(key, {
      generation: keepOptions.generation,
      expires: keepOptions.ttlMs === undefined ? Infinity : Date.now() + keepOptions.ttlMs,
      headers,
      etag: typeof etag === 'string' ? etag : undefined,
      body: Buffer.isBuffer(payload) ? payload : Buffer.from(payload),
      onServe: keepOptions.onServe,
    });
  }
}

/** The client-address trust of TRUST_PROXY, as Fastify builds it (request.ip must be the same here). */
function trustFunction(trustProxy: string | boolean): (address: string, hop: number) => boolean {
  if (trustProxy === true) return () => true;
  if (trustProxy === false) return () => false;
  return proxyAddr.compile(trustProxy.split(',').map((value) => value.trim()));
}

/**
 * Fastify's `serverFactory`: the HTTP server Fastify would make (same timeouts), with kept answers
 * sent before Fastify's handler is asked.
 */
export function serverWithResponseCache(cache: ResponseCache) {
  return (handler: http.RequestListener, serverOptions: { http?: http.ServerOptions; keepAliveTimeout?: number; requestTimeout?: number; connectionTimeout?: number; maxRequestsPerSocket?: number }): http.Server => {
    const server = http.createServer(serverOptions.http ?? {}, (req, res) => {
      if (!cache.serve(req, res)) handler(req, res);
    });
    if (serverOptions.keepAliveTimeout !== undefined) server.keepAliveTimeout = serverOptions.keepAliveTimeout;
    if (serverOptions.requestTimeout !== undefined) server.requestTimeout = serverOptions.requestTimeout;
    server.setTimeout(serverOptions.connectionTimeout ?? 0);
    if ((serverOptions.maxRequestsPerSocket ?? 0) > 0) server.maxRequestsPerSocket = serverOptions.maxRequestsPerSocket!;
    return server;
  };
}
