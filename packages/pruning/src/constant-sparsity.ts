import { checkSparsity, checkSteps, makeSchedule, type SparsitySchedule } from './internal/schedule';

export interface ConstantSparsityOptions {
  targetSparsity: number;
  /** Default 0. */
  beginStep?: number;
  /** Default -1 (keep pruning to the target every `frequency` steps). */
  endStep?: number;
  /** Default 100. */
  frequency?: number;
}

/**
 * Prune to a fixed sparsity every `frequency` steps from `beginStep` to `endStep`, as TensorFlow Model
 * Optimization's `ConstantSparsity`: `schedule(step) = { prune, sparsity: targetSparsity }`.
 */
export function constantSparsity(options: ConstantSparsityOptions): SparsitySchedule {
  const owner = 'constantSparsity';
  const target = checkSparsity(owner, 'targetSparsity', options?.targetSparsity);
  return makeSchedule(checkSteps(owner, options, true), () => target);
}
