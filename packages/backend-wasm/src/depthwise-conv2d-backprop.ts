import * as tf from '@tensorflow/tfjs-core';
import { conv2dBackpropFilter } from './conv2d-backprop-filter';

interface DepthwiseAttrs {
  strides: [number, number] | number;
  pad: 'valid' | 'same' | number | tf.backend_util.ExplicitPadding;
  dilations: [number, number] | number;
  dimRoundingMode?: 'floor' | 'round' | 'ceil';
}

/** A 0/1 mask `[1, 1, C, C, 1]` selecting the diagonal channel blocks of a full convolution filter. */
function diagonalMask(channels: number): tf.Tensor {
  return tf.eye(channels).reshape([1, 1, channels, channels, 1]);
}

/** The depthwise filter `[kh, kw, C, m]` spread into the equivalent full filter `[kh, kw, C, C·m]`. */
function blockDiagonal(filter: tf.Tensor4D): tf.Tensor4D {
  const [kh, kw, c, m] = filter.shape;
  return tf.mul(filter.reshape([kh, kw, c, 1, m]), diagonalMask(c)).reshape([kh, kw, c, c * m]);
}

/**
 * The input gradient of a depthwise convolution, as the input gradient of the equivalent full
 * convolution with a block-diagonal filter (wasm has `Conv2DBackpropInput`).
 */
export function depthwiseConv2dBackpropInput(
  dy: tf.Tensor4D,
  filter: tf.Tensor4D,
  inputShape: [number, number, number, number],
  attrs: DepthwiseAttrs,
): tf.Tensor4D {
  return tf.tidy(() =>
    tf.conv2dTranspose(
      dy,
      blockDiagonal(filter),
      inputShape,
      attrs.strides,
      attrs.pad as 'valid',
      attrs.dimRoundingMode,
    ),
  );
}

/** The filter gradient of a depthwise convolution: the diagonal blocks of the full filter gradient. */
export function depthwiseConv2dBackpropFilter(
  x: tf.Tensor4D,
  dy: tf.Tensor4D,
  filterShape: [number, number, number, number],
  attrs: DepthwiseAttrs,
): tf.Tensor4D {
  return tf.tidy(() => {
    const [kh, kw, c, m] = filterShape;
    const full = conv2dBackpropFilter(x, dy, {
      strides: attrs.strides,
      pad: attrs.pad,
      dataFormat: 'NHWC',
      dimRoundingMode: attrs.dimRoundingMode,
      filterShape: [kh, kw, c, c * m],
    });
    return tf.sum(tf.mul(full.reshape([kh, kw, c, c, m]), diagonalMask(c)), 3) as tf.Tensor4D;
  });
}
