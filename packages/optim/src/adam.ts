import * as tf from '@tensorflow/tfjs-core';
import { decayedGradient, decayFactor } from './internal/decoupled-decay';
import { type MomentOptions, type MomentStep, momentSpec } from './internal/moment-options';
import { biasCorrection } from './internal/moments';
import { stateVariable } from './internal/state-variable';
import { Optimizer, type OptimizerSpec, type ParamsInput, type UpdateContext } from './optimizer';

export interface AdamOptions extends MomentOptions {
  amsgrad: boolean;
  /**
   * On the wasm backend, update each parameter in one pass over the wasm heap instead of ~15 kernels
   * (PyTorch's `fused`): a float32 WebAssembly SIMD kernel, or a float64 JavaScript loop where SIMD is
   * missing. Matches the reference path to float32 rounding. Default true; ignored elsewhere and with
   * `amsgrad`.
   */
  fused: boolean;
}

function adamUpdate(
  { param, state, group: g, scalars: s }: UpdateContext<AdamOptions>,
  { expAvg, expAvgSq }: MomentStep,
): void {
  let second: tf.Tensor = expAvgSq;
  if (g.amsgrad) {
    const maxSq = state.maxExpAvgSq as tf.Variable;
    maxSq.assign(tf.maximum(maxSq, expAvgSq));
    second = maxSq;
  }
  const denom = tf.add(tf.div(tf.sqrt(second), s.bc2Sqrt), g.eps);
  param.assign(tf.sub(param, tf.mul(tf.div(expAvg, denom), s.stepSize)));
}

/** Adam's algorithm, with the L2 term (`decoupled` false) or AdamW's decoupled decay. */
export function adamSpec(name: string, decoupled: boolean): OptimizerSpec<AdamOptions> {
  const moments = momentSpec<AdamOptions>(
    name,
    { lr: 1e-3, amsgrad: false, fused: true },
    ['expAvg', 'expAvgSq'],
    ({ group: g, lr }, step) => ({
      stepSize: lr / biasCorrection(g.betas[0], step),
      bc2Sqrt: Math.sqrt(biasCorrection(g.betas[1], step)),
      ...(decoupled ? { decay: decayFactor(lr, g.weightDecay) } : {}),
    }),
    adamUpdate,
    ({ param, grad, group, scalars }) => decayedGradient(param, grad, group, scalars.decay),
  );
  return {
    ...moments,
    initState(param, g) {
      const state = moments.initState(param, g);
      if (g.amsgrad) state.maxExpAvgSq = stateVariable(param);
      return state;
    },
    fused: {
      applies: (g) => !g.amsgrad,
      update(updates, { param, grad, state, group: g, scalars }) {
        const [beta1, beta2] = g.betas;
        const { eps, weightDecay, maximize } = g;
        const moments = [state.expAvg, state.expAvgSq] as [tf.Variable, tf.Variable];
        const { stepSize, bc2Sqrt, decay } = scalars;
        updates.adam(param, grad, ...moments, {
          beta1,
          beta2,
          eps,
          weightDecay,
          decoupled,
          maximize,
          stepSize,
          bc2Sqrt,
          ...(decay ? { decay } : {}),
        });
      },
    },
  };
}

/**
 * Adam (Kingma and Ba 2015), PyTorch's formulation; `weightDecay` is an L2 term added to the gradient
 * (use {@link AdamW} for decoupled decay). `amsgrad` keeps the running maximum of the second moment
 * (Reddi et al. 2018): `m ← β₁m + (1−β₁)g; v ← β₂v + (1−β₂)g²; θ ← θ − γ/(1−β₁ᵗ) · m / (√v/√(1−β₂ᵗ) + ε)`.
 */
export class Adam extends Optimizer<AdamOptions> {
  constructor(params: ParamsInput<AdamOptions>, options: Partial<AdamOptions> = {}) {
    super(params, options, adamSpec('Adam', false));
  }
}
