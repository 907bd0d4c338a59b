import type { Readable } from 'node:stream';
import type { Worker } from 'node:worker_threads';
import { startTypeScriptWorker } from '../../workers.ts';
import { ImportError, type ReadUnit } from './import-read.ts';
import type { FromWorker, Pass, SerializedError, ToWorker, WorkerSetup } from './import-worker.ts';
import { NativeXmlError } from './xml-stream.ts';

/**
 * The main thread's side of the import's worker thread (import-worker.ts): it feeds the thread the
 * document, hears what the thread found and stored, and hands the units over one at a time.
 */

/** How long a stopped thread may take to take back the files it was writing before it is ended by force. */
const STOP_GRACE_MS = 5000;
/**
 * The thread's heap: a unit at its largest (see MAX_UNIT_* in xml-stream.ts) and the one read ahead
 * fit with room to spare. A thread that needed more ends alone (the import fails), not the server.
 */
const THREAD_HEAP_MB = 512;

export interface ThreadEvents {
  /** Bytes of the document handed to the thread, in a pass. */
  bytes(pass: Pass, n: number): void;
  warning(text: string): void;
  checkedUnit(issues: number, articles: number): void;
  /** The thread stored a file (not yet durable, referred to by nothing yet). */
  stored(key: string): void;
}

export interface ImportThread {
  /** The first pass's outcome: the document is whole and right, or why not. */
  checked: Promise<{ root: string; units: number }>;
  /** The next unit of the second pass (asking for it lets the thread read the one after), or undefined at the end. */
  nextUnit(): Promise<ReadUnit | undefined>;
  /** Stops the thread: it takes back what it was writing and ends (by force after a grace period). Afterwards every call fails with `reason`. */
  stop(reason: Error): Promise<void>;
}

function deserialize(error: SerializedError): Error {
  if (error.kind === 'xml') return new NativeXmlError(error.reason, error.line, error.column);
  if (error.kind === 'import') return new ImportError(error.message);
  return new Error(error.message);
}

interface Deferred<T> {
  promise: Promise<T>;
  resolve(value: T): void;
  reject(error: Error): void;
}

function deferred<T>(): Deferred<T> {
  let resolve!: (value: T) => void;
  let reject!: (error: Error) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  // Whoever awaits it hears of a failure; nobody awaiting is no unhandled rejection.
  promise.catch(() => undefined);
  return { promise, resolve, reject };
}

export function startImportThread(setup: WorkerSetup, open: () => Readable, events: ThreadEvents): ImportThread {
  const worker: Worker = startTypeScriptWorker(new URL('./import-worker.ts', import.meta.url), setup, { maxOldGenerationSizeMb: THREAD_HEAP_MB });
  const send = (message: ToWorker) => worker.postMessage(message);
  const checked = deferred<{ root: string; units: number }>();
  const exited = deferred<void>();
  const units: (ReadUnit | undefined)[] = [];
  let waiting: Deferred<ReadUnit | undefined> | undefined;
  let failure: Error | undefined;
  let finished = false;

  // The document is opened once per pass, and read a piece each time the thread asks.
  const inputs = new Map<Pass, { stream: Readable; pieces: AsyncIterator<Buffer> }>();
  const pull = async (pass: Pass) => {
    try {
      let input = inputs.get(pass);
      if (!input) {
        const stream = open();
        input = { stream, pieces: stream[Symbol.asyncIterator]() as AsyncIterator<Buffer> };
        inputs.set(pass, input);
      }
      const piece = await input.pieces.next();
      if (failure) return;
      if (piece.done) send({ type: 'end' });
      else {
        const chunk = Buffer.isBuffer(piece.value) ? piece.value : Buffer.from(piece.value);
        events.bytes(pass, chunk.length);
        send({ type: 'chunk', data: chunk });
      }
    } catch (error) {
      if (!failure) send({ type: 'input-error', message: `the document cannot be read: ${(error as Error).message}` });
    }
  };

  const fail = (error: Error) => {
    failure ??= error;
    checked.reject(failure);
    waiting?.reject(failure);
    waiting = undefined;
    for (const input of inputs.values()) input.stream.destroy();
  };

  worker.on('message', (message: FromWorker) => {
    switch (message.type) {
      case 'pull':
        void pull(message.pass);
        break;
      case 'warning':
        events.warning(message.text);
        break;
      case 'checked-unit':
        events.checkedUnit(message.issues, message.articles);
        break;
      case 'checked':
        checked.resolve({ root: message.root, units: message.units });
        break;
      case 'stored':
        events.stored(message.key);
        break;
      case 'unit':
      case 'done': {
        const unit = message.type === 'unit' ? { kind: message.kind, line: message.line, unit: message.unit } as ReadUnit : undefined;
        if (message.type === 'done') finished = true;
        if (waiting) {
          waiting.resolve(unit);
          waiting = undefined;
        } else units.push(unit);
        break;
      }
      case 'failed':
        fail(deserialize(message.error));
        break;
    }
  });
  worker.on('error', (error) => fail(new Error(`the import's thread failed: ${error.message}`)));
  worker.on('exit', (code) => {
    if (!finished) fail(new Error(`the import's thread stopped (exit code ${code})`));
    exited.resolve();
  });

  return {
    checked: checked.promise,
    async nextUnit() {
      if (failure) throw failure;
      if (units.length > 0) return units.shift();
      if (finished) return undefined;
      waiting = deferred();
      const next = waiting.promise;
      send({ type: 'credit' });
      return next;
    },
    async stop(reason: Error) {
      fail(reason);
      send({ type: 'abort' });
      const timer = setTimeout(() => void worker.terminate(), STOP_GRACE_MS);
      await exited.promise;
      clearTimeout(timer);
    },
  };
}
