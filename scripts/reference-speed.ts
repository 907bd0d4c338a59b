/**
 * Parse speed of the reference parser, measured in a process of its own that holds only what a
 * parsing process holds (the model and the references), so the figures are not those of a process
 * that also holds the training data. `npm run eval:references` runs it, on one CPU (taskset) when
 * the machine has taskset: then every thread of it, the garbage collector's and the compiler's
 * too, shares that one core.
 *
 *   tsx scripts/reference-speed.ts MODEL.json REFERENCES.json
 *
 * REFERENCES.json is an array of raw reference strings. Prints one JSON object: references per
 * second on the first pass (cold token cache, code not yet optimised), after warming up (the
 * median pass, and per CPU-second of the whole process), and for tokenizing alone.
 */
import { readFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { deserialiseModel } from '../src/references/model.ts';
import { parseReference } from '../src/references/parse.ts';
import { tokenize } from '../src/references/tokens.ts';

export interface SpeedReport {
  references: number;
  /** references/s on the first pass. */
  firstPass: number;
  /** Passes run before measuring: until the code is optimised and stays so. */
  warmUpPasses: number;
  /** references/s of wall-clock time: the median of the measured passes. */
  steady: number;
  /** references per CPU-second of the whole process (all its threads) over the measured passes. */
  steadyCpu: number;
  measuredPasses: number;
  /** references/s when only tokenizing: a floor no parser of this design goes below. */
  tokenizeOnly: number;
}

const WARM_UP_SECONDS = 4;
const MEASURED_PASSES = 10;

function measureSpeed(model: ReturnType<typeof deserialiseModel>, texts: readonly string[]): SpeedReport {
  const now = new Date('2026-01-01T00:00:00Z');
  const pass = () => {
    const started = performance.now();
    for (const text of texts) parseReference(text, { model, now });
    return (performance.now() - started) / 1000;
  };
  const first = pass();
  let warmUpPasses = 0;
  for (const started = performance.now(); performance.now() - started < WARM_UP_SECONDS * 1000; warmUpPasses++) pass();
  const cpuBefore = process.cpuUsage();
  const seconds: number[] = [];
  for (let i = 0; i < MEASURED_PASSES; i++) seconds.push(pass());
  const cpu = process.cpuUsage(cpuBefore);
  seconds.sort((a, b) => a - b);
  const median = (seconds[(MEASURED_PASSES - 1) >> 1]! + seconds[MEASURED_PASSES >> 1]!) / 2;
  const tokenizeStarted = performance.now();
  for (let round = 0; round < 5; round++) for (const text of texts) tokenize(text);
  const tokenizeSeconds = (performance.now() - tokenizeStarted) / 1000 / 5;
  return {
    references: texts.length,
    firstPass: texts.length / first,
    warmUpPasses,
    steady: texts.length / median,
    steadyCpu: (texts.length * MEASURED_PASSES) / ((cpu.user + cpu.system) / 1e6),
    measuredPasses: MEASURED_PASSES,
    tokenizeOnly: texts.length / tokenizeSeconds,
  };
}

const [modelFile, referencesFile] = process.argv.slice(2);
if (!modelFile || !referencesFile) {
  console.error('usage: tsx scripts/reference-speed.ts MODEL.json REFERENCES.json');
  process.exit(2);
}
const texts: unknown = JSON.parse(readFileSync(referencesFile, 'utf8'));
if (!Array.isArray(texts) || !texts.every((text) => typeof text === 'string')) {
  console.error(`reference-speed: ${referencesFile} is not an array of strings`);
  process.exit(2);
}
console.log(JSON.stringify(measureSpeed(deserialiseModel(readFileSync(modelFile, 'utf8')), texts)));
