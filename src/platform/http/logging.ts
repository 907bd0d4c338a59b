import { LogController, type FastifyBaseLogger, type FastifyReply, type FastifyRequest, type FastifyServerOptions } from 'fastify';
import type { ChildLoggerOptions } from 'fastify/types/logger.js';
import pino from 'pino';

/**
 * What request logs may show. A log is read by more people, and kept longer, than the secrets that
 * pass through a server: one-time links (`token`), SUSHI credentials (`api_key`), passwords, form
 * tokens. Their values are replaced by `[redacted]` wherever they appear as `name=value` — in any
 * case, spelling (`apiKey`, `api-key`, `API_KEY`) or percent-encoding (`api%5Fkey`), and inside
 * encoded return addresses (`source=%2Fuser%3Ftoken%3D…`) — and headers that carry them are never
 * written.
 */

/**
 * Parameter names, lower-cased with everything but letters and digits removed, whose values are
 * credentials. COUNTER_SUSHI authenticates with `api_key` (and, for some providers, `requestor_id`
 * with `customer_id`; Revista keeps requestor ids in clear and checks only the key, so they stay
 * readable for tracing a harvest). OJS's API takes `apiToken`.
 */
const SECRET_NAMES = new Set(['token', 'key', 'apikey', 'apitoken', 'password', 'passwd', 'pwd', 'pass', 'secret', 'confirm', 'csrf', 'session', 'sessionid', 'sid', 'signature', 'sig', 'auth', 'authorization', 'credentials']);
/** Any name ending in these is a credential too: `access_token`, `resetToken`, `client_secret`, `new_password`. */
const SECRET_ENDINGS = ['token', 'key', 'secret', 'password', 'passwd'];
/** Names that end like a credential and are not one: an OAI-PMH resumption token is a position in a list. */
const NOT_SECRET = new Set(['resumptiontoken']);

/** Headers whose values are credentials, never written to a log. */
export const SECRET_HEADERS = ['authorization', 'proxy-authorization', 'cookie', 'set-cookie', 'x-csrf-token', 'x-api-key'];

export const REDACTED = '[redacted]';

function decode(text: string): string {
  try {
    return decodeURIComponent(text.replace(/\+/g, ' '));
  } catch {
    return text;
  }
}

/** Whether a parameter name (as it appears in a URL, possibly encoded) names a credential. */
export function isSecretName(raw: string): boolean {
  const name = decode(raw).normalize('NFKC').toLowerCase().replace(/[^a-z0-9]/g, '');
  if (name === '' || NOT_SECRET.has(name)) return false;
  return SECRET_NAMES.has(name) || SECRET_ENDINGS.some((ending) => name.endsWith(ending));
}

/** `name=value` in a URL or a message; a value runs to the next separator, quote or space. */
const PARAMETER = /([^\s?&;#='"]+)=([^\s?&;#'"]*)/g;

/**
 * Text (a URL, an error message) with the values of credential parameters replaced. A value that
 * is itself an encoded address (a return path) is read and redacted in turn, a few levels deep.
 */
export function redactSecrets(text: string, depth = 0): string {
  return text.replace(PARAMETER, (whole, name: string, value: string) => {
    if (isSecretName(name)) return `${name}=${REDACTED}`;
    if (depth < 3 && value.includes('%')) {
      const inner = decode(value);
      const redacted = redactSecrets(inner, depth + 1);
      if (redacted !== inner) return `${name}=${encodeURIComponent(redacted)}`;
    }
    return whole;
  });
}

/** A URL fit for a log line: the values of `token`, `api_key` and other credential parameters replaced. */
export function redactSecretsInUrl(url: string): string {
  return redactSecrets(url);
}

interface LoggedRequest {
  method: string;
  url: string;
  ip?: string;
  id?: string;
}

/**
 * An error as pino would write it (type, message, stack, its own fields such as PostgreSQL's `code`
 * and `detail`, its cause), every text in it redacted: an error may quote the address it failed on.
 */
function serializeError(error: Error, depth = 0): { type: string; message: string; stack: string; [key: string]: unknown } {
  const out: { type: string; message: string; stack: string; [key: string]: unknown } = { type: error.constructor?.name ?? 'Error', message: '', stack: '' };
  for (const [name, value] of Object.entries(error)) {
    if (typeof value === 'string') out[name] = redactSecrets(value);
    else if (typeof value === 'number' || typeof value === 'boolean') out[name] = value;
  }
  out.message = redactSecrets(String(error.message ?? ''));
  out.stack = redactSecrets(String(error.stack ?? ''));
  if (depth < 3 && error.cause instanceof Error) out.cause = serializeError(error.cause, depth + 1);
  return out;
}

/** pino paths of secret headers, wherever an object with `headers` is logged (one or two levels down). */
const REDACT_PATHS = SECRET_HEADERS.flatMap((header) => [`headers["${header}"]`, `*.headers["${header}"]`, `*.*.headers["${header}"]`]);

/**
 * Standard output for log lines, written asynchronously in blocks of 4 KB or at least every 250 ms: a
 * slow terminal or pipe never holds a request back, and a busy server makes one write for dozens of
 * lines rather than one each. What is still buffered is written before the process exits (pino
 * flushes on exit).
 */
function standardOutput(): ReturnType<typeof pino.destination> {
  return pino.destination({ dest: 1, sync: false, minLength: 4096, periodicFlush: 250 } as Parameters<typeof pino.destination>[0]);
}

/**
 * Fastify's logger settings for the server: JSON lines at `level`, one per request with its id,
 * method, address with secrets redacted, and client address; errors with secrets in their message
 * or stack redacted; secret headers never written.
 */
export function loggerOptions(level: string, options: { stream?: { write(line: string): void } } = {}): Exclude<FastifyServerOptions['logger'], boolean | undefined> {
  return {
    level,
    stream: options.stream ?? standardOutput(),
    redact: { paths: REDACT_PATHS, censor: REDACTED },
    serializers: {
      req: (request: LoggedRequest) => ({ method: request.method, url: redactSecretsInUrl(request.url), remoteAddress: request.ip, reqId: request.id }),
      // pino hands over whatever was logged as `err`; only errors are taken apart.
      err: (error: Error) => (error instanceof Error ? serializeError(error) : (error as ReturnType<typeof serializeError>)),
    },
  };
}

/**
 * Fastify's request log lines, as Revista writes them: no line when a request arrives, one line when
 * it is answered (`request completed`: method, address with secrets redacted, client, request id,
 * status, milliseconds) — one line says what Fastify's two did, at half the cost. `ACCESS_LOG=off`
 * leaves the access log to the reverse proxy, as most deployments behind nginx do; a request that
 * failed is logged either way, as are Fastify's other warnings and errors. The line is written by the
 * server's own logger with the request id as a field, so no per-request logger is made for it.
 */
export class RequestLogs extends LogController {
  #accessLog: boolean;
  constructor(options: { accessLog: boolean }) {
    super();
    this.#accessLog = options.accessLog;
  }
  override incomingRequest(): void {}
  override requestCompleted(error: Error | null | undefined, request: FastifyRequest, reply: FastifyReply): void {
    if (error) {
      reply.log.error({ res: reply, err: error, responseTime: reply.elapsedTime }, 'request errored');
      return;
    }
    if (!this.#accessLog) return;
    writeAccessLine(request.server.log, { method: request.method, url: request.url, ip: request.ip, id: request.id, statusCode: reply.statusCode, ms: reply.elapsedTime });
  }
}

const accessLoggers = new WeakMap<FastifyBaseLogger, FastifyBaseLogger>();

/**
 * The access line of one answer (also written for answers sent from kept responses). Its values are
 * plain and its address redacted by the `req` serializer, and it names no headers: it is written by a
 * child of the server's logger without header redaction, whose walk through every logged object
 * cost more than the rest of the line.
 */
export function writeAccessLine(logger: FastifyBaseLogger, line: { method: string | undefined; url: string; ip: string; id: string; statusCode: number; ms: number }): void {
  let access = accessLoggers.get(logger);
  if (!access) accessLoggers.set(logger, (access = logger.child({}, { redact: [] } as ChildLoggerOptions)));
  access.info({ reqId: line.id, req: { method: line.method, url: line.url, ip: line.ip, id: line.id }, res: { statusCode: line.statusCode }, responseTime: Math.round(line.ms * 10) / 10 }, 'request completed');
}

type LogMethod = 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace';
type Bindings = Record<string, unknown>;

/**
 * A request's logger, made only when something is logged. Fastify gives every request a child logger
 * carrying its id; making one (bindings serialized, redaction applied) costs more than answering a
 * cached page, and most requests log nothing but their access line — none at all with ACCESS_LOG=off.
 */
class RequestLogger {
  #parent: FastifyBaseLogger;
  #bindings: Bindings;
  #options: ChildLoggerOptions;
  #child: FastifyBaseLogger | undefined;
  constructor(parent: FastifyBaseLogger, bindings: Bindings, options: ChildLoggerOptions) {
    this.#parent = parent;
    this.#bindings = bindings;
    this.#options = options;
  }
  #real(): FastifyBaseLogger {
    return (this.#child ??= this.#parent.child(this.#bindings, this.#options));
  }
  get level(): string {
    return this.#child?.level ?? this.#parent.level;
  }
  set level(level: string) {
    this.#real().level = level;
  }
  isLevelEnabled(level: string): boolean {
    const logger = (this.#child ?? this.#parent) as { isLevelEnabled?(level: string): boolean };
    return logger.isLevelEnabled?.(level) ?? true;
  }
  #log(method: LogMethod, args: unknown[]): void {
    if (!this.isLevelEnabled(method)) return;
    (this.#real()[method] as (...a: unknown[]) => void)(...args);
  }
  fatal(...args: unknown[]): void { this.#log('fatal', args); }
  error(...args: unknown[]): void { this.#log('error', args); }
  warn(...args: unknown[]): void { this.#log('warn', args); }
  info(...args: unknown[]): void { this.#log('info', args); }
  debug(...args: unknown[]): void { this.#log('debug', args); }
  trace(...args: unknown[]): void { this.#log('trace', args); }
  silent(): void {}
  child(bindings: Bindings, options?: ChildLoggerOptions): FastifyBaseLogger {
    return this.#real().child(bindings, options);
  }
}

/** Fastify's `childLoggerFactory`: request loggers made on first use (a route's own log level, at once). */
export function lazyRequestLogger(logger: FastifyBaseLogger, bindings: Bindings, options: ChildLoggerOptions): FastifyBaseLogger {
  if (options.level !== undefined) return logger.child(bindings, options);
  return new RequestLogger(logger, bindings, options) as unknown as FastifyBaseLogger;
}
