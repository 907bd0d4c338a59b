import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { translator } from '../i18n/index.ts';
import { METRIC_TYPES, MetricLabel, metricLabel } from './index.ts';

describe('COUNTER metric labels', () => {
  it('say what each metric counts, in Polish and English, never as the COUNTER name', () => {
    assert.equal(METRIC_TYPES.length, 6);
    const pl = { t: translator('pl') };
    const en = { t: translator('en') };
    assert.equal(metricLabel(pl, 'Total_Item_Requests'), 'Pobrania');
    assert.equal(metricLabel(en, 'Unique_Item_Investigations'), 'Unique views');
    for (const name of METRIC_TYPES) {
      for (const ctx of [pl, en]) assert.doesNotMatch(metricLabel(ctx, name), /_|Total|Unique_/, name);
      assert.notEqual(metricLabel(pl, name), metricLabel(en, name), `${name} is translated`);
    }
    assert.equal(new Set(METRIC_TYPES.map((name) => metricLabel(pl, name))).size, 6, 'no two metrics share a label');
  });

  it('keeps the COUNTER name on a line of its own, marked as English', () => {
    assert.equal(String(MetricLabel({ ctx: { t: translator('pl') }, name: 'Total_Item_Requests' })), 'Pobrania<br><small class="metric-name">COUNTER: <span lang="en">Total_Item_Requests</span></small>');
  });
});
