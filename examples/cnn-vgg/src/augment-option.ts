import { NntkError } from '@nntk/core';
import { transforms } from '@nntk/datasets';

/** The policy augmentations `--augment` selects (after the crop and flip), or none. */
export const AUGMENT_MODES = ['none', 'trivial', 'rand', 'auto'] as const;
export type AugmentMode = (typeof AUGMENT_MODES)[number];

/** Parses `--augment trivial|rand|auto` (default `none`: crop and flip only). */
export function augmentArg(argv: string[] = process.argv.slice(2)): AugmentMode {
  const at = argv.indexOf('--augment');
  if (at < 0) return 'none';
  const value = argv[at + 1];
  if (!(AUGMENT_MODES as readonly string[]).includes(value ?? ''))
    throw new NntkError(
      'INVALID_OPTION',
      `cnn-vgg: --augment must be one of ${AUGMENT_MODES.join(', ')}, got ${JSON.stringify(value ?? null)}`,
    );
  return value as AugmentMode;
}

/**
 * The policy transform of a mode, with torchvision's defaults: TrivialAugmentWide (31 bins), RandAugment
 * (2 ops at bin 9 of 31), AutoAugment with the CIFAR-10 policy (Fashion-MNIST has no learned policy of
 * its own; the CIFAR-10 one is the usual choice for small images).
 */
export function policyTransform(mode: AugmentMode): transforms.Transform[] {
  switch (mode) {
    case 'trivial':
      return [transforms.trivialAugmentWide()];
    case 'rand':
      return [transforms.randAugment()];
    case 'auto':
      return [transforms.autoAugment({ policy: 'cifar10' })];
    default:
      return [];
  }
}

/** Parses `--epochs N` (a positive integer), or undefined when absent. */
export function epochsArg(argv: string[] = process.argv.slice(2)): number | undefined {
  const at = argv.indexOf('--epochs');
  if (at < 0) return undefined;
  const value = Number(argv[at + 1]);
  if (!Number.isInteger(value) || value < 1)
    throw new NntkError(
      'INVALID_OPTION',
      `cnn-vgg: --epochs must be a positive integer, got ${JSON.stringify(argv[at + 1] ?? null)}`,
    );
  return value;
}
