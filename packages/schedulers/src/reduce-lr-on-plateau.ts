import { check, NntkError } from '@nntk/core';
import type { Optimizer, Scheduler } from '@nntk/optim';

export interface ReduceLROnPlateauOptions {
  mode?: 'min' | 'max';
  factor?: number;
  patience?: number;
  threshold?: number;
  thresholdMode?: 'rel' | 'abs';
  cooldown?: number;
  /** A floor for every group, or one per group. */
  minLr?: number | number[];
  eps?: number;
}

/**
 * Multiplies the learning rate by `factor` when a monitored metric has not improved for more than
 * `patience` epochs, with PyTorch's improvement test (`rel`: better than `best·(1 ∓ threshold)`; `abs`:
 * better than `best ∓ threshold`), cooldown, per-group `minLr`, and changes smaller than `eps` ignored.
 */
export class ReduceLROnPlateau implements Scheduler {
  readonly kind = 'metric';
  readonly mode: 'min' | 'max';
  readonly factor: number;
  readonly patience: number;
  readonly threshold: number;
  readonly thresholdMode: 'rel' | 'abs';
  readonly cooldown: number;
  readonly minLrs: number[];
  readonly eps: number;
  best: number;
  numBadEpochs = 0;
  cooldownCounter = 0;
  lastEpoch = 0;
  private lastLr: number[];

  constructor(
    readonly optimizer: Optimizer,
    options: ReduceLROnPlateauOptions = {},
  ) {
    const owner = 'ReduceLROnPlateau';
    this.mode = check.oneOf(owner, 'mode', options.mode ?? 'min', ['min', 'max']);
    this.factor = check.inRange(owner, 'factor', options.factor ?? 0.1, 0, 1);
    this.patience = check.integer(owner, 'patience', options.patience ?? 10, 0);
    this.threshold = check.nonNegative(owner, 'threshold', options.threshold ?? 1e-4);
    this.thresholdMode = check.oneOf(owner, 'thresholdMode', options.thresholdMode ?? 'rel', ['rel', 'abs']);
    this.cooldown = check.integer(owner, 'cooldown', options.cooldown ?? 0, 0);
    this.eps = check.nonNegative(owner, 'eps', options.eps ?? 1e-8);
    const minLr = options.minLr ?? 0;
    this.minLrs = Array.isArray(minLr) ? [...minLr] : optimizer.paramGroups.map(() => minLr);
    if (this.minLrs.length !== optimizer.paramGroups.length) {
      throw new NntkError(
        'INVALID_OPTION',
        `${owner}: option 'minLr' has ${this.minLrs.length} entries for ${optimizer.paramGroups.length} parameter groups`,
      );
    }
    this.best = this.worst();
    this.lastLr = optimizer.paramGroups.map((g) => g.lr as number);
  }

  private worst(): number {
    return this.mode === 'min' ? Number.POSITIVE_INFINITY : Number.NEGATIVE_INFINITY;
  }

  private isBetter(current: number): boolean {
    const { threshold, best } = this;
    if (this.mode === 'min')
      return this.thresholdMode === 'rel' ? current < best * (1 - threshold) : current < best - threshold;
    return this.thresholdMode === 'rel' ? current > best * (threshold + 1) : current > best + threshold;
  }

  /** Records this epoch's metric and reduces the learning rates if it has plateaued. */
  step(metric?: number): void {
    if (typeof metric !== 'number' || Number.isNaN(metric)) {
      throw new NntkError(
        'INVALID_OPTION',
        `ReduceLROnPlateau.step: expected the monitored metric as a number, got ${String(metric)}`,
      );
    }
    this.lastEpoch += 1;
    if (this.isBetter(metric)) {
      this.best = metric;
      this.numBadEpochs = 0;
    } else {
      this.numBadEpochs += 1;
    }
    if (this.cooldownCounter > 0) {
      this.cooldownCounter -= 1;
      this.numBadEpochs = 0;
    }
    if (this.numBadEpochs > this.patience) {
      this.reduce();
      this.cooldownCounter = this.cooldown;
      this.numBadEpochs = 0;
    }
    this.lastLr = this.optimizer.paramGroups.map((g) => g.lr as number);
  }

  private reduce(): void {
    this.optimizer.paramGroups.forEach((group, i) => {
      const old = group.lr as number;
      const next = Math.max(old * this.factor, this.minLrs[i]);
      if (old - next > this.eps) group.lr = next;
    });
  }

  getLastLr(): number[] {
    return [...this.lastLr];
  }

  /** JSON-safe: an infinite `best` (nothing seen yet) is stored as null. */
  stateDict(): Record<string, unknown> {
    return {
      best: Number.isFinite(this.best) ? this.best : null,
      numBadEpochs: this.numBadEpochs,
      cooldownCounter: this.cooldownCounter,
      lastEpoch: this.lastEpoch,
      lastLr: [...this.lastLr],
    };
  }

  loadStateDict(state: Record<string, unknown>): void {
    if (typeof state?.lastEpoch !== 'number' || typeof state.numBadEpochs !== 'number') {
      throw new NntkError(
        'STATE_DICT_MISMATCH',
        `ReduceLROnPlateau.loadStateDict: not a ReduceLROnPlateau state: ${JSON.stringify(state)}`,
      );
    }
    this.best = state.best === null ? this.worst() : (state.best as number);
    this.numBadEpochs = state.numBadEpochs;
    this.cooldownCounter = state.cooldownCounter as number;
    this.lastEpoch = state.lastEpoch;
    this.lastLr = [...(state.lastLr as number[])];
  }
}
