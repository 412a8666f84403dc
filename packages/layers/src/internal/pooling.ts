import { NntkError } from '@nntk/core';
import * as tf from '@tensorflow/tfjs-core';

/** The window settings of a 2-D pool (a 1-D pool is a 2-D one with a height-1 window). */
export interface PoolGeometry {
  kernelSize: [number, number];
  stride: [number, number];
  padding: [number, number];
  ceilMode: boolean;
}

/** PyTorch's check that each side's padding is at most half the kernel (`pad should be at most half of kernel size`). */
export function checkPoolPadding(owner: string, padding: number[], kernelSize: number[]): void {
  if (padding.some((p, i) => p * 2 > kernelSize[i])) {
    const show = (v: number[]) => (v.length === 1 ? `${v[0]}` : `[${v}]`);
    throw new NntkError(
      'INVALID_OPTION',
      `${owner}: padding ${show(padding)} must be at most half the kernel size ${show(kernelSize)} (as in PyTorch)`,
    );
  }
}

/**
 * PyTorch's pooled length (`pooling_output_shape`): `⌊(L + 2p − k)/s⌋ + 1`, with `⌈·⌉` in ceil mode, minus
 * one when the last window would start in the right padding (the last window must start inside the input
 * or the left padding).
 */
export function pooledLength(
  size: number,
  kernel: number,
  stride: number,
  pad: number,
  ceilMode: boolean,
): number {
  const span = size + 2 * pad - kernel;
  let out = Math.floor((span + (ceilMode ? stride - 1 : 0)) / stride) + 1;
  if (ceilMode && (out - 1) * stride >= size + pad) out--;
  return out;
}

/** The padding on the far side that makes a 'valid' pool over the padded axis give `out` windows. */
function farPadding(size: number, kernel: number, stride: number, pad: number, out: number): number {
  return Math.max(pad, (out - 1) * stride + kernel - size - pad);
}

/** `[[0,0],[top,bottom],[left,right],[0,0]]` and the pooled size for an NHWC input. */
function paddings(owner: string, x: tf.Tensor4D, g: PoolGeometry) {
  const [, h, w] = x.shape;
  const oh = pooledLength(h, g.kernelSize[0], g.stride[0], g.padding[0], g.ceilMode);
  const ow = pooledLength(w, g.kernelSize[1], g.stride[1], g.padding[1], g.ceilMode);
  if (oh < 1 || ow < 1) {
    throw new NntkError(
      'SHAPE_MISMATCH',
      `${owner}: input ${h}x${w} is smaller than the kernel [${g.kernelSize}] with padding [${g.padding}]`,
    );
  }
  const bottom = farPadding(h, g.kernelSize[0], g.stride[0], g.padding[0], oh);
  const right = farPadding(w, g.kernelSize[1], g.stride[1], g.padding[1], ow);
  const pads: [number, number][] = [
    [0, 0],
    [g.padding[0], bottom],
    [g.padding[1], right],
    [0, 0],
  ];
  return { pads, padded: pads.some(([a, b]) => a > 0 || b > 0) };
}

/** Max pooling of NHWC images with −∞ padding and PyTorch's output size (incl. `ceilMode`). */
export function maxPoolNhwc(owner: string, x: tf.Tensor4D, g: PoolGeometry): tf.Tensor4D {
  const { pads, padded } = paddings(owner, x, g);
  const input = padded ? tf.pad(x, pads, Number.NEGATIVE_INFINITY) : x;
  return tf.maxPool(input, g.kernelSize, g.stride, 'valid');
}

/**
 * Average pooling of NHWC images as PyTorch's `avg_pool2d`: each window's sum divided by the number of its
 * elements inside the zero-padded input (`countIncludePad`, the default; the overhang of ceil mode is
 * never counted) or inside the input itself.
 */
export function avgPoolNhwc(
  owner: string,
  x: tf.Tensor4D,
  g: PoolGeometry,
  countIncludePad: boolean,
): tf.Tensor4D {
  const { pads, padded } = paddings(owner, x, g);
  const pool = (t: tf.Tensor4D) => tf.avgPool(padded ? tf.pad(t, pads) : t, g.kernelSize, g.stride, 'valid');
  const summed = pool(x);
  const [, h, w] = x.shape;
  const [ph, pw] = g.padding;
  const overhang = pads[1][1] > ph || pads[2][1] > pw;
  if (!padded || (countIncludePad && !overhang)) return summed;
  // Divide by the fraction of each window that lies where elements are counted.
  const counted = countIncludePad
    ? tf.pad(tf.ones([1, h + 2 * ph, w + 2 * pw, 1]), [
        [0, 0],
        [0, pads[1][1] - ph],
        [0, pads[2][1] - pw],
        [0, 0],
      ])
    : tf.pad(tf.ones([1, h, w, 1]), pads);
  return tf.div(summed, tf.avgPool(counted as tf.Tensor4D, g.kernelSize, g.stride, 'valid'));
}
