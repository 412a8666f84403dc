import { check } from '@nntk/core';
import type { Optimizer } from '@nntk/optim';
import { getMomentum, perGroup, setMomentum } from './internal/momentum';
import { LRScheduler, type SchedulerStateDict } from './lr-scheduler';

export interface CyclicLROptions {
  baseLr: number | number[];
  maxLr: number | number[];
  stepSizeUp?: number;
  stepSizeDown?: number;
  mode?: 'triangular' | 'triangular2' | 'exp_range';
  gamma?: number;
  /** A custom amplitude scale; with it, `scaleMode` says whether it takes the cycle or the iteration. */
  scaleFn?: (x: number) => number;
  scaleMode?: 'cycle' | 'iterations';
  cycleMomentum?: boolean;
  baseMomentum?: number | number[];
  maxMomentum?: number | number[];
}

/**
 * Cyclical learning rates (Smith 2017), stepped per batch: the lr goes between `baseLr` and `maxLr` in
 * triangles of `stepSizeUp + stepSizeDown` iterations, with amplitude scaled per cycle (`triangular2`
 * halves it) or per iteration (`exp_range`: `gamma^t`); momentum cycles inversely.
 */
export class CyclicLR extends LRScheduler {
  override readonly kind = 'step';
  readonly maxLrs: number[];
  readonly totalSize: number;
  readonly stepRatio: number;
  readonly mode: 'triangular' | 'triangular2' | 'exp_range';
  readonly gamma: number;
  readonly scaleMode: 'cycle' | 'iterations';
  readonly cycleMomentum: boolean;
  readonly baseMomentums: number[] = [];
  readonly maxMomentums: number[] = [];
  private readonly scaleFn: (x: number) => number;

  constructor(optimizer: Optimizer, options: CyclicLROptions) {
    const owner = 'CyclicLR';
    const groups = optimizer.paramGroups;
    const baseLrs = perGroup(owner, 'baseLr', options?.baseLr, groups.length);
    groups.forEach((g, i) => {
      g.lr = baseLrs[i];
      g.initialLr = baseLrs[i];
    });
    super(optimizer);
    this.maxLrs = perGroup(owner, 'maxLr', options.maxLr, groups.length);
    const up = check.positive(owner, 'stepSizeUp', options.stepSizeUp ?? 2000);
    const down = check.positive(owner, 'stepSizeDown', options.stepSizeDown ?? up);
    this.totalSize = up + down;
    this.stepRatio = up / this.totalSize;
    this.mode = check.oneOf(owner, 'mode', options.mode ?? 'triangular', [
      'triangular',
      'triangular2',
      'exp_range',
    ]);
    this.gamma = check.positive(owner, 'gamma', options.gamma ?? 1);
    if (options.scaleFn) {
      this.scaleFn = options.scaleFn;
      this.scaleMode = check.oneOf(owner, 'scaleMode', options.scaleMode ?? 'cycle', ['cycle', 'iterations']);
    } else {
      const fns = {
        triangular: () => 1,
        triangular2: (x: number) => 1 / 2 ** (x - 1),
        exp_range: (x: number) => this.gamma ** x,
      };
      this.scaleFn = fns[this.mode];
      this.scaleMode = this.mode === 'exp_range' ? 'iterations' : 'cycle';
    }
    this.cycleMomentum = options.cycleMomentum ?? true;
    if (this.cycleMomentum) {
      const base = perGroup(owner, 'baseMomentum', options.baseMomentum ?? 0.8, groups.length);
      groups.forEach((g, i) => {
        setMomentum(owner, g, base[i]);
      });
      this.baseMomentums = groups.map((g) => getMomentum(owner, g));
      this.maxMomentums = perGroup(owner, 'maxMomentum', options.maxMomentum ?? 0.9, groups.length);
    }
    this.initialStep();
  }

  protected computeLr(): number[] {
    const t = this.lastEpoch;
    const cycle = Math.floor(1 + t / this.totalSize);
    const x = 1 + t / this.totalSize - cycle;
    const scaleFactor = x <= this.stepRatio ? x / this.stepRatio : (x - 1) / (this.stepRatio - 1);
    const scale = this.scaleFn(this.scaleMode === 'cycle' ? cycle : t);
    if (this.cycleMomentum) {
      this.optimizer.paramGroups.forEach((g, i) => {
        const height = (this.maxMomentums[i] - this.baseMomentums[i]) * scaleFactor;
        setMomentum('CyclicLR', g, this.maxMomentums[i] - height * scale);
      });
    }
    return this.baseLrs.map((base, i) => base + (this.maxLrs[i] - base) * scaleFactor * scale);
  }

  override stateDict(): SchedulerStateDict {
    return {
      ...super.stateDict(),
      momentums: this.cycleMomentum ? this.optimizer.paramGroups.map((g) => getMomentum('CyclicLR', g)) : [],
    };
  }

  override loadStateDict(state: SchedulerStateDict): void {
    super.loadStateDict(state);
    const momentums = (state.momentums as number[]) ?? [];
    momentums.forEach((m, i) => {
      setMomentum('CyclicLR', this.optimizer.paramGroups[i], m);
    });
  }
}
