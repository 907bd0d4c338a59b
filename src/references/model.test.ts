import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { encode, viterbi } from './crf.ts';
import { toTokens } from './dataset.ts';
import { featureNames } from './features.ts';
import { labelTokens } from './labeller.ts';
import { deserialiseModel, MODEL_FILE, modelDescription, serialiseModel } from './model.ts';
import { tokenize } from './tokens.ts';
import { trainCrf } from './train.ts';
import { syntheticReferences } from './training/synthetic.ts';

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

describe('training', () => {
  it('is deterministic, whether the likelihood runs on one thread or in worker threads', async () => {
    const data = syntheticReferences(60, 42).map(toTokens);
    const options = { l2: 1, minFeatureCount: 1, maxIterations: 8, pruneBelow: 0.01 };
    const single = await trainCrf(data, { ...options, threads: 1 });
    const threaded = await trainCrf(data, { ...options, threads: 2 });
    assert.equal(serialiseModel(threaded, 'x'), serialiseModel(single, 'x'));
    // It learned something: most training tokens get their label back.
    let right = 0;
    let total = 0;
    for (const sequence of data) {
      labelTokens(single, sequence.tokens).forEach((label, i) => {
        total++;
        if (label === sequence.labels[i]) right++;
      });
    }
    assert.ok(right / total > 0.8, `${right}/${total}`);
  });
});
