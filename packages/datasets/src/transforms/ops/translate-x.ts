import type * as tf from '@tensorflow/tfjs-core';
import { affineSample, type GeometricOptions, inverseAffineMatrix } from './affine-sample';
import { checkImages, type Magnitude, magnitudes } from './per-image';

/**
 * TranslateX (the policies' op, torchvision's `_apply_op`): `F.affine` moving each image by
 * `trunc(pixels)` along x (Python's `int()`, toward zero; positive is right); pixels from outside are
 * zeros or `fill`. One shift for the batch or one per image.
 */
export function translateX(images: tf.Tensor, pixels: Magnitude, options: GeometricOptions = {}): tf.Tensor {
  const [n] = checkImages('translateX', images);
  const values = magnitudes('translateX', n, pixels);
  return affineSample(
    'translateX',
    images,
    Array.from(values, (p) => inverseAffineMatrix([0, 0], 0, [Math.trunc(p), 0], 1, [0, 0])),
    options,
  );
}
