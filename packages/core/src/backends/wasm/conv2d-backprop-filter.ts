import * as tf from '@tensorflow/tfjs-core';

interface Conv2DBackpropFilterAttrs {
  strides: [number, number] | number;
  pad: 'valid' | 'same' | number | tf.backend_util.ExplicitPadding;
  dataFormat: 'NHWC' | 'NCHW';
  dimRoundingMode?: 'floor' | 'round' | 'ceil';
  filterShape: [number, number, number, number];
}

/**
 * The filter gradient of a 2-D convolution as one forward convolution, so it runs on XNNPACK: with the
 * batch moved into the channel axis, `dW[kh, kw, ci, co] = Σ x[n, kh + s·oh, kw + s·ow, ci]·dy[n, oh, ow, co]`
 * is the convolution of `xᵀ [ci, H, W, N]` with `dyᵀ [oh, ow, N, co]` dilated by the stride.
 */
export function conv2dBackpropFilter(
  x: tf.Tensor4D,
  dy: tf.Tensor4D,
  attrs: Conv2DBackpropFilterAttrs,
): tf.Tensor4D {
  return tf.tidy(() => {
    const info = tf.backend_util.computeConv2DInfo(
      x.shape,
      attrs.filterShape,
      attrs.strides,
      1,
      attrs.pad,
      attrs.dimRoundingMode,
      false,
      'channelsLast',
    );
    const [kh, kw] = attrs.filterShape;
    const [, height, width] = x.shape;
    const [, outHeight, outWidth] = dy.shape;
    const { top, left } = info.padInfo;
    const needH = kh + (outHeight - 1) * info.strideHeight;
    const needW = kw + (outWidth - 1) * info.strideWidth;
    // Pad (or crop) x so the "output" of the convolution below is exactly kh × kw.
    const padded = tf.pad(x, [
      [0, 0],
      [top, Math.max(0, needH - height - top)],
      [left, Math.max(0, needW - width - left)],
      [0, 0],
    ]);
    const cropped = tf.slice(padded, [0, 0, 0, 0], [-1, needH, needW, -1]);
    const input = tf.transpose(cropped, [3, 1, 2, 0]);
    const filter = tf.transpose(dy, [1, 2, 0, 3]);
    const result = tf.conv2d(input, filter, 1, 'valid', 'NHWC', [info.strideHeight, info.strideWidth]);
    return tf.transpose(result, [1, 2, 0, 3]);
  });
}
