import { describe, expect, it } from 'vitest';
import { reportSpecs } from './report-specs';
import type { RunData } from './run-data';

function run(name: string, withSteps: boolean, accuracy?: number): RunData {
  return {
    name,
    dir: `runs/${name}`,
    epochs: [0, 1].map((epoch) => ({
      epoch,
      loss: 1 - epoch / 4,
      val_loss: 1.1 - epoch / 4,
      lr: 0.1,
      accuracy: 0.5,
    })),
    steps: withSteps ? [1, 2, 3].map((step) => ({ step, epoch: 0, loss: 1 / step, lr: 0.1 / step })) : [],
    test: accuracy === undefined ? undefined : { accuracy },
  };
}

describe('reportSpecs (a report as Vega-Lite specifications, in memory)', () => {
  it('one run: a curve per metric, loss and lr per step', () => {
    const plots = reportSpecs([run('a', true)]);
    expect(plots.map((p) => p.name)).toEqual(['loss', 'accuracy', 'loss-per-step', 'learning-rate']);
    for (const { spec } of plots) expect(JSON.stringify(spec)).toContain('vega-lite');
    const lr = JSON.stringify(plots[3].spec);
    expect(lr).toContain('Learning rate per step');
  });

  it('without step records the rate is drawn per epoch; several runs add a comparison by test accuracy', () => {
    const plots = reportSpecs([run('a', false, 0.8), run('b', false, 0.7)]);
    expect(plots.map((p) => p.name)).toEqual(['loss', 'accuracy', 'learning-rate', 'comparison']);
    expect(JSON.stringify(plots[2].spec)).toContain('Learning rate per epoch');
    const comparison = JSON.stringify(plots[3].spec);
    expect(comparison).toContain('Test accuracy by run');
    expect(comparison).toContain('"value":0.8');
  });

  it('draws only the keys asked for', () => {
    expect(reportSpecs([run('a', false)], ['loss']).map((p) => p.name)).toEqual(['loss', 'learning-rate']);
  });
});
