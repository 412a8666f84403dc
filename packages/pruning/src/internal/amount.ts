import { describeValue, NntkError } from '@nntk/core';

/**
 * How much to prune: a number in [0, 1] is a fraction of the candidates (1 prunes them all); an integer
 * greater than 1, or `{ count }`, is an absolute number of them.
 */
export type PruningAmount = number | { count: number };

/** Python's `round` (half to even), which PyTorch uses to turn a fraction into a count. */
export function roundHalfEven(x: number): number {
  const floor = Math.floor(x);
  const diff = x - floor;
  if (Math.abs(diff - 0.5) > 1e-12) return Math.round(x);
  return floor % 2 === 0 ? floor : floor + 1;
}

/** Validates `amount` before the tensor is known (PyTorch's `_validate_pruning_amount_init`). */
export function checkAmount(owner: string, amount: unknown): PruningAmount {
  if (typeof amount === 'object' && amount !== null && 'count' in amount) {
    const count = (amount as { count: unknown }).count;
    if (typeof count === 'number' && Number.isInteger(count) && count >= 0) return { count };
  } else if (typeof amount === 'number' && Number.isFinite(amount)) {
    if (amount >= 0 && amount <= 1) return amount;
    if (Number.isInteger(amount) && amount > 1) return { count: amount };
  }
  throw new NntkError(
    'INVALID_OPTION',
    `${owner}: option 'amount' must be a fraction in [0, 1], an integer count > 1 or { count: n } with n >= 0, got ${describeValue(amount)}`,
  );
}

/** The number of candidates to prune out of `size` (PyTorch's `_compute_nparams_toprune` + its check). */
export function countToPrune(owner: string, amount: PruningAmount, size: number, what: string): number {
  const count = typeof amount === 'number' ? roundHalfEven(amount * size) : amount.count;
  if (count > size) {
    throw new NntkError(
      'INVALID_OPTION',
      `${owner}: amount ${count} is larger than the ${size} ${what} left to prune`,
    );
  }
  return count;
}
