import { bestPath, type CrfModel } from './crf.ts';
import { describeNeighbour, describePositions, describeToken, NEIGHBOURS, POSITIONAL_FEATURES, positionFacts, type Emit } from './features.ts';

/**
 * Labels the tokens of one reference with the CRF. A label's score at a token is the sum of the
 * weights of the token's features (features.ts). Most of those depend only on the token's own text
 * or a neighbour's text, so their sums are worked out once per distinct token text and kept in a
 * bounded two-generation cache: bibliographies repeat words, years and punctuation all the time.
 * The features of a token's place (describePositions) are summed once per distinct set of them.
 * The labels are those of summing featureNames(tokens) one by one (model.test.ts checks that; the
 * sums differ only in rounding, from the order of the additions).
 */

/**
 * Row slots of a cached token: its own features, then its contribution as a neighbour at each
 * offset of NEIGHBOURS, which tokenScores expects to be -2, -1, 1, 2. After them, one number: the
 * token's positionFacts (a small whole number, exact in a Float32Array).
 */
const SLOTS = 1 + NEIGHBOURS.length;
if (NEIGHBOURS.join() !== '-2,-1,1,2') throw new Error('labeller.ts sums the neighbours at -2, -1, 1 and 2');
/** Distinct tokens per generation: two generations of rows take at most about 10 MB. */
const GENERATION_SIZE = 12_000;
/** Distinct sets of positional features kept (a few thousand occur); beyond it the set starts afresh. */
const PLACES_SIZE = 50_000;

interface Lookup {
  /** kind → value → feature index; saves building a "kind=value" string per feature. */
  byKind: Map<string, Map<string, number>>;
  recent: Map<string, Float32Array>;
  older: Map<string, Float32Array>;
  /**
   * Positional features (describePositions) are few and repeat in every reference: by number, the
   * feature's weights as a dense row of L (zero where it has none), or null for a feature the model lacks.
   */
  positional: (Float64Array | null)[];
  /** The sets of positional features met, by a hash of their numbers, and how many there are. */
  places: Map<number, Place[]>;
  placeCount: number;
  /** The rows of a token that is not there (before the first, after the last). */
  none: Float32Array;
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
  const positional = POSITIONAL_FEATURES.map(([kind, value]) => denseRow(model, byKind.get(kind)?.get(value)));
  lookup = { byKind, recent: new Map(), older: new Map(), positional, places: new Map(), placeCount: 0, none: new Float32Array(SLOTS * model.labels.length) };
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
    const made = new Float32Array(SLOTS * L + 1);
    made[SLOTS * L] = positionFacts(token);
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
  const rows = tokens.map((token) => tokenRows(model, lookup, token));
  const places = placeRows(lookup, L, tokens, rows.map((row) => row[SLOTS * L]!));
  const { none } = lookup;
  const scores = new Float64Array(n * L);
  for (let i = 0; i < n; i++) {
    // The token at i + offset describes token i through its slot for that offset; a missing
    // neighbour adds zeros. Each score is summed in a local, in a fixed order: own row, the
    // neighbours from left to right, the place.
    const own = rows[i]!;
    const a = i >= 2 ? rows[i - 2]! : none;
    const b = i >= 1 ? rows[i - 1]! : none;
    const c = i + 1 < n ? rows[i + 1]! : none;
    const d = i + 2 < n ? rows[i + 2]! : none;
    const place = places[i]!;
    const at = i * L;
    for (let j = 0; j < L; j++) {
      scores[at + j] = own[j]! + a[L + j]! + b[2 * L + j]! + c[3 * L + j]! + d[4 * L + j]! + place[j]!;
    }
  }
  return scores;
}

/**
 * The positional features of each token (describePositions emits them token by token) as one row:
 * the sum of their rows, kept by a hash of the features' numbers (and checked against them).
 */
function placeRows(lookup: Lookup, L: number, tokens: readonly string[], facts: readonly number[]): Float64Array[] {
  const { positional, places } = lookup;
  const found = new Array<Float64Array>(tokens.length);
  const features = new Uint8Array(POSITIONAL_FEATURES.length);
  let count = 0;
  let hash = 0;
  let current = -1;
  const flush = () => {
    if (lookup.placeCount >= PLACES_SIZE) {
      places.clear();
      lookup.placeCount = 0;
    }
    const bucket = places.get(hash);
    let place: Place | undefined;
    if (bucket) for (const known of bucket) if (sameFeatures(known.features, features, count)) place = known;
    if (place === undefined) {
      const row = new Float64Array(L);
      for (let k = 0; k < count; k++) {
        const weights = positional[features[k]!];
        if (weights) for (let j = 0; j < L; j++) row[j]! += weights[j]!;
      }
      place = { features: features.slice(0, count), row };
      if (bucket) bucket.push(place);
      else places.set(hash, [place]);
      lookup.placeCount++;
    }
    found[current] = place.row;
  };
  describePositions(tokens, (i, feature) => {
    if (i !== current) {
      if (current >= 0) flush();
      current = i;
      count = 0;
      hash = 0;
    }
    features[count++] = feature;
    // Kept to 30 bits: a small integer, which a Map hashes fastest.
    hash = (Math.imul(hash, 0x9e3779b1) + feature + 1) & 0x3fffffff;
  }, facts);
  if (current >= 0) flush();
  return found;
}

/** A set of positional features met, by number, and the sum of their rows. */
interface Place {
  features: Uint8Array;
  row: Float64Array;
}

function sameFeatures(known: Uint8Array, features: Uint8Array, count: number): boolean {
  if (known.length !== count) return false;
  for (let k = 0; k < count; k++) if (known[k] !== features[k]) return false;
  return true;
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
