import { describe, expect, it } from 'vitest';
import { EpochProgress } from './epoch-progress';

describe('EpochProgress', () => {
  it('weights each batch loss by its size and counts skipped steps apart', () => {
    const progress = new EpochProgress();
    progress.record(2, 4);
    progress.advance();
    progress.record(undefined, 4);
    progress.advance();
    progress.record(1, 2);
    progress.advance();
    const logs = progress.logs(3, 0.1);
    expect(logs.epoch).toBe(3);
    expect(logs.loss).toBeCloseTo((2 * 4 + 1 * 2) / 6, 12);
    expect(logs.lr).toBe(0.1);
    expect(logs.skippedSteps).toBe(1);
    expect(progress.batch).toBe(3);
    expect(logs.seconds).toBeGreaterThanOrEqual(0);
  });

  it('resumes from a snapshot without sharing it', () => {
    const first = new EpochProgress();
    first.record(3, 2);
    first.advance();
    const saved = first.snapshot();
    const resumed = new EpochProgress(saved);
    resumed.record(1, 2);
    resumed.advance();
    expect(saved).toEqual({ batch: 1, lossSum: 6, samples: 2, skippedSteps: 0 });
    expect(resumed.logs(0, 1).loss).toBeCloseTo(2, 12);
    expect(resumed.logs(0, 1).skippedSteps).toBeUndefined();
    expect(resumed.batch).toBe(2);
  });

  it('an epoch with no counted batch has loss 0, not NaN', () => {
    expect(new EpochProgress().logs(0, 1).loss).toBe(0);
  });
});
