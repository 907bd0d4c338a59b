/**
 * A linear-chain conditional random field: the score of a labelling is the sum of the weights of
 * (observation feature, label) pairs at each token, of (label, next label) transitions, and of the
 * first and last labels. Decoding finds the best-scoring labelling with the Viterbi algorithm.
 * Training (train.ts) fits the weights; this file is what a parse needs.
 */
export interface CrfModel {
  labels: string[];
  /** Observation feature → its index; feature f's (label, weight) pairs are pairs[offsets[f] … offsets[f+1]). */
  features: Map<string, number>;
  offsets: Uint32Array;
  pairLabels: Uint8Array;
  weights: Float64Array;
  /** transitions[from * L + to] */
  transitions: Float64Array;
  start: Float64Array;
  end: Float64Array;
}

/** Feature ids of each token; features the model has never seen are left out. */
export function encode(model: CrfModel, features: readonly string[][]): Int32Array[] {
  return features.map((list) => {
    const ids: number[] = [];
    for (const feature of list) {
      const id = model.features.get(feature);
      if (id !== undefined) ids.push(id);
    }
    return Int32Array.from(ids);
  });
}

/** Adds the weights of one feature, by its name, to a row of label scores. */
export function addFeature(model: CrfModel, feature: string, row: Float64Array, at: number): void {
  const f = model.features.get(feature);
  if (f === undefined) return;
  const { offsets, pairLabels, weights } = model;
  for (let p = offsets[f]!, stop = offsets[f + 1]!; p < stop; p++) row[at + pairLabels[p]!] += weights[p]!;
}

/** Per-token label scores from the observation features: scores[t * L + label]. */
export function emissionScores(model: CrfModel, encoded: readonly Int32Array[]): Float64Array {
  const L = model.labels.length;
  const scores = new Float64Array(encoded.length * L);
  const { offsets, pairLabels, weights } = model;
  for (let t = 0; t < encoded.length; t++) {
    const ids = encoded[t]!;
    const base = t * L;
    for (let k = 0; k < ids.length; k++) {
      const f = ids[k]!;
      for (let p = offsets[f]!, stop = offsets[f + 1]!; p < stop; p++) scores[base + pairLabels[p]!] += weights[p]!;
    }
  }
  return scores;
}

/** The best labelling (label indices), by dynamic programming over the token positions. */
export function viterbi(model: CrfModel, encoded: readonly Int32Array[]): number[] {
  return bestPath(model, emissionScores(model, encoded), encoded.length);
}

/** transitions transposed, [to * L + from]: the inner loop of bestPath then reads memory in order. */
const transposed = new WeakMap<CrfModel, Float64Array>();

function transitionsInto(model: CrfModel): Float64Array {
  let into = transposed.get(model);
  if (!into) {
    const L = model.labels.length;
    into = new Float64Array(L * L);
    for (let i = 0; i < L; i++) for (let j = 0; j < L; j++) into[j * L + i] = model.transitions[i * L + j]!;
    transposed.set(model, into);
  }
  return into;
}

/** Viterbi over given emission scores (scores[t * L + label]) for n tokens. */
export function bestPath(model: CrfModel, scores: Float64Array, n: number): number[] {
  if (n === 0) return [];
  const L = model.labels.length;
  const { start, end } = model;
  const into = transitionsInto(model);
  let best = new Float64Array(L);
  let next = new Float64Array(L);
  const back = new Uint8Array(n * L);
  for (let j = 0; j < L; j++) best[j] = start[j]! + scores[j]!;
  for (let t = 1; t < n; t++) {
    const base = t * L;
    for (let j = 0; j < L; j++) {
      let top = -Infinity;
      let arg = 0;
      const column = j * L;
      for (let i = 0; i < L; i++) {
        const value = best[i]! + into[column + i]!;
        if (value > top) {
          top = value;
          arg = i;
        }
      }
      next[j] = top + scores[base + j]!;
      back[base + j] = arg;
    }
    const swap = best;
    best = next;
    next = swap;
  }
  let last = 0;
  let top = -Infinity;
  for (let j = 0; j < L; j++) {
    const value = best[j]! + end[j]!;
    if (value > top) {
      top = value;
      last = j;
    }
  }
  const path = new Array<number>(n);
  path[n - 1] = last;
  for (let t = n - 1; t > 0; t--) path[t - 1] = back[t * L + path[t]!]!;
  return path;
}
