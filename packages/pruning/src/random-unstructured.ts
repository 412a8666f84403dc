import type { Module } from '@nntk/core';
import type { PruningAmount } from './internal/amount';
import { byChance } from './internal/ranks';
import { pruneUnstructured } from './internal/unstructured';

/**
 * Prunes `amount` entries of `module[name]` chosen uniformly at random among those not pruned yet,
 * drawing from nntk's seeded RNG (`seed(n)` makes it reproducible), as PyTorch's
 * `prune.random_unstructured`.
 */
export async function randomUnstructured(
  module: Module,
  name: string,
  options: { amount: PruningAmount },
): Promise<Module> {
  await pruneUnstructured('randomUnstructured', module, name, options, byChance);
  return module;
}
