import { readFileSync } from 'node:fs';
import type { CrfModel } from './crf.ts';

/**
 * The trained model as JSON: labels, transition weights and, per observation feature, its
 * (label index, weight) pairs. Weights are kept to three decimals to keep the file small; that moves
 * a few decisions (0.1 point of held-out token accuracy either way), so evaluation scores
 * the model as written.
 */
export const MODEL_FORMAT = 'revista-reference-crf/1';

export interface StoredModel {
  format: typeof MODEL_FORMAT;
  /** What the weights were learned from, for whoever opens the file. */
  trainedOn: string;
  labels: string[];
  transitions: number[];
  start: number[];
  end: number[];
  features: Record<string, number[]>;
}

const round = (w: number) => Math.round(w * 1000) / 1000;

export function serialiseModel(model: CrfModel, trainedOn: string): string {
  const features: Record<string, number[]> = {};
  for (const [feature, f] of model.features) {
    const pairs: number[] = [];
    for (let p = model.offsets[f]!; p < model.offsets[f + 1]!; p++) {
      const w = round(model.weights[p]!);
      if (w !== 0) pairs.push(model.pairLabels[p]!, w);
    }
    if (pairs.length > 0) features[feature] = pairs;
  }
  const stored: StoredModel = {
    format: MODEL_FORMAT,
    trainedOn,
    labels: model.labels,
    transitions: Array.from(model.transitions, round),
    start: Array.from(model.start, round),
    end: Array.from(model.end, round),
    features,
  };
  // One feature per line: the file diffs readably when the model is retrained.
  const lines = Object.entries(features).map(([name, pairs]) => `${JSON.stringify(name)}:${JSON.stringify(pairs)}`);
  const head = JSON.stringify({ ...stored, features: undefined }).slice(0, -1);
  return `${head},\n"features":{\n${lines.join(',\n')}\n}}\n`;
}

export function deserialiseModel(json: string): CrfModel {
  const stored = JSON.parse(json) as StoredModel;
  if (stored.format !== MODEL_FORMAT) throw new Error(`not a reference model (${String(stored.format)})`);
  const L = stored.labels.length;
  if (stored.transitions.length !== L * L || stored.start.length !== L || stored.end.length !== L) throw new Error('the reference model is damaged');
  const names = Object.keys(stored.features);
  const features = new Map<string, number>();
  const offsets = new Uint32Array(names.length + 1);
  let total = 0;
  for (const name of names) total += stored.features[name]!.length / 2;
  const pairLabels = new Uint8Array(total);
  const weights = new Float64Array(total);
  let p = 0;
  names.forEach((name, f) => {
    features.set(name, f);
    const pairs = stored.features[name]!;
    for (let k = 0; k < pairs.length; k += 2) {
      pairLabels[p] = pairs[k]!;
      weights[p] = pairs[k + 1]!;
      p++;
    }
    offsets[f + 1] = p;
  });
  return {
    labels: stored.labels,
    features,
    offsets,
    pairLabels,
    weights,
    transitions: Float64Array.from(stored.transitions),
    start: Float64Array.from(stored.start),
    end: Float64Array.from(stored.end),
  };
}

export const MODEL_FILE = new URL('./model/reference-crf.json', import.meta.url);

/** What a stored model says it was trained on. */
export function modelDescription(json: string): string {
  return String((JSON.parse(json) as Partial<StoredModel>).trainedOn ?? 'unknown');
}

let loaded: CrfModel | undefined;

/** The committed model, read once. */
export function referenceModel(): CrfModel {
  loaded ??= deserialiseModel(readFileSync(MODEL_FILE, 'utf8'));
  return loaded;
}
