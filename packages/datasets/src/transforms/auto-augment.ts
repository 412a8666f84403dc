import type { Rng } from '@nntk/core';
import { type AugmentChoice, applyPerImage } from './apply-augment-ops';
import { type AugmentOpName, augmentationSpace } from './augmentation-space';
import { checkKnownOptions, checkName } from './known-options';
import { checkGeometricOptions, type GeometricOptions } from './ops/affine-sample';
import { checkImages } from './ops/per-image';
import type { Transform } from './transform';

/** A sub-policy op: name, probability, magnitude bin (null: the op takes no magnitude). */
export type AutoAugmentOp = [AugmentOpName, number, number | null];

const IMAGENET: [AutoAugmentOp, AutoAugmentOp][] = [
  [
    ['Posterize', 0.4, 8],
    ['Rotate', 0.6, 9],
  ],
  [
    ['Solarize', 0.6, 5],
    ['AutoContrast', 0.6, null],
  ],
  [
    ['Equalize', 0.8, null],
    ['Equalize', 0.6, null],
  ],
  [
    ['Posterize', 0.6, 7],
    ['Posterize', 0.6, 6],
  ],
  [
    ['Equalize', 0.4, null],
    ['Solarize', 0.2, 4],
  ],
  [
    ['Equalize', 0.4, null],
    ['Rotate', 0.8, 8],
  ],
  [
    ['Solarize', 0.6, 3],
    ['Equalize', 0.6, null],
  ],
  [
    ['Posterize', 0.8, 5],
    ['Equalize', 1.0, null],
  ],
  [
    ['Rotate', 0.2, 3],
    ['Solarize', 0.6, 8],
  ],
  [
    ['Equalize', 0.6, null],
    ['Posterize', 0.4, 6],
  ],
  [
    ['Rotate', 0.8, 8],
    ['Color', 0.4, 0],
  ],
  [
    ['Rotate', 0.4, 9],
    ['Equalize', 0.6, null],
  ],
  [
    ['Equalize', 0.0, null],
    ['Equalize', 0.8, null],
  ],
  [
    ['Invert', 0.6, null],
    ['Equalize', 1.0, null],
  ],
  [
    ['Color', 0.6, 4],
    ['Contrast', 1.0, 8],
  ],
  [
    ['Rotate', 0.8, 8],
    ['Color', 1.0, 2],
  ],
  [
    ['Color', 0.8, 8],
    ['Solarize', 0.8, 7],
  ],
  [
    ['Sharpness', 0.4, 7],
    ['Invert', 0.6, null],
  ],
  [
    ['ShearX', 0.6, 5],
    ['Equalize', 1.0, null],
  ],
  [
    ['Color', 0.4, 0],
    ['Equalize', 0.6, null],
  ],
  [
    ['Equalize', 0.4, null],
    ['Solarize', 0.2, 4],
  ],
  [
    ['Solarize', 0.6, 5],
    ['AutoContrast', 0.6, null],
  ],
  [
    ['Invert', 0.6, null],
    ['Equalize', 1.0, null],
  ],
  [
    ['Color', 0.6, 4],
    ['Contrast', 1.0, 8],
  ],
  [
    ['Equalize', 0.8, null],
    ['Equalize', 0.6, null],
  ],
];
const CIFAR10: [AutoAugmentOp, AutoAugmentOp][] = [
  [
    ['Invert', 0.1, null],
    ['Contrast', 0.2, 6],
  ],
  [
    ['Rotate', 0.7, 2],
    ['TranslateX', 0.3, 9],
  ],
  [
    ['Sharpness', 0.8, 1],
    ['Sharpness', 0.9, 3],
  ],
  [
    ['ShearY', 0.5, 8],
    ['TranslateY', 0.7, 9],
  ],
  [
    ['AutoContrast', 0.5, null],
    ['Equalize', 0.9, null],
  ],
  [
    ['ShearY', 0.2, 7],
    ['Posterize', 0.3, 7],
  ],
  [
    ['Color', 0.4, 3],
    ['Brightness', 0.6, 7],
  ],
  [
    ['Sharpness', 0.3, 9],
    ['Brightness', 0.7, 9],
  ],
  [
    ['Equalize', 0.6, null],
    ['Equalize', 0.5, null],
  ],
  [
    ['Contrast', 0.6, 7],
    ['Sharpness', 0.6, 5],
  ],
  [
    ['Color', 0.7, 7],
    ['TranslateX', 0.5, 8],
  ],
  [
    ['Equalize', 0.3, null],
    ['AutoContrast', 0.4, null],
  ],
  [
    ['TranslateY', 0.4, 3],
    ['Sharpness', 0.2, 6],
  ],
  [
    ['Brightness', 0.9, 6],
    ['Color', 0.2, 8],
  ],
  [
    ['Solarize', 0.5, 2],
    ['Invert', 0.0, null],
  ],
  [
    ['Equalize', 0.2, null],
    ['AutoContrast', 0.6, null],
  ],
  [
    ['Equalize', 0.2, null],
    ['Equalize', 0.6, null],
  ],
  [
    ['Color', 0.9, 9],
    ['Equalize', 0.6, null],
  ],
  [
    ['AutoContrast', 0.8, null],
    ['Solarize', 0.2, 8],
  ],
  [
    ['Brightness', 0.1, 3],
    ['Color', 0.7, 0],
  ],
  [
    ['Solarize', 0.4, 5],
    ['AutoContrast', 0.9, null],
  ],
  [
    ['TranslateY', 0.9, 9],
    ['TranslateY', 0.7, 9],
  ],
  [
    ['AutoContrast', 0.9, null],
    ['Solarize', 0.8, 3],
  ],
  [
    ['Equalize', 0.8, null],
    ['Invert', 0.1, null],
  ],
  [
    ['TranslateY', 0.7, 9],
    ['AutoContrast', 0.9, null],
  ],
];
const SVHN: [AutoAugmentOp, AutoAugmentOp][] = [
  [
    ['ShearX', 0.9, 4],
    ['Invert', 0.2, null],
  ],
  [
    ['ShearY', 0.9, 8],
    ['Invert', 0.7, null],
  ],
  [
    ['Equalize', 0.6, null],
    ['Solarize', 0.6, 6],
  ],
  [
    ['Invert', 0.9, null],
    ['Equalize', 0.6, null],
  ],
  [
    ['Equalize', 0.6, null],
    ['Rotate', 0.9, 3],
  ],
  [
    ['ShearX', 0.9, 4],
    ['AutoContrast', 0.8, null],
  ],
  [
    ['ShearY', 0.9, 8],
    ['Invert', 0.4, null],
  ],
  [
    ['ShearY', 0.9, 5],
    ['Solarize', 0.2, 6],
  ],
  [
    ['Invert', 0.9, null],
    ['AutoContrast', 0.8, null],
  ],
  [
    ['Equalize', 0.6, null],
    ['Rotate', 0.9, 3],
  ],
  [
    ['ShearX', 0.9, 4],
    ['Solarize', 0.3, 3],
  ],
  [
    ['ShearY', 0.8, 8],
    ['Invert', 0.7, null],
  ],
  [
    ['Equalize', 0.9, null],
    ['TranslateY', 0.6, 6],
  ],
  [
    ['Invert', 0.9, null],
    ['Equalize', 0.6, null],
  ],
  [
    ['Contrast', 0.3, 3],
    ['Rotate', 0.8, 4],
  ],
  [
    ['Invert', 0.8, null],
    ['TranslateY', 0.0, 2],
  ],
  [
    ['ShearY', 0.7, 6],
    ['Solarize', 0.4, 8],
  ],
  [
    ['Invert', 0.6, null],
    ['Rotate', 0.8, 4],
  ],
  [
    ['ShearY', 0.3, 7],
    ['TranslateX', 0.9, 3],
  ],
  [
    ['ShearX', 0.1, 6],
    ['Invert', 0.6, null],
  ],
  [
    ['Solarize', 0.7, 2],
    ['TranslateY', 0.6, 7],
  ],
  [
    ['ShearY', 0.8, 4],
    ['Invert', 0.8, null],
  ],
  [
    ['ShearX', 0.7, 9],
    ['TranslateY', 0.8, 3],
  ],
  [
    ['ShearY', 0.8, 5],
    ['AutoContrast', 0.7, null],
  ],
  [
    ['ShearX', 0.7, 2],
    ['Invert', 0.1, null],
  ],
];
const POLICIES = { imagenet: IMAGENET, cifar10: CIFAR10, svhn: SVHN };

/** The names of torchvision's `AutoAugmentPolicy` values. */
export type AutoAugmentPolicyName = keyof typeof POLICIES;
const POLICY_NAMES = Object.keys(POLICIES) as AutoAugmentPolicyName[];

/** The 25 two-op sub-policies of an AutoAugment policy (torchvision's `_get_policies`), as a copy. */
export function autoAugmentPolicy(policy: AutoAugmentPolicyName): [AutoAugmentOp, AutoAugmentOp][] {
  const name = checkName('autoAugmentPolicy', 'policy', policy, POLICY_NAMES);
  return POLICIES[name].map(([a, b]) => [[...a], [...b]]);
}

/** Options of {@link autoAugment}. */
export interface AutoAugmentOptions extends GeometricOptions {
  /** `'imagenet'` (torchvision's default), `'cifar10'` or `'svhn'`. */
  policy?: AutoAugmentPolicyName;
}

/**
 * AutoAugment (Cubuk et al. 2019, "AutoAugment: Learning Augmentation Strategies from Data"), as
 * torchvision 0.14's `AutoAugment`: per image, one of the policy's 25 sub-policies at random; each of its
 * two ops is applied with its probability (`u ≤ p`), at its magnitude bin of a 10-bin space, negated for
 * signed ops with probability ½. The draws come from the transform's `rng`, image after image (sub-policy
 * `randint(25)`, two uniforms, two `randint(2)` signs, as torchvision's `get_params`), so a seed fixes the
 * augmentation and the DataLoader's RNG state resumes it. Images: NHWC float32 in [0, 1], 1 or 3 channels
 * (the ops map torchvision's uint8 semantics onto that scale; see the ops' docs).
 */
export function autoAugment(options: AutoAugmentOptions = {}): Transform {
  checkKnownOptions('autoAugment', options, ['policy', 'interpolation', 'fill']);
  checkGeometricOptions('autoAugment', options);
  const policy = autoAugmentPolicy(options.policy ?? 'imagenet');
  return (images, rng: Rng) => {
    const [n, h, w] = checkImages('autoAugment', images);
    const space = new Map(augmentationSpace('auto', 10, [h, w]).map((op) => [op.name, op]));
    const steps: (AugmentChoice | null)[][] = [[], []];
    for (let i = 0; i < n; i++) {
      const sub = policy[rng.randint(policy.length)];
      const probs = [rng.random(), rng.random()];
      const signs = [rng.randint(2), rng.randint(2)];
      sub.forEach(([op, p, bin], k) => {
        const meta = space.get(op);
        let magnitude = bin !== null && meta?.magnitudes ? meta.magnitudes[bin] : 0;
        if (meta?.signed && signs[k] === 0) magnitude = -magnitude;
        steps[k].push(probs[k] <= p ? { op, magnitude } : null);
      });
    }
    const first = applyPerImage(images, steps[0], options);
    const second = applyPerImage(first, steps[1], options);
    first.dispose();
    return second;
  };
}
