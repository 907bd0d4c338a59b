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

/**
 * What Viterbi needs of a model beyond its weights: the transitions transposed, [to * L + from], so
 * the inner loop reads memory in order, and the best transition into each label.
 */
interface Decoder {
  into: Float64Array;
  bestInto: Float64Array;
}

const decoders = new WeakMap<CrfModel, Decoder>();

function decoderFor(model: CrfModel): Decoder {
  let decoder = decoders.get(model);
  if (!decoder) {
    const L = model.labels.length;
    const into = new Float64Array(L * L);
    const bestInto = new Float64Array(L).fill(-Infinity);
    for (let i = 0; i < L; i++) {
      for (let j = 0; j < L; j++) {
        const weight = model.transitions[i * L + j]!;
        into[j * L + i] = weight;
        if (weight > bestInto[j]!) bestInto[j] = weight;
      }
    }
    decoder = { into, bestInto };
    decoders.set(model, decoder);
  }
  return decoder;
}

/**
 * Viterbi over given emission scores (scores[t * L + label]) for n tokens. At each token the
 * three best previous labels are tried first; the others only when the fourth best, even with the
 * best transition into this label, could still reach the score found. At most tokens a few labels
 * lead by far, so that is rare. The answer is the same as trying all L, ties included: they go to
 * the lowest label index, as in a plain scan.
 */
export function bestPath(model: CrfModel, scores: Float64Array, n: number): number[] {
  if (n === 0) return [];
  const L = model.labels.length;
  const { start, end } = model;
  const { into, bestInto } = decoderFor(model);
  let best = new Float64Array(L);
  let next = new Float64Array(L);
  const back = new Uint8Array(n * L);
  for (let j = 0; j < L; j++) best[j] = start[j]! + scores[j]!;
  for (let t = 1; t < n; t++) {
    // The three best previous labels (a, b, c: scores sa ≥ sb ≥ sc, the lower index first among
    // equals) and the fourth best score, sd. With three labels or fewer, all are among a, b, c.
    let a = 0;
    let b = 0;
    let c = 0;
    let sa = best[0]!;
    let sb = -Infinity;
    let sc = -Infinity;
    let sd = -Infinity;
    for (let i = 1; i < L; i++) {
      const score = best[i]!;
      if (score > sa) {
        sd = sc; c = b; sc = sb; b = a; sb = sa; a = i; sa = score;
      } else if (score > sb) {
        sd = sc; c = b; sc = sb; b = i; sb = score;
      } else if (score > sc) {
        sd = sc; c = i; sc = score;
      } else if (score > sd) sd = score;
    }
    const base = t * L;
    for (let j = 0; j < L; j++) {
      const column = j * L;
      let top = sa + into[column + a]!;
      let arg = a;
      let value = sb + into[column + b]!;
      if (value > top || (value === top && b < arg)) {
        top = value;
        arg = b;
      }
      value = sc + into[column + c]!;
      if (value > top || (value === top && c < arg)) {
        top = value;
        arg = c;
      }
      if (!(sd + bestInto[j]! < top)) {
        for (let i = 0; i < L; i++) {
          value = best[i]! + into[column + i]!;
          if (value > top || (value === top && i < arg)) {
            top = value;
            arg = i;
          }
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
