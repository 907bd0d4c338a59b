import type { Worker } from 'node:worker_threads';
import { startTypeScriptWorker } from '../../../workers.ts';
import { AnonymizeError } from './errors.ts';
import type { StripReply, StripRequest } from './strip-worker.ts';

/**
 * Files are made anonymous in a worker thread: parsing a large PDF takes seconds of CPU, during which
 * the main thread would answer no request. One file at a time (copies are made once per file, so the
 * queue is short); the worker stops after a file that took too long or failed, and does not keep the
 * process alive while idle.
 */

/** A file that takes longer is refused as unreadable (the worker is replaced). */
export const STRIP_TIME_LIMIT_MS = 120_000;
/** The worker's heap: a file that needs more ends that worker, not the server. */
const STRIP_HEAP_MB = 1024;

let worker: Worker | undefined;
let nextId = 1;
let queue: Promise<unknown> = Promise.resolve();

function run(path: string, mimeType: string, maxBytes: number): Promise<{ bytes: Uint8Array; removed: string[] } | undefined> {
  return new Promise((resolve, reject) => {
    const current = (worker ??= startTypeScriptWorker(new URL('./strip-worker.ts', import.meta.url), undefined, { maxOldGenerationSizeMb: STRIP_HEAP_MB }));
    current.ref();
    const id = nextId++;
    const finish = (failed: boolean, outcome: () => void) => {
      clearTimeout(timer);
      current.off('message', onMessage).off('error', onError).off('exit', onExit);
      current.unref();
      if (failed) {
        // Whatever state a failed worker was left in is not trusted.
        if (worker === current) worker = undefined;
        void current.terminate();
      }
      outcome();
    };
    const onMessage = (reply: StripReply) => {
      if (reply.id !== id) return;
      if ('bytes' in reply) finish(false, () => resolve({ bytes: reply.bytes, removed: reply.removed }));
      else if ('none' in reply) finish(false, () => resolve(undefined));
      else if ('failure' in reply) finish(false, () => reject(new AnonymizeError(reply.failure, reply.detail.replace(/^[a-z-]+: /, ''))));
      else finish(true, () => reject(new Error(`making the file anonymous failed: ${reply.error}`)));
    };
    const onError = (error: Error) => finish(true, () => reject(new AnonymizeError('unreadable', `the file could not be read: ${error.message}`)));
    const onExit = () => finish(true, () => reject(new AnonymizeError('unreadable', 'the file could not be read (the worker stopped)')));
    const timer = setTimeout(() => finish(true, () => reject(new AnonymizeError('unreadable', `reading the file took over ${STRIP_TIME_LIMIT_MS / 1000} s`))), STRIP_TIME_LIMIT_MS);
    current.on('message', onMessage).on('error', onError).on('exit', onExit);
    current.postMessage({ id, path, mimeType, maxBytes } satisfies StripRequest);
  });
}

/** `stripMetadata` of the stored file at `path`, in the worker thread; the files wait their turn. */
export function stripStoredFile(path: string, mimeType: string, maxBytes: number): Promise<{ bytes: Uint8Array; removed: string[] } | undefined> {
  const result = queue.then(() => run(path, mimeType, maxBytes));
  queue = result.catch(() => undefined);
  return result;
}
