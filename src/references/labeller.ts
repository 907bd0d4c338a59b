import { bestPath, type CrfModel } from './crf.ts';
import { describeNeighbour, describePositions, describeToken, NEIGHBOURS, type Emit } from './features.ts';

/**
 * Labels the tokens of one reference with the CRF. A label's score at a token is the sum of the
 * weights of the token's features (features.ts). Most of those depend only on the token's own text
 * or a neighbour's text, so their sums are worked out once per distinct token text and kept in a
 * bounded two-generation cache: bibliographies repeat words, years and punctuation all the time.
 * The result equals summing featureNames(tokens) one by one (labeller.test.ts checks that).
 */

/** Row slots of a cached token: its own features, then its contribution as a neighbour at each offset. */
const SLOTS = 1 + NEIGHBOURS.length;
/** Distinct tokens per generation: two generations of rows take at most about 10 MB. */
const GENERATION_SIZE = 12_000;

interface Lookup {
  /** kind → value → feature index; saves building a "kind=value" string per feature. */
  byKind: Map<string, Map<string, number>>;
  recent: Map<string, Float32Array>;
  older: Map<string, Float32Array>;
  /**
   * Positional features (describePositions) are few and repeat in every reference: kind → value →
   * the feature's weights as a dense row of L (zero where it has none; adding zero changes nothing,
   * and each label gets the same additions in the same order), or null for a feature the model lacks.
   */
  positional: Map<string, Map<string, Float64Array | null>>;
}

const lookups = new WeakMap<CrfModel, Lookup>();

function lookupFor(model: CrfModel): Lookup {
  let lookup = lookups.get(model);
  if (lookup) return lookup;
  const byKind = new Map<string, Map<string, number>>();
  for (const [name, f] of model.features) {
    const cut = name.indexOf('=');
    const kind = name.slice(0, cut);
    let values = byKind.get(kind);
    if (!values) byKind.set(kind, (values = new Map()));
    values.set(name.slice(cut + 1), f);
  }
  lookup = { byKind, recent: new Map(), older: new Map(), positional: new Map() };
  lookups.set(model, lookup);
  return lookup;
}

/** An emit that adds each known feature's weights to row[slot + label]; set `slot` between calls. */
function adder(model: CrfModel, byKind: Lookup['byKind'], row: Float32Array): { emit: Emit; slot: number } {
  const { offsets, pairLabels, weights } = model;
  const target = {
    slot: 0,
    emit: (kind: string, value: string) => {
      const f = byKind.get(kind)?.get(value);
      if (f === undefined) return;
      const base = target.slot;
      for (let p = offsets[f]!, stop = offsets[f + 1]!; p < stop; p++) row[base + pairLabels[p]!] += weights[p]!;
    },
  };
  return target;
}

function tokenRows(model: CrfModel, lookup: Lookup, token: string): Float32Array {
  let rows = lookup.recent.get(token);
  if (rows) return rows;
  rows = lookup.older.get(token);
  if (!rows) {
    const L = model.labels.length;
    const made = new Float32Array(SLOTS * L);
    const target = adder(model, lookup.byKind, made);
    const view = describeToken(token, target.emit);
    for (let k = 0; k < NEIGHBOURS.length; k++) {
      target.slot = (k + 1) * L;
      describeNeighbour(view, NEIGHBOURS[k]!, target.emit);
    }
    rows = made;
  }
  if (lookup.recent.size >= GENERATION_SIZE) {
    lookup.older = lookup.recent;
    lookup.recent = new Map();
  }
  lookup.recent.set(token, rows);
  return rows;
}

/** Label scores of every token: scores[t * L + label]. */
export function tokenScores(model: CrfModel, tokens: readonly string[]): Float64Array {
  const lookup = lookupFor(model);
  const L = model.labels.length;
  const n = tokens.length;
  const scores = new Float64Array(n * L);
  const rows = tokens.map((token) => tokenRows(model, lookup, token));
  for (let i = 0; i < n; i++) {
    const at = i * L;
    const own = rows[i]!;
    for (let j = 0; j < L; j++) scores[at + j] = own[j]!;
    for (let k = 0; k < NEIGHBOURS.length; k++) {
      // The token at i + offset describes token i through its slot for that offset.
      const neighbour = rows[i + NEIGHBOURS[k]!];
      if (!neighbour) continue;
      const slot = (k + 1) * L;
      for (let j = 0; j < L; j++) scores[at + j]! += neighbour[slot + j]!;
    }
  }
  const { positional } = lookup;
  describePositions(tokens, (i, kind, value) => {
    let values = positional.get(kind);
    if (!values) positional.set(kind, (values = new Map()));
    let row = values.get(value);
    if (row === undefined) values.set(value, (row = denseRow(model, lookup.byKind.get(kind)?.get(value))));
    if (row === null) return;
    const at = i * L;
    for (let j = 0; j < L; j++) scores[at + j]! += row[j]!;
  });
  return scores;
}

/** Feature f's weights by label, zero where it has none; null when there is no such feature. */
function denseRow(model: CrfModel, f: number | undefined): Float64Array | null {
  if (f === undefined) return null;
  const { offsets, pairLabels, weights } = model;
  const row = new Float64Array(model.labels.length);
  for (let p = offsets[f]!, stop = offsets[f + 1]!; p < stop; p++) row[pairLabels[p]!] = weights[p]!;
  return row;
}

/** The most likely label of each token. */
export function labelTokens(model: CrfModel, tokens: readonly string[]): string[] {
  return bestPath(model, tokenScores(model, tokens), tokens.length).map((index) => model.labels[index]!);
}
