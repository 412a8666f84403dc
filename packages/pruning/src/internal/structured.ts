import { check, type Module, NntkError } from '@nntk/core';
import * as tf from '@tensorflow/tfjs-core';
import { checkAmount, countToPrune, type PruningAmount } from './amount';
import { setMask } from './apply-mask';
import { aliveChannels, zeroChannels } from './select';
import { maskValues, scoresOf, targetParameter } from './target';

/** Resolves and checks `dim` (negative counts from the end) for a parameter of `shape`. */
export function checkDim(owner: string, label: string, shape: readonly number[], dim: unknown): number {
  if (shape.length < 2) {
    throw new NntkError(
      'INVALID_OPTION',
      `${owner}: structured pruning needs a tensor with at least 2 dimensions, but ${label} has shape [${shape}]`,
    );
  }
  const d = check.integer(owner, 'dim', typeof dim === 'number' ? dim + (dim < 0 ? shape.length : 0) : dim);
  if (d >= shape.length) {
    throw new NntkError(
      'INVALID_OPTION',
      `${owner}: dim ${dim} is out of range for ${label} of shape [${shape}] (allowed: ${-shape.length} to ${shape.length - 1})`,
    );
  }
  return d;
}

/**
 * Shared by the structured methods: among the channels along `dim` that are not pruned yet, prunes the
 * `amount` that `rank` orders first, and combines with the existing mask (PyTorch's container rules).
 */
export async function pruneChannels(
  owner: string,
  module: Module,
  name: string,
  options: { amount: PruningAmount; dim?: number; importanceScores?: tf.Tensor },
  rank: (alive: number[], values: Float32Array, shape: number[], dim: number) => number[],
): Promise<void> {
  const param = targetParameter(owner, module, name);
  const amount = checkAmount(owner, options?.amount);
  const label = `${module.constructor.name}.${name}`;
  const dim = checkDim(owner, label, param.shape, options.dim ?? -1);
  const mask = await maskValues(module, name, param.size);
  const alive = aliveChannels(mask, param.shape, dim);
  const count = countToPrune(owner, amount, alive.length, `channels of ${label} along dim ${dim}`);
  if (count > 0) {
    const scores = await scoresOf(owner, param, label, options.importanceScores);
    const order = rank(alive, scores, param.shape, dim);
    zeroChannels(mask, param.shape, dim, order.slice(0, count));
  }
  setMask(module, name, tf.tensor(mask, param.shape, 'float32'));
}
