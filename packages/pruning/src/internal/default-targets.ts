import { type Module, Parameter } from '@nntk/core';
import type { PruningTarget } from './target';

/** The `weight` of every module whose weight has 2+ dimensions (Linear, Conv2d), in module order. */
export function weightTargets(model: Module): PruningTarget[] {
  return model
    .modules()
    .filter((m) => {
      const weight: unknown = Reflect.get(m, 'weight');
      return weight instanceof Parameter && weight.rank >= 2;
    })
    .map((m) => [m, 'weight']);
}
