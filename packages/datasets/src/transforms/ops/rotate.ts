import type * as tf from '@tensorflow/tfjs-core';
import { affineSample, type GeometricOptions, inverseAffineMatrix } from './affine-sample';
import { checkImages, type Magnitude, magnitudes } from './per-image';

/**
 * Rotate (torchvision's tensor `F.rotate`, `expand=False`): turns each image by `angle` degrees
 * counter-clockwise about its centre, sampling as torchvision's `grid_sample` does (nearest by default;
 * pixels from outside are zeros or `fill`). One angle for the batch or one per image.
 */
export function rotate(images: tf.Tensor, angle: Magnitude, options: GeometricOptions = {}): tf.Tensor {
  const [n] = checkImages('rotate', images);
  const angles = magnitudes('rotate', n, angle);
  return affineSample(
    'rotate',
    images,
    Array.from(angles, (a) => inverseAffineMatrix([0, 0], -a, [0, 0], 1, [0, 0])),
    options,
  );
}
