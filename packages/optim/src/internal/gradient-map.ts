import { NntkError } from '@nntk/core';
import type * as tf from '@tensorflow/tfjs-core';

/** What `step()` accepts: core's `valueAndGrads` result, a `Map`, or a tfjs `NamedTensorMap` by variable name. */
export type GradientsInput =
  | Map<tf.Variable, tf.Tensor>
  | { grads: Map<tf.Variable, tf.Tensor> }
  | tf.NamedTensorMap;

/** Normalises any accepted gradient form into a Map keyed by variable, resolving names against `params`. */
export function toGradientMap(
  input: GradientsInput,
  params: readonly tf.Variable[],
): Map<tf.Variable, tf.Tensor> {
  if (input instanceof Map) return input;
  const maybe = input as { grads?: unknown };
  if (maybe.grads instanceof Map) return maybe.grads as Map<tf.Variable, tf.Tensor>;
  if (input === null || typeof input !== 'object') {
    throw new NntkError(
      'INVALID_OPTION',
      `step: expected gradients as a Map, { grads } or a NamedTensorMap, got ${typeof input}`,
    );
  }
  const byName = new Map(params.map((p) => [p.name, p]));
  const out = new Map<tf.Variable, tf.Tensor>();
  for (const [name, grad] of Object.entries(input as tf.NamedTensorMap)) {
    const param = byName.get(name);
    if (param && grad != null) out.set(param, grad);
  }
  return out;
}
