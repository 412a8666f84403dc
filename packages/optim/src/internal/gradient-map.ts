import { NntkError } from '@nntk/core';
import * as tf from '@tensorflow/tfjs-core';

/**
 * Gradients in either form nntk accepts: a `Map` keyed by parameter (core's `valueAndGrads`) or a tfjs
 * `NamedTensorMap` keyed by variable name (`tf.variableGrads(f).grads`).
 */
export type GradientContainer = Map<tf.Variable, tf.Tensor> | tf.NamedTensorMap;

/**
 * What every function taking gradients accepts: either container, or a result object holding one under
 * `grads` (core's `valueAndGrads(...)`, tfjs's `tf.variableGrads(...)`).
 */
export type GradientsInput =
  | Map<tf.Variable, tf.Tensor>
  | { grads: Map<tf.Variable, tf.Tensor> }
  | tf.NamedTensorMap
  | { grads: tf.NamedTensorMap };

function kindOf(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  return typeof value === 'object' ? 'an object' : typeof value;
}

/**
 * Unwraps `{ grads }` and checks the container: a plain object must map names to tensors. Anything else
 * is an `INVALID_OPTION` NntkError naming `caller`, so a wrong form never passes as "no gradients".
 */
export function gradientContainer(input: GradientsInput, caller: string): GradientContainer {
  if (input instanceof Map) return input;
  if (input === null || typeof input !== 'object' || Array.isArray(input)) {
    throw new NntkError(
      'INVALID_OPTION',
      `${caller}: expected gradients as a Map from parameter to tensor or a tfjs NamedTensorMap (name -> tensor), got ${kindOf(input)}`,
    );
  }
  const wrapped = (input as { grads?: unknown }).grads;
  if (wrapped !== undefined && !(wrapped instanceof tf.Tensor)) {
    return gradientContainer(wrapped as GradientsInput, caller);
  }
  for (const [name, grad] of Object.entries(input)) {
    if (grad != null && !(grad instanceof tf.Tensor)) {
      throw new NntkError(
        'INVALID_OPTION',
        `${caller}: gradient '${name}' is ${kindOf(grad)}, not a tensor; pass a Map from parameter to tensor or a tfjs NamedTensorMap (name -> tensor), e.g. tf.variableGrads(f).grads`,
      );
    }
  }
  return input as tf.NamedTensorMap;
}

/** Every (non-null) gradient tensor in the container, in its iteration order. */
export function gradientTensors(grads: GradientContainer): tf.Tensor[] {
  const all = grads instanceof Map ? [...grads.values()] : Object.values(grads);
  return all.filter((g): g is tf.Tensor => g != null);
}

/** Replaces each gradient by `fn(gradient)` in the same container, disposing the old tensor (in place, as PyTorch). */
export function replaceGradients(grads: GradientContainer, fn: (g: tf.Tensor) => tf.Tensor): void {
  if (grads instanceof Map) {
    for (const [param, grad] of grads) {
      const next = tf.tidy(() => fn(grad));
      grad.dispose();
      grads.set(param, next);
    }
    return;
  }
  for (const [name, grad] of Object.entries(grads)) {
    if (grad == null) continue;
    const next = tf.tidy(() => fn(grad));
    grad.dispose();
    grads[name] = next;
  }
}

/**
 * Normalises any accepted gradient form into a Map keyed by variable, resolving names against `params`.
 * Names that are not among `params` are ignored (a `tf.variableGrads` call without a variable list also
 * returns other models' gradients), but if none resolves the call throws: that is a wrong input, never
 * a step with no gradients.
 */
export function toGradientMap(
  input: GradientsInput,
  params: readonly tf.Variable[],
  caller = 'step',
): Map<tf.Variable, tf.Tensor> {
  const grads = gradientContainer(input, caller);
  if (grads instanceof Map) return grads;
  const byName = new Map(params.map((p) => [p.name, p]));
  const out = new Map<tf.Variable, tf.Tensor>();
  const names = Object.keys(grads).filter((name) => grads[name] != null);
  for (const name of names) {
    const param = byName.get(name);
    if (param) out.set(param, grads[name]);
  }
  if (names.length > 0 && out.size === 0) {
    const shown = (list: string[]) => list.slice(0, 5).join(', ') + (list.length > 5 ? ', ...' : '');
    throw new NntkError(
      'NO_GRADIENT',
      `${caller}: none of the gradient names (${shown(names)}) is a parameter here (parameters: ${shown([...byName.keys()])}); compute the gradients for these parameters, e.g. tf.variableGrads(f, params)`,
    );
  }
  return out;
}
