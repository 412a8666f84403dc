import { check } from '@nntk/core';
import { calculateGain, type Nonlinearity } from '../calculate-gain';
import { computeFans } from '../compute-fans';

export interface KaimingOptions {
  /** Negative slope of the rectifier after this layer (leaky ReLU only). Default 0. */
  a?: number;
  /** Preserve the variance of the forward pass (`'fanIn'`) or of the backward pass (`'fanOut'`). */
  mode?: 'fanIn' | 'fanOut';
  /** Default `'leaky_relu'`, as in PyTorch. */
  nonlinearity?: Nonlinearity;
}

/** `gain/√fan`, the standard deviation He initialisation uses. */
export function kaimingStd(owner: string, shape: number[], options: KaimingOptions): number {
  const mode = check.oneOf(owner, 'mode', options.mode ?? 'fanIn', ['fanIn', 'fanOut']);
  const fans = computeFans(shape);
  const gain = calculateGain(options.nonlinearity ?? 'leaky_relu', options.a ?? 0);
  return gain / Math.sqrt(mode === 'fanIn' ? fans.fanIn : fans.fanOut);
}
