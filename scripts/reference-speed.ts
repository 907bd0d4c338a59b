/**
 * Parse speed of the reference parser, measured in a process of its own that holds only what a
 * parsing process holds (the model and the references), so the figures are not those of a process
 * that also holds training data or a benchmark's own. `npm run eval:references` and `npm run bench`
 * call measureParseSpeed, which runs this file as that process — on one CPU (taskset) when the
 * machine lets it: then every thread of it, the garbage collector's and the compiler's too, shares
 * that one core.
 *
 *   tsx scripts/reference-speed.ts MODEL.json REFERENCES.json
 *
 * REFERENCES.json is an array of raw reference strings. Prints one JSON object (SpeedReport).
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { deserialiseModel } from '../src/references/model.ts';
import { parseReference } from '../src/references/parse.ts';
import { tokenize } from '../src/references/tokens.ts';

export interface SpeedReport {
  references: number;
  /** references/s on the first pass (empty token cache, code not yet optimised). */
  firstPass: number;
  /** Passes run before measuring, for WARM_UP_SECONDS: until the code is optimised and stays so. */
  warmUpPasses: number;
  /** references/s of wall-clock time: the median of the measured passes. */
  steady: number;
  /** references per CPU-second of the whole process (all its threads) over the measured passes. */
  steadyCpu: number;
  measuredPasses: number;
  /** references/s when only tokenizing: a floor no parser of this design goes below. */
  tokenizeOnly: number;
}

/** What the issue asks of the parser: references per second on one core. */
export const PARSE_SPEED_TARGET = 5000;
const WARM_UP_SECONDS = 4;
const MEASURED_PASSES = 10;

function measure(model: ReturnType<typeof deserialiseModel>, texts: readonly string[]): SpeedReport {
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

/**
 * Runs the measurement in a process of its own, pinned to the last CPU when taskset is there and
 * allows it (a container's CPU set may not), else unpinned; `oneCpu` says which.
 */
export function measureParseSpeed(modelJson: string, texts: readonly string[]): SpeedReport & { oneCpu: boolean } {
  const scratch = mkdtempSync(path.join(tmpdir(), 'revista-speed-'));
  try {
    const modelFile = path.join(scratch, 'model.json');
    const referencesFile = path.join(scratch, 'references.json');
    writeFileSync(modelFile, modelJson);
    writeFileSync(referencesFile, JSON.stringify(texts));
    const command = [process.execPath, '--import', 'tsx', fileURLToPath(import.meta.url), modelFile, referencesFile];
    const cpu = String(Math.max(0, availableParallelism() - 1));
    let run = spawnSync('taskset', ['-c', cpu, ...command], { encoding: 'utf8' });
    const oneCpu = run.status === 0;
    if (!oneCpu) run = spawnSync(command[0]!, command.slice(1), { encoding: 'utf8' });
    if (run.status !== 0) throw new Error(`the speed measurement failed: ${run.stderr || run.error?.message}`);
    return { ...(JSON.parse(run.stdout) as SpeedReport), oneCpu };
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}

/** The lines `npm run eval:references` and `npm run bench` print for a report. */
export function speedLines(speed: SpeedReport & { oneCpu: boolean }): string[] {
  return [
    `parse speed (parseReference: labels, corrections, CSL-JSON, checks), ${speed.references} references,`,
    `in a process of its own${speed.oneCpu ? ' on one CPU (taskset): all its threads share one core' : ' (taskset refused or missing: not pinned to one CPU)'}:`,
    `  first pass (cold token cache, code not yet optimised): ${Math.round(speed.firstPass)} references/s`,
    `  after ${speed.warmUpPasses} warm-up passes, median of ${speed.measuredPasses}: ${Math.round(speed.steady)} references/s, ${Math.round(speed.steadyCpu)} per CPU-second   (target ≥ ${PARSE_SPEED_TARGET.toLocaleString('en')} on one core)`,
    `  baseline, tokenizing only: ${Math.round(speed.tokenizeOnly)} references/s   (a parse takes ${(speed.tokenizeOnly / speed.steady).toFixed(1)}× as long)`,
  ];
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
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
  console.log(JSON.stringify(measure(deserialiseModel(readFileSync(modelFile, 'utf8')), texts)));
}
