import { check } from '@nntk/core';
import type { Optimizer } from '@nntk/optim';
import { annealCos } from './internal/anneal';
import { LRScheduler } from './lr-scheduler';

/**
 * Cosine annealing (Loshchilov and Hutter 2017, without restarts), PyTorch's recursive form:
 * `ηₜ = η_min + (η_max − η_min)(1 + cos(πt/T_max))/2`, continuing past `tMax` as PyTorch does (the lr
 * rises again over the next `tMax` epochs).
 */
export class CosineAnnealingLR extends LRScheduler {
  readonly tMax: number;
  readonly etaMin: number;

  constructor(optimizer: Optimizer, options: { tMax: number; etaMin?: number }) {
    super(optimizer);
    this.tMax = check.integer('CosineAnnealingLR', 'tMax', options?.tMax, 1);
    this.etaMin = check.nonNegative('CosineAnnealingLR', 'etaMin', options.etaMin ?? 0);
    this.initialStep();
  }

  protected computeLr(): number[] {
    const { lastEpoch: t, tMax, etaMin } = this;
    const lrs = this.groupLrs();
    if (t === 0) return lrs;
    if (this.stepCount === 1 && t > 0) return this.closedFormLr();
    if ((t - 1 - tMax) % (2 * tMax) === 0) {
      return lrs.map((lr, i) => lr + ((this.baseLrs[i] - etaMin) * (1 - Math.cos(Math.PI / tMax))) / 2);
    }
    const ratio = (1 + Math.cos((Math.PI * t) / tMax)) / (1 + Math.cos((Math.PI * (t - 1)) / tMax));
    return lrs.map((lr) => ratio * (lr - etaMin) + etaMin);
  }

  protected override closedFormLr(): number[] {
    return this.baseLrs.map((base) => annealCos(base, this.etaMin, this.lastEpoch / this.tMax));
  }
}
