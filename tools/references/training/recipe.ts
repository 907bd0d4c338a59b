import { trainCrf, DEFAULT_TRAINING, type TrainingOptions } from '../train.ts';
import { toTokens, type LabelledReference } from '../dataset.ts';
import type { CrfModel } from '../../../src/references/crf.ts';
import { loadCorpus, SYNTHETIC_COUNT, SYNTHETIC_SEED, type Corpus } from './corpus.ts';

/**
 * How the shipped model is made, in one place for `npm run train:references` (which writes it) and
 * `npm run eval:references` (which makes it again and measures it on the held-out references):
 * AnyStyle core.xml, the four fifths of good.xml that are not held out, and the synthetic
 * Polish/ISO 690/GOST references, with DEFAULT_TRAINING.
 */
export type TrainingSet = 'all' | 'core';

export interface Recipe {
  corpus: Corpus;
  train: LabelledReference[];
  description: string;
}

export function recipe(set: TrainingSet = 'all'): Recipe {
  const corpus = loadCorpus();
  const { core, goodTrain, synthetic, heldOut } = corpus.counts;
  if (set === 'core') {
    return {
      corpus,
      train: corpus.train.slice(0, core),
      description: `AnyStyle core.xml (${core} references) only; ${heldOut} references of good.xml (every fifth) held out`,
    };
  }
  return {
    corpus,
    train: corpus.train,
    description:
      `AnyStyle core.xml (${core}) + good.xml without its held-out fifth (${goodTrain}) + ` +
      `${synthetic} synthetic Polish/ISO 690/GOST references (count ${SYNTHETIC_COUNT}, seed ${SYNTHETIC_SEED}); ` +
      `${heldOut} references of good.xml (index 4, 9, 14, …) never trained on`,
  };
}

export function trainOn(references: readonly LabelledReference[], options: Partial<TrainingOptions> = {}): Promise<CrfModel> {
  return trainCrf(references.map(toTokens), { ...DEFAULT_TRAINING, ...options });
}
