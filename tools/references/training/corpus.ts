import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { cleanField } from '../../../src/references/csl.ts';
import { readDataset, type LabelledReference } from '../dataset.ts';
import { syntheticReferences, type BorrowedFields } from './synthetic.ts';

/**
 * The training and evaluation data. The labelled references come from the AnyStyle project
 * (https://github.com/inukshuk/anystyle, res/parser/core.xml and good.xml, BSD 2-Clause, © Sylvester
 * Keil): they live in ../shared/data/references with their ANYSTYLE-LICENSE, which the trained model
 * carries along (model/ANYSTYLE-LICENSE). Every fifth reference of good.xml (index 4, 9, 14, …) is
 * held out for evaluation and never trained on.
 */
export const DEFAULT_DATA_DIR = fileURLToPath(new URL('../../../../shared/data/references/', import.meta.url));

export const SYNTHETIC_COUNT = 2500;
export const SYNTHETIC_SEED = 20211227;

export function isHeldOut(index: number): boolean {
  return index % 5 === 4;
}

export interface Corpus {
  train: LabelledReference[];
  heldOut: LabelledReference[];
  /** How many training references came from each source. */
  counts: { core: number; goodTrain: number; synthetic: number; heldOut: number };
}

export function dataDirectory(env: NodeJS.ProcessEnv = process.env): string {
  const dir = env.REFERENCE_DATA_DIR ?? DEFAULT_DATA_DIR;
  if (!existsSync(path.join(dir, 'anystyle-core.xml'))) throw new Error(`the reference data is not in ${dir} (set REFERENCE_DATA_DIR)`);
  return dir;
}

/** Titles and periodical names of the training references, for the synthetic ones. */
function borrow(references: readonly LabelledReference[]): BorrowedFields {
  const titles = new Set<string>();
  const periodicals = new Set<string>();
  for (const reference of references) {
    for (const [label, text] of reference.segments) {
      const clean = cleanField(text, label === 'title' ? 'title' : 'other');
      if (label === 'title' && clean.length >= 12 && clean.length <= 160 && !/[<>[\]]/.test(clean)) titles.add(clean);
      if (label === 'journal' && clean.length >= 4 && clean.length <= 60 && !/\d/.test(clean)) periodicals.add(clean);
    }
  }
  return { titles: [...titles], periodicals: [...periodicals] };
}

export function loadCorpus(dir = dataDirectory()): Corpus {
  const core = readDataset(path.join(dir, 'anystyle-core.xml'));
  const good = readDataset(path.join(dir, 'anystyle-good.xml'));
  const goodTrain = good.filter((_, i) => !isHeldOut(i));
  const heldOut = good.filter((_, i) => isHeldOut(i));
  const synthetic = syntheticReferences(SYNTHETIC_COUNT, SYNTHETIC_SEED, borrow([...core, ...goodTrain]));
  return {
    train: [...core, ...goodTrain, ...synthetic],
    heldOut,
    counts: { core: core.length, goodTrain: goodTrain.length, synthetic: synthetic.length, heldOut: heldOut.length },
  };
}
