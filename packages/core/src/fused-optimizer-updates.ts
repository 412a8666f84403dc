import type * as tf from '@tensorflow/tfjs-core';

/** The constants of one Adam/AdamW step, as `torch.optim.Adam`/`AdamW` (with `fused=True`) take them. */
export interface FusedAdamStep {
  lr: number;
  beta1: number;
  beta2: number;
  eps: number;
  weightDecay: number;
  /** AdamW's `θ ← θ(1 − γλ)` instead of Adam's `g ← g + λθ`. */
  decoupled: boolean;
  maximize: boolean;
  /** The step count after this step (1 at the first step), for the bias corrections. */
  step: number;
}

/** The constants of one SGD step, as `torch.optim.SGD` takes them. */
export interface FusedSgdStep {
  lr: number;
  momentum: number;
  dampening: number;
  weightDecay: number;
  nesterov: boolean;
  maximize: boolean;
  /** The momentum buffer is new: it takes `g` itself (PyTorch's first step), not `μb + (1 − τ)g`. */
  first: boolean;
}

/**
 * The `fusedOptimizerUpdates` backend capability: one parameter's whole optimizer update in one pass over
 * the backend's memory instead of a chain of kernels, with the reference path's results to float32
 * rounding. Every tensor passed is float32 and stored on the active backend (the optimizer checks that
 * once per step before choosing this path). State tensors are updated in place; the parameter is given
 * new values with `assign`.
 */
export interface FusedOptimizerUpdates {
  /** Adam/AdamW (no amsgrad): updates `expAvg`, `expAvgSq` and `param`. */
  adam(
    param: tf.Variable,
    grad: tf.Tensor,
    expAvg: tf.Variable,
    expAvgSq: tf.Variable,
    step: FusedAdamStep,
  ): void;
  /** SGD: updates `buffer` (the momentum buffer; absent when `momentum` is 0) and `param`. */
  sgd(param: tf.Variable, grad: tf.Tensor, buffer: tf.Variable | undefined, step: FusedSgdStep): void;
}
