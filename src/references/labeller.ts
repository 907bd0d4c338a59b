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
  lookup = { byKind, recent: new Map(), older: new Map() };
  lookups.set(model, lookup);
  return lookup;
}

/** An emit that adds each known feature's weights to row[at + label]. */
function adder(model: CrfModel, byKind: Lookup['byKind'], row: Float32Array | Float64Array, at: () => number): Emit {
  const { offsets, pairLabels, weights } = model;
  return (kind, value) => {
    const f = byKind.get(kind)?.get(value);
    if (f === undefined) return;
    const base = at();
    for (let p = offsets[f]!, stop = offsets[f + 1]!; p < stop; p++) row[base + pairLabels[p]!] += weights[p]!;
  };
}

function tokenRows(model: CrfModel, lookup: Lookup, token: string): Float32Array {
  let rows = lookup.recent.get(token);
  if (rows) return rows;
  rows = lookup.older.get(token);
  if (!rows) {
    const L = model.labels.length;
    const made = new Float32Array(SLOTS * L);
    let slot = 0;
    const emit = adder(model, lookup.byKind, made, () => slot);
    const view = describeToken(token, emit);
    NEIGHBOURS.forEach((offset, k) => {
      slot = (k + 1) * L;
      describeNeighbour(view, offset, emit);
    });
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
  let position = 0;
  const emit = adder(model, lookup.byKind, scores, () => position * L);
  describePositions(tokens, (i, kind, value) => {
    position = i;
    emit(kind, value);
  });
  return scores;
}

/** The most likely label of each token. */
export function labelTokens(model: CrfModel, tokens: readonly string[]): string[] {
  return bestPath(model, tokenScores(model, tokens), tokens.length).map((index) => model.labels[index]!);
}
