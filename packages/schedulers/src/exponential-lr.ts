import { check } from '@nntk/core';
import type { Optimizer } from '@nntk/optim';
import { LRScheduler } from './lr-scheduler';

/** Multiplies the learning rate by `gamma` every epoch: `lr = lr₀·γᵗ`. */
export class ExponentialLR extends LRScheduler {
  readonly gamma: number;

  constructor(optimizer: Optimizer, options: { gamma: number }) {
    super(optimizer);
    this.gamma = check.nonNegative('ExponentialLR', 'gamma', options?.gamma);
    this.initialStep();
  }

  protected computeLr(): number[] {
    const lrs = this.groupLrs();
    return this.lastEpoch === 0 ? lrs : lrs.map((lr) => lr * this.gamma);
  }

  protected override closedFormLr(): number[] {
    return this.baseLrs.map((base) => base * this.gamma ** this.lastEpoch);
  }
}
