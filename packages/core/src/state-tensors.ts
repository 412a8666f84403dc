import * as tf from '@tensorflow/tfjs-core';
import { NntkError } from './errors';

/** A JSON-safe skeleton in which each tensor was replaced by `{ $tensor: key }`. */
export interface SplitState {
  json: unknown;
  tensors: Record<string, tf.Tensor>;
}

/**
 * Separates the tensors from a nested state (an optimizer's or scheduler's `stateDict()`) so the tensors
 * can go into a safetensors file and the rest into JSON. Tensor keys are the dotted paths to them.
 */
export function splitStateTensors(state: unknown, prefix = ''): SplitState {
  const tensors: Record<string, tf.Tensor> = {};
  const walk = (value: unknown, path: string): unknown => {
    if (value instanceof tf.Tensor) {
      tensors[path] = value;
      return { $tensor: path };
    }
    if (Array.isArray(value)) return value.map((v, i) => walk(v, path ? `${path}.${i}` : String(i)));
    if (value !== null && typeof value === 'object') {
      return Object.fromEntries(
        Object.entries(value).map(([k, v]) => [k, walk(v, path ? `${path}.${k}` : k)]),
      );
    }
    return value;
  };
  return { json: walk(state, prefix), tensors };
}

/** The inverse of {@link splitStateTensors}; a reference to a missing tensor is a `CORRUPT_CHECKPOINT`. */
export function joinStateTensors<T = unknown>(json: unknown, tensors: Record<string, tf.Tensor>): T {
  const walk = (value: unknown): unknown => {
    if (Array.isArray(value)) return value.map(walk);
    if (value !== null && typeof value === 'object') {
      const ref = (value as { $tensor?: unknown }).$tensor;
      if (typeof ref === 'string') {
        if (!Object.hasOwn(tensors, ref)) {
          throw new NntkError(
            'CORRUPT_CHECKPOINT',
            `state refers to tensor '${ref}', which the checkpoint does not hold`,
          );
        }
        return tensors[ref];
      }
      return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, walk(v)]));
    }
    return value;
  };
  return walk(json) as T;
}
