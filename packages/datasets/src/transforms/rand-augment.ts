import { check, NntkError, type Rng } from '@nntk/core';
import * as tf from '@tensorflow/tfjs-core';
import { type AugmentChoice, applyPerImage } from './apply-augment-ops';
import { augmentationSpace } from './augmentation-space';
import { checkKnownOptions } from './known-options';
import { checkGeometricOptions, type GeometricOptions } from './ops/affine-sample';
import { checkImages } from './ops/per-image';
import type { Transform } from './transform';

/** Options of {@link randAugment} (torchvision's defaults). */
export interface RandAugmentOptions extends GeometricOptions {
  /** Ops applied one after another (default 2). */
  numOps?: number;
  /** The magnitude bin every op uses (default 9, of `numMagnitudeBins`). */
  magnitude?: number;
  /** Bins of each op's magnitude range (default 31). */
  numMagnitudeBins?: number;
}

/**
 * RandAugment (Cubuk et al. 2020, "RandAugment: Practical automated data augmentation with a reduced
 * search space"), as torchvision 0.14's `RandAugment`: `numOps` times, per image, one of 14 ops (Identity,
 * ShearX/Y, TranslateX/Y, Rotate, Brightness, Color, Contrast, Sharpness, Posterize, Solarize,
 * AutoContrast, Equalize) uniformly at random, at bin `magnitude` of `numMagnitudeBins`, negated for
 * signed ops when a `randint(2)` draw is 1. Draws come from the transform's `rng`, image after image (op,
 * then sign for signed ops, for each of the `numOps` rounds). Images: NHWC float32 in [0, 1].
 */
export function randAugment(options: RandAugmentOptions = {}): Transform {
  checkKnownOptions('randAugment', options, [
    'numOps',
    'magnitude',
    'numMagnitudeBins',
    'interpolation',
    'fill',
  ]);
  checkGeometricOptions('randAugment', options);
  const numOps = check.integer('randAugment', 'numOps', options.numOps ?? 2, 0);
  const bins = check.integer('randAugment', 'numMagnitudeBins', options.numMagnitudeBins ?? 31, 2);
  const magnitude = check.integer('randAugment', 'magnitude', options.magnitude ?? 9, 0);
  if (magnitude >= bins)
    throw new NntkError(
      'INVALID_OPTION',
      `randAugment: option 'magnitude' must be a bin index below numMagnitudeBins (${bins}), got ${magnitude}`,
    );
  return (images, rng: Rng) => {
    const [n, h, w] = checkImages('randAugment', images);
    const space = augmentationSpace('rand', bins, [h, w]);
    const steps: AugmentChoice[][] = Array.from({ length: numOps }, () => []);
    for (let i = 0; i < n; i++)
      for (const step of steps) {
        const op = space[rng.randint(space.length)];
        let m = op.magnitudes ? op.magnitudes[magnitude] : 0;
        if (op.signed && rng.randint(2) === 1) m = -m;
        step.push({ op: op.name, magnitude: m });
      }
    return tf.tidy(() => steps.reduce((x, step) => applyPerImage(x, step, options), images.clone()));
  };
}
