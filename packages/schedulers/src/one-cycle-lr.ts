import { check, NntkError } from '@nntk/core';
import type { Optimizer } from '@nntk/optim';
import { perGroup, setMomentum } from './internal/momentum';
import { LRScheduler } from './lr-scheduler';

export interface OneCycleLROptions {
  maxLr: number | number[];
  totalSteps?: number;
  epochs?: number;
  stepsPerEpoch?: number;
  pctStart?: number;
  annealStrategy?: 'cos' | 'linear';
  cycleMomentum?: boolean;
  baseMomentum?: number | number[];
  maxMomentum?: number | number[];
  divFactor?: number;
  finalDivFactor?: number;
  threePhase?: boolean;
}

interface Phase {
  endStep: number;
  startLr: 'initialLr' | 'maxLr' | 'minLr';
  endLr: 'initialLr' | 'maxLr' | 'minLr';
  startMomentum: 'maxMomentum' | 'baseMomentum';
  endMomentum: 'maxMomentum' | 'baseMomentum';
}

const anneal = {
  cos: (start: number, end: number, pct: number) => end + ((start - end) / 2) * (Math.cos(Math.PI * pct) + 1),
  linear: (start: number, end: number, pct: number) => (end - start) * pct + start,
};

/**
 * The 1cycle policy (Smith and Topin 2019), stepped per batch, PyTorch's formulation: lr from
 * `maxLr/divFactor` up to `maxLr` over `pctStart` of the steps, then down to
 * `maxLr/(divFactor·finalDivFactor)`, with momentum (or β₁) cycling the other way; `threePhase` adds a
 * symmetric descent before the final annihilation.
 */
export class OneCycleLR extends LRScheduler {
  readonly totalSteps: number;
  private readonly phases: Phase[];
  private readonly annealFn: (start: number, end: number, pct: number) => number;
  readonly cycleMomentum: boolean;
  private readonly groupValues: Array<
    Record<'initialLr' | 'maxLr' | 'minLr' | 'maxMomentum' | 'baseMomentum', number>
  >;

  constructor(optimizer: Optimizer, options: OneCycleLROptions) {
    const owner = 'OneCycleLR';
    const groups = optimizer.paramGroups;
    const totalSteps = OneCycleLR.resolveTotalSteps(options);
    const pctStart = check.inRange(owner, 'pctStart', options.pctStart ?? 0.3, 0, 1, true);
    const divFactor = check.positive(owner, 'divFactor', options.divFactor ?? 25);
    const finalDivFactor = check.positive(owner, 'finalDivFactor', options.finalDivFactor ?? 1e4);
    const maxLrs = perGroup(owner, 'maxLr', options.maxLr, groups.length);
    const cycleMomentum = options.cycleMomentum ?? true;
    const maxMomentums = perGroup(owner, 'maxMomentum', options.maxMomentum ?? 0.95, groups.length);
    const baseMomentums = perGroup(owner, 'baseMomentum', options.baseMomentum ?? 0.85, groups.length);
    const groupValues = groups.map((g, i) => {
      const initialLr = maxLrs[i] / divFactor;
      g.initialLr = initialLr;
      if (cycleMomentum) setMomentum(owner, g, maxMomentums[i]);
      return {
        initialLr,
        maxLr: maxLrs[i],
        minLr: initialLr / finalDivFactor,
        maxMomentum: maxMomentums[i],
        baseMomentum: baseMomentums[i],
      };
    });
    super(optimizer);
    this.totalSteps = totalSteps;
    this.cycleMomentum = cycleMomentum;
    this.groupValues = groupValues;
    this.annealFn =
      anneal[check.oneOf(owner, 'annealStrategy', options.annealStrategy ?? 'cos', ['cos', 'linear'])];
    const up = pctStart * totalSteps - 1;
    this.phases = options.threePhase
      ? [
          {
            endStep: up,
            startLr: 'initialLr',
            endLr: 'maxLr',
            startMomentum: 'maxMomentum',
            endMomentum: 'baseMomentum',
          },
          {
            endStep: 2 * pctStart * totalSteps - 2,
            startLr: 'maxLr',
            endLr: 'initialLr',
            startMomentum: 'baseMomentum',
            endMomentum: 'maxMomentum',
          },
          {
            endStep: totalSteps - 1,
            startLr: 'initialLr',
            endLr: 'minLr',
            startMomentum: 'maxMomentum',
            endMomentum: 'maxMomentum',
          },
        ]
      : [
          {
            endStep: up,
            startLr: 'initialLr',
            endLr: 'maxLr',
            startMomentum: 'maxMomentum',
            endMomentum: 'baseMomentum',
          },
          {
            endStep: totalSteps - 1,
            startLr: 'maxLr',
            endLr: 'minLr',
            startMomentum: 'baseMomentum',
            endMomentum: 'maxMomentum',
          },
        ];
    this.initialStep();
  }

  private static resolveTotalSteps(options: OneCycleLROptions): number {
    if (options?.totalSteps !== undefined)
      return check.integer('OneCycleLR', 'totalSteps', options.totalSteps, 1);
    if (options?.epochs === undefined || options.stepsPerEpoch === undefined) {
      throw new NntkError(
        'INVALID_OPTION',
        "OneCycleLR: give 'totalSteps', or both 'epochs' and 'stepsPerEpoch'",
      );
    }
    return (
      check.integer('OneCycleLR', 'epochs', options.epochs, 1) *
      check.integer('OneCycleLR', 'stepsPerEpoch', options.stepsPerEpoch, 1)
    );
  }

  protected computeLr(): number[] {
    const t = this.lastEpoch;
    if (t > this.totalSteps) {
      throw new NntkError(
        'INVALID_OPTION',
        `OneCycleLR: stepped ${t + 1} times, but totalSteps is ${this.totalSteps}`,
      );
    }
    return this.optimizer.paramGroups.map((group, i) => {
      const values = this.groupValues[i];
      let startStep = 0;
      for (const [index, phase] of this.phases.entries()) {
        if (t <= phase.endStep || index === this.phases.length - 1) {
          const pct = (t - startStep) / (phase.endStep - startStep);
          if (this.cycleMomentum)
            setMomentum(
              'OneCycleLR',
              group,
              this.annealFn(values[phase.startMomentum], values[phase.endMomentum], pct),
            );
          return this.annealFn(values[phase.startLr], values[phase.endLr], pct);
        }
        startStep = phase.endStep;
      }
      return group.lr as number;
    });
  }
}
