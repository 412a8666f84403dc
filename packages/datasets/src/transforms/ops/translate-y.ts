import type * as tf from '@tensorflow/tfjs-core';
import { affineSample, type GeometricOptions, inverseAffineMatrix } from './affine-sample';
import { checkImages, type Magnitude, magnitudes } from './per-image';

/**
 * TranslateY (the policies' op, torchvision's `_apply_op`): `F.affine` moving each image by
 * `trunc(pixels)` along y (Python's `int()`, toward zero; positive is down); pixels from outside are
 * zeros or `fill`. One shift for the batch or one per image.
 */
export function translateY(images: tf.Tensor, pixels: Magnitude, options: GeometricOptions = {}): tf.Tensor {
  const [n] = checkImages('translateY', images);
  const values = magnitudes('translateY', n, pixels);
  return affineSample(
    'translateY',
    images,
    Array.from(values, (p) => inverseAffineMatrix([0, 0], 0, [0, Math.trunc(p)], 1, [0, 0])),
    options,
  );
}
