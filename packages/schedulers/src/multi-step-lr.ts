import { check, NntkError } from '@nntk/core';
import type { Optimizer } from '@nntk/optim';
import { LRScheduler } from './lr-scheduler';

/** Multiplies the learning rate by `gamma` at each milestone epoch (a repeated milestone counts twice). */
export class MultiStepLR extends LRScheduler {
  readonly milestones: number[];
  readonly gamma: number;

  constructor(optimizer: Optimizer, options: { milestones: number[]; gamma?: number }) {
    super(optimizer);
    if (
      !Array.isArray(options?.milestones) ||
      !options.milestones.every((m) => Number.isInteger(m) && m >= 0)
    ) {
      throw new NntkError(
        'INVALID_OPTION',
        `MultiStepLR: option 'milestones' must be an array of integers >= 0, got ${JSON.stringify(options?.milestones)}`,
      );
    }
    this.milestones = [...options.milestones].sort((a, b) => a - b);
    this.gamma = check.nonNegative('MultiStepLR', 'gamma', options.gamma ?? 0.1);
    this.initialStep();
  }

  protected computeLr(): number[] {
    const hits = this.milestones.filter((m) => m === this.lastEpoch).length;
    const lrs = this.groupLrs();
    return hits === 0 ? lrs : lrs.map((lr) => lr * this.gamma ** hits);
  }

  protected override closedFormLr(): number[] {
    const passed = this.milestones.filter((m) => m <= this.lastEpoch).length;
    return this.baseLrs.map((base) => base * this.gamma ** passed);
  }
}
