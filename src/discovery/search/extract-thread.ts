import type { Worker } from 'node:worker_threads';
import { startTypeScriptWorker } from '../../workers.ts';
import type { ExtractedFile } from './extract.ts';
import type { ExtractReply, ExtractRequest } from './extract-worker.ts';

/**
 * Galley text is read in a worker thread: parsing a large PDF or a hostile HTML file takes seconds
 * of CPU, and on the main thread no request would be answered meanwhile. One worker, one file at a
 * time (the indexer reads them in turn); it is started on the first file and does not keep the
 * process alive while idle.
 */

/** A file whose text takes longer is given up (the worker is replaced) and recorded with a problem. */
export const EXTRACT_TIME_LIMIT_MS = 120_000;
/** The worker's heap: a file that needs more ends that worker, not the server. */
const EXTRACT_HEAP_MB = 1024;

export interface TextExtractor {
  /** The text of the file at this path; rejects only when the extractor was closed meanwhile. */
  extract(file: string, mimeType: string): Promise<ExtractedFile>;
  /** Stops the worker; a file in progress is abandoned (its promise rejects). */
  close(): Promise<void>;
}

export class ExtractorClosedError extends Error {}

function startWorker(): Worker {
  const worker = startTypeScriptWorker(new URL('./extract-worker.ts', import.meta.url), undefined, { maxOldGenerationSizeMb: EXTRACT_HEAP_MB });
  worker.unref();
  return worker;
}

export function startTextExtractor(options: { timeLimitMs?: number } = {}): TextExtractor {
  const timeLimitMs = options.timeLimitMs ?? EXTRACT_TIME_LIMIT_MS;
  let worker: Worker | undefined;
  let nextId = 1;
  let closed = false;
  let queue: Promise<unknown> = Promise.resolve();
  let abandon: ((error: Error) => void) | undefined;

  const run = (file: string, mimeType: string): Promise<ExtractedFile> =>
    new Promise((resolve, reject) => {
      if (closed) return reject(new ExtractorClosedError('the text extractor is closed'));
      const current = (worker ??= startWorker());
      const id = nextId++;
      const finish = (outcome: () => void) => {
        clearTimeout(timer);
        current.off('message', onMessage).off('error', onError).off('exit', onExit);
        current.unref();
        abandon = undefined;
        outcome();
      };
      // The worker is replaced after a failure: whatever state it was left in is not trusted.
      const discard = () => {
        if (worker === current) worker = undefined;
        void current.terminate();
      };
      const onMessage = (reply: ExtractReply) => {
        if (reply.id === id) finish(() => resolve(reply.result));
      };
      const onError = (error: Error) => {
        discard();
        finish(() => resolve({ text: '', problem: `text extraction failed: ${error.message}`.slice(0, 500) }));
      };
      const onExit = (code: number) => {
        if (worker === current) worker = undefined;
        finish(() => resolve({ text: '', problem: `text extraction stopped (exit code ${code})` }));
      };
      const timer = setTimeout(() => {
        discard();
        finish(() => resolve({ text: '', problem: `reading the text took longer than ${timeLimitMs / 1000} s` }));
      }, timeLimitMs);
      abandon = (error) => {
        discard();
        finish(() => reject(error));
      };
      current.on('message', onMessage).on('error', onError).on('exit', onExit);
      // Referenced while it works: a CLI waiting for this file must not exit under it.
      current.ref();
      current.postMessage({ id, file, mimeType } satisfies ExtractRequest);
    });

  return {
    extract(file, mimeType) {
      const job = queue.then(() => run(file, mimeType));
      queue = job.catch(() => {});
      return job;
    },
    async close() {
      closed = true;
      abandon?.(new ExtractorClosedError('the text extractor was closed while reading a file'));
      await worker?.terminate();
      worker = undefined;
    },
  };
}
