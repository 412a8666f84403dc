import { check } from '@nntk/core';
import type * as tf from '@tensorflow/tfjs-core';
import {
  type BaseOptimizerOptions,
  checkBetas,
  type HostContext,
  type OptimizerSpec,
  type ParamGroup,
  type ParamState,
  type UpdateContext,
} from '../optimizer';
import { coupledGradient } from './coupled-gradient';
import { firstMoment, secondMoment } from './moments';
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

/**
 * What a moment optimizer's device update starts from: its betas, the gradient it works with, and
 * the moments already updated with `d`: the first `expAvg`, and the second `expAvgSq` where the state has
 * one (Adamax keeps an infinity norm instead).
 */
export interface MomentStep {
  beta1: number;
  beta2: number;
  d: tf.Tensor;
  expAvg: tf.Variable;
  expAvgSq: tf.Variable;
}

/** The gradient with the L2 term `λθ` (coupled weight decay), negated when maximizing. */
const withL2 = ({ param, grad, group }: UpdateContext<MomentOptions>) => coupledGradient(param, grad, group);

/**
 * An {@link OptimizerSpec} of the moment family: its name, {@link MOMENT_DEFAULTS} with its own
 * `defaults` over them, {@link validateMomentGroup}, a state of a step counter and zero-filled variables
 * named `stateNames` (`expAvg` first), a host side that advances the step counter and hands it to
 * `prepare` for the step's numbers, and a device update that gets the betas, the gradient `gradient`
 * forms (by default with the L2 term) and the updated moments ({@link MomentStep}), then runs `update`.
 */
export function momentSpec<O extends MomentOptions>(
  name: string,
  defaults: Omit<O, keyof MomentOptions> & Partial<MomentOptions>,
  stateNames: string[],
  prepare: (context: HostContext<O>, step: number) => Record<string, number>,
  update: (context: UpdateContext<O>, moment: MomentStep) => void,
  gradient: (context: UpdateContext<O>) => tf.Tensor = withL2,
): OptimizerSpec<O> {
  return {
    name,
    defaults: { ...MOMENT_DEFAULTS, ...defaults } as OptimizerSpec<O>['defaults'],
    validate: validateMomentGroup,
    initState: (param) => momentState(param, ...stateNames),
    prepare: (context) => prepare(context, nextStep(context.state)),
    update(context) {
      const [beta1, beta2] = context.group.betas;
      const { state } = context;
      const d = gradient(context);
      const expAvg = state.expAvg as tf.Variable;
      const expAvgSq = state.expAvgSq as tf.Variable;
      firstMoment(expAvg, d, beta1);
      if (expAvgSq) secondMoment(expAvgSq, d, beta2);
      update(context, { beta1, beta2, d, expAvg, expAvgSq });
    },
  };
}
