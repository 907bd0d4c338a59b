import { Busboy, type BusboyHeaders, type BusboyInstance } from '@fastify/busboy';
import { Transform, type Readable } from 'node:stream';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { CSRF_FIELD } from '../../accounts/index.ts';
import { BadRequestError, ForbiddenError, uploadWriting } from '../../platform/http/index.ts';
import { fileType, SNIFF_BYTES, type FileStore } from '../../storage/index.ts';
import type { DiscussionUpload } from '../commands/discussions.ts';

/**
 * A discussion form with attachments, read as it arrives: each file is streamed into the file store
 * (never held in memory), its first bytes kept to tell its type, and its name kept for the download.
 * The form's token (a field before the files) is checked before a byte of a file reaches the disk.
 * Files the message does not end up recording are removed when the answer ends, whatever the answer.
 */

export interface ReceivedForm {
  files: DiscussionUpload[];
  /** More files than the form takes were sent (the extra ones were not read). */
  tooMany: boolean;
}

const received = new WeakMap<FastifyRequest, ReceivedForm>();
const toRemove = new WeakMap<FastifyRequest, string[]>();

/** The files of the request's form ({ files: [] } for a form sent without any). */
export function receivedFiles(request: FastifyRequest): ReceivedForm {
  return received.get(request) ?? { files: [], tooMany: false };
}

/** The stored files are now recorded by rows: the end of the answer keeps them. */
export function keepReceivedFiles(request: FastifyRequest): void {
  toRemove.delete(request);
}

function receive(request: FastifyRequest, payload: NodeJS.ReadableStream, options: { files: FileStore; maxFiles: number; maxBytes: number }, done: (error: Error | null, body?: Record<string, string | string[]>) => void): void {
  const fields: Record<string, string | string[]> = {};
  const form: ReceivedForm = { files: [], tooMany: false };
  const stored: string[] = [];
  toRemove.set(request, stored);
  received.set(request, form);
  const writes: Promise<void>[] = [];
  let finished = false;
  let tokenChecked = false;
  const finish = (error: Error | null) => {
    if (finished) return;
    finished = true;
    if (error) payload.unpipe(parser);
    done(error, error ? undefined : fields);
  };
  let parser: BusboyInstance;
  try {
    parser = new Busboy({ headers: request.headers as BusboyHeaders, limits: { files: options.maxFiles, fileSize: options.maxBytes, fields: 50, fieldSize: 256 * 1024, parts: options.maxFiles + 50 } });
  } catch (error) {
    done(new BadRequestError(`not a multipart form: ${(error as Error).message}`));
    return;
  }
  const discard = (stream: Readable) => {
    stream.on('error', () => undefined);
    stream.resume();
  };
  const tokenOk = () => {
    if (tokenChecked) return true;
    const token = fields[CSRF_FIELD] ?? request.headers['x-csrf-token'];
    tokenChecked = request.viewer.acceptFormToken(typeof token === 'string' ? token : undefined);
    return tokenChecked;
  };
  parser.on('field', (name: string, value: string) => {
    const before = fields[name];
    fields[name] = before === undefined ? value : Array.isArray(before) ? [...before, value] : [before, value];
  });
  parser.on('file', (_name: string, stream: Readable, filename: string | undefined, _encoding: string, mimetype: string | undefined) => {
    if (finished) return discard(stream);
    if (!tokenOk()) {
      discard(stream);
      return finish(new ForbiddenError('csrf'));
    }
    // A file input left empty sends a part without a name or bytes.
    if (!filename) return discard(stream);
    let head = Buffer.alloc(0);
    let truncated = false;
    stream.on('limit', () => (truncated = true));
    const tap = new Transform({
      transform(chunk: Buffer, _encoding, callback) {
        if (head.length < SNIFF_BYTES) head = Buffer.concat([head, chunk.subarray(0, SNIFF_BYTES - head.length)]);
        callback(null, chunk);
      },
    });
    stream.on('error', (error) => tap.destroy(error));
    uploadWriting(request, true);
    const index = form.files.length;
    form.files.push(undefined as never);
    const write = options.files.put(stream.pipe(tap)).then((put) => {
      stored.push(put.key);
      form.files[index] = {
        storageKey: put.key,
        // Cut at the limit: said to be one byte over it, so the check says "too large".
        sizeBytes: truncated ? Math.max(put.sizeBytes, options.maxBytes) + 1 : put.sizeBytes,
        sha256: put.sha256,
        mimeType: fileType({ head, name: filename, declared: mimetype ?? '' }),
        originalName: filename,
      };
    });
    writes.push(write);
    void write.finally(() => uploadWriting(request, false)).catch(() => undefined);
  });
  parser.on('filesLimit', () => (form.tooMany = true));
  parser.on('error', (error: Error) => finish(new BadRequestError(`the upload could not be read: ${error.message}`)));
  for (const limit of ['partsLimit', 'fieldsLimit']) parser.on(limit, () => finish(new BadRequestError('the form has more parts than a message takes')));
  parser.on('finish', () => {
    Promise.all(writes).then(
      () => finish(tokenOk() ? null : new ForbiddenError('csrf')),
      (error: Error) => finish(error),
    );
  });
  payload.on('error', (error: Error) => finish(error));
  payload.pipe(parser);
}

/**
 * A scope whose multipart forms are read by `receive`; routes registered in `register` get their
 * files through `receivedFiles`. Files not kept are removed once the answer has ended. `guard` runs
 * before a multipart body is read (the route's address names the submission and the discussion):
 * whoever may not post there is answered without a byte of their files reaching the disk.
 */
export async function discussionUploadScope(
  app: FastifyInstance,
  options: { files: FileStore; maxFiles: number; maxBytes: number; guard: (request: FastifyRequest) => Promise<void> },
  register: (scope: FastifyInstance) => void,
): Promise<void> {
  await app.register(async (scope) => {
    scope.removeContentTypeParser('multipart/form-data');
    scope.addContentTypeParser('multipart/form-data', (request, payload, done) => receive(request, payload, options, done));
    scope.addHook('onRequest', async (request: FastifyRequest, reply: FastifyReply) => {
      reply.raw.once('close', () => {
        for (const key of toRemove.get(request) ?? []) void options.files.remove(key).catch(() => undefined);
      });
    });
    // Only for files: a plain form is refused for its token first (access.ts), then by its route.
    scope.addHook('preParsing', async (request: FastifyRequest) => {
      if (!request.is404 && /^\s*multipart\//i.test(request.headers['content-type'] ?? '')) await options.guard(request);
    });
    register(scope);
  });
}
