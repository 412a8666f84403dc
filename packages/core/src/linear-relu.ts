import * as tf from '@tensorflow/tfjs-core';
import { checkFusedShapes } from './fused-checks';
import { reluBiasGrad } from './fused-kernels';
import { check, checkOptions } from './validate';

/** Options of {@link linearReLU}. */
export interface LinearReLUOptions {
  /** Whether the gradient with respect to `x` is computed (false for the data batch). Default true. */
  inputGradient?: boolean;
}

/**
 * `relu(x·W + b)` as one fused op with its own backward pass: the forward is one `_FusedMatMul` kernel (XNNPACK
 * adds the bias and clamps while it writes the output; `tf.fused.matMul` runs unfused under a gradient tape); the backward computes `dz = y ≤ 0 ? 0 : dy` and
 * `db = Σ_rows dz` in one pass ({@link reluBiasGrad}), then `dW = xᵀ·dz` and, unless `inputGradient` is
 * false, `dx = dz·Wᵀ`. Values equal `relu(matMul(x, W) + b)` with PyTorch's ReLU gradient. `x` is
 * `[N, in]`, `weight` `[in, out]` (tfjs's layout), `bias` `[out]`.
 */
export function linearReLU(
  x: tf.Tensor2D,
  weight: tf.Tensor2D,
  bias?: tf.Tensor1D,
  options: LinearReLUOptions = {},
): tf.Tensor2D {
  checkOptions<LinearReLUOptions>('linearReLU', options, { inputGradient: true });
  const inputGradient = check.boolean('linearReLU', 'inputGradient', options.inputGradient ?? true);
  const [inFeatures, outFeatures] = weight.shape;
  checkFusedShapes(
    'linearReLU',
    x.rank === 2 &&
      weight.rank === 2 &&
      x.shape[1] === inFeatures &&
      (!bias || (bias.rank === 1 && bias.shape[0] === outFeatures)),
    `x [N, in], weight [in, out] and bias [out]`,
    [x, weight, ...(bias ? [bias] : [])],
  );
  const inputs = [weight, ...(bias ? [bias] : []), ...(inputGradient ? [x] : [])];
  const op = tf.customGrad((...args: (tf.Tensor | tf.GradSaveFunc)[]) => {
    const save = args[args.length - 1] as tf.GradSaveFunc;
    // The kernel itself: tf.fused.matMul runs unfused while a gradient is recorded.
    const [n, k] = x.shape;
    const fused = tf
      .engine()
      .runKernel(
        '_FusedMatMul',
        { a: x.reshape([1, n, k]), b: weight.reshape([1, k, weight.shape[1]]), ...(bias ? { bias } : {}) },
        { transposeA: false, transposeB: false, activation: 'relu', leakyreluAlpha: 0 },
      ) as tf.Tensor;
    const value = fused.reshape([n, weight.shape[1]]) as tf.Tensor2D;
    save([x, weight, value]);
    return {
      value,
      gradFunc: (dy: tf.Tensor, [xs, w, y]: tf.Tensor[]) => {
        const [dz, db] = reluBiasGrad(y, dy);
        const grads = [tf.matMul(xs as tf.Tensor2D, dz as tf.Tensor2D, true, false)];
        if (bias) grads.push(db);
        else db.dispose();
        if (inputGradient) grads.push(tf.matMul(dz as tf.Tensor2D, w as tf.Tensor2D, false, true));
        dz.dispose();
        return grads;
      },
    };
  });
  return op(...inputs) as tf.Tensor2D;
}
