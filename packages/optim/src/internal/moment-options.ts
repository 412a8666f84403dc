import { check } from '@nntk/core';
import type * as tf from '@tensorflow/tfjs-core';
import { type BaseOptimizerOptions, checkBetas, type ParamGroup, type ParamState } from '../optimizer';
import { stateVariable } from './state-variable';

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

/** The defaults the moment optimizers share besides `lr` (and `eps`, which LAMB sets to 1e-6). */
export const MOMENT_DEFAULTS = {
  betas: [0.9, 0.999] as [number, number],
  eps: 1e-8,
  weightDecay: 0,
  maximize: false,
};

/** A state of zero-filled variables shaped like `param`, one for each name, after a zero step counter. */
export function momentState(param: tf.Variable, ...names: string[]): ParamState {
  const state: ParamState = { step: 0 };
  for (const name of names) state[name] = stateVariable(param);
  return state;
}
