import { getRng, type Module } from '@nntk/core';
import type { PruningAmount } from './internal/amount';
import { sortedBy } from './internal/select';
import { pruneChannels } from './internal/structured';

/**
 * Prunes `amount` whole channels along `dim` (default -1, the output units in nntk's layouts) chosen at
 * random among those not pruned yet, from nntk's seeded RNG, as PyTorch's `prune.random_structured`.
 */
export async function randomStructured(
  module: Module,
  name: string,
  options: { amount: PruningAmount; dim?: number },
): Promise<Module> {
  await pruneChannels('randomStructured', module, name, options, (alive) => {
    const rng = getRng();
    const draws = new Map(alive.map((c) => [c, rng.random()]));
    return sortedBy(alive, (c) => draws.get(c) as number);
  });
  return module;
}
