import { check, NntkError } from '@nntk/core';

/** What a sparsity schedule says for one step: whether to prune now, and to which sparsity. */
export interface SparsityDecision {
  prune: boolean;
  sparsity: number;
}

/** A pure function of the training step, with the settings it was built from. */
export type SparsitySchedule = ((step: number) => SparsityDecision) & {
  readonly beginStep: number;
  /** -1: no end. */
  readonly endStep: number;
  readonly frequency: number;
};

export interface StepRange {
  beginStep?: number;
  endStep?: number;
  frequency?: number;
}

/** Validates the step settings shared by the schedules (TFMOT's `_validate_step`). */
export function checkSteps(owner: string, options: StepRange, allowNoEnd: boolean): Required<StepRange> {
  const beginStep = check.integer(owner, 'beginStep', options.beginStep ?? 0);
  const endStep = options.endStep ?? -1;
  if (!(allowNoEnd && endStep === -1)) {
    check.integer(owner, 'endStep', endStep);
    if (endStep <= beginStep) {
      throw new NntkError(
        'INVALID_OPTION',
        `${owner}: option 'endStep' (${endStep}) must be greater than 'beginStep' (${beginStep})${allowNoEnd ? ', or -1 for no end' : ''}`,
      );
    }
  }
  const frequency = check.integer(owner, 'frequency', options.frequency ?? 100, 1);
  return { beginStep, endStep, frequency };
}

/** Checks a sparsity in [0, 1). */
export function checkSparsity(owner: string, option: string, value: unknown): number {
  return check.inRange(owner, option, value, 0, 1);
}

/**
 * Whether `step` is a pruning step: inside [beginStep, endStep] and on a `frequency` boundary counted from
 * `beginStep`, or exactly `endStep` (so the final sparsity is reached at `endStep` even when the range is
 * not a multiple of `frequency`; TFMOT skips that last step).
 */
export function isPruningStep(step: number, { beginStep, endStep, frequency }: Required<StepRange>): boolean {
  if (step < beginStep || (endStep !== -1 && step > endStep)) return false;
  return (step - beginStep) % frequency === 0 || step === endStep;
}

export function makeSchedule(
  steps: Required<StepRange>,
  sparsityAt: (step: number) => number,
): SparsitySchedule {
  const schedule = (step: number): SparsityDecision => ({
    prune: isPruningStep(step, steps),
    sparsity: sparsityAt(step),
  });
  return Object.assign(schedule, steps);
}
