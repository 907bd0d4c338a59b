import { Busboy, type BusboyHeaders, type BusboyInstance } from '@fastify/busboy';
import { Transform, type Readable } from 'node:stream';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { CSRF_FIELD } from '../accounts/index.ts';
import { BadRequestError, ForbiddenError, HttpError, uploadWriting, ACCOUNT_BODY_LIMIT } from '../platform/http/index.ts';
import { fileType, SNIFF_BYTES, type FileStore } from '../storage/index.ts';
import { cleanName, type StoredUpload } from './commands/submissions.ts';

/**
 * Files sent to the workflow (a manuscript, a figure, a discussion's attachment), read as they arrive
 * and streamed into the file store: never held in memory whole, never spooled twice. The form's small
 * fields come first (its token, the file's kind); the token is checked before a byte of the file is
 * stored, and the file's size limit may depend on those fields (each kind has its own). A file over
 * its limit stops the reading at once (the answer closes the connection) and nothing of it stays.
 *
 * The stored bytes belong to the request until a row names them: a route that records the file calls
 * `keepUpload` once its transaction has committed; in every other case (a refusal, an error, the
 * client gone) they are removed when the answer ends, or earlier with `discardUpload`.
 *
 * Usage, in a scope of its own:
 *
 *   await app.register(async (scope) => {
 *     acceptStreamedUploads(scope, { files, fileFields: ['file'], maxBytes: (fields) => limitOf(fields.kind) });
 *     scope.post('/…', { config: { permission, uploads: { files: 1, fileBytes: CEILING } } }, handler);
 *   });
 *
 * The handler reads the fields with `formBody(request)` as for any form, and the file with
 * `receivedUpload(request)`.
 */

/** A file received and stored, with what was read of it on the way. */
export interface ReceivedUpload {
  /** The form field it came in. */
  field: string;
  /** Where the bytes are, what they are (type read from the bytes), as commands take them. */
  stored: StoredUpload;
  /** The type the browser declared (not trusted; the bytes decide). */
  declaredType: string;
}

/** What the reading of a multipart form found, besides its fields. */
interface Reception {
  /** The files stored, in the order they came (one for most forms). */
  uploads: ReceivedUpload[];
  /** More files were sent than the form takes: the extra ones were read through and dropped. */
  tooMany: boolean;
  /** The file was larger than its limit (bytes): reading stopped, nothing stored. */
  tooLarge?: number;
  kept: boolean;
  /** The answer has ended (or the client gone): a file stored after this is removed at once. */
  closed: boolean;
  /** The reading failed: the handler never runs, so nothing will keep a file stored now. */
  failed: boolean;
}

const receptions = new WeakMap<FastifyRequest, Reception>();

export interface StreamedUploadOptions {
  files: FileStore;
  /** The form's file fields; a file in any other field is read through and dropped. */
  fileFields: readonly string[];
  /** How many files the form takes (1 unless said). */
  maxFiles?: number;
  /** More files than that: the form is refused (400, the default), or they are dropped and `receivedUploads` says so. */
  tooManyFiles?: 'refuse' | 'report';
  /** The largest file taken, given the fields sent before the file (say, its kind). */
  maxBytes(fields: Readonly<Record<string, string>>, request: FastifyRequest): number;
  /** Fields of the form and their total: small, since the form is a few choices and a token. */
  maxFields?: number;
  /**
   * Whether the form carries its CSRF token (pages: yes, the default). An API route authenticated by
   * a token in a header, checked before the body is read, says false.
   */
  formToken?: boolean;
  /**
   * Refuses a file as soon as its first bytes show its type (and the fields before it its kind): the
   * error returned ends the reading at once, the stored part goes, and the error is the answer.
   */
  refuseFile?(file: { type: string; name: string }, fields: Readonly<Record<string, string>>, request: FastifyRequest): Error | undefined;
}

/** The file of this request's form, stored; undefined when the form had none (or it was refused). */
export function receivedUpload(request: FastifyRequest): ReceivedUpload | undefined {
  return receptions.get(request)?.uploads[0];
}

/** Every file of this request's form (a form taking several), and whether more were sent than it takes. */
export function receivedUploads(request: FastifyRequest): { uploads: ReceivedUpload[]; tooMany: boolean } {
  const reception = receptions.get(request);
  return { uploads: reception?.uploads ?? [], tooMany: reception?.tooMany ?? false };
}

/** The limit (bytes) a file of this request's form went over; undefined when it did not. */
export function uploadTooLarge(request: FastifyRequest): number | undefined {
  return receptions.get(request)?.tooLarge;
}

/** The file is named by a committed row now: it stays when the answer ends. */
export function keepUpload(request: FastifyRequest): void {
  const reception = receptions.get(request);
  if (reception) reception.kept = true;
}

/** Removes the request's stored files now (a refusal answered at once); they are not kept. */
export async function discardUpload(request: FastifyRequest, files: FileStore): Promise<void> {
  const reception = receptions.get(request);
  if (!reception || reception.kept) return;
  const keys = reception.uploads.map((u) => u.stored.storageKey);
  reception.uploads = [];
  await Promise.all(keys.map((key) => files.remove(key)));
}

class FileTooLarge extends Error {}

/**
 * Makes this scope read multipart bodies itself, streaming the file into the store. Other bodies
 * (a form without a file: "continue", "remove") are read as usual, but held to an account form's size.
 */
export function acceptStreamedUploads(scope: FastifyInstance, options: StreamedUploadOptions): void {
  scope.removeContentTypeParser('multipart/form-data');
  scope.addContentTypeParser('multipart/form-data', (request, payload, done) => receive(request, payload, options, done));
  scope.addHook('onRequest', async (request, reply) => {
    const type = request.headers['content-type'];
    const multipart = typeof type === 'string' && /^\s*multipart\//i.test(type);
    // The route's body limit is the file's; a form without a file needs far less.
    if (!multipart && Number(request.headers['content-length'] ?? 0) > ACCOUNT_BODY_LIMIT) throw new HttpError(413, 'the request is larger than this form takes');
    // However the answer ends (sent, failed, or the client gone mid-upload), bytes nothing names go.
    reply.raw.once('close', () => {
      const reception = receptions.get(request);
      if (!reception) return;
      reception.closed = true;
      if (!reception.kept) for (const upload of reception.uploads) void options.files.remove(upload.stored.storageKey).catch(() => undefined);
    });
  });
}

function receive(request: FastifyRequest, payload: NodeJS.ReadableStream, options: StreamedUploadOptions, done: (error: Error | null, body?: Record<string, string | string[]>) => void): void {
  // No prototype: a field named __proto__ is just a field. `fields` keeps each field's first value
  // (what limits are decided by); `body` every value, a list where a field came more than once.
  const fields: Record<string, string> = Object.create(null) as Record<string, string>;
  const body: Record<string, string | string[]> = Object.create(null) as Record<string, string | string[]>;
  const maxFiles = options.maxFiles ?? 1;
  const reception: Reception = { uploads: [], tooMany: false, kept: false, closed: false, failed: false };
  receptions.set(request, reception);
  let finished = false;
  const storing: Promise<void>[] = [];
  const fileStreams: Readable[] = [];
  const meterStreams: Transform[] = [];
  let parser: BusboyInstance;

  const finish = (error: Error | null) => {
    if (finished) return;
    finished = true;
    if (error) {
      reception.failed = true;
      payload.unpipe(parser);
      for (const stream of fileStreams) stream.destroy();
      // The store stops writing and removes its partial files.
      for (const meter of meterStreams) meter.destroy(new Error('the upload was abandoned'));
      done(error);
    } else done(null, body);
  };
  const tokenAccepted = () => {
    if (options.formToken === false) return true;
    const token = fields[CSRF_FIELD] ?? request.headers['x-csrf-token'];
    return request.viewer.acceptFormToken(typeof token === 'string' ? token : undefined);
  };
  const maxFields = options.maxFields ?? 30;
  try {
    // The route's ceiling is the store's limit (bodies.ts refused a longer declared body already); the kind's own is applied below.
    parser = new Busboy({ headers: request.headers as BusboyHeaders, limits: { files: maxFiles, fields: maxFields, fieldSize: 256 * 1024, parts: maxFields + maxFiles } });
  } catch (error) {
    done(new BadRequestError(`not a multipart form: ${(error as Error).message}`));
    return;
  }
  // A part that is not kept is read through; cut short, it fails, and that failure is the form's.
  const discard = (stream: Readable) => {
    stream.on('error', () => undefined);
    stream.resume();
  };
  parser.on('field', (name: string, value: string) => {
    if (!Object.hasOwn(fields, name)) fields[name] = value;
    const before = body[name];
    body[name] = before === undefined ? value : Array.isArray(before) ? [...before, value] : [before, value];
  });
  parser.on('file', (name: string, stream: Readable, filename: string | undefined, _encoding: string, mimeType: string | undefined) => {
    if (finished) return discard(stream);
    if (!tokenAccepted()) {
      discard(stream);
      return finish(new ForbiddenError('csrf'));
    }
    // A file input left empty still sends a part, with no name and no bytes: no file.
    if (!options.fileFields.includes(name) || !filename) return discard(stream);
    const limit = options.maxBytes(fields, request);
    fileStreams.push(stream);
    let size = 0;
    let overLimit = false;
    let sniffed: string | undefined;
    let refusal: Error | undefined;
    const declaredType = (mimeType ?? '').toLowerCase();
    const originalName = cleanName(filename);
    // The type, read once the first bytes are in (or the whole of a shorter file); refused then if it must be.
    const sniff = (): Error | undefined => {
      sniffed = fileType({ head: Buffer.concat(head), declared: declaredType, name: originalName });
      refusal = options.refuseFile?.({ type: sniffed, name: originalName }, fields, request);
      return refusal;
    };
    const head: Buffer[] = [];
    let headBytes = 0;
    const meter = new Transform({
      transform(chunk: Buffer, _encoding, callback) {
        size += chunk.length;
        if (size > limit) {
          overLimit = true;
          return callback(new FileTooLarge());
        }
        if (headBytes < SNIFF_BYTES) {
          head.push(chunk.subarray(0, SNIFF_BYTES - headBytes));
          headBytes += Math.min(chunk.length, SNIFF_BYTES - headBytes);
          if (headBytes >= SNIFF_BYTES && sniff()) return callback(refusal);
        }
        callback(null, chunk);
      },
      flush(callback) {
        callback(sniffed === undefined ? sniff() : undefined);
      },
    });
    meterStreams.push(meter);
    // The store reads the meter once its directory is there: an error before then is its, not the process's.
    meter.on('error', () => undefined);
    stream.on('error', (error: Error) => meter.destroy(error));
    stream.pipe(meter);
    // Over the limit: nothing more is read (the answer closes the connection), and nothing of the file stays.
    const refuseTooLarge = () => {
      reception.tooLarge = limit;
      payload.unpipe(parser);
      stream.unpipe(meter);
      discard(stream);
      finish(null);
    };
    uploadWriting(request, true);
    const index = storing.length;
    const stored = options.files.put(meter).then(
      (content) => {
        if (overLimit) {
          void options.files.remove(content.key).catch(() => undefined);
          return refuseTooLarge();
        }
        const mime = sniffed ?? fileType({ head: Buffer.concat(head), declared: declaredType, name: originalName });
        // The form failed or the answer ended while the file was stored: nothing will name it.
        if (reception.failed || reception.closed) {
          void options.files.remove(content.key).catch(() => undefined);
          return;
        }
        reception.uploads[index] = { field: name, declaredType, stored: { storageKey: content.key, sizeBytes: content.sizeBytes, sha256: content.sha256, mimeType: mime, originalName } };
      },
      (error: Error) => {
        // put removed its partial file.
        if (overLimit) return refuseTooLarge();
        if (reception.failed) return;
        if (refusal) {
          // Refused by its type: nothing more is read, and the refusal is the answer.
          stream.unpipe(meter);
          discard(stream);
          throw refusal;
        }
        throw error;
      },
    );
    storing.push(stored);
    void stored.finally(() => uploadWriting(request, false)).catch(() => undefined);
    stored.catch((error: Error) => finish(error));
  });
  parser.on('filesLimit', () => {
    reception.tooMany = true;
    if ((options.tooManyFiles ?? 'refuse') === 'refuse') finish(new BadRequestError(`the form takes ${maxFiles === 1 ? 'one file' : `${maxFiles} files`}; this upload has more`));
  });
  parser.on('error', (error: Error) => finish(new BadRequestError(`the upload could not be read: ${error.message}`)));
  for (const limit of ['partsLimit', 'fieldsLimit']) {
    parser.on(limit, () => finish(new BadRequestError('the form has a few fields and its files; this upload has more parts')));
  }
  parser.on('finish', () => {
    void Promise.all(storing).then(
      () => {
        // Files stored out of order leave no holes (a refused one is not there).
        reception.uploads = reception.uploads.filter(Boolean);
        // A form without a file still needs its token checked.
        if (reception.uploads.length === 0 && !reception.tooLarge && !tokenAccepted()) return finish(new ForbiddenError('csrf'));
        finish(null);
      },
      (error: Error) => finish(error),
    );
  });
  payload.on('error', (error: Error) => finish(error));
  payload.pipe(parser);
}
