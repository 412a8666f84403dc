import { check } from '@nntk/core';
import type { Optimizer } from '@nntk/optim';
import { LRScheduler } from './lr-scheduler';

/** Scales the learning rate by `factor` until epoch `totalIters`, then restores it. */
export class ConstantLR extends LRScheduler {
  readonly factor: number;
  readonly totalIters: number;

  constructor(optimizer: Optimizer, options: { factor?: number; totalIters?: number } = {}) {
    super(optimizer);
    this.factor = check.inRange('ConstantLR', 'factor', options.factor ?? 1 / 3, 0, 1, true);
    this.totalIters = check.integer('ConstantLR', 'totalIters', options.totalIters ?? 5, 0);
    this.initialStep();
  }

  protected computeLr(): number[] {
    const lrs = this.groupLrs();
    if (this.lastEpoch === 0) return lrs.map((lr) => lr * this.factor);
    if (this.lastEpoch !== this.totalIters) return lrs;
    return lrs.map((lr) => lr * (1 / this.factor));
  }

  protected override closedFormLr(): number[] {
    const done = this.lastEpoch >= this.totalIters ? 1 : 0;
    return this.baseLrs.map((base) => base * (this.factor + done * (1 - this.factor)));
  }
}
