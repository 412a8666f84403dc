import type * as tf from '@tensorflow/tfjs-core';
import { NntkError } from './errors';

/** Throws `SHAPE_MISMATCH` from a fused op unless `ok`, naming what it expected and the shapes it got. */
export function checkFusedShapes(owner: string, ok: boolean, expected: string, tensors: tf.Tensor[]): void {
  if (ok) return;
  const got = tensors.map((t) => `[${t.shape.join(', ')}]`).join(' and ');
  throw new NntkError('SHAPE_MISMATCH', `${owner}: expected ${expected}, got ${got}`);
}
