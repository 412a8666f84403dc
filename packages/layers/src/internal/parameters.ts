import { NntkError, Parameter } from '@nntk/core';
import { kaimingUniform, uniform } from '@nntk/initializers';
import * as tf from '@tensorflow/tfjs-core';

/** A Parameter from a freshly made tensor; the temporary tensor is freed. */
export function makeParameter(name: string, make: () => tf.Tensor): Parameter {
  return tf.tidy(() => new Parameter(make(), { name }));
}

/** PyTorch's default weight of `Linear` and the convolutions: kaiming-uniform with `a = √5`. */
export function defaultWeight(shape: number[]): Parameter {
  return makeParameter('weight', () => kaimingUniform(shape, { a: Math.sqrt(5) }));
}

/** PyTorch's default bias of `Linear` and the convolutions: U(±1/√fanIn). */
export function defaultBias(size: number, fanIn: number): Parameter {
  const bound = 1 / Math.sqrt(fanIn);
  return makeParameter('bias', () => uniform([size], { a: -bound, b: bound }));
}

/** A non-trainable buffer (a plain variable, which `Module` treats as state, not a parameter). */
export function makeBuffer(make: () => tf.Tensor): tf.Variable {
  return tf.tidy(() => tf.variable(make(), false));
}

/** Throws a SHAPE_MISMATCH error that names the layer, what it expects and what it got. */
export function shapeError(layer: string, expected: string, actual: readonly number[]): never {
  throw new NntkError('SHAPE_MISMATCH', `${layer}: expected input ${expected}, got [${actual.join(', ')}]`);
}

/** Checks a positive integer size given to a layer constructor. */
export function checkSize(owner: string, option: string, value: unknown): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 1) {
    throw new NntkError(
      'INVALID_OPTION',
      `${owner}: '${option}' must be a positive integer, got ${JSON.stringify(value)}`,
    );
  }
  return value;
}

/** Expands an int-or-pair option (PyTorch's `_pair`). */
export function pair(
  owner: string,
  option: string,
  value: number | [number, number],
  min = 0,
): [number, number] {
  const out: [number, number] = Array.isArray(value) ? [value[0], value[1]] : [value, value];
  if (!out.every((v) => Number.isInteger(v) && v >= min)) {
    throw new NntkError(
      'INVALID_OPTION',
      `${owner}: '${option}' must be an integer >= ${min} or a pair of them, got ${JSON.stringify(value)}`,
    );
  }
  return out;
}

/** `y + bias`, broadcast over the last axis, or `y` for a layer without bias. */
export function withBias<T extends tf.Tensor>(y: T, bias: tf.Tensor | undefined): T {
  return bias ? (tf.add(y, bias) as T) : y;
}

/** Checks an integer option of a 1-d layer (`kernelSize`, `stride`, ...), at least `min`. */
export function single(owner: string, option: string, value: unknown, min = 0): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min) {
    throw new NntkError(
      'INVALID_OPTION',
      `${owner}: '${option}' must be an integer >= ${min}, got ${JSON.stringify(value)}`,
    );
  }
  return value;
}
