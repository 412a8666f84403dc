import * as tf from '@tensorflow/tfjs-core';
import type { KernelFunction } from './kernel-wrapper';

/** Below this many elements the original kernel's fixed cost is lower. */
const MIN_SIZE = 4096;

function isLeading(axes: number[]): boolean {
  return [...axes].sort((a, b) => a - b).every((axis, i) => axis === i);
}

/**
 * Wraps the wasm `Sum` kernel: a float32 sum over the leading axes (every bias gradient: `[N, H, W, C]`
 * to `[C]`) runs as XNNPACK's average pooling over `[1, R, 1, C]` with an `R × 1` window, times R.
 * The wasm kernel first transposes the reduced axes innermost with a scalar loop, which costs about 20
 * times more. Other sums go to the original kernel.
 */
export function withLeadingAxesSum(original: KernelFunction): KernelFunction {
  return (args) => {
    const x: tf.Tensor = args.inputs.x;
    const axes = tf.util.parseAxisParam(args.attrs.axis, x.shape);
    const reduced = axes.reduce((size, axis) => size * x.shape[axis], 1);
    const kept = x.size / reduced;
    if (x.dtype !== 'float32' || x.size < MIN_SIZE || kept === 1 || !isLeading(axes)) {
      return original(args);
    }
    const outShape = args.attrs.keepDims
      ? x.shape.map((d, axis) => (axes.includes(axis) ? 1 : d))
      : x.shape.filter((_, axis) => !axes.includes(axis));
    return tf.tidy(() => {
      const rows = x.reshape([1, reduced, 1, kept]) as tf.Tensor4D;
      const mean = tf.avgPool(rows, [reduced, 1], [reduced, 1], 'valid');
      return tf.mul(mean, tf.scalar(reduced)).reshape(outShape);
    });
  };
}
