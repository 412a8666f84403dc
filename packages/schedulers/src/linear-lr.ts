import { check, invalidOption } from '@nntk/core';
import type { Optimizer } from '@nntk/optim';
import { LRScheduler } from './lr-scheduler';

/**
 * Scales the learning rate by a factor going linearly from `startFactor` to `endFactor` over
 * `totalIters` epochs (a linear warm-up with the defaults).
 */
export class LinearLR extends LRScheduler {
  readonly startFactor: number;
  readonly endFactor: number;
  readonly totalIters: number;

  constructor(
    optimizer: Optimizer,
    options: { startFactor?: number; endFactor?: number; totalIters?: number } = {},
  ) {
    super(optimizer);
    const start = options.startFactor ?? 1 / 3;
    if (!(start > 0 && start <= 1)) invalidOption('LinearLR', 'startFactor', start, 'a number in (0, 1]');
    this.startFactor = start;
    this.endFactor = check.inRange('LinearLR', 'endFactor', options.endFactor ?? 1, 0, 1, true);
    this.totalIters = check.integer('LinearLR', 'totalIters', options.totalIters ?? 5, 1);
    this.initialStep();
  }

  protected computeLr(): number[] {
    const lrs = this.groupLrs();
    if (this.lastEpoch === 0) return lrs.map((lr) => lr * this.startFactor);
    if (this.lastEpoch > this.totalIters) return lrs;
    const delta = this.endFactor - this.startFactor;
    const ratio = 1 + delta / (this.totalIters * this.startFactor + (this.lastEpoch - 1) * delta);
    return lrs.map((lr) => lr * ratio);
  }

  protected override closedFormLr(): number[] {
    const progress = Math.min(this.totalIters, this.lastEpoch) / this.totalIters;
    return this.baseLrs.map(
      (base) => base * (this.startFactor + (this.endFactor - this.startFactor) * progress),
    );
  }
}
