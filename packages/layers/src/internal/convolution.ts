import { NntkError } from '@nntk/core';
import * as tf from '@tensorflow/tfjs-core';
import { isConstantInput } from './gradient-tape';
import { withBias } from './parameters';

/** Padding as tfjs's convolutions take it. */
export type ConvPadding = 'same' | 'valid' | tf.backend_util.ExplicitPadding;

/** A 0/1 matrix `[size·d − d + 1, size]` placing row i at row i·d. */
function spreadMatrix(size: number, d: number): tf.Tensor2D {
  const rows = (size - 1) * d + 1;
  const values = new Float32Array(rows * size);
  for (let i = 0; i < size; i++) values[i * d * size + i] = 1;
  return tf.tensor2d(values, [rows, size]);
}

/** The kernel of a dilated convolution as an ordinary one: `K'[i·dh, j·dw] = K[i, j]`, zeros between. */
export function dilateKernel(kernel: tf.Tensor4D, [dh, dw]: [number, number]): tf.Tensor4D {
  const [kh, kw, cin, cout] = kernel.shape;
  const rowsSpread = tf.matMul(spreadMatrix(kh, dh), kernel.reshape([kh, kw * cin * cout]));
  const bh = (kh - 1) * dh + 1;
  const byColumn = tf
    .transpose(rowsSpread.reshape([bh, kw, cin * cout]), [1, 0, 2])
    .reshape([kw, bh * cin * cout]);
  const bw = (kw - 1) * dw + 1;
  const spread = tf.matMul(spreadMatrix(kw, dw), byColumn).reshape([bw, bh, cin, cout]);
  return tf.transpose(spread, [1, 0, 2, 3]) as tf.Tensor4D;
}

/**
 * A grouped NHWC convolution with kernel `[kh, kw, in/groups, out]`: one depthwise convolution when
 * `groups = in`, otherwise one convolution per group.
 */
export function convolveGrouped(
  x: tf.Tensor4D,
  w: tf.Tensor4D,
  stride: [number, number],
  pad: ConvPadding,
  groups: number,
): tf.Tensor4D {
  if (groups === 1) return tf.conv2d(x, w, stride, pad, 'NHWC');
  const inChannels = x.shape[3];
  const outChannels = w.shape[3];
  if (groups === inChannels) {
    const [kh, kw] = w.shape;
    const depthwise = w.reshape([kh, kw, inChannels, outChannels / inChannels]) as tf.Tensor4D;
    return tf.depthwiseConv2d(x, depthwise, stride, pad, 'NHWC');
  }
  const inputs = tf.split(x, groups, 3);
  const kernels = tf.split(w, groups, 3);
  return tf.concat(
    inputs.map((xi, g) => tf.conv2d(xi as tf.Tensor4D, kernels[g] as tf.Tensor4D, stride, pad, 'NHWC')),
    3,
  ) as tf.Tensor4D;
}

/** A convolution's geometry, as `Conv2d` holds it. */
export interface ConvGeometry {
  stride: [number, number];
  padding: [number, number] | 'same' | 'valid';
  dilation: [number, number];
  groups: number;
}

/** The padding as tfjs takes it: zero padding is passed to the convolution, never applied as a copy. */
export function tfPadding(padding: ConvGeometry['padding']): ConvPadding {
  if (padding === 'same' || padding === 'valid') return padding;
  const [ph, pw] = padding;
  if (ph === 0 && pw === 0) return 'valid';
  return [
    [0, 0],
    [ph, ph],
    [pw, pw],
    [0, 0],
  ];
}

/**
 * `conv(x, w) + b` over NHWC input with kernel `[kh, kw, in/groups, out]` (dilated kernels run as
 * ordinary ones with zeros between taps).
 */
export function convolveNhwc(
  x: tf.Tensor4D,
  weight: tf.Tensor4D,
  bias: tf.Tensor | undefined,
  g: ConvGeometry,
): tf.Tensor4D {
  const w = g.dilation[0] > 1 || g.dilation[1] > 1 ? dilateKernel(weight, g.dilation) : weight;
  const pad = tfPadding(g.padding);
  if (g.groups === 1 && bias && !isConstantInput(x)) {
    // One kernel for convolution and bias (XNNPACK adds the bias while it writes the output). Not
    // on the data batch: the fused op's gradient would compute the input gradient nobody needs.
    return tf.fused.conv2d({ x, filter: w, strides: g.stride, pad, bias: bias as tf.Tensor1D });
  }
  return withBias(convolveGrouped(x, w, g.stride, pad, g.groups), bias);
}

/**
 * The checks PyTorch's convolutions make of their geometry: `groups` divides both channel counts, and
 * padding `'same'` comes with stride 1.
 */
export function checkConvGeometry(
  owner: string,
  {
    inChannels,
    outChannels,
    groups,
    padding,
    stride,
  }: {
    inChannels: number;
    outChannels: number;
    groups: number;
    padding: unknown;
    stride: number[];
  },
): void {
  if (inChannels % groups !== 0 || outChannels % groups !== 0) {
    throw new NntkError(
      'INVALID_OPTION',
      `${owner}: 'groups' (${groups}) must divide inChannels (${inChannels}) and outChannels (${outChannels})`,
    );
  }
  if (padding === 'same' && stride.some((s) => s > 1)) {
    throw new NntkError('INVALID_OPTION', `${owner}: padding 'same' needs stride 1 (as in PyTorch)`);
  }
}
