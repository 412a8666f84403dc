import type { Module } from '@nntk/core';
import * as tf from '@tensorflow/tfjs-core';
import { checkAmount, countToPrune, type PruningAmount } from './amount';
import { setMask } from './apply-mask';
import { maskValues, scoresOf, targetParameter } from './target';

/** Orders candidate entries, first to prune first. */
export type EntryRank = (candidates: number[], scores: Float32Array) => number[];

/** Prunes `count` of the still-unpruned entries of `mask` in place, in `rank` order. */
export function pruneEntries(mask: Float32Array, scores: Float32Array, count: number, rank: EntryRank): void {
  if (count === 0) return;
  const candidates: number[] = [];
  for (let i = 0; i < mask.length; i++) if (mask[i] === 1) candidates.push(i);
  for (const i of rank(candidates, scores).slice(0, count)) mask[i] = 0;
}

/** The number of entries of a mask still unpruned. */
export function countUnpruned(mask: Float32Array): number {
  let n = 0;
  for (const v of mask) if (v === 1) n += 1;
  return n;
}

/** Shared by the unstructured methods: prune `amount` of the entries not pruned yet. */
export async function pruneUnstructured(
  owner: string,
  module: Module,
  name: string,
  options: { amount: PruningAmount; importanceScores?: tf.Tensor },
  rank: EntryRank,
): Promise<void> {
  const param = targetParameter(owner, module, name);
  const amount = checkAmount(owner, options?.amount);
  const label = `${module.constructor.name}.${name}`;
  const scores = await scoresOf(owner, param, label, options.importanceScores);
  const mask = await maskValues(module, name, param.size);
  const count = countToPrune(owner, amount, countUnpruned(mask), `unpruned entries of ${label}`);
  pruneEntries(mask, scores, count, rank);
  setMask(module, name, tf.tensor(mask, param.shape, 'float32'));
}
