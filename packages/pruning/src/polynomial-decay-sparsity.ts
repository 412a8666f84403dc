import { check } from '@nntk/core';
import { checkSparsity, checkSteps, makeSchedule, type SparsitySchedule } from './internal/schedule';

export interface PolynomialDecaySparsityOptions {
  initialSparsity: number;
  finalSparsity: number;
  /** Default 0. */
  beginStep?: number;
  endStep: number;
  /** Default 3. */
  power?: number;
  /** Default 100. */
  frequency?: number;
}

/**
 * Gradual pruning (Zhu and Gupta 2017, "To prune, or not to prune", as TFMOT's `PolynomialDecay`):
 * `s_t = s_f + (s_i − s_f)·(1 − p)^power` with `p = clamp((t − beginStep)/(endStep − beginStep), 0, 1)`,
 * so pruning is fast early and slow near `endStep`, where it reaches `finalSparsity` exactly.
 */
export function polynomialDecaySparsity(options: PolynomialDecaySparsityOptions): SparsitySchedule {
  const owner = 'polynomialDecaySparsity';
  const initial = checkSparsity(owner, 'initialSparsity', options?.initialSparsity);
  const final = checkSparsity(owner, 'finalSparsity', options.finalSparsity);
  const power = check.positive(owner, 'power', options.power ?? 3);
  const steps = checkSteps(owner, options, false);
  return makeSchedule(steps, (step) => {
    const p = Math.min(1, Math.max(0, (step - steps.beginStep) / (steps.endStep - steps.beginStep)));
    return final + (initial - final) * (1 - p) ** power;
  });
}
