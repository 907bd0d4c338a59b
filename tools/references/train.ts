import type { CrfModel } from '../../src/references/crf.ts';
import type { LabelledTokens } from './dataset.ts';
import { featureNames } from '../../src/references/features.ts';
import { minimise } from './lbfgs.ts';
import type { Encoded } from './likelihood.ts';
import { parallelLikelihood } from './parallel.ts';

/**
 * Fits a linear-chain CRF by maximum likelihood with an L2 penalty, minimised with L-BFGS. Weights
 * exist only for (feature, label) pairs seen together in the training data, which keeps the model
 * small; after training, weights near zero are pruned. Deterministic: the same data gives the same model.
 */
export interface TrainingOptions {
  /** L2 penalty coefficient. */
  l2: number;
  /** Features seen fewer times than this are dropped. */
  minFeatureCount: number;
  maxIterations: number;
  /** Weights whose magnitude is below this are dropped from the trained model. */
  pruneBelow: number;
  /** Threads computing the likelihood (the result does not depend on it); all cores by default, at most 4. */
  threads?: number;
  log?: (line: string) => void;
}

export const DEFAULT_TRAINING: TrainingOptions = { l2: 1, minFeatureCount: 2, maxIterations: 100, pruneBelow: 0.01 };

export async function trainCrf(data: readonly LabelledTokens[], options: TrainingOptions = DEFAULT_TRAINING): Promise<CrfModel> {
  const log = options.log ?? (() => {});
  const labels = [...new Set(data.flatMap((d) => d.labels))].sort();
  if (labels.length > 32) throw new Error('at most 32 labels are supported');
  const labelIndex = new Map(labels.map((label, i) => [label, i]));
  const L = labels.length;

  const featureLists = data.map((d) => featureNames(d.tokens));
  const counts = new Map<string, number>();
  for (const sequence of featureLists) for (const list of sequence) for (const f of list) counts.set(f, (counts.get(f) ?? 0) + 1);
  const features = new Map<string, number>();
  for (const [feature, count] of counts) if (count >= options.minFeatureCount) features.set(feature, features.size);
  counts.clear();

  // Which labels each feature was seen with (a bit mask), then one weight per (feature, label) seen.
  const masks = new Uint32Array(features.size);
  data.forEach((d, s) => {
    featureLists[s]!.forEach((list, t) => {
      const bit = 1 << labelIndex.get(d.labels[t]!)!;
      for (const f of list) {
        const id = features.get(f);
        if (id !== undefined) masks[id]! |= bit;
      }
    });
  });
  const offsets = new Uint32Array(features.size + 1);
  for (let f = 0; f < features.size; f++) offsets[f + 1] = offsets[f]! + popcount(masks[f]!);
  const P = offsets[features.size]!;
  const pairLabels = new Uint8Array(P);
  for (let f = 0; f < features.size; f++) {
    let p = offsets[f]!;
    for (let j = 0; j < L; j++) if (masks[f]! & (1 << j)) pairLabels[p++] = j;
  }

  const encoded = encodeCorpus(data, featureLists, features, labelIndex);
  featureLists.length = 0;
  const transitionsAt = P;
  const startAt = P + L * L;
  const endAt = startAt + L;
  const size = endAt + L;
  log(`labels: ${L}, features: ${features.size}, weights: ${size}, tokens: ${encoded.gold.length}, references: ${data.length}, threads: ${options.threads ?? 'auto'}`);

  const empirical = new Float64Array(size);
  for (let s = 0; s + 1 < encoded.sequenceStart.length; s++) {
    const first = encoded.sequenceStart[s]!;
    const stop = encoded.sequenceStart[s + 1]!;
    for (let t = first; t < stop; t++) {
      const y = encoded.gold[t]!;
      for (let k = encoded.tokenStart[t]!; k < encoded.tokenStart[t + 1]!; k++) {
        const f = encoded.featureIds[k]!;
        for (let p = offsets[f]!; p < offsets[f + 1]!; p++) if (pairLabels[p] === y) empirical[p]! += 1;
      }
      if (t > first) empirical[transitionsAt + encoded.gold[t - 1]! * L + y]! += 1;
    }
    empirical[startAt + encoded.gold[first]!]! += 1;
    empirical[endAt + encoded.gold[stop - 1]!]! += 1;
  }

  const layout = { L, offsets, pairLabels, transitionsAt, startAt, endAt };
  const likelihood = await parallelLikelihood(encoded, layout, size, options.threads);
  let evaluations = 0;
  // Negative log-likelihood = log Z − gold score (x · empirical counts), plus the L2 penalty.
  const objective = (x: Float64Array, gradient: Float64Array) => {
    evaluations++;
    let value = likelihood.evaluate(x, gradient);
    const l2 = options.l2;
    for (let k = 0; k < x.length; k++) {
      const w = x[k]!;
      value += (l2 / 2) * w * w - w * empirical[k]!;
      gradient[k]! += l2 * w - empirical[k]!;
    }
    return value;
  };
  const x = new Float64Array(size);
  const started = Date.now();
  let result: ReturnType<typeof minimise>;
  try {
    result = minimise(objective, x, {
      maxIterations: options.maxIterations,
      onIteration: (i, value, norm) => {
        if (i % 10 === 0) log(`iteration ${i}: loss ${value.toFixed(1)}, |gradient| ${norm.toFixed(2)}, ${((Date.now() - started) / 1000).toFixed(0)} s`);
      },
    });
  } finally {
    likelihood.close();
  }
  log(`stopped after ${result.iterations} iterations (${evaluations} evaluations, ${((Date.now() - started) / 1000).toFixed(0)} s), loss ${result.value.toFixed(1)}`);

  return prune({
    labels,
    features,
    offsets,
    pairLabels,
    weights: x.slice(0, P),
    transitions: x.slice(transitionsAt, startAt),
    start: x.slice(startAt, endAt),
    end: x.slice(endAt, size),
  }, options.pruneBelow);
}

function popcount(mask: number): number {
  let count = 0;
  for (let m = mask; m !== 0; m &= m - 1) count++;
  return count;
}

function encodeCorpus(data: readonly LabelledTokens[], featureLists: string[][][], features: Map<string, number>, labelIndex: Map<string, number>): Encoded {
  const tokenCount = data.reduce((sum, d) => sum + d.tokens.length, 0);
  const tokenStart = new Uint32Array(tokenCount + 1);
  const gold = new Uint8Array(tokenCount);
  const sequenceStart = new Uint32Array(data.length + 1);
  const ids: number[] = [];
  let t = 0;
  data.forEach((d, s) => {
    sequenceStart[s] = t;
    featureLists[s]!.forEach((list, i) => {
      tokenStart[t] = ids.length;
      for (const f of list) {
        const id = features.get(f);
        if (id !== undefined) ids.push(id);
      }
      gold[t] = labelIndex.get(d.labels[i]!)!;
      t++;
    });
  });
  sequenceStart[data.length] = t;
  tokenStart[t] = ids.length;
  return { tokenStart, featureIds: Uint32Array.from(ids), gold, sequenceStart };
}

/** Drops (feature, label) weights smaller than the threshold, and features left with none. */
export function prune(model: CrfModel, threshold: number): CrfModel {
  const features = new Map<string, number>();
  const offsets: number[] = [0];
  const pairLabels: number[] = [];
  const weights: number[] = [];
  for (const [feature, f] of model.features) {
    const before = pairLabels.length;
    for (let p = model.offsets[f]!; p < model.offsets[f + 1]!; p++) {
      if (Math.abs(model.weights[p]!) < threshold) continue;
      pairLabels.push(model.pairLabels[p]!);
      weights.push(model.weights[p]!);
    }
    if (pairLabels.length === before) continue;
    features.set(feature, features.size);
    offsets.push(pairLabels.length);
  }
  return {
    labels: model.labels,
    features,
    offsets: Uint32Array.from(offsets),
    pairLabels: Uint8Array.from(pairLabels),
    weights: Float64Array.from(weights),
    transitions: model.transitions,
    start: model.start,
    end: model.end,
  };
}
