import { checkOptionNames, type Gradients, NntkError, type ReplayableGradientTransform } from '@nntk/core';
import { clipGradNorm } from './clip-grad-norm';

/**
 * {@link clipGradNorm} as a gradient transform that `compileStep` (`@nntk/core`) traces and replays with
 * the optimizer update: `apply(grads)` runs `clipGradNorm(grads, maxNorm, { normType })` and frees the
 * total norm, all on the device (so there is no `errorIfNonfinite`, which reads the norm on the host).
 * Pass it as `compileStep`'s `clipGrads`; called eagerly it clips exactly as `clipGradNorm` does.
 */
export function clipGradNormTransform(
  maxNorm: number,
  options: { normType?: number } = {},
): ReplayableGradientTransform {
  checkOptionNames('clipGradNormTransform', options, ['normType']);
  const normType = options.normType ?? 2;
  if (!(maxNorm >= 0))
    throw new NntkError('INVALID_OPTION', `clipGradNormTransform: maxNorm must be >= 0, got ${maxNorm}`);
  if (!(normType > 0))
    throw new NntkError(
      'INVALID_OPTION',
      `clipGradNormTransform: option 'normType' must be > 0 or Infinity, got ${normType}`,
    );
  return {
    replayable: true,
    signature: `clipGradNorm(${maxNorm},${normType})`,
    apply(grads: Gradients) {
      clipGradNorm(grads, maxNorm, { normType }).totalNorm.dispose();
    },
  };
}
