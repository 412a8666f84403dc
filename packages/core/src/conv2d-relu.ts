import * as tf from '@tensorflow/tfjs-core';
import { checkFusedShapes } from './fused-checks';
import { reluBiasGrad } from './fused-kernels';
import { check, checkOptions } from './validate';

/** Options of {@link conv2dReLU}. */
export interface Conv2dReLUOptions {
  strides: [number, number];
  /** tfjs's padding: `'same'`, `'valid'` or explicit `[[0, 0], [top, bottom], [left, right], [0, 0]]`. */
  pad: 'same' | 'valid' | tf.backend_util.ExplicitPadding;
  /** Whether the gradient with respect to `x` is computed (false for the data batch). Default true. */
  inputGradient?: boolean;
}

/**
 * `relu(conv2d(x, filter) + b)` over NHWC input as one fused op with its own backward pass: the forward is
 * one `FusedConv2D` kernel (XNNPACK adds the bias and clamps while it writes the output; `tf.fused.conv2d`
 * runs unfused under a gradient tape); the backward computes
 * `dz = y ≤ 0 ? 0 : dy` and `db = Σ_{n,h,w} dz` in one pass ({@link reluBiasGrad}), then the filter
 * gradient (`Conv2DBackpropFilter`) and, unless `inputGradient` is false, the input gradient
 * (`Conv2DBackpropInput`). Values equal `relu(conv2d(x, filter) + b)` with PyTorch's ReLU gradient.
 * Undilated, ungrouped convolutions; `filter` is `[kh, kw, in, out]`.
 */
export function conv2dReLU(
  x: tf.Tensor4D,
  filter: tf.Tensor4D,
  bias: tf.Tensor1D | undefined,
  options: Conv2dReLUOptions,
): tf.Tensor4D {
  checkOptions<Conv2dReLUOptions>('conv2dReLU', options, { strides: true, pad: true, inputGradient: true });
  const { strides, pad } = options;
  const inputGradient = check.boolean('conv2dReLU', 'inputGradient', options.inputGradient ?? true);
  checkFusedShapes(
    'conv2dReLU',
    x.rank === 4 &&
      filter.rank === 4 &&
      x.shape[3] === filter.shape[2] &&
      (!bias || (bias.rank === 1 && bias.shape[0] === filter.shape[3])),
    'x [N, H, W, in] (NHWC), filter [kh, kw, in, out] and bias [out]',
    [x, filter, ...(bias ? [bias] : [])],
  );
  const inputs = [filter, ...(bias ? [bias] : []), ...(inputGradient ? [x] : [])];
  const attrs = { strides, pad, dataFormat: 'NHWC' };
  const op = tf.customGrad((...args: (tf.Tensor | tf.GradSaveFunc)[]) => {
    const save = args[args.length - 1] as tf.GradSaveFunc;
    // The kernel itself: tf.fused.conv2d runs unfused while a gradient is recorded.
    const value = tf
      .engine()
      .runKernel(
        'FusedConv2D',
        { x, filter, ...(bias ? { bias } : {}) },
        { ...attrs, dilations: [1, 1], activation: 'relu', leakyreluAlpha: 0 },
      ) as tf.Tensor4D;
    save([x, filter, value]);
    return {
      value,
      gradFunc: (dy: tf.Tensor, [xs, w, y]: tf.Tensor[]) => {
        const [dz, db] = reluBiasGrad(y, dy);
        const engine = tf.engine();
        const grads = [
          engine.runKernel(
            'Conv2DBackpropFilter',
            { x: xs, dy: dz },
            { ...attrs, filterShape: w.shape },
          ) as tf.Tensor,
        ];
        if (bias) grads.push(db);
        else db.dispose();
        if (inputGradient)
          grads.push(
            engine.runKernel(
              'Conv2DBackpropInput',
              { dy: dz, filter: w },
              { ...attrs, inputShape: xs.shape },
            ) as tf.Tensor,
          );
        dz.dispose();
        return grads;
      },
    };
  });
  return op(...inputs) as tf.Tensor4D;
}
