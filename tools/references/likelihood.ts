/**
 * The log partition function of a CRF over a range of training sequences and the expected feature
 * counts, by scaled forward-backward. train.ts adds the gold scores and the L2 penalty; the ranges
 * are worked on in parallel (train-worker.ts), each into its own gradient array.
 */

/** The training corpus as arrays, shareable with worker threads. */
export interface Encoded {
  /** Token t of the whole corpus has features featureIds[tokenStart[t] … tokenStart[t+1]). */
  tokenStart: Uint32Array;
  featureIds: Uint32Array;
  gold: Uint8Array;
  /** Sequence s covers tokens sequenceStart[s] … sequenceStart[s+1]. */
  sequenceStart: Uint32Array;
}

/** Where the parameters live in the weight vector: pairs, then L×L transitions, then start and end weights. */
export interface Layout {
  L: number;
  offsets: Uint32Array;
  pairLabels: Uint8Array;
  transitionsAt: number;
  startAt: number;
  endAt: number;
}

/** (x, gradient) → log Z summed over sequences [from, to); the gradient (zeroed first) gets the expected counts. */
export function rangeLikelihood(corpus: Encoded, layout: Layout, from: number, to: number): (x: Float64Array, gradient: Float64Array) => number {
  const { L, offsets, pairLabels, transitionsAt, startAt, endAt } = layout;
  let longest = 1;
  for (let s = from; s < to; s++) longest = Math.max(longest, corpus.sequenceStart[s + 1]! - corpus.sequenceStart[s]!);
  const emit = new Float64Array(longest * L);
  const alpha = new Float64Array(longest * L);
  const beta = new Float64Array(longest * L);
  const scale = new Float64Array(longest);
  const expTrans = new Float64Array(L * L);
  /** expTrans transposed: column j of the transitions is contiguous. */
  const expTransT = new Float64Array(L * L);
  const transCounts = new Float64Array(L * L);
  const weighted = new Float64Array(L);
  const expStart = new Float64Array(L);
  const expEnd = new Float64Array(L);
  const { tokenStart, featureIds, sequenceStart } = corpus;

  return (x: Float64Array, gradient: Float64Array): number => {
    gradient.fill(0);
    transCounts.fill(0);
    for (let i = 0; i < L; i++) {
      for (let j = 0; j < L; j++) {
        const value = Math.exp(x[transitionsAt + i * L + j]!);
        expTrans[i * L + j] = value;
        expTransT[j * L + i] = value;
      }
      expStart[i] = Math.exp(x[startAt + i]!);
      expEnd[i] = Math.exp(x[endAt + i]!);
    }
    let logZ = 0;
    for (let s = from; s < to; s++) {
      const first = sequenceStart[s]!;
      const n = sequenceStart[s + 1]! - first;
      // Emission scores, shifted by their maximum per token and exponentiated.
      for (let t = 0; t < n; t++) {
        const token = first + t;
        const base = t * L;
        for (let j = 0; j < L; j++) emit[base + j] = 0;
        for (let k = tokenStart[token]!, stop = tokenStart[token + 1]!; k < stop; k++) {
          const f = featureIds[k]!;
          for (let p = offsets[f]!, last = offsets[f + 1]!; p < last; p++) emit[base + pairLabels[p]!]! += x[p]!;
        }
        let max = -Infinity;
        for (let j = 0; j < L; j++) if (emit[base + j]! > max) max = emit[base + j]!;
        logZ += max;
        for (let j = 0; j < L; j++) emit[base + j] = Math.exp(emit[base + j]! - max);
      }
      // Forward, each step normalised to sum 1 (the scale factors multiply to Z).
      let sum = 0;
      for (let j = 0; j < L; j++) sum += alpha[j] = expStart[j]! * emit[j]!;
      scale[0] = sum;
      for (let j = 0; j < L; j++) alpha[j]! /= sum;
      for (let t = 1; t < n; t++) {
        const base = t * L;
        const previous = base - L;
        sum = 0;
        for (let j = 0; j < L; j++) {
          let total = 0;
          const column = j * L;
          for (let i = 0; i < L; i++) total += alpha[previous + i]! * expTransT[column + i]!;
          sum += alpha[base + j] = total * emit[base + j]!;
        }
        scale[t] = sum;
        const inverse = 1 / sum;
        for (let j = 0; j < L; j++) alpha[base + j]! *= inverse;
      }
      const lastBase = (n - 1) * L;
      let endSum = 0;
      for (let j = 0; j < L; j++) endSum += alpha[lastBase + j]! * expEnd[j]!;
      logZ += Math.log(endSum);
      for (let t = 0; t < n; t++) logZ += Math.log(scale[t]!);
      // Backward with the same scale factors.
      for (let j = 0; j < L; j++) beta[lastBase + j] = expEnd[j]! / endSum;
      for (let t = n - 2; t >= 0; t--) {
        const base = t * L;
        const nextBase = base + L;
        const inverse = 1 / scale[t + 1]!;
        for (let j = 0; j < L; j++) weighted[j] = emit[nextBase + j]! * beta[nextBase + j]! * inverse;
        for (let i = 0; i < L; i++) {
          let total = 0;
          const row = i * L;
          for (let j = 0; j < L; j++) total += expTrans[row + j]! * weighted[j]!;
          beta[base + i] = total;
        }
      }
      // Expected counts: state pairs from the marginals, transitions from the pairwise marginals.
      for (let t = 0; t < n; t++) {
        const token = first + t;
        const base = t * L;
        for (let k = tokenStart[token]!, stop = tokenStart[token + 1]!; k < stop; k++) {
          const f = featureIds[k]!;
          for (let p = offsets[f]!, last = offsets[f + 1]!; p < last; p++) {
            const j = pairLabels[p]!;
            gradient[p]! += alpha[base + j]! * beta[base + j]!;
          }
        }
        if (t > 0) {
          const previous = base - L;
          const inverse = 1 / scale[t]!;
          for (let j = 0; j < L; j++) weighted[j] = emit[base + j]! * beta[base + j]! * inverse;
          for (let i = 0; i < L; i++) {
            const a = alpha[previous + i]!;
            if (a < 1e-300) continue;
            const row = i * L;
            for (let j = 0; j < L; j++) transCounts[row + j]! += a * expTrans[row + j]! * weighted[j]!;
          }
        }
      }
      for (let j = 0; j < L; j++) {
        gradient[startAt + j]! += alpha[j]! * beta[j]!;
        gradient[endAt + j]! += alpha[lastBase + j]! * beta[lastBase + j]!;
      }
    }
    for (let k = 0; k < L * L; k++) gradient[transitionsAt + k]! += transCounts[k]!;
    return logZ;
  };
}
