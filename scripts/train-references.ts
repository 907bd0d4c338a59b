/**
 * `npm run train:references`: trains the reference labeller and writes the committed model,
 * src/references/model/reference-crf.json (see tools/references/training/recipe.ts for what it is
 * trained on). Deterministic: the same data and code give the same file.
 *
 *   --iterations N   stop L-BFGS after N iterations (default: the recipe's)
 *   --threads N      threads for the likelihood (the model does not depend on it)
 */
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { MODEL_FILE, serialiseModel } from '../src/references/model.ts';
import { dataDirectory } from '../tools/references/training/corpus.ts';
import { recipe, trainOn } from '../tools/references/training/recipe.ts';

function option(name: string): number | undefined {
  const at = process.argv.indexOf(`--${name}`);
  if (at < 0) return undefined;
  const value = Number(process.argv[at + 1]);
  if (!Number.isInteger(value) || value < 1) {
    console.error(`train:references: --${name} needs a positive whole number`);
    process.exit(2);
  }
  return value;
}

const started = Date.now();
const { train, description } = recipe('all');
console.log(`training the reference labeller on ${description}`);
const iterations = option('iterations');
const model = await trainOn(train, {
  ...(iterations ? { maxIterations: iterations } : {}),
  threads: option('threads'),
  log: (line) => console.log(`  ${line}`),
});
const file = fileURLToPath(MODEL_FILE);
writeFileSync(file, serialiseModel(model, description));
// The weights are learned from AnyStyle's data: its licence travels with them.
writeFileSync(path.join(path.dirname(file), 'ANYSTYLE-LICENSE'), readFileSync(path.join(dataDirectory(), 'ANYSTYLE-LICENSE')));
console.log(`wrote ${path.relative(process.cwd(), file)}: ${model.labels.length} labels, ${model.features.size} features, ${model.weights.length} weights, in ${((Date.now() - started) / 1000).toFixed(0)} s`);
