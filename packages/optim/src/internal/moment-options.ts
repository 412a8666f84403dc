import { check } from '@nntk/core';
import { type BaseOptimizerOptions, checkBetas, type ParamGroup, type ParamState } from '../optimizer';

/** Options of the optimizers built on first and second moments (Adam's family). */
export interface MomentOptions extends BaseOptimizerOptions {
  betas: [number, number];
  eps: number;
  weightDecay: number;
  maximize: boolean;
}

/** Validates `betas`, `eps` and `weightDecay`, naming the optimizer in the message. */
export function validateMomentGroup(owner: string, g: ParamGroup<MomentOptions>): void {
  checkBetas(owner, g.betas);
  check.nonNegative(owner, 'eps', g.eps);
  check.nonNegative(owner, 'weightDecay', g.weightDecay);
}

/** Advances the per-parameter step counter and returns the new step (PyTorch's `state['step'] += 1`). */
export function nextStep(state: ParamState): number {
  state.step = (state.step as number) + 1;
  return state.step;
}
