import type { AnnealStrategy } from './anneal';
import { anneals } from './anneal';

/** The values a one-cycle phase anneals between. */
export type OneCycleValues = Record<'initial' | 'max' | 'min', number>;

interface Phase {
  endStep: number;
  from: keyof OneCycleValues;
  to: keyof OneCycleValues;
}

/**
 * The phases of the 1cycle policy as PyTorch's `OneCycleLR` lays them out: up to the peak at
 * `pctStart·T − 1`, then down to `min` at `T − 1`; with `threePhase`, down to `initial` at
 * `2·pctStart·T − 2` first. Momentum runs the same phases between inverted values.
 */
export function oneCyclePhases(totalSteps: number, pctStart: number, threePhase: boolean): Phase[] {
  const up = pctStart * totalSteps - 1;
  if (!threePhase) {
    return [
      { endStep: up, from: 'initial', to: 'max' },
      { endStep: totalSteps - 1, from: 'max', to: 'min' },
    ];
  }
  return [
    { endStep: up, from: 'initial', to: 'max' },
    { endStep: 2 * pctStart * totalSteps - 2, from: 'max', to: 'initial' },
    { endStep: totalSteps - 1, from: 'initial', to: 'min' },
  ];
}

/** The value at step `t` of `phases` between `values`. */
export function oneCycleValue(
  phases: Phase[],
  t: number,
  values: OneCycleValues,
  strategy: AnnealStrategy,
): number {
  let startStep = 0;
  for (const [index, phase] of phases.entries()) {
    if (t <= phase.endStep || index === phases.length - 1) {
      const pct = (t - startStep) / (phase.endStep - startStep);
      return anneals[strategy](values[phase.from], values[phase.to], pct);
    }
    startStep = phase.endStep;
  }
  return values.min;
}
