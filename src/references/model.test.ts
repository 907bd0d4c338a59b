import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { bestPath, encode, viterbi, type CrfModel } from './crf.ts';
import { featureNames } from './features.ts';
import { labelTokens } from './labeller.ts';
import { deserialiseModel, MODEL_FILE, modelDescription, serialiseModel } from './model.ts';
import { tokenize } from './tokens.ts';

const SAMPLES = [
  'Kowalski J., Dyplomacja publiczna, Warszawa: Wydawnictwo Naukowe PWN, 2019.',
  'Aliyev N., Russia’s arms sales, “Eurasia Daily Monitor”, vol. 15, issue: 47, 28 III 2018 [accessed: 15 V 2021]: <>.',
  'Smith, J. A., & Jones, B. (2010). The growth of cities. Journal of Urban Studies, 12(3), 45–67. https://doi.org/10.1000/xyz123',
  'Иванов И.И. Внешняя политика России // Вестник МГИМО. 2019. № 3. С. 12–15.',
];

describe('the committed model', () => {
  it('is in the repository, says what it was trained on, and loads quickly', () => {
    assert.ok(existsSync(MODEL_FILE), 'src/references/model/reference-crf.json is missing: run npm run train:references');
    assert.ok(existsSync(new URL('./model/ANYSTYLE-LICENSE', import.meta.url)), 'the training data’s licence travels with the model');
    const json = readFileSync(MODEL_FILE, 'utf8');
    assert.match(modelDescription(json), /core\.xml.*good\.xml.*held out|never trained on/);
    const started = performance.now();
    const model = deserialiseModel(json);
    const took = performance.now() - started;
    // Generous: about 0.1 s on an idle machine; a start-up cost, not a per-parse one.
    assert.ok(took < 3000, `loading took ${took.toFixed(0)} ms`);
    assert.ok(model.labels.includes('author') && model.labels.includes('title') && model.features.size > 1000);
  });

  it('labels references the way its features add up (the fast labeller equals the plain sum)', () => {
    const model = deserialiseModel(readFileSync(MODEL_FILE, 'utf8'));
    for (const text of SAMPLES) {
      const tokens = tokenize(text).map((token) => token.text);
      const plain = viterbi(model, encode(model, featureNames(tokens))).map((index) => model.labels[index]);
      assert.deepEqual(labelTokens(model, tokens), plain, text);
    }
    const labels = labelTokens(model, tokenize(SAMPLES[0]!).map((token) => token.text));
    assert.equal(labels[0], 'author');
    assert.equal(labels.at(-1), 'date');
  });

  it('a model survives writing and reading', () => {
    const model = deserialiseModel(readFileSync(MODEL_FILE, 'utf8'));
    const again = deserialiseModel(serialiseModel(model, 'test'));
    for (const text of SAMPLES) {
      const tokens = tokenize(text).map((token) => token.text);
      assert.deepEqual(labelTokens(again, tokens), labelTokens(model, tokens));
    }
  });
});

/** Viterbi the plain way: every previous label tried for every label; ties to the lowest index. */
function plainBestPath(model: CrfModel, scores: Float64Array, n: number): number[] {
  const L = model.labels.length;
  let best = Array.from({ length: L }, (_, j) => model.start[j]! + scores[j]!);
  const back: number[][] = [];
  for (let t = 1; t < n; t++) {
    const from: number[] = [];
    const next: number[] = [];
    for (let j = 0; j < L; j++) {
      let top = -Infinity;
      let arg = 0;
      for (let i = 0; i < L; i++) {
        const value = best[i]! + model.transitions[i * L + j]!;
        if (value > top) [top, arg] = [value, i];
      }
      from.push(arg);
      next.push(top + scores[t * L + j]!);
    }
    back.push(from);
    best = next;
  }
  let last = 0;
  for (let j = 1; j < L; j++) if (best[j]! + model.end[j]! > best[last]! + model.end[last]!) last = j;
  const path = [last];
  for (let t = n - 1; t > 0; t--) path.unshift(back[t - 1]![path[0]!]!);
  return path;
}

describe('decoding', () => {
  it('finds the same best labelling as trying every label at every token, ties included', () => {
    let seed = 7;
    const random = () => ((seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) / 2 ** 32);
    for (const L of [1, 2, 3, 4, 5, 23]) {
      for (let round = 0; round < 60; round++) {
        // Whole numbers in a small range make ties common; every third model has wide transitions.
        const spread = round % 3 === 0 ? 20 : 3;
        const whole = () => Math.floor(random() * (2 * spread + 1)) - spread;
        const model: CrfModel = {
          labels: Array.from({ length: L }, (_, i) => `l${i}`),
          features: new Map(), offsets: new Uint32Array(1), pairLabels: new Uint8Array(0), weights: new Float64Array(0),
          transitions: Float64Array.from({ length: L * L }, whole),
          start: Float64Array.from({ length: L }, whole),
          end: Float64Array.from({ length: L }, whole),
        };
        const n = 1 + Math.floor(random() * 30);
        const scores = Float64Array.from({ length: n * L }, round % 2 ? whole : () => random() * 10);
        assert.deepEqual(bestPath(model, scores, n), plainBestPath(model, scores, n), `L=${L} round ${round}`);
      }
    }
  });
});
