import { check } from '@nntk/core';
import type { Optimizer } from '@nntk/optim';
import { LRScheduler } from './lr-scheduler';

/** Multiplies the learning rate by `gamma` every `stepSize` epochs: `lr = lr₀·γ^⌊t/stepSize⌋`. */
export class StepLR extends LRScheduler {
  readonly stepSize: number;
  readonly gamma: number;

  constructor(optimizer: Optimizer, options: { stepSize: number; gamma?: number }) {
    super(optimizer);
    this.stepSize = check.integer('StepLR', 'stepSize', options?.stepSize, 1);
    this.gamma = check.nonNegative('StepLR', 'gamma', options.gamma ?? 0.1);
    this.initialStep();
  }

  protected computeLr(): number[] {
    const lrs = this.groupLrs();
    if (this.lastEpoch === 0 || this.lastEpoch % this.stepSize !== 0) return lrs;
    return lrs.map((lr) => lr * this.gamma);
  }

  protected override closedFormLr(): number[] {
    return this.baseLrs.map((base) => base * this.gamma ** Math.floor(this.lastEpoch / this.stepSize));
  }
}
