import { Busboy, type BusboyHeaders, type BusboyInstance } from '@fastify/busboy';
import { Transform, type Readable } from 'node:stream';
import type { FastifyRequest } from 'fastify';
import type { FileKindSetting } from '../../../db/index.ts';
import { BadRequestError, uploadWriting } from '../../../platform/http/index.ts';
import { fileType, isActiveContentType, SNIFF_BYTES, type FileStore } from '../../../storage/index.ts';
import { MAX_SUBMISSION_FILE_BYTES, WorkflowError, type StoredUpload } from '../../../workflow/index.ts';

/**
 * The API's file upload (`POST …/submissions/{id}/files`, multipart `kind` then `file`), read as it
 * arrives: the file's bytes go straight to the file store. Its type is read from its first bytes and
 * its size counted as they come, so a file of a type its kind does not take, or larger than the kind
 * takes, stops the reading at once (415, 413) and leaves nothing in the store (the store's half-written
 * file goes with the failed write). The caller and the submission were checked before (the route's
 * onRequest hook), and the kinds the journal takes were given to the reader then.
 */

/** What was made of the form: its `kind` field and, when a file was sent, the stored file. */
export interface ReceivedUpload {
  kind: string | undefined;
  stored: StoredUpload | undefined;
}

/** The journal's file kinds for a request whose upload is about to be read (set by the route's onRequest hook). */
const kindsOf = new WeakMap<FastifyRequest, readonly FileKindSetting[]>();

export function expectUpload(request: FastifyRequest, kinds: readonly FileKindSetting[]): void {
  kindsOf.set(request, kinds);
}

/** The limit a file of this kind is held to while it arrives (the command checks again). */
function limitOf(kind: FileKindSetting | undefined): number {
  return Math.min(kind?.maxBytes ?? MAX_SUBMISSION_FILE_BYTES, MAX_SUBMISSION_FILE_BYTES);
}

/** Counts the bytes and reads the type from the first ones; fails as soon as either is wrong for the kind. */
function watchFile(kind: FileKindSetting | undefined, declared: { mimeType: string; name: string }, seen: { head: Buffer; size: number; type?: string }): Transform {
  const max = limitOf(kind);
  const decide = () => {
    seen.type = fileType({ head: seen.head, declared: declared.mimeType, name: declared.name });
    if (isActiveContentType(seen.type) || (kind && kind.types.length > 0 && !kind.types.includes(seen.type))) return new WorkflowError('file-type-not-allowed', 'file', { type: seen.type });
    return undefined;
  };
  return new Transform({
    transform(chunk: Buffer, _encoding, callback) {
      seen.size += chunk.length;
      if (seen.size > max) return callback(new WorkflowError('file-too-large', 'file', { max }));
      if (seen.type === undefined) {
        seen.head = Buffer.concat([seen.head, chunk.subarray(0, SNIFF_BYTES - seen.head.length)]);
        if (seen.head.length >= SNIFF_BYTES) {
          const refused = decide();
          if (refused) return callback(refused);
        }
      }
      callback(null, chunk);
    },
    flush(callback) {
      if (seen.type === undefined) {
        const refused = decide();
        if (refused) return callback(refused);
      }
      callback();
    },
  });
}

/**
 * A content-type parser for `multipart/form-data`: small fields first, then one `file`, streamed to
 * the store. Parts other than `kind` and `file` are read through and ignored.
 */
export function receiveUpload(files: FileStore) {
  return (request: FastifyRequest, payload: Readable, done: (error: Error | null, body?: ReceivedUpload) => void): void => {
    const kinds = kindsOf.get(request) ?? [];
    const received: ReceivedUpload = { kind: undefined, stored: undefined };
    let finished = false;
    let storing: Promise<void> | undefined;
    let parser: BusboyInstance;
    const finish = (error: Error | null) => {
      if (finished) return;
      finished = true;
      if (error) {
        payload.unpipe(parser);
        // A file stored before the refusal (a kind named after the file) goes too.
        if (received.stored) void files.remove(received.stored.storageKey).catch(() => undefined);
        done(error);
      } else done(null, received);
    };
    try {
      parser = new Busboy({ headers: request.headers as BusboyHeaders, limits: { files: 1, fileSize: MAX_SUBMISSION_FILE_BYTES + 1, fields: 10, fieldSize: 64 * 1024, parts: 11 } });
    } catch (error) {
      done(new BadRequestError(`not a multipart form: ${(error as Error).message}`));
      return;
    }
    const discard = (stream: Readable) => {
      stream.on('error', () => undefined);
      stream.resume();
    };
    parser.on('field', (name: string, value: string) => {
      if (name === 'kind') received.kind = value.trim();
    });
    parser.on('file', (name: string, stream: Readable, filename: string | undefined, _encoding: string, mimeType: string) => {
      if (finished || name !== 'file' || storing) return discard(stream);
      const kind = received.kind === undefined ? undefined : kinds.find((k) => k.key === received.kind);
      if (received.kind !== undefined && !kind) {
        discard(stream);
        return finish(new WorkflowError('file-kind-unknown', 'kind', { kinds: kinds.map((k) => k.key).join(', ') }));
      }
      const seen = { head: Buffer.alloc(0), size: 0 } as { head: Buffer; size: number; type?: string };
      const originalName = filename ?? 'file';
      const watch = watchFile(kind, { mimeType, name: originalName }, seen);
      // The store starts reading after a step of its own, when a small file may be all in already: its
      // refusal is kept here, and said once the store has given up (or has stored it, to be removed).
      let refusal: Error | undefined;
      watch.on('error', (error: Error) => {
        refusal ??= error;
        stream.unpipe(watch);
        discard(stream);
      });
      // Over busboy's own ceiling the stream is cut short, not failed: that is a file too large.
      stream.on('limit', () => watch.destroy(new WorkflowError('file-too-large', 'file', { max: limitOf(kind) })));
      stream.on('error', (error: Error) => watch.destroy(error));
      uploadWriting(request, true);
      storing = files.put(stream.pipe(watch)).then(
        async (content) => {
          if (refusal) {
            await files.remove(content.key).catch(() => undefined);
            return finish(refusal);
          }
          received.stored = { storageKey: content.key, sizeBytes: content.sizeBytes, sha256: content.sha256, mimeType: seen.type ?? 'application/octet-stream', originalName };
        },
        (error: Error) => {
          stream.unpipe(watch);
          discard(stream);
          finish(refusal ?? error);
        },
      );
      void storing.finally(() => uploadWriting(request, false));
    });
    parser.on('error', (error: Error) => finish(new BadRequestError(`the upload could not be read: ${error.message}`)));
    for (const limit of ['filesLimit', 'partsLimit', 'fieldsLimit']) {
      parser.on(limit, () => finish(new BadRequestError('the form has one file and a `kind`; this upload has more parts')));
    }
    parser.on('finish', () => {
      void (storing ?? Promise.resolve()).then(() => finish(null));
    });
    payload.on('error', (error: Error) => finish(error));
    payload.pipe(parser);
  };
}
