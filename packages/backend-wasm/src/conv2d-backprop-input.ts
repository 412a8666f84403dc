import * as tf from '@tensorflow/tfjs-core';
import { heapView, wasmBackend } from './wasm-heap';

interface Conv2DBackpropInputAttrs {
  strides: [number, number] | number;
  pad: 'valid' | 'same' | number | tf.backend_util.ExplicitPadding;
  dataFormat: 'NHWC' | 'NCHW';
  dimRoundingMode?: 'floor' | 'round' | 'ceil';
  inputShape: [number, number, number, number];
}

/** Spreads `[N, oh, ow, C]` onto a stride grid: `[N, (oh − 1)·sh + 1, (ow − 1)·sw + 1, C]`, zeros between. */
function dilate(t: tf.Tensor4D, sh: number, sw: number): tf.Tensor4D {
  if (sh === 1 && sw === 1) return t;
  const [n, oh, ow, c] = t.shape;
  const grid = tf
    .pad(t.reshape([n, oh, 1, ow, 1, c]), [
      [0, 0],
      [0, 0],
      [0, sh - 1],
      [0, 0],
      [0, sw - 1],
      [0, 0],
    ])
    .reshape([n, oh * sh, ow * sw, c]);
  return tf.slice(grid, [0, 0, 0, 0], [n, (oh - 1) * sh + 1, (ow - 1) * sw + 1, c]) as tf.Tensor4D;
}

/** Pads (or, for negative amounts, crops) the two spatial axes. */
function padOrCrop(t: tf.Tensor4D, [top, bottom, left, right]: number[]): tf.Tensor4D {
  const padded = tf.pad(t, [
    [0, 0],
    [Math.max(top, 0), Math.max(bottom, 0)],
    [Math.max(left, 0), Math.max(right, 0)],
    [0, 0],
  ]);
  const [n, h, w, c] = padded.shape;
  const begin = [0, Math.max(-top, 0), Math.max(-left, 0), 0];
  return tf.slice(padded, begin, [
    n,
    h - begin[1] - Math.max(-bottom, 0),
    w - begin[2] - Math.max(-right, 0),
    c,
  ]);
}

/**
 * The filter `[kh, kw, ci, co]` rotated by 180° with its channel axes swapped, `[kh, kw, co, ci]`. On the wasm
 * heap one loop over a small tensor; tfjs's wasm `Reverse` took about 2.5 ms for a 3×3×32×64 filter.
 */
function rotated(filter: tf.Tensor4D): tf.Tensor4D {
  const backend = wasmBackend();
  if (!backend || filter.dtype !== 'float32') return tf.transpose(tf.reverse(filter, [0, 1]), [0, 1, 3, 2]);
  const [kh, kw, ci, co] = filter.shape;
  const out = backend.makeOutput([kh, kw, co, ci], 'float32');
  const from = heapView(backend, filter) as Float32Array;
  const to = heapView(backend, out) as Float32Array;
  for (let u = 0; u < kh; u++) {
    for (let v = 0; v < kw; v++) {
      const read = (u * kw + v) * ci * co;
      const write = ((kh - 1 - u) * kw + (kw - 1 - v)) * co * ci;
      for (let i = 0; i < ci; i++)
        for (let o = 0; o < co; o++) to[write + o * ci + i] = from[read + i * co + o];
    }
  }
  return tf.engine().makeTensorFromTensorInfo(out) as tf.Tensor4D;
}

/**
 * The top-left `[oh, ow]` window of `dy`: a `dy` larger than the convolution's output (a `conv2dTranspose`
 * whose input exceeds what its output shape produces) contributes only that window, as in tfjs's cpu kernel.
 */
function outputWindow(dy: tf.Tensor4D, oh: number, ow: number): tf.Tensor4D {
  const [n, h, w, c] = dy.shape;
  if (h <= oh && w <= ow) return dy;
  return tf.slice(dy, [0, 0, 0, 0], [n, Math.min(h, oh), Math.min(w, ow), c]);
}

/**
 * The input gradient of a 2-D convolution as one forward convolution on XNNPACK (tfjs's wasm kernel for it
 * is a scalar loop): the stride-dilated `dy`, padded by `k − 1 − pad`, correlated with the kernel rotated
 * by 180° with its channel axes swapped.
 */
export function conv2dBackpropInput(
  dy: tf.Tensor4D,
  filter: tf.Tensor4D,
  attrs: Conv2DBackpropInputAttrs,
): tf.Tensor4D {
  return tf.tidy(() => {
    const info = tf.backend_util.computeConv2DInfo(
      attrs.inputShape,
      filter.shape,
      attrs.strides,
      1,
      attrs.pad,
      attrs.dimRoundingMode,
      false,
      'channelsLast',
    );
    const [kh, kw] = filter.shape;
    const [, height, width] = attrs.inputShape;
    const spread = dilate(
      outputWindow(dy, info.outHeight, info.outWidth),
      info.strideHeight,
      info.strideWidth,
    );
    const top = kh - 1 - info.padInfo.top;
    const left = kw - 1 - info.padInfo.left;
    const bottom = height - spread.shape[1] - top + kh - 1;
    const right = width - spread.shape[2] - left + kw - 1;
    const kernel = rotated(filter);
    if (Math.min(top, bottom, left, right) < 0) {
      return tf.conv2d(padOrCrop(spread, [top, bottom, left, right]), kernel, 1, 'valid');
    }
    // Zero padding goes to the convolution itself rather than into a padded copy.
    return tf.conv2d(spread, kernel, 1, [
      [0, 0],
      [top, bottom],
      [left, right],
      [0, 0],
    ]);
  });
}
