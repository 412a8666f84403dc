import { NntkError } from '@nntk/core';
import { ASHAPruner } from './asha-pruner';
import { MedianPruner } from './median-pruner';
import type { PrunerSpec, TrialPruner } from './trial-pruner';

const NAMES = ['median', 'asha'];

/** Builds a pruner from its JSON settings (`{ name: 'median' | 'asha', ... }`). */
export function createPruner(spec: PrunerSpec): TrialPruner {
  const name = (spec as { name?: unknown })?.name;
  if (name === 'median') return new MedianPruner(spec as Extract<PrunerSpec, { name: 'median' }>);
  if (name === 'asha') return new ASHAPruner(spec as Extract<PrunerSpec, { name: 'asha' }>);
  const near =
    typeof name === 'string' ? NAMES.find((n) => n.startsWith(name.slice(0, 2).toLowerCase())) : undefined;
  throw new NntkError(
    'INVALID_OPTION',
    `pruner: name must be one of 'median', 'asha', got ${JSON.stringify(name)}${near ? ` (did you mean '${near}'?)` : ''}`,
  );
}
