import { check } from '@nntk/core';
import type { Optimizer } from '@nntk/optim';
import { LRScheduler } from './lr-scheduler';

/** Decays the learning rate polynomially to 0 over `totalIters`: `lr = lr₀(1 − min(t, T)/T)^power`. */
export class PolynomialLR extends LRScheduler {
  readonly totalIters: number;
  readonly power: number;

  constructor(optimizer: Optimizer, options: { totalIters?: number; power?: number } = {}) {
    super(optimizer);
    this.totalIters = check.integer('PolynomialLR', 'totalIters', options.totalIters ?? 5, 1);
    this.power = check.nonNegative('PolynomialLR', 'power', options.power ?? 1);
    this.initialStep();
  }

  protected computeLr(): number[] {
    const lrs = this.groupLrs();
    if (this.lastEpoch === 0 || this.lastEpoch > this.totalIters) return lrs;
    const t = this.lastEpoch;
    const factor = ((1 - t / this.totalIters) / (1 - (t - 1) / this.totalIters)) ** this.power;
    return lrs.map((lr) => lr * factor);
  }

  protected override closedFormLr(): number[] {
    const remaining = 1 - Math.min(this.totalIters, this.lastEpoch) / this.totalIters;
    return this.baseLrs.map((base) => base * remaining ** this.power);
  }
}
