import * as tf from '@tensorflow/tfjs-core';
import { NntkError } from './errors';

/** Gradients keyed by the variable (or `Parameter`) they belong to. */
export type Gradients = Map<tf.Variable, tf.Tensor>;

export interface ValueAndGrads {
  value: tf.Scalar;
  grads: Gradients;
}

/**
 * Evaluates `lossFn` and the gradient of its scalar result with respect to each trainable variable in
 * `params`. Works for `Parameter`s and plain `tf.Variable`s. A variable the loss does not depend on gets
 * no entry (PyTorch's `grad is None`). The caller owns and disposes `value` and the gradients
 * (see {@link disposeGradients}).
 */
export function valueAndGrads(lossFn: () => tf.Scalar, params: Iterable<tf.Variable>): ValueAndGrads {
  const variables = [...params].filter((p) => p.trainable);
  if (variables.length === 0) {
    throw new NntkError('NO_GRADIENT', 'valueAndGrads: no trainable variables were given');
  }
  let result: { value: tf.Scalar; grads: tf.NamedTensorMap };
  try {
    result = tf.variableGrads(lossFn, variables);
  } catch (error) {
    const message = String((error as Error)?.message ?? error);
    if (/Cannot find a connection/.test(message)) {
      throw new NntkError(
        'NO_GRADIENT',
        'valueAndGrads: the loss does not depend on any of the given variables (check that the loss uses them)',
        { cause: error },
      );
    }
    if (/must return a scalar|rank 0/.test(message)) {
      throw new NntkError('SHAPE_MISMATCH', 'valueAndGrads: the loss function must return a scalar tensor', {
        cause: error,
      });
    }
    throw error;
  }
  const grads: Gradients = new Map();
  for (const v of variables) {
    const g = result.grads[v.name];
    if (g != null) grads.set(v, g);
  }
  return { value: result.value, grads };
}

/**
 * Disposes every gradient tensor in `grads`: a {@link Gradients} `Map` (from `valueAndGrads`) or a tfjs
 * `NamedTensorMap` (from `tf.variableGrads(f).grads`). Any other value is an `INVALID_OPTION` NntkError,
 * so a wrong form never leaks silently.
 */
export function disposeGradients(grads: Gradients | tf.NamedTensorMap): void {
  const all = gradientValues(grads);
  if (!all || all.some((g) => g != null && !(g instanceof tf.Tensor))) {
    throw new NntkError(
      'INVALID_OPTION',
      'disposeGradients: expected a Map from parameter to tensor or a tfjs NamedTensorMap (name -> tensor); pass `.grads` of a valueAndGrads / tf.variableGrads result',
    );
  }
  for (const g of all) if (g instanceof tf.Tensor) g.dispose();
}

function gradientValues(grads: unknown): unknown[] | undefined {
  if (grads instanceof Map) return [...grads.values()];
  if (grads !== null && typeof grads === 'object' && !Array.isArray(grads)) return Object.values(grads);
  return undefined;
}
