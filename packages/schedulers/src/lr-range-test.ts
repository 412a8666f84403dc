import { check, NntkError } from '@nntk/core';

export interface LrRangeTestOptions {
  /** Trains one step (or a few) at `lr` and returns the loss. May be async. */
  step: (lr: number) => number | Promise<number>;
  startLr?: number;
  endLr?: number;
  numIter?: number;
  mode?: 'exp' | 'linear';
  /** β of the bias-corrected exponential moving average of the loss (fastai's convention). Default 0.98. */
  smoothing?: number;
  /** Stop once the smoothed loss exceeds this multiple of the best smoothed loss. Default 4. */
  divergeThreshold?: number;
}

export interface LrRangeTestResult {
  lrs: number[];
  /** The smoothed losses, one per lr. */
  losses: number[];
  rawLosses: number[];
  /** The lr at the steepest descent of the smoothed curve (against log lr in exp mode). */
  suggestedLr: number;
  /** True when the run stopped early because the loss diverged. */
  diverged: boolean;
}

/**
 * The learning-rate range test (Smith 2017, "Cyclical Learning Rates", section 3.3; the "LR finder"):
 * train with a learning rate that grows every step from `startLr` to `endLr`, record the smoothed
 * loss, stop when it diverges, and suggest the lr where the loss falls fastest.
 */
export async function lrRangeTest(options: LrRangeTestOptions): Promise<LrRangeTestResult> {
  const owner = 'lrRangeTest';
  if (typeof options?.step !== 'function')
    throw new NntkError('INVALID_OPTION', `${owner}: option 'step' must be a function (lr) => loss`);
  const startLr = check.positive(owner, 'startLr', options.startLr ?? 1e-7);
  const endLr = check.positive(owner, 'endLr', options.endLr ?? 10);
  if (endLr <= startLr)
    throw new NntkError('INVALID_OPTION', `${owner}: endLr (${endLr}) must exceed startLr (${startLr})`);
  const numIter = check.integer(owner, 'numIter', options.numIter ?? 100, 2);
  const mode = check.oneOf(owner, 'mode', options.mode ?? 'exp', ['exp', 'linear']);
  const beta = check.inRange(owner, 'smoothing', options.smoothing ?? 0.98, 0, 1);
  const divergeThreshold = check.positive(owner, 'divergeThreshold', options.divergeThreshold ?? 4);

  const lrs: number[] = [];
  const losses: number[] = [];
  const rawLosses: number[] = [];
  let average = 0;
  let best = Number.POSITIVE_INFINITY;
  let diverged = false;
  for (let i = 0; i < numIter; i++) {
    const fraction = i / (numIter - 1);
    const lr =
      mode === 'exp' ? startLr * (endLr / startLr) ** fraction : startLr + (endLr - startLr) * fraction;
    const loss = await options.step(lr);
    average = beta * average + (1 - beta) * loss;
    const smoothed = average / (1 - beta ** (i + 1));
    lrs.push(lr);
    rawLosses.push(loss);
    losses.push(smoothed);
    if (!Number.isFinite(smoothed) || smoothed > divergeThreshold * best) {
      diverged = true;
      break;
    }
    best = Math.min(best, smoothed);
  }
  return { lrs, losses, rawLosses, suggestedLr: steepestDescent(lrs, losses, mode), diverged };
}

/** The lr where d(loss)/d(x) is most negative, x = log lr (exp) or lr (linear), by central differences. */
function steepestDescent(lrs: number[], losses: number[], mode: 'exp' | 'linear'): number {
  const finite = losses.findIndex((l) => !Number.isFinite(l));
  const n = finite === -1 ? losses.length : finite;
  if (n < 3) return lrs[0];
  const x = lrs.slice(0, n).map((lr) => (mode === 'exp' ? Math.log(lr) : lr));
  // Skip the noisy start (10%) and the divergence at the end (last 5%), as LR finders usually do.
  const first = Math.max(1, Math.floor(n * 0.1));
  const last = Math.min(n - 2, n - 1 - Math.floor(n * 0.05));
  let bestIndex = first;
  let bestSlope = Number.POSITIVE_INFINITY;
  for (let i = first; i <= last; i++) {
    const slope = (losses[i + 1] - losses[i - 1]) / (x[i + 1] - x[i - 1]);
    if (slope < bestSlope) {
      bestSlope = slope;
      bestIndex = i;
    }
  }
  return lrs[bestIndex];
}
