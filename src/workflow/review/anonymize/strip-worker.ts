import fsp from 'node:fs/promises';
import { parentPort } from 'node:worker_threads';
import { AnonymizeError, type AnonymizeFailure } from './errors.ts';
import { stripMetadata } from './strip.ts';

/** The worker thread of strip-thread.ts: strips one stored file per message, in order. */
export interface StripRequest {
  id: number;
  path: string;
  mimeType: string;
  maxBytes: number;
}
export type StripReply =
  | { id: number; bytes: Uint8Array; removed: string[] }
  | { id: number; none: true }
  | { id: number; failure: AnonymizeFailure; detail: string }
  | { id: number; error: string };

const port = parentPort!;
port.on('message', (request: StripRequest) => {
  void (async (): Promise<StripReply> => {
    try {
      const result = await stripMetadata(await fsp.readFile(request.path), request.mimeType, request.maxBytes);
      // A fresh buffer of its own: a Buffer may sit in a shared pool, which Node (22 on) refuses to transfer.
      return result ? { id: request.id, bytes: new Uint8Array(result.bytes), removed: result.removed } : { id: request.id, none: true };
    } catch (error) {
      if (error instanceof AnonymizeError) return { id: request.id, failure: error.reason, detail: error.message };
      return { id: request.id, error: String((error as Error).message ?? error).slice(0, 500) };
    }
  })().then((reply) => port.postMessage(reply, 'bytes' in reply ? [reply.bytes.buffer as ArrayBuffer] : []));
});
