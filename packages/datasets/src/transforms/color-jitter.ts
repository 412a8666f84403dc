import { check, type Rng } from '@nntk/core';
import * as tf from '@tensorflow/tfjs-core';
import type { Transform } from './transform';

function factors(rng: Rng, n: number, amount: number): tf.Tensor {
  return tf.tensor4d(
    Float32Array.from(
      { length: n },
      () => Math.max(0, 1 - amount) + (1 + amount - Math.max(0, 1 - amount)) * rng.random(),
    ),
    [n, 1, 1, 1],
  );
}

function grayscale(x: tf.Tensor): tf.Tensor {
  return x.shape[3] === 3 ? tf.sum(tf.mul(x, tf.tensor1d([0.299, 0.587, 0.114])), 3, true) : x;
}

/**
 * Random brightness, contrast, saturation and hue per image (torchvision's `ColorJitter` factors:
 * brightness scales, contrast blends with the mean grey level, saturation with the grey image), applied
 * in that order; hue rotates the chroma in YIQ space by up to ±`hue`·2π. Results are clipped to [0, 1].
 */
export function colorJitter(
  options: { brightness?: number; contrast?: number; saturation?: number; hue?: number } = {},
): Transform {
  const brightness = check.nonNegative('colorJitter', 'brightness', options.brightness ?? 0);
  const contrast = check.nonNegative('colorJitter', 'contrast', options.contrast ?? 0);
  const saturation = check.nonNegative('colorJitter', 'saturation', options.saturation ?? 0);
  const hue = check.inRange('colorJitter', 'hue', options.hue ?? 0, 0, 0.5, true);
  return (images, rng) =>
    tf.tidy(() => {
      const n = images.shape[0] as number;
      let x = images;
      if (brightness > 0) x = tf.mul(x, factors(rng, n, brightness));
      if (contrast > 0) {
        const mean = tf.mean(grayscale(x), [1, 2, 3], true);
        x = tf.add(tf.mul(tf.sub(x, mean), factors(rng, n, contrast)), mean);
      }
      if (saturation > 0 && x.shape[3] === 3) {
        const grey = grayscale(x);
        x = tf.add(tf.mul(tf.sub(x, grey), factors(rng, n, saturation)), grey);
      }
      if (hue > 0 && x.shape[3] === 3)
        x = rotateHue(
          x,
          Float32Array.from({ length: n }, () => (2 * rng.random() - 1) * hue * 2 * Math.PI),
        );
      return tf.clipByValue(x, 0, 1);
    });
}

function rotateHue(x: tf.Tensor, angles: Float32Array): tf.Tensor {
  const toYiq = tf.tensor2d([
    [0.299, 0.596, 0.211],
    [0.587, -0.274, -0.523],
    [0.114, -0.322, 0.312],
  ]);
  const toRgb = tf.tensor2d([
    [1, 1, 1],
    [0.956, -0.272, -1.106],
    [0.621, -0.647, 1.703],
  ]);
  const [n, h, w] = x.shape as number[];
  const yiq = tf.matMul(x.reshape([n * h * w, 3]), toYiq).reshape([n, h * w, 3]);
  const cos = tf.tensor(Array.from(angles, Math.cos), [n, 1]);
  const sin = tf.tensor(Array.from(angles, Math.sin), [n, 1]);
  const [y, i, q] = tf.split(yiq, 3, 2);
  const i2 = tf.sub(tf.mul(i, cos.expandDims(2)), tf.mul(q, sin.expandDims(2)));
  const q2 = tf.add(tf.mul(i, sin.expandDims(2)), tf.mul(q, cos.expandDims(2)));
  return tf.matMul(tf.concat([y, i2, q2], 2).reshape([n * h * w, 3]), toRgb).reshape(x.shape);
}
