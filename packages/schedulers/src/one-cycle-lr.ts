import { check, NntkError } from '@nntk/core';
import type { Optimizer } from '@nntk/optim';
import type { AnnealStrategy } from './internal/anneal';
import { perGroup, setMomentum } from './internal/momentum';
import { type OneCycleValues, oneCyclePhases, oneCycleValue } from './internal/one-cycle-phases';
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

/**
 * The 1cycle policy (Smith and Topin 2019), stepped per batch, PyTorch's formulation: lr from
 * `maxLr/divFactor` up to `maxLr` over `pctStart` of the steps, then down to
 * `maxLr/(divFactor·finalDivFactor)`, with momentum (or β₁) cycling the other way; `threePhase` adds a
 * symmetric descent before the final annihilation.
 */
export class OneCycleLR extends LRScheduler {
  override readonly kind = 'step';
  readonly totalSteps: number;
  private readonly phases: ReturnType<typeof oneCyclePhases>;
  private readonly strategy: AnnealStrategy;
  readonly cycleMomentum: boolean;
  private readonly groupValues: Array<{ lr: OneCycleValues; momentum: OneCycleValues }>;

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
        lr: { initial: initialLr, max: maxLrs[i], min: initialLr / finalDivFactor },
        momentum: { initial: maxMomentums[i], max: baseMomentums[i], min: maxMomentums[i] },
      };
    });
    super(optimizer);
    this.totalSteps = totalSteps;
    this.cycleMomentum = cycleMomentum;
    this.groupValues = groupValues;
    this.strategy = check.oneOf(owner, 'annealStrategy', options.annealStrategy ?? 'cos', ['cos', 'linear']);
    this.phases = oneCyclePhases(totalSteps, pctStart, options.threePhase ?? false);
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
      if (this.cycleMomentum)
        setMomentum('OneCycleLR', group, oneCycleValue(this.phases, t, values.momentum, this.strategy));
      return oneCycleValue(this.phases, t, values.lr, this.strategy);
    });
  }
}
