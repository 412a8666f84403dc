import * as tf from '@tensorflow/tfjs-core';

export interface Encoded {
  shape: number[];
  values: number[];
  dtype?: string;
}

export function decode(e: Encoded): tf.Tensor {
  return tf.tensor(e.values, e.shape, e.dtype === 'int32' ? 'int32' : 'float32');
}

/** A tensor's shape and values, read with `await data()` (webgpu in Node has no synchronous read). */
export interface Readback {
  shape: number[];
  values: ArrayLike<number>;
}

export async function readback(t: tf.Tensor): Promise<Readback> {
  return { shape: t.shape, values: (await t.data()) as ArrayLike<number> };
}

/** The largest amount by which |actual − expected| exceeds atol + rtol·|expected| (0 when all within). */
export function excess(actual: tf.Tensor | Readback, expected: Encoded, rtol = 1e-5, atol = 1e-5): number {
  if (!tf.util.arraysEqual(actual.shape, expected.shape)) return Number.POSITIVE_INFINITY;
  const values = actual instanceof tf.Tensor ? actual.dataSync() : actual.values;
  let worst = 0;
  expected.values.forEach((e, i) => {
    worst = Math.max(worst, Math.abs(values[i] - e) - (atol + rtol * Math.abs(e)));
  });
  return Number.isNaN(worst) ? Number.POSITIVE_INFINITY : worst;
}
