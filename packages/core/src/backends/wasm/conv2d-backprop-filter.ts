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
    const bottom = needH - height - top;
    const right = needW - width - left;
    // Rows and columns no output reads are cropped; the zero padding goes to the convolution itself.
    const used =
      bottom < 0 || right < 0
        ? tf.slice(x, [0, 0, 0, 0], [-1, height + Math.min(bottom, 0), width + Math.min(right, 0), -1])
        : x;
    const input = tf.transpose(used, [3, 1, 2, 0]);
    const filter = tf.transpose(dy, [1, 2, 0, 3]);
    const pad: tf.backend_util.ExplicitPadding = [
      [0, 0],
      [top, Math.max(bottom, 0)],
      [left, Math.max(right, 0)],
      [0, 0],
    ];
    const result = tf.conv2d(input, filter, 1, pad, 'NHWC', [info.strideHeight, info.strideWidth]);
    return tf.transpose(result, [1, 2, 0, 3]);
  });
}
