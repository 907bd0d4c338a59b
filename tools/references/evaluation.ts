import type { CrfModel } from '../../src/references/crf.ts';
import { rawText, toTokens, type LabelledReference } from './dataset.ts';
import { labelTokens } from '../../src/references/labeller.ts';

/**
 * How well a model labels references it was not trained on: the share of tokens labelled right,
 * the share of references with every token right, and per field precision, recall and F1 over
 * tokens (a token counts for the field it is labelled with and the field it should have).
 */
export interface FieldScore {
  label: string;
  precision: number;
  recall: number;
  f1: number;
  /** Tokens that carry this label in the gold data. */
  support: number;
}

export interface Evaluation {
  references: number;
  tokens: number;
  tokenAccuracy: number;
  sequenceAccuracy: number;
  fields: FieldScore[];
}

export function evaluate(model: CrfModel, references: readonly LabelledReference[]): Evaluation {
  let tokens = 0;
  let right = 0;
  let whole = 0;
  const predicted = new Map<string, number>();
  const gold = new Map<string, number>();
  const correct = new Map<string, number>();
  const add = (map: Map<string, number>, label: string) => map.set(label, (map.get(label) ?? 0) + 1);
  for (const reference of references) {
    const expected = toTokens(reference);
    const labels = labelTokens(model, expected.tokens);
    let allRight = true;
    labels.forEach((label, i) => {
      const want = expected.labels[i]!;
      tokens++;
      add(predicted, label);
      add(gold, want);
      if (label === want) {
        right++;
        add(correct, label);
      } else allRight = false;
    });
    if (allRight) whole++;
  }
  const labels = [...new Set([...gold.keys(), ...predicted.keys()])].sort();
  const fields = labels.map((label) => {
    const c = correct.get(label) ?? 0;
    const p = predicted.get(label) ?? 0;
    const g = gold.get(label) ?? 0;
    const precision = p === 0 ? 0 : c / p;
    const recall = g === 0 ? 0 : c / g;
    return { label, precision, recall, f1: precision + recall === 0 ? 0 : (2 * precision * recall) / (precision + recall), support: g };
  });
  return { references: references.length, tokens, tokenAccuracy: tokens === 0 ? 0 : right / tokens, sequenceAccuracy: references.length === 0 ? 0 : whole / references.length, fields };
}

/** The raw texts of labelled references, as a parser would be given them. */
export function rawTexts(references: readonly LabelledReference[]): string[] {
  return references.map(rawText);
}
