import { type Module, NntkError, Parameter } from '@nntk/core';
import * as tf from '@tensorflow/tfjs-core';

/** A module and the name of one of its parameters, as PyTorch's `(module, 'weight')` pairs. */
export type PruningTarget = [Module, string];

/** The key of the mask buffer for a parameter, PyTorch's `<name>_mask` (also its state-dict suffix). */
export function maskKey(name: string): string {
  return `${name}_mask`;
}

/** The parameter `module[name]`, or an error naming the module, the name and the parameters it has. */
export function targetParameter(owner: string, module: Module, name: string): Parameter {
  const value: unknown =
    typeof module === 'object' && module !== null ? Reflect.get(module, name) : undefined;
  if (!(value instanceof Parameter)) {
    const own = Object.entries(module ?? {})
      .filter(([, v]) => v instanceof Parameter)
      .map(([k]) => `'${k}'`);
    throw new NntkError(
      'INVALID_OPTION',
      `${owner}: ${module?.constructor?.name ?? describe(module)} has no parameter '${name}' (its parameters: ${own.join(', ') || 'none'})`,
    );
  }
  return value;
}

function describe(value: unknown): string {
  return value === null ? 'null' : typeof value;
}

/** The current mask of `module[name]`, or undefined when it was never pruned. */
export function getMask(module: Module, name: string): tf.Variable | undefined {
  const value: unknown = Reflect.get(module, maskKey(name));
  return value instanceof tf.Variable ? value : undefined;
}

/** The current mask values (all ones when never pruned), read with `await data()`. */
export async function maskValues(module: Module, name: string, size: number): Promise<Float32Array> {
  const mask = getMask(module, name);
  return mask ? Float32Array.from(await mask.data()) : new Float32Array(size).fill(1);
}

/**
 * The importance scores of a parameter: its values, or `importanceScores` (checked to match its shape),
 * read with `await data()`.
 */
export async function scoresOf(
  owner: string,
  param: Parameter,
  label: string,
  scores?: tf.Tensor,
): Promise<Float32Array> {
  if (scores === undefined) return Float32Array.from(await param.data());
  if (!(scores instanceof tf.Tensor) || !tf.util.arraysEqual(scores.shape, param.shape)) {
    throw new NntkError(
      'SHAPE_MISMATCH',
      `${owner}: importanceScores must be a tensor of the shape of ${label}, [${param.shape}], got ${scores instanceof tf.Tensor ? `[${scores.shape}]` : typeof scores}`,
    );
  }
  return Float32Array.from(await scores.data());
}
