/**
 * `npm run eval:references`: trains the reference labeller as `npm run train:references` does
 * (tools/references/training/recipe.ts) and measures it on the held-out fifth of AnyStyle's good.xml,
 * which no model is ever trained on: token accuracy, sequence accuracy, per-field precision, recall
 * and F1, and parse speed on one core (the whole parseReference: labels, CSL-JSON, checks).
 * Writes the figures to bench/results/references-eval.json as well.
 *
 *   --committed      measure the committed model instead of training one (seconds instead of minutes)
 *   --train core     train on AnyStyle core.xml alone (default: the shipped model's recipe)
 *   --iterations N   stop training after N L-BFGS iterations
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { evaluate, rawTexts } from '../tools/references/evaluation.ts';
import { deserialiseModel, MODEL_FILE, modelDescription, serialiseModel } from '../src/references/model.ts';
import { recipe, trainOn, type TrainingSet } from '../tools/references/training/recipe.ts';
import { measureParseSpeed, speedLines } from './reference-speed.ts';

const args = process.argv.slice(2);
const value = (name: string) => {
  const at = args.indexOf(`--${name}`);
  return at < 0 ? undefined : args[at + 1];
};
const committed = args.includes('--committed');
const set = (value('train') ?? 'all') as TrainingSet;
if (set !== 'all' && set !== 'core') {
  console.error('eval:references: --train is all or core');
  process.exit(2);
}
const iterations = value('iterations') === undefined ? undefined : Number(value('iterations'));
if (iterations !== undefined && !(Number.isInteger(iterations) && iterations > 0)) {
  console.error('eval:references: --iterations needs a positive whole number');
  process.exit(2);
}

const started = performance.now();
const { corpus, train, description } = recipe(set);
let model;
let trainedOn: string;
let trainingSeconds: number | undefined;
if (committed) {
  const loadStart = performance.now();
  const json = readFileSync(MODEL_FILE, 'utf8');
  model = deserialiseModel(json);
  trainedOn = `the committed model (${modelDescription(json)}), read and loaded in ${(performance.now() - loadStart).toFixed(0)} ms`;
} else {
  console.log(`training on ${description}`);
  const trainStart = performance.now();
  const trained = await trainOn(train, { ...(iterations ? { maxIterations: iterations } : {}), log: (line) => console.log(`  ${line}`) });
  trainingSeconds = (performance.now() - trainStart) / 1000;
  // Measured as it would be shipped: written (weights to three decimals) and read back.
  const stored = serialiseModel(trained, description);
  model = deserialiseModel(stored);
  trainedOn = description;
  if (set === 'all' && iterations === undefined) {
    console.log(`identical to the committed model: ${stored === readFileSync(MODEL_FILE, 'utf8') ? 'yes' : 'no (run npm run train:references)'}`);
  }
}

const result = evaluate(model, corpus.heldOut);
const pct = (x: number) => (x * 100).toFixed(2).padStart(6);
console.log('');
console.log(`model: ${trainedOn}`);
console.log(`held out: ${result.references} references of good.xml, ${result.tokens} tokens`);
console.log(`token accuracy:    ${result.tokenAccuracy.toFixed(4)}   (target ≥ 0.97)`);
console.log(`sequence accuracy: ${result.sequenceAccuracy.toFixed(4)}   (every token of the reference right)`);
console.log('');
console.log('field              precision  recall      F1   tokens');
for (const field of result.fields) {
  if (field.support === 0 && field.precision === 0) continue;
  console.log(`${field.label.padEnd(18)} ${pct(field.precision)}%  ${pct(field.recall)}%  ${pct(field.f1)}%  ${String(field.support).padStart(6)}`);
}

// Parse speed, in a process of its own on one CPU (scripts/reference-speed.ts): the held-out
// references through the whole parse, cold and then after warming up.
const speed = measureParseSpeed(serialiseModel(model, trainedOn), rawTexts(corpus.heldOut));
console.log('');
for (const line of speedLines(speed)) console.log(line);
console.log(`total ${((performance.now() - started) / 1000).toFixed(0)} s${trainingSeconds === undefined ? '' : `, of which training ${trainingSeconds.toFixed(0)} s`}`);

mkdirSync(new URL('../bench/results/', import.meta.url), { recursive: true });
writeFileSync(
  new URL('../bench/results/references-eval.json', import.meta.url),
  `${JSON.stringify({ date: new Date().toISOString(), model: trainedOn, trainingSeconds, ...result, speed }, null, 2)}\n`,
);
