import { check, type Module, NntkError } from '@nntk/core';
import type * as tf from '@tensorflow/tfjs-core';
import type { PruningAmount } from './internal/amount';
import { channelNorms, sortedBy } from './internal/select';
import { pruneChannels } from './internal/structured';

export interface LnStructuredOptions {
  /** A fraction in [0, 1] of the channels not pruned yet, or a count (an integer > 1, or `{ count }`). */
  amount: PruningAmount;
  /** The norm: a positive number, `Infinity`, `-Infinity`, 0 (count of non-zeros) or `'fro'` (= 2). */
  n: number | 'fro';
  /**
   * The axis whose slices are pruned whole. Default -1: in nntk's layouts (`[in, out]`, `[kh, kw, in,
   * out]`) the last axis is the output neurons of a Linear and the output channels of a Conv2d, which
   * PyTorch reaches with `dim=0` on its `[out, in, ...]` layout.
   */
  dim?: number;
  /** Scores to rank channels by instead of the parameter's values (same shape). */
  importanceScores?: tf.Tensor;
}

function checkNorm(n: unknown): number {
  if (n === 'fro') return 2;
  if (n === Infinity || n === -Infinity) return n;
  return check.nonNegative('lnStructured', 'n', n);
}

/**
 * Prunes whole channels along `dim`: the `amount` channels, among those not pruned yet, with the smallest
 * L_n norm, as PyTorch's `prune.ln_structured`. Ties in norm prune the lower channel index first.
 */
export async function lnStructured(
  module: Module,
  name: string,
  options: LnStructuredOptions,
): Promise<Module> {
  if (options == null || options.n === undefined) {
    throw new NntkError(
      'INVALID_OPTION',
      "lnStructured: option 'n' (the norm, e.g. 1, 2 or Infinity) is required",
    );
  }
  const n = checkNorm(options.n);
  await pruneChannels('lnStructured', module, name, options, (alive, values, shape, dim) => {
    const norms = channelNorms(values, shape, dim, n);
    return sortedBy(alive, (c) => norms[c]);
  });
  return module;
}
