import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { runWhenContentChanges } from './background.ts';

describe('background work on catalog changes', () => {
  it('runs at start and again only when the generation moves, one run at a time, and stop waits for the run', async () => {
    let generation = 0;
    let runs = 0;
    let concurrent = 0;
    let most = 0;
    const work = runWhenContentChanges(
      { generation: () => generation },
      async () => {
        runs++;
        concurrent++;
        most = Math.max(most, concurrent);
        await sleep(300);
        concurrent--;
      },
      { everyMs: 60_000, onError: () => assert.fail('no error expected') },
    );
    await sleep(700);
    assert.equal(runs, 1, 'a start run, then nothing while nothing changes');
    generation++;
    generation++;
    await sleep(400);
    assert.equal(runs, 2, 'two changes arriving together give one run');
    generation++;
    await sleep(300); // a look (every 250 ms) has started the third run, which takes 300 ms
    assert.equal(runs, 3);
    await work.stop();
    assert.equal(concurrent, 0, 'stop waited for the run in progress');
    assert.equal(most, 1);
    generation++;
    await sleep(400);
    assert.equal(runs, 3, 'nothing runs after stop');
  });

  it('takes a single move during a run as the work’s own notice when told so, and reports failures', async () => {
    let generation = 0;
    let runs = 0;
    const errors: unknown[] = [];
    const work = runWhenContentChanges(
      { generation: () => generation },
      async () => {
        runs++;
        generation++; // the work's own notice
        if (runs === 2) throw new Error('the second run fails');
      },
      { everyMs: 60_000, ownNotice: true, onError: (error) => errors.push(error) },
    );
    await sleep(600);
    assert.equal(runs, 1, 'its own notice did not start another run');
    generation += 2;
    await sleep(400);
    assert.ok(runs >= 2, 'a real change still does');
    assert.match(String(errors[0]), /the second run fails/);
    await work.stop();
  });
});
