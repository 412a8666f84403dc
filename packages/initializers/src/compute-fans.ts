import { NntkError } from '@nntk/core';

/**
 * Fan-in and fan-out of a weight in nntk's (tfjs's) layouts: dense `[in, out]`, convolution
 * `[...kernel, in, out]` (`[k, in, out]`, `[kh, kw, in, out]`, `[kd, kh, kw, in, out]`). The receptive
 * field multiplies both, as in PyTorch (whose layouts are `[out, in]` and `[out, in, ...kernel]`).
 */
export function computeFans(shape: readonly number[]): { fanIn: number; fanOut: number } {
  if (!Array.isArray(shape) || shape.length < 2) {
    throw new NntkError(
      'INVALID_OPTION',
      `computeFans: fans need a tensor with at least 2 dimensions ([in, out] or [...kernel, in, out]), got shape ${JSON.stringify(shape)}`,
    );
  }
  const receptiveField = shape.slice(0, -2).reduce((a, b) => a * b, 1);
  return {
    fanIn: shape[shape.length - 2] * receptiveField,
    fanOut: shape[shape.length - 1] * receptiveField,
  };
}
