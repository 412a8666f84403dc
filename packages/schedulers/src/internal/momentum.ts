import { NntkError } from '@nntk/core';
import type { BaseOptimizerOptions, ParamGroup } from '@nntk/optim';

type Group = ParamGroup<BaseOptimizerOptions>;

/** Where a group keeps its momentum: SGD/RMSprop's `momentum`, or β₁ of Adam-like `betas`. */
export function momentumKey(owner: string, group: Group): 'momentum' | 'betas' {
  if (Array.isArray(group.betas)) return 'betas';
  if (typeof group.momentum === 'number') return 'momentum';
  throw new NntkError(
    'INVALID_OPTION',
    `${owner}: cycleMomentum needs an optimizer with 'momentum' or 'betas'; set cycleMomentum: false`,
  );
}

export function setMomentum(owner: string, group: Group, value: number): void {
  if (momentumKey(owner, group) === 'betas') group.betas = [value, (group.betas as number[])[1]];
  else group.momentum = value;
}

export function getMomentum(owner: string, group: Group): number {
  return momentumKey(owner, group) === 'betas' ? (group.betas as number[])[0] : (group.momentum as number);
}

/** One value per group: a single number is repeated. */
export function perGroup(owner: string, option: string, value: number | number[], groups: number): number[] {
  const list = Array.isArray(value) ? value : new Array(groups).fill(value);
  if (list.length !== groups || !list.every((v) => typeof v === 'number' && Number.isFinite(v))) {
    throw new NntkError(
      'INVALID_OPTION',
      `${owner}: option '${option}' must be a number or ${groups} numbers (one per group), got ${JSON.stringify(value)}`,
    );
  }
  return list;
}
