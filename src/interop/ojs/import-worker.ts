import { Readable } from 'node:stream';
import { parentPort, workerData } from 'node:worker_threads';
import { createFileStore } from '../../storage/index.ts';
import { checkDocument, ImportError, readDocument, type ReadSetup, type ReadUnit } from './import-read.ts';
import { measuringSink, NativeXmlError, storageSink, type FileSink } from './xml-stream.ts';

/**
 * The import's worker thread: reads the document twice (check, then import), parsing it, decoding
 * and hashing its embedded files and storing them, while the main thread writes the database. The
 * main thread feeds the document in pieces as they are asked for (it opened it: a file, or part of
 * an uploaded one), and takes the units one at a time: the next unit is read while the previous one
 * is written, and no further.
 */

export interface WorkerSetup {
  read: ReadSetup;
  /** The file store's root: the thread stores files there itself. */
  storageRoot: string;
  /** A dry run stores no file: each is only measured. */
  dryRun: boolean;
}

export type Pass = 'check' | 'import';

export type SerializedError = { kind: 'xml'; reason: string; line?: number; column?: number } | { kind: 'import' | 'other'; message: string };

/** What the main thread sends. */
export type ToWorker =
  | { type: 'chunk'; data: Uint8Array }
  | { type: 'end' }
  | { type: 'input-error'; message: string }
  /** The main thread is ready for one more unit. */
  | { type: 'credit' }
  /** Stop now (time limit, or the database failed): take back files being written, then end. */
  | { type: 'abort' };

/** What the thread sends. */
export type FromWorker =
  | { type: 'pull'; pass: Pass }
  | { type: 'warning'; text: string }
  | { type: 'checked-unit'; issues: number; articles: number }
  | { type: 'checked'; root: string; units: number }
  | { type: 'stored'; key: string }
  | ({ type: 'unit' } & ReadUnit)
  | { type: 'done' }
  | { type: 'failed'; error: SerializedError };

export function serializeError(error: unknown): SerializedError {
  if (error instanceof NativeXmlError) return { kind: 'xml', reason: error.reason, ...(error.line !== undefined ? { line: error.line } : {}), ...(error.column !== undefined ? { column: error.column } : {}) };
  return { kind: error instanceof ImportError ? 'import' : 'other', message: error instanceof Error ? error.message : String(error) };
}

if (parentPort) {
  const port = parentPort;
  const setup = workerData as WorkerSetup;
  const post = (message: FromWorker) => port.postMessage(message);
  let input: Readable | undefined;
  let stopped: Error | undefined;
  let credits = 0;
  let creditArrived: (() => void) | undefined;
  const writing = new Set<Promise<unknown>>();

  port.on('message', (message: ToWorker) => {
    if (message.type === 'chunk') input?.push(Buffer.from(message.data.buffer, message.data.byteOffset, message.data.byteLength));
    else if (message.type === 'end') input?.push(null);
    else if (message.type === 'input-error') input?.destroy(new Error(message.message));
    else if (message.type === 'credit') {
      credits++;
      creditArrived?.();
    } else {
      stopped = new Error('the import was stopped');
      input?.destroy(stopped);
      creditArrived?.();
    }
  });

  /** The document, a piece at a time, as the parser asks for it. */
  const open = (pass: Pass): Readable => {
    input = new Readable({ highWaterMark: 1024 * 1024, read: () => post({ type: 'pull', pass }) });
    return input;
  };
  /** Files being written, so a failed import waits until each has been taken back. */
  const tracked = (sink: FileSink): FileSink => (stream) => {
    const file = sink(stream);
    writing.add(file);
    const done = () => writing.delete(file);
    file.then(done, done);
    return file;
  };
  const credit = async () => {
    while (credits === 0 && !stopped) await new Promise<void>((resolve) => (creditArrived = resolve));
    if (stopped) throw stopped;
    credits--;
  };

  const run = async () => {
    const measuring = tracked(measuringSink);
    const checked = await checkDocument(open('check'), setup.read, measuring, {
      warning: (text) => post({ type: 'warning', text }),
      unit: (issues, articles) => post({ type: 'checked-unit', issues, articles }),
    });
    post({ type: 'checked', ...checked });
    const sink = setup.dryRun ? measuring : tracked(storageSink(createFileStore(setup.storageRoot), (key) => post({ type: 'stored', key })));
    for await (const unit of readDocument(open('import'), setup.read, sink)) {
      await credit();
      post({ type: 'unit', ...unit });
    }
    post({ type: 'done' });
  };
  run()
    .catch(async (error: unknown) => {
      await Promise.allSettled([...writing]);
      post({ type: 'failed', error: serializeError(stopped ?? error) });
    })
    .finally(() => port.close());
}
