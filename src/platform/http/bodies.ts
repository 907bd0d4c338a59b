import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { HttpError, TooManyRequestsError } from './errors.ts';

/**
 * What a request body may be, decided per route before a byte of it is read. A sign-in form needs a
 * few kilobytes; an editor's page of rich text a few megabytes; only routes that say so take files.
 * Fastify refuses a body over the route's limit from its Content-Length at once (or as soon as a body
 * without one passes the limit), so no one can make the server hold or store more than a route needs.
 */

/** Routes anyone may post to (sign-in, registration, OAI-PMH): small forms. */
export const PUBLIC_BODY_LIMIT = 32 * 1024;
/** Forms of signed-in people about themselves (profile, password). */
export const ACCOUNT_BODY_LIMIT = 256 * 1024;
/** Management forms: rich-text pages in two languages, percent-encoded, fit with room to spare. */
export const MANAGEMENT_BODY_LIMIT = 4 * 1024 * 1024;
/** Fields of a multipart form besides its files. */
const UPLOAD_FIELDS = 200;
const UPLOAD_FIELD_BYTES = 1024 * 1024;

/** Files read at once: by one person, and by the whole server process. */
export const UPLOADS_PER_PERSON = 2;
export const UPLOADS_PER_SERVER = 8;

export interface UploadRule {
  /** How many files the form has. */
  files: number;
  /** The largest file it takes. */
  fileBytes: number;
}

declare module 'fastify' {
  interface FastifyContextConfig {
    /**
     * Files this route takes in a multipart/form-data body. Without it a multipart body is refused
     * (415) before it is read; with it the route needs a permission, which is checked first.
     */
    uploads?: UploadRule;
    /**
     * An API route whose caller is known by a token, not a session: its own onRequest hook checks the
     * token and what it is about before the body is read. Stands for `permission` on an upload route.
     */
    tokenChecked?: boolean;
  }
}

/** 415: a body of a type the route does not take (a multipart body where no file is expected). */
export class UnsupportedMediaTypeError extends HttpError {
  constructor() {
    super(415, 'this address takes no files: send the form as application/x-www-form-urlencoded');
  }
}

/** 413: a body larger than the route takes, refused before it is read. */
export class PayloadTooLargeError extends HttpError {
  constructor() {
    super(413, 'the request is larger than this form takes');
  }
}

function isMultipart(request: FastifyRequest): boolean {
  const type = request.headers['content-type'];
  return typeof type === 'string' && /^\s*multipart\//i.test(type);
}

/** True while the client may still be sending a body that nothing has read. */
export function bodyUnread(request: FastifyRequest): boolean {
  const raw = request.raw;
  if (raw.complete || raw.readableEnded) return false;
  const length = raw.headers['content-length'];
  return raw.headers['transfer-encoding'] !== undefined || (length !== undefined && length !== '0');
}

/**
 * Counts the uploads being read, per person and in all, so that a few slow or huge uploads cannot take
 * every socket, file handle and disk write of the server. A slot is taken before the body is read and
 * given back when the answer is finished or the connection drops, whichever comes first.
 */
export interface UploadSlots {
  take(personKey: string): (() => void) | undefined;
  readonly inUse: number;
}

export function createUploadSlots(limits: { perPerson: number; total: number } = { perPerson: UPLOADS_PER_PERSON, total: UPLOADS_PER_SERVER }): UploadSlots {
  const perPerson = new Map<string, number>();
  let total = 0;
  return {
    get inUse() {
      return total;
    },
    take(personKey) {
      const mine = perPerson.get(personKey) ?? 0;
      if (total >= limits.total || mine >= limits.perPerson) return undefined;
      total++;
      perPerson.set(personKey, mine + 1);
      let given = false;
      return () => {
        if (given) return;
        given = true;
        total--;
        const left = (perPerson.get(personKey) ?? 1) - 1;
        if (left === 0) perPerson.delete(personKey);
        else perPerson.set(personKey, left);
      };
    },
  };
}

/**
 * Sets each route's body limit from what it is for (an explicit `bodyLimit` wins) and, for upload
 * routes, the multipart limits; refuses multipart bodies where no files are expected and holds uploads
 * to their slots. Registered before any route. The person and their permission are checked earlier,
 * in the access layer's onRequest hook; these hooks run after it and still before the body is read.
 */
export function registerBodyRules(app: FastifyInstance, slots: UploadSlots): void {
  app.addHook('onRoute', (route) => {
    const config = route.config ?? {};
    const uploads = config.uploads;
    if (uploads && !config.permission && !(config.tokenChecked && route.onRequest)) throw new Error(`${route.url}: a route that takes uploads must name a permission (or check its token in its own onRequest hook), checked before the upload is read`);
    if (route.bodyLimit === undefined) {
      route.bodyLimit = uploads
        ? uploads.files * uploads.fileBytes + UPLOAD_FIELDS * 1024
        : config.permission === undefined
          ? PUBLIC_BODY_LIMIT
          : config.permission === 'account'
            ? ACCOUNT_BODY_LIMIT
            : MANAGEMENT_BODY_LIMIT;
    }
    if (uploads) {
      route.config = {
        ...config,
        multipartOptions: { limits: { files: uploads.files, fileSize: uploads.fileBytes, fields: UPLOAD_FIELDS, fieldSize: UPLOAD_FIELD_BYTES, parts: uploads.files + UPLOAD_FIELDS } },
      };
      // Only an upload is watched for a stalled reader, so only an upload route notes that its body is read.
      const own = route.preHandler === undefined ? [] : Array.isArray(route.preHandler) ? route.preHandler : [route.preHandler];
      route.preHandler = [markBodyRead, ...own];
    }
  });

  app.addHook('preParsing', async (request, reply, payload) => {
    if (!isMultipart(request)) return payload;
    const uploads = request.routeOptions.config.uploads;
    if (!uploads || request.is404) throw new UnsupportedMediaTypeError();
    // The multipart reader keeps no more than the route's files and fields; a body that says it is larger is not read at all.
    const length = Number(request.headers['content-length'] ?? 0);
    if (length > (request.routeOptions.bodyLimit ?? 0)) throw new PayloadTooLargeError();
    const person = request.viewer?.user ? `user:${request.viewer.user.userId}` : `ip:${request.ip}`;
    const release = slots.take(person);
    if (!release) throw new TooManyRequestsError(30);
    reply.raw.once('close', release);
    watchForStall(request, reply);
    return payload;
  });

}

function markBodyRead(request: FastifyRequest, _reply: FastifyReply, done: () => void): void {
  bodyRead.add(request);
  done();
}

/**
 * How long a multipart reader may leave bytes it has been given unread, or the whole body read and not
 * finished, before the upload is taken for unreadable (a reader at work needs milliseconds).
 */
export const UPLOAD_FINISH_MS = 1000;
const WATCH_EVERY_MS = 250;

/**
 * busboy stalls on some malformed part headers (a bare LF, then more than its buffer): it neither
 * finishes nor fails, and stops reading. A slow client leaves the request flowing, its reader waiting
 * for bytes; a stalled reader has paused the request (or has the whole body) and does not move. Such
 * an upload is answered 400 and its connection closed, which gives its slot back. A reader writing a
 * file to disk says so (`uploadWriting`): a slow disk pauses the request too, and is not a stall.
 */
function watchForStall(request: FastifyRequest, reply: FastifyReply): void {
  let last = '';
  let still = 0;
  const watch = setInterval(() => {
    if (bodyRead.has(request) || reply.sent) return clearInterval(watch);
    const raw = request.raw;
    const waiting = !writing.has(request) && (raw.readableFlowing === false || raw.readableLength > 0 || raw.readableEnded || raw.complete);
    const now = `${raw.readableLength}:${raw.readableEnded}:${raw.complete}:${raw.readableFlowing}:${raw.socket?.bytesRead ?? ''}`;
    still = waiting && now === last ? still + WATCH_EVERY_MS : 0;
    last = now;
    if (still < UPLOAD_FINISH_MS) return;
    clearInterval(watch);
    request.log.warn('a multipart body was left unread by its reader: answered 400');
    void reply.code(400).header('connection', 'close').type('text/plain; charset=utf-8').send(`400 ${UNREADABLE_UPLOAD}`);
  }, WATCH_EVERY_MS);
  watch.unref();
  reply.raw.once('close', () => clearInterval(watch));
}
const UNREADABLE_UPLOAD = 'the upload could not be read: the form is malformed or incomplete';

/** Uploads whose reader is writing a file to disk right now (a pause then is the disk's, not a stall). */
const writing = new WeakSet<FastifyRequest>();

export function uploadWriting(request: FastifyRequest, busy: boolean): void {
  if (busy) writing.add(request);
  else writing.delete(request);
}

/** Requests whose body was read and handed to the route (the handler's last hook has run). */
const bodyRead = new WeakSet<FastifyRequest>();

/**
 * A fault of the multipart reader (a body cut short, a part without its boundary) is the client's:
 * an error without a status that a multipart request met before its handler began becomes a 400.
 */
export function unreadableBody(request: FastifyRequest, error: { statusCode?: number; syscall?: string }): HttpError | undefined {
  // A system call's failure (the disk full while spooling) is the server's, and stays a 500.
  if (error instanceof HttpError || error.statusCode !== undefined || error.syscall !== undefined || bodyRead.has(request) || !isMultipart(request)) return undefined;
  return new HttpError(400, UNREADABLE_UPLOAD);
}

/** A refused request whose body is still coming: the answer closes the connection, so the rest is never read. */
export function closeIfBodyUnread(request: FastifyRequest, reply: FastifyReply): void {
  if (bodyUnread(request)) reply.header('connection', 'close');
}
