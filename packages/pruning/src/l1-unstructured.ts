import type { Module } from '@nntk/core';
import type * as tf from '@tensorflow/tfjs-core';
import type { PruningAmount } from './internal/amount';
import { byMagnitude } from './internal/ranks';
import { pruneUnstructured } from './internal/unstructured';

export interface UnstructuredOptions {
  /** A fraction in [0, 1] of the entries not pruned yet, or a count (an integer > 1, or `{ count }`). */
  amount: PruningAmount;
  /** Scores to rank entries by instead of the parameter's values (same shape). */
  importanceScores?: tf.Tensor;
}

/**
 * Prunes the `amount` entries of `module[name]` with the smallest absolute value, as PyTorch's
 * `prune.l1_unstructured`. Repeated calls prune among the entries still unpruned and combine masks
 * (PyTorch's `PruningContainer`). Ties in |w| prune the lower flat index first (row-major, nntk's layout).
 * After this, `module[name + '_mask']` holds the mask, the pruned weights are zero, their gradients are
 * zero and every nntk optimizer keeps them at zero.
 */
export async function l1Unstructured(
  module: Module,
  name: string,
  options: UnstructuredOptions,
): Promise<Module> {
  await pruneUnstructured('l1Unstructured', module, name, options, byMagnitude);
  return module;
}
