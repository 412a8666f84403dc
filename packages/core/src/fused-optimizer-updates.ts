import type * as tf from '@tensorflow/tfjs-core';

/**
 * One Adam/AdamW step, as `torch.optim.Adam`/`AdamW` (with `fused=True`) take it: the group's constant
 * options as numbers, and the numbers that change from step to step (they depend on the learning rate
 * and the step count) as float32 scalar tensors, so that a compiled step replays one trace of the fused
 * update for every step.
 */
export interface FusedAdamStep {
  beta1: number;
  beta2: number;
  eps: number;
  weightDecay: number;
  /** AdamW's `θ ← θ(1 − γλ)` instead of Adam's `g ← g + λθ`. */
  decoupled: boolean;
  maximize: boolean;
  /** `γ / (1 − β₁ᵗ)`: the learning rate over the first moment's bias correction. */
  stepSize: tf.Scalar;
  /** `√(1 − β₂ᵗ)`: the square root of the second moment's bias correction. */
  bc2Sqrt: tf.Scalar;
  /** AdamW's decay factor `1 − γλ` (with `decoupled`; Adam has none). */
  decay?: tf.Scalar;
}

/** One SGD step, as `torch.optim.SGD` takes it; the learning rate is a float32 scalar tensor. */
export interface FusedSgdStep {
  lr: tf.Scalar;
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
 * once per step before choosing this path). The update runs as one registered kernel through the engine
 * (so `compileStep` traces and replays it), which writes the state tensors in place
 * (`registerInPlaceKernel`); the parameter is given new values with `assign`.
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
