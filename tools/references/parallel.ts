import os from 'node:os';
import type { Worker } from 'node:worker_threads';
import { startTypeScriptWorker } from '../../src/workers.ts';
import { rangeLikelihood, type Encoded, type Layout } from './likelihood.ts';

/**
 * The likelihood over the whole corpus, split into a fixed number of chunks of sequences that
 * worker threads and this thread compute at the same time. Chunks are summed in their order, so the
 * result is the same whatever the number of threads. Synchronous for the optimiser: the threads
 * share memory and signal each other with Atomics.
 */
export const CHUNKS = 4;

const IDLE = 0;
const WORK = 1;
const STOP = 2;

export interface SharedSetup {
  corpus: Encoded;
  layout: Layout;
  size: number;
  /** Sequence index where each chunk starts, and the end. */
  bounds: number[];
  x: Float64Array;
  gradients: Float64Array[];
  logZ: Float64Array;
  control: Int32Array;
}

function shared(length: number): Float64Array {
  return new Float64Array(new SharedArrayBuffer(length * Float64Array.BYTES_PER_ELEMENT));
}

/** Chunk boundaries with about the same number of tokens in each. */
function chunkBounds(sequenceStart: Uint32Array): number[] {
  const sequences = sequenceStart.length - 1;
  const tokens = sequenceStart[sequences]!;
  const bounds = [0];
  let s = 0;
  for (let c = 1; c < CHUNKS; c++) {
    while (s < sequences && sequenceStart[s]! < (tokens * c) / CHUNKS) s++;
    bounds.push(s);
  }
  bounds.push(sequences);
  return bounds;
}

export function chunksOf(thread: number, threads: number): number[] {
  return Array.from({ length: CHUNKS }, (_, c) => c).filter((c) => c % threads === thread);
}

/** A worker thread running train-worker.ts. */
function startWorker(workerData: unknown): Worker {
  return startTypeScriptWorker(new URL('./train-worker.ts', import.meta.url), workerData);
}

/** Resolves when every worker says it is ready; rejects with the first one's error. */
function ready(workers: Worker[]): Promise<void> {
  return new Promise((resolve, reject) => {
    let waiting = workers.length;
    if (waiting === 0) resolve();
    for (const worker of workers) {
      worker.once('message', () => {
        if (--waiting === 0) resolve();
      });
      worker.once('error', reject);
      worker.once('exit', (code) => reject(new Error(`a training thread stopped (exit code ${code}) before it was ready`)));
    }
  });
}

export async function parallelLikelihood(corpus: Encoded, layout: Layout, size: number, requested?: number) {
  const threads = Math.max(1, Math.min(requested ?? os.availableParallelism(), CHUNKS));
  const setup: SharedSetup = {
    corpus,
    layout,
    size,
    bounds: chunkBounds(corpus.sequenceStart),
    x: shared(size),
    gradients: Array.from({ length: CHUNKS }, () => shared(size)),
    logZ: shared(CHUNKS),
    control: new Int32Array(new SharedArrayBuffer(Math.max(1, threads - 1) * Int32Array.BYTES_PER_ELEMENT)),
  };
  const workers = Array.from({ length: threads - 1 }, (_, w) => startWorker({ setup, thread: w + 1, threads }));
  try {
    await ready(workers);
  } catch (error) {
    await Promise.all(workers.map((worker) => worker.terminate()));
    throw error;
  }
  const own = chunksOf(0, threads).map((c) => ({ c, run: rangeLikelihood(corpus, layout, setup.bounds[c]!, setup.bounds[c + 1]!) }));

  return {
    threads,
    evaluate(x: Float64Array, gradient: Float64Array): number {
      setup.x.set(x);
      workers.forEach((_, w) => {
        Atomics.store(setup.control, w, WORK);
        Atomics.notify(setup.control, w);
      });
      for (const { c, run } of own) setup.logZ[c] = run(setup.x, setup.gradients[c]!);
      workers.forEach((_, w) => {
        while (Atomics.load(setup.control, w) === WORK) Atomics.wait(setup.control, w, WORK, 1000);
      });
      gradient.fill(0);
      let logZ = 0;
      for (let c = 0; c < CHUNKS; c++) {
        logZ += setup.logZ[c]!;
        const g = setup.gradients[c]!;
        for (let k = 0; k < size; k++) gradient[k]! += g[k]!;
      }
      return logZ;
    },
    close(): void {
      workers.forEach((worker, w) => {
        Atomics.store(setup.control, w, STOP);
        Atomics.notify(setup.control, w);
        void worker.terminate();
      });
    },
  };
}
