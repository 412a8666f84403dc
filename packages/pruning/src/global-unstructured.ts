import { NntkError } from '@nntk/core';
import type * as tf from '@tensorflow/tfjs-core';
import { customFromMask } from './custom-from-mask';
import { checkAmount, countToPrune, type PruningAmount } from './internal/amount';
import { byChance, byMagnitude } from './internal/ranks';
import { maskValues, type PruningTarget, scoresOf, targetParameter } from './internal/target';
import { countUnpruned, pruneEntries } from './internal/unstructured';

export interface GlobalUnstructuredOptions {
  /** A fraction in [0, 1] of all entries not pruned yet, or a count (an integer > 1, or `{ count }`). */
  amount: PruningAmount;
  /** `'l1'` (smallest |w| across all targets, the default) or `'random'`. */
  method?: 'l1' | 'random';
  /** Scores per target, in the order of `targets` (undefined entries use the parameter's values). */
  importanceScores?: Array<tf.Tensor | undefined>;
}

/**
 * Prunes the `amount` smallest entries across several parameters at once, as PyTorch's
 * `prune.global_unstructured(parameters, prune.L1Unstructured, amount=...)`: one threshold for all
 * layers, so layers with small weights lose more. Existing masks are respected and combined.
 */
export async function globalUnstructured(
  targets: PruningTarget[],
  options: GlobalUnstructuredOptions,
): Promise<void> {
  const owner = 'globalUnstructured';
  if (!Array.isArray(targets) || targets.length === 0) {
    throw new NntkError('INVALID_OPTION', `${owner}: pass a non-empty array of [module, 'weight'] pairs`);
  }
  const amount = checkAmount(owner, options?.amount);
  const method = options.method ?? 'l1';
  if (method !== 'l1' && method !== 'random') {
    throw new NntkError(
      'INVALID_OPTION',
      `${owner}: option 'method' must be 'l1' or 'random', got ${JSON.stringify(method)}`,
    );
  }
  const params = targets.map(([module, name]) => targetParameter(owner, module, name));
  const parts = await Promise.all(
    targets.map(async ([module, name], i) => ({
      scores: await scoresOf(
        owner,
        params[i],
        `${module.constructor.name}.${name}`,
        options.importanceScores?.[i],
      ),
      mask: await maskValues(module, name, params[i].size),
    })),
  );
  const scores = concat(parts.map((p) => p.scores));
  const mask = concat(parts.map((p) => p.mask));
  const count = countToPrune(owner, amount, countUnpruned(mask), 'unpruned entries across the targets');
  pruneEntries(mask, scores, count, method === 'l1' ? byMagnitude : byChance);
  let offset = 0;
  for (const [i, [module, name]] of targets.entries()) {
    await customFromMask(module, name, mask.subarray(offset, offset + params[i].size));
    offset += params[i].size;
  }
}

function concat(arrays: Float32Array[]): Float32Array {
  const out = new Float32Array(arrays.reduce((n, a) => n + a.length, 0));
  let offset = 0;
  for (const a of arrays) {
    out.set(a, offset);
    offset += a.length;
  }
  return out;
}
