import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { labelTokens } from '../../src/references/labeller.ts';
import { serialiseModel } from '../../src/references/model.ts';
import { toTokens } from './dataset.ts';
import { trainCrf } from './train.ts';
import { syntheticReferences } from './training/synthetic.ts';

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
