import { check, type Rng } from '@nntk/core';
import { type AugmentChoice, applyPerImage } from './apply-augment-ops';
import { augmentationSpace } from './augmentation-space';
import { checkKnownOptions } from './known-options';
import { checkGeometricOptions, type GeometricOptions } from './ops/affine-sample';
import { checkImages } from './ops/per-image';
import type { Transform } from './transform';

/** Options of {@link trivialAugmentWide} (torchvision's defaults). */
export interface TrivialAugmentWideOptions extends GeometricOptions {
  /** Bins of each op's magnitude range (default 31). */
  numMagnitudeBins?: number;
}

/**
 * TrivialAugment Wide (Müller and Hutter 2021, "TrivialAugment: Tuning-free Yet State-of-the-Art Data
 * Augmentation"), as torchvision 0.14's `TrivialAugmentWide`: per image, one of 14 ops uniformly at
 * random at a uniformly random bin of its wide range (shear ±0.99, translate ±32 pixels, rotate ±135°,
 * colour factors 1 ± 0.99, posterize 2…8 bits, solarize 255…0), negated for signed ops when a
 * `randint(2)` draw is 1. Draws come from the transform's `rng`, image after image (op, bin for ops with
 * magnitudes, sign for signed ops). Images: NHWC float32 in [0, 1].
 */
export function trivialAugmentWide(options: TrivialAugmentWideOptions = {}): Transform {
  checkKnownOptions('trivialAugmentWide', options, ['numMagnitudeBins', 'interpolation', 'fill']);
  checkGeometricOptions('trivialAugmentWide', options);
  const bins = check.integer('trivialAugmentWide', 'numMagnitudeBins', options.numMagnitudeBins ?? 31, 2);
  const space = augmentationSpace('trivial', bins);
  return (images, rng: Rng) => {
    const [n] = checkImages('trivialAugmentWide', images);
    const choices: AugmentChoice[] = [];
    for (let i = 0; i < n; i++) {
      const op = space[rng.randint(space.length)];
      let m = op.magnitudes ? op.magnitudes[rng.randint(op.magnitudes.length)] : 0;
      if (op.signed && rng.randint(2) === 1) m = -m;
      choices.push({ op: op.name, magnitude: m });
    }
    return applyPerImage(images, choices, options);
  };
}
