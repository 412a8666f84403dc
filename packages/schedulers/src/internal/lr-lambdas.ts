import { NntkError } from '@nntk/core';
import type { Optimizer } from '@nntk/optim';

export type Factor = (epoch: number) => number;

/** One factor function per parameter group (a single function applies to all). */
export function factorsFor(
  owner: string,
  optimizer: Optimizer,
  lrLambda: Factor | Factor[],
  option = 'lrLambda',
): Factor[] {
  const list = Array.isArray(lrLambda) ? lrLambda : optimizer.paramGroups.map(() => lrLambda);
  if (list.length !== optimizer.paramGroups.length || !list.every((f) => typeof f === 'function')) {
    throw new NntkError(
      'INVALID_OPTION',
      `${owner}: option '${option}' must be a function or one function per parameter group (${optimizer.paramGroups.length})`,
    );
  }
  return list;
}
