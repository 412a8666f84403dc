import type * as tf from '@tensorflow/tfjs-core';
import { affineSample, type GeometricOptions, inverseAffineMatrix, RAD_TO_DEG } from './affine-sample';
import { checkImages, type Magnitude, magnitudes } from './per-image';

/**
 * ShearX (the policies' op, torchvision's `_apply_op`): `F.affine` with a shear of atan(magnitude)
 * (in degrees) along x about the top-left corner, so a source pixel moves by magnitude · (y + ½) pixels
 * along x (nearest by default; pixels from outside are zeros or `fill`). One magnitude for the batch or one
 * per image.
 */
export function shearX(images: tf.Tensor, magnitude: Magnitude, options: GeometricOptions = {}): tf.Tensor {
  const [n, h, w] = checkImages('shearX', images);
  const values = magnitudes('shearX', n, magnitude);
  const center: [number, number] = [-w * 0.5, -h * 0.5];
  return affineSample(
    'shearX',
    images,
    Array.from(values, (m) => inverseAffineMatrix(center, 0, [0, 0], 1, [Math.atan(m) * RAD_TO_DEG, 0])),
    options,
  );
}
