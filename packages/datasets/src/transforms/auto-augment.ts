import type { Rng } from '@nntk/core';
import { type AugmentChoice, applyPerImage } from './apply-augment-ops';
import { augmentationSpace } from './augmentation-space';
import { type AutoAugmentOp, CIFAR10, IMAGENET, SVHN } from './auto-augment-policies';
import { checkKnownOptions, checkName } from './known-options';
import { checkGeometricOptions, type GeometricOptions } from './ops/affine-sample';
import { checkImages } from './ops/per-image';
import type { Transform } from './transform';

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
