import { Busboy, type BusboyHeaders, type BusboyInstance } from '@fastify/busboy';
import { Transform, type Readable } from 'node:stream';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { CSRF_FIELD } from '../../accounts/index.ts';
import { BadRequestError, ForbiddenError, uploadWriting } from '../../platform/http/index.ts';
import { fileType, SNIFF_BYTES, type FileStore } from '../../storage/index.ts';
import { cleanName, type StoredUpload } from '../commands/submissions.ts';

/**
 * One file sent with an editor's form (a new revision of a submission file), streamed into the file
 * store as it arrives: never held in memory, the form token checked before a byte is stored, the
 * type read from the first bytes. Bytes no committed row names are removed when the answer ends
 * (`keepUpload` once the row is written). The wizard has its own reader (workflow/uploads.ts) for
 * forms with several fields; this one is for a form that is a token and one file.
 */

interface Reception {
  upload?: StoredUpload;
  tooLarge?: number;
  kept: boolean;
}

const receptions = new WeakMap<FastifyRequest, Reception>();

export function receivedUpload(request: FastifyRequest): StoredUpload | undefined {
  return receptions.get(request)?.upload;
}

/** The limit a file went over (reading stopped; nothing stored), else undefined. */
export function uploadTooLarge(request: FastifyRequest): number | undefined {
  return receptions.get(request)?.tooLarge;
}

export function keepUpload(request: FastifyRequest): void {
  const reception = receptions.get(request);
  if (reception) reception.kept = true;
}

export async function discardUpload(request: FastifyRequest, files: FileStore): Promise<void> {
  const reception = receptions.get(request);
  if (!reception?.upload || reception.kept) return;
  const key = reception.upload.storageKey;
  delete reception.upload;
  await files.remove(key);
}

class TooLarge extends Error {}

/** Makes this scope read multipart bodies by streaming the file of `field` into the store. */
export function acceptStreamedUpload(scope: FastifyInstance, options: { files: FileStore; field: string; maxBytes: number }): void {
  scope.removeContentTypeParser('multipart/form-data');
  scope.addContentTypeParser('multipart/form-data', (request, payload, done) => receive(request, payload, options, done));
  scope.addHook('onRequest', async (request, reply) => {
    reply.raw.once('close', () => {
      const reception = receptions.get(request);
      if (reception?.upload && !reception.kept) void options.files.remove(reception.upload.storageKey).catch(() => undefined);
    });
  });
}

function receive(request: FastifyRequest, payload: NodeJS.ReadableStream, options: { files: FileStore; field: string; maxBytes: number }, done: (error: Error | null, body?: Record<string, string>) => void): void {
  const fields: Record<string, string> = {};
  const reception: Reception = { kept: false };
  receptions.set(request, reception);
  let finished = false;
  let storing: Promise<void> | undefined;
  let parser: BusboyInstance;
  const finish = (error: Error | null) => {
    if (finished) return;
    finished = true;
    if (error) {
      payload.unpipe(parser);
      done(error);
    } else done(null, fields);
  };
  const tokenAccepted = () => {
    const token = fields[CSRF_FIELD] ?? request.headers['x-csrf-token'];
    return request.viewer.acceptFormToken(typeof token === 'string' ? token : undefined);
  };
  try {
    parser = new Busboy({ headers: request.headers as BusboyHeaders, limits: { files: 1, fields: 10, fieldSize: 8 * 1024, parts: 11 } });
  } catch (error) {
    done(new BadRequestError(`not a multipart form: ${(error as Error).message}`));
    return;
  }
  const discard = (stream: Readable) => {
    stream.on('error', () => undefined);
    stream.resume();
  };
  parser.on('field', (name: string, value: string) => {
    if (!Object.hasOwn(fields, name)) fields[name] = value;
  });
  parser.on('file', (name: string, stream: Readable, filename: string | undefined) => {
    if (finished) return discard(stream);
    if (!tokenAccepted()) {
      discard(stream);
      return finish(new ForbiddenError('csrf'));
    }
    if (name !== options.field || storing || !filename) return discard(stream);
    let size = 0;
    const head: Buffer[] = [];
    let headBytes = 0;
    const meter = new Transform({
      transform(chunk: Buffer, _encoding, callback) {
        size += chunk.length;
        if (size > options.maxBytes) return callback(new TooLarge());
        if (headBytes < SNIFF_BYTES) {
          const part = chunk.subarray(0, SNIFF_BYTES - headBytes);
          head.push(part);
          headBytes += part.length;
        }
        callback(null, chunk);
      },
    });
    stream.on('error', (error: Error) => meter.destroy(error));
    stream.pipe(meter);
    uploadWriting(request, true);
    storing = options.files.put(meter).then(
      (content) => {
        const originalName = cleanName(filename);
        reception.upload = { storageKey: content.key, sizeBytes: content.sizeBytes, sha256: content.sha256, mimeType: fileType({ head: Buffer.concat(head), name: originalName }), originalName };
      },
      (error: Error) => {
        if (!(error instanceof TooLarge)) throw error;
        reception.tooLarge = options.maxBytes;
        payload.unpipe(parser);
        stream.unpipe(meter);
        discard(stream);
        finish(null);
      },
    );
    void storing.finally(() => uploadWriting(request, false)).catch(() => undefined);
    storing.catch((error: Error) => finish(error));
  });
  parser.on('error', (error: Error) => finish(new BadRequestError(`the upload could not be read: ${error.message}`)));
  for (const limit of ['filesLimit', 'partsLimit', 'fieldsLimit']) parser.on(limit, () => finish(new BadRequestError('the form has one file and a few fields; this upload has more parts')));
  parser.on('finish', () => {
    void (storing ?? Promise.resolve()).then(
      () => (reception.upload || reception.tooLarge || tokenAccepted() ? finish(null) : finish(new ForbiddenError('csrf'))),
      (error: Error) => finish(error),
    );
  });
  payload.on('error', (error: Error) => finish(error));
  payload.pipe(parser);
}
