import { check, NntkError } from '@nntk/core';
import type { Optimizer } from '@nntk/optim';
import { annealCos } from './internal/anneal';
import { LRScheduler, type SchedulerStateDict } from './lr-scheduler';

/**
 * SGDR, cosine annealing with warm restarts (Loshchilov and Hutter 2017): within a period of `Tᵢ`
 * epochs `ηₜ = η_min + (η₀ − η_min)(1 + cos(π T_cur/Tᵢ))/2`; periods start at `t0` and grow by `tMult`.
 * `step(epoch)` takes fractional epochs (`epoch + batch / batches`) as PyTorch does.
 */
export class CosineAnnealingWarmRestarts extends LRScheduler {
  readonly t0: number;
  readonly tMult: number;
  readonly etaMin: number;
  tI: number;
  tCur = -1;

  constructor(optimizer: Optimizer, options: { t0: number; tMult?: number; etaMin?: number }) {
    super(optimizer);
    this.t0 = check.integer('CosineAnnealingWarmRestarts', 't0', options?.t0, 1);
    this.tMult = check.integer('CosineAnnealingWarmRestarts', 'tMult', options.tMult ?? 1, 1);
    this.etaMin = check.nonNegative('CosineAnnealingWarmRestarts', 'etaMin', options.etaMin ?? 0);
    this.tI = this.t0;
    this.initialStep();
  }

  protected computeLr(): number[] {
    return this.baseLrs.map((base) => annealCos(base, this.etaMin, this.tCur / this.tI));
  }

  /** Advances one epoch, or jumps to a (fractional) `epoch`. */
  override step(epoch?: number): void {
    if (epoch === undefined && this.lastEpoch < 0) epoch = 0;
    if (epoch === undefined) {
      epoch = this.lastEpoch + 1;
      this.tCur += 1;
      if (this.tCur >= this.tI) {
        this.tCur -= this.tI;
        this.tI *= this.tMult;
      }
    } else {
      if (epoch < 0)
        throw new NntkError(
          'INVALID_OPTION',
          `CosineAnnealingWarmRestarts.step: epoch must be >= 0, got ${epoch}`,
        );
      this.jumpTo(epoch);
    }
    this.stepCount += 1;
    this.lastEpoch = Math.floor(epoch);
    this.applyLrs(this.computeLr());
  }

  private jumpTo(epoch: number): void {
    if (epoch < this.t0) {
      this.tI = this.t0;
      this.tCur = epoch;
    } else if (this.tMult === 1) {
      this.tCur = epoch % this.t0;
    } else {
      const n = Math.floor(Math.log((epoch / this.t0) * (this.tMult - 1) + 1) / Math.log(this.tMult));
      this.tCur = epoch - (this.t0 * (this.tMult ** n - 1)) / (this.tMult - 1);
      this.tI = this.t0 * this.tMult ** n;
    }
  }

  override stateDict(): SchedulerStateDict {
    return { ...super.stateDict(), tI: this.tI, tCur: this.tCur };
  }

  override loadStateDict(state: SchedulerStateDict): void {
    super.loadStateDict(state);
    this.tI = state.tI as number;
    this.tCur = state.tCur as number;
  }
}
