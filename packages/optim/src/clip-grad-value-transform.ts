import { type Gradients, NntkError, type ReplayableGradientTransform } from '@nntk/core';
import { clipGradValue } from './clip-grad-value';

/**
 * {@link clipGradValue} as a gradient transform that `compileStep` (`@nntk/core`) traces and replays with
 * the optimizer update: `apply(grads)` clamps every gradient to `[-clipValue, clipValue]`.
 */
export function clipGradValueTransform(clipValue: number): ReplayableGradientTransform {
  if (!(clipValue >= 0))
    throw new NntkError('INVALID_OPTION', `clipGradValueTransform: clipValue must be >= 0, got ${clipValue}`);
  return {
    replayable: true,
    signature: `clipGradValue(${clipValue})`,
    apply(grads: Gradients) {
      clipGradValue(grads, clipValue);
    },
  };
}
