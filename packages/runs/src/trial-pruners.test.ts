import { describe, expect, it } from 'vitest';
import { ASHAPruner, createPruner, MedianPruner, type TrialCurve } from './index';

const done = (run: string, values: number[]): TrialCurve => ({ run, values, status: 'completed' });
const live = (run: string, values: number[]): TrialCurve => ({ run, values, status: 'running' });

describe('MedianPruner', () => {
  it('prunes when the best so far is worse than the median of completed trials at that epoch', () => {
    const p = new MedianPruner({ nStartupTrials: 3, minEpochs: 2 });
    const others = [done('a', [1, 0.5, 0.4]), done('b', [1, 0.6, 0.5]), done('c', [1, 0.7, 0.6])];
    expect(p.shouldPrune(live('t', [0.9]), others, 'min')).toBe(false); // before minEpochs
    expect(p.shouldPrune(live('t', [0.9, 0.65]), others, 'min')).toBe(true); // 0.65 > median 0.6
    expect(p.shouldPrune(live('t', [0.9, 0.55]), others, 'min')).toBe(false);
    expect(p.shouldPrune(live('t', [0.9, 0.55]), others, 'max')).toBe(false); // max mode: best 0.9 > median 0.6
    expect(p.shouldPrune(live('t', [0.5, 0.55]), others, 'max')).toBe(true);
  });

  it('waits for nStartupTrials trials that went past the epoch; pruned ones do not count', () => {
    const p = new MedianPruner({ nStartupTrials: 3 });
    const pruned: TrialCurve = { run: 'c', values: [1], status: 'pruned' };
    expect(p.shouldPrune(live('t', [9]), [done('a', [1]), done('b', [1]), pruned], 'min')).toBe(false);
    // 'running' in `others` (as the sweep passes them) means it went on past this epoch: it counts.
    expect(p.shouldPrune(live('t', [9]), [done('a', [1]), done('b', [1]), live('c', [1])], 'min')).toBe(true);
    expect(p.judges(0)).toBe(false);
    expect(p.judges(1)).toBe(true);
  });
});

describe('ASHAPruner', () => {
  it('rungs at minEpochs·η^k; the top 1/η of a rung goes on', () => {
    const p = new ASHAPruner({ minEpochs: 1, reductionFactor: 3 });
    expect([1, 2, 3, 4, 9, 27].map((e) => p.isRung(e))).toEqual([true, false, true, false, true, true]);
    expect(p.shouldPrune(live('first', [5]), [], 'min')).toBe(false); // alone: the best
    const rung = [done('a', [1]), done('b', [2]), done('c', [3]), done('d', [4]), done('e', [5])];
    // 6 values at rung 1 → top ⌊6/3⌋ = 2 go on
    expect(p.shouldPrune(live('t', [1.5]), rung, 'min')).toBe(false);
    expect(p.shouldPrune(live('t', [2.5]), rung, 'min')).toBe(true);
    expect(p.shouldPrune(live('t', [2.5, 9]), rung, 'min')).toBe(false); // epoch 2 is not a rung
    expect(p.shouldPrune(live('t', [4.5]), rung, 'max')).toBe(false);
  });
});

describe('createPruner', () => {
  it('builds from JSON and names unknown pruners', () => {
    expect(createPruner({ name: 'asha', minEpochs: 2, reductionFactor: 2 }).spec).toEqual({
      name: 'asha',
      minEpochs: 2,
      reductionFactor: 2,
    });
    expect(() => createPruner(JSON.parse('{"name":"ashaa"}'))).toThrow("(did you mean 'asha'?)");
    expect(() => new ASHAPruner({ reductionFactor: 1 })).toThrow(
      "ASHAPruner: option 'reductionFactor' must be an integer >= 2",
    );
  });
});
