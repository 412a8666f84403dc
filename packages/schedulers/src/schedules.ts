import { NntkError } from '@nntk/core';
import { type AnnealStrategy, annealCos } from './internal/anneal';
import { oneCyclePhases, oneCycleValue } from './internal/one-cycle-phases';

/** A pure schedule: the value (a learning rate or a factor) at a step. */
export type Schedule = (step: number) => number;

/** Always `value`. */
export function constant(value: number): Schedule {
  return () => value;
}

/** From `init` to `end` linearly over `steps`, then `end`. */
export function linear(init: number, end: number, steps: number): Schedule {
  positiveSteps('linear', steps);
  return (step) => init + (end - init) * Math.min(Math.max(step, 0) / steps, 1);
}

/** Cosine decay from `init` to `init·alpha` over `steps`: `init((1−α)(1 + cos(πt/T))/2 + α)`. */
export function cosine(init: number, steps: number, alpha = 0): Schedule {
  positiveSteps('cosine', steps);
  return (step) => {
    const t = Math.min(Math.max(step, 0), steps) / steps;
    return annealCos(init, init * alpha, t);
  };
}

/** `init·rate^(t/transitionSteps)`, stepwise when `staircase`. */
export function exponential(init: number, rate: number, transitionSteps = 1, staircase = false): Schedule {
  positiveSteps('exponential', transitionSteps);
  return (step) => {
    const p = step / transitionSteps;
    return init * rate ** (staircase ? Math.floor(p) : p);
  };
}

/** `(init − end)(1 − t/T)^power + end`, then `end`. */
export function polynomial(init: number, end: number, steps: number, power = 1): Schedule {
  positiveSteps('polynomial', steps);
  return (step) => (init - end) * (1 - Math.min(Math.max(step, 0), steps) / steps) ** power + end;
}

/** `init`, multiplied by `scales[boundary]` once each boundary step is reached (optax's piecewise_constant_schedule). */
export function piecewiseConstant(init: number, scales: Record<number, number>): Schedule {
  const entries = Object.entries(scales)
    .map(([k, v]) => [Number(k), v] as const)
    .sort((a, b) => a[0] - b[0]);
  return (step) =>
    entries.reduce((value, [boundary, scale]) => (step >= boundary ? value * scale : value), init);
}

/** Runs `schedules` one after another; each starts at step 0 at its boundary (optax's `join_schedules`). */
export function join(schedules: Schedule[], boundaries: number[]): Schedule {
  if (boundaries.length !== schedules.length - 1) {
    throw new NntkError(
      'INVALID_OPTION',
      `schedules.join: needs ${schedules.length - 1} boundaries for ${schedules.length} schedules, got ${boundaries.length}`,
    );
  }
  return (step) => {
    let index = 0;
    while (index < boundaries.length && step >= boundaries[index]) index += 1;
    return schedules[index](step - (index > 0 ? boundaries[index - 1] : 0));
  };
}

/** Linear warm-up from `init` to `peak` over `warmupSteps`, then cosine decay to `end` at `decaySteps`. */
export function warmupCosine(
  init: number,
  peak: number,
  warmupSteps: number,
  decaySteps: number,
  end = 0,
): Schedule {
  if (!(decaySteps > warmupSteps)) {
    throw new NntkError(
      'INVALID_OPTION',
      `schedules.warmupCosine: decaySteps (${decaySteps}) must exceed warmupSteps (${warmupSteps})`,
    );
  }
  const warm = warmupSteps > 0 ? linear(init, peak, warmupSteps) : constant(peak);
  return join([warm, cosine(peak, decaySteps - warmupSteps, peak === 0 ? 0 : end / peak)], [warmupSteps]);
}

/**
 * The 1cycle policy (Smith and Topin 2019) as PyTorch's `OneCycleLR` with cosine annealing: from
 * `maxLr/divFactor` up to `maxLr` over `pctStart` of `totalSteps`, then down to
 * `maxLr/(divFactor·finalDivFactor)` at the last step (`threePhase` and `annealStrategy` as there).
 * `OneCycleLR` computes its learning rates from the same phases.
 */
export function oneCycle(
  totalSteps: number,
  maxLr: number,
  options: {
    pctStart?: number;
    divFactor?: number;
    finalDivFactor?: number;
    annealStrategy?: AnnealStrategy;
    threePhase?: boolean;
  } = {},
): Schedule {
  positiveSteps('oneCycle', totalSteps);
  const initial = maxLr / (options.divFactor ?? 25);
  const values = { initial, max: maxLr, min: initial / (options.finalDivFactor ?? 1e4) };
  const phases = oneCyclePhases(totalSteps, options.pctStart ?? 0.3, options.threePhase ?? false);
  const strategy = options.annealStrategy ?? 'cos';
  return (step) => oneCycleValue(phases, Math.min(step, totalSteps - 1), values, strategy);
}

function positiveSteps(name: string, steps: number): void {
  if (!(steps > 0))
    throw new NntkError('INVALID_OPTION', `schedules.${name}: steps must be > 0, got ${steps}`);
}
