import { parentPort, workerData } from 'node:worker_threads';
import { rangeLikelihood } from './likelihood.ts';
import { chunksOf, type SharedSetup } from './parallel.ts';

/** A training thread: computes its chunks of the likelihood whenever parallel.ts asks (see there). */
const { setup, thread, threads } = workerData as { setup: SharedSetup; thread: number; threads: number };
const slot = thread - 1;
const chunks = chunksOf(thread, threads).map((c) => ({ c, run: rangeLikelihood(setup.corpus, setup.layout, setup.bounds[c]!, setup.bounds[c + 1]!) }));
parentPort?.postMessage('ready');

for (;;) {
  Atomics.wait(setup.control, slot, 0);
  const command = Atomics.load(setup.control, slot);
  if (command === 2) break;
  if (command !== 1) continue;
  for (const { c, run } of chunks) setup.logZ[c] = run(setup.x, setup.gradients[c]!);
  Atomics.store(setup.control, slot, 0);
  Atomics.notify(setup.control, slot);
}
