/**
 * `npm run bench` (last part): the reference parser's speed — the whole parseReference (labels,
 * corrections, CSL-JSON, checks) on the 932 references of AnyStyle's good.xml that no model is
 * trained on, with the committed model, in a process of its own pinned to one CPU
 * (scripts/reference-speed.ts). Baseline, measured in the same run: tokenizing the same references.
 * Target: ≥ 5,000 references/s on one core. Writes bench/results/references-parse.json.
 * (`npm run eval:references` measures the same way, with the accuracy figures.)
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { rawTexts } from '../tools/references/evaluation.ts';
import { MODEL_FILE } from '../src/references/model.ts';
import { loadCorpus } from '../tools/references/training/corpus.ts';
import { measureParseSpeed, PARSE_SPEED_TARGET as TARGET, speedLines } from '../scripts/reference-speed.ts';

const ROOT = path.resolve(import.meta.dirname, '..');

const load = os.loadavg()[0]!;
const speed = measureParseSpeed(fs.readFileSync(MODEL_FILE, 'utf8'), rawTexts(loadCorpus().heldOut));
console.log(`reference parsing (load average ${load.toFixed(1)} at the start: with other work on that core the wall-clock figure drops, the per-CPU-second one much less)`);
for (const line of speedLines(speed)) console.log(line);
// Judged per CPU-second: what one core does with the parse, whoever else the core serves.
const met = speed.steadyCpu >= TARGET;
console.log(`  target ≥ ${TARGET.toLocaleString('en')} references per CPU-second of one core: ${met ? 'met' : 'NOT met'}`);
const out = path.join(ROOT, 'bench/results/references-parse.json');
fs.mkdirSync(path.dirname(out), { recursive: true });
fs.writeFileSync(out, `${JSON.stringify({ date: new Date().toISOString(), loadAverage: load, target: TARGET, met, ratioToTokenizing: speed.steady / speed.tokenizeOnly, ...speed }, null, 2)}\n`);
console.log(`  report: ${path.relative(ROOT, out)}`);
