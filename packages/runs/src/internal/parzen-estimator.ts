import type { Rng } from '@nntk/core';
import { logSumExp, normalMass } from './normal-math';

/** A numeric parameter in the space TPE models it in (log space for log-uniform keys). */
export interface NumericParam {
  kind: 'numeric';
  low: number;
  high: number;
  /** 1 for integers (their kernels put mass on [x − ½, x + ½]), 0 for continuous keys. */
  step: number;
  log: boolean;
}

export interface CategoricalParam {
  kind: 'categorical';
  choices: unknown[];
}

export type Param = NumericParam | CategoricalParam;

/** One parameter's kernels: kernel k is N(mus[k], sigmas[k]) truncated to the range, or a row of probabilities. */
type Kernels =
  | { kind: 'numeric'; p: NumericParam; mus: number[]; sigmas: number[] }
  | { kind: 'categorical'; p: CategoricalParam; rows: number[][] };

/**
 * Optuna's `default_weights`: 1 for each of the newest 25 observations (in trial order), a linear ramp
 * from 1/n up to 1 for the older ones.
 */
export function observationWeights(n: number): number[] {
  if (n < 25) return Array(n).fill(1);
  const ramp = Array.from({ length: n - 25 }, (_, i) => 1 / n + ((1 - 1 / n) * i) / Math.max(1, n - 26));
  return [...ramp, ...Array(25).fill(1)];
}

function bounds(p: NumericParam): [number, number] {
  return [p.low - p.step / 2, p.high + p.step / 2];
}

/**
 * Bandwidths as Optuna's (5.0) estimator, for each key alike (also when keys are modelled jointly): each
 * observation's sigma is the larger gap to its neighbours among the sorted observations and the range's
 * ends, the outermost ones take their inner gap (consider_endpoints = false); then the "magic clip" to
 * [range / min(100, n + 2), range] (n + 1 kernels with the prior).
 */
function bandwidths(mus: number[], p: NumericParam): number[] {
  const [low, high] = bounds(p);
  const range = high - low;
  const n = mus.length;
  const order = mus.map((_, i) => i).sort((a, b) => mus[a] - mus[b]);
  const e = [low, ...order.map((i) => mus[i]), high];
  const sorted = Array.from({ length: n }, (_, j) => Math.max(e[j + 1] - e[j], e[j + 2] - e[j + 1]));
  if (e.length >= 4) {
    sorted[0] = e[2] - e[1];
    sorted[n - 1] = e[n] - e[n - 1];
  }
  const sigmas = Array<number>(n);
  order.forEach((i, j) => {
    sigmas[i] = sorted[j];
  });
  const minSigma = range / Math.min(100, n + 2);
  return sigmas.map((s) => Math.min(Math.max(s, minSigma), range));
}

function numericKernels(values: number[], p: NumericParam): Kernels {
  const [low, high] = bounds(p);
  return {
    kind: 'numeric',
    p,
    mus: [...values, (low + high) / 2],
    sigmas: [...bandwidths(values, p), high - low],
  };
}

/**
 * Optuna's categorical kernels: with n observations, n + 1 kernels (the last the prior); every row
 * starts at priorWeight / (n + 1) per choice, an observation's row gets +1 on its choice, rows sum to 1.
 */
function categoricalKernels(indices: number[], p: CategoricalParam, priorWeight: number): Kernels {
  const c = p.choices.length;
  if (indices.length === 0) return { kind: 'categorical', p, rows: [Array(c).fill(1 / c)] };
  const nKernels = indices.length + 1;
  const rows = Array.from({ length: nKernels }, () => Array<number>(c).fill(priorWeight / nKernels));
  indices.forEach((k, i) => {
    rows[i][k] += 1;
  });
  return { kind: 'categorical', p, rows: rows.map((r) => r.map((v) => v / r.reduce((s, w) => s + w, 0))) };
}

function kernelLogPdf(kernels: Kernels, k: number, x: number): number {
  if (kernels.kind === 'categorical') return Math.log(kernels.rows[k][x]);
  const { p, mus, sigmas } = kernels;
  const [low, high] = bounds(p);
  const mu = mus[k];
  const s = sigmas[k];
  const z = Math.log(normalMass((low - mu) / s, (high - mu) / s));
  if (p.step > 0) return Math.log(normalMass((x - p.step / 2 - mu) / s, (x + p.step / 2 - mu) / s)) - z;
  const u = (x - mu) / s;
  return -0.5 * u * u - Math.log(s * Math.sqrt(2 * Math.PI)) - z;
}

function pick(weights: number[], rng: Rng): number {
  let u = rng.random();
  for (let k = 0; k < weights.length; k++) {
    u -= weights[k];
    if (u <= 0) return k;
  }
  return weights.length - 1;
}

function kernelSample(kernels: Kernels, k: number, rng: Rng): number {
  if (kernels.kind === 'categorical') return pick(kernels.rows[k], rng);
  const { p, mus, sigmas } = kernels;
  const [low, high] = bounds(p);
  let x = mus[k] + sigmas[k] * rng.normal();
  for (let tries = 0; (x < low || x > high) && tries < 100; tries++) x = mus[k] + sigmas[k] * rng.normal();
  x = Math.min(Math.max(x, low), high);
  return p.step > 0 ? Math.min(Math.max(Math.round(x), p.low), p.high) : x;
}

/**
 * A Parzen estimator over one or more parameters (Optuna's `_ParzenEstimator`): a mixture of product
 * kernels, one per observation plus the prior, with mixture weights `observationWeights(n)` and
 * `priorWeight` (normalised). Kernel k of every parameter belongs together, so with several parameters
 * (multivariate TPE) a sample draws one k and then every parameter from it, and the density is
 * Σ_k w_k Π_params kernel_k(x). Values are in the modelled space (log for log-uniform keys, choice
 * indices for categorical ones). Univariate TPE builds one per key.
 */
export class ParzenEstimator {
  private readonly weights: number[];
  private readonly kernels: Kernels[];

  /** `observations[i][j]`: observation i's value of `params[j]` (all valid). */
  constructor(observations: number[][], params: Param[], priorWeight: number) {
    const n = observations.length;
    const w = n === 0 ? [1] : [...observationWeights(n), priorWeight];
    const total = w.reduce((s, v) => s + v, 0);
    this.weights = w.map((v) => v / total);
    this.kernels = params.map((p, j) => {
      const column = observations.map((o) => o[j]);
      return p.kind === 'numeric' ? numericKernels(column, p) : categoricalKernels(column, p, priorWeight);
    });
  }

  sample(rng: Rng): number[] {
    const k = pick(this.weights, rng);
    return this.kernels.map((kernels) => kernelSample(kernels, k, rng));
  }

  logPdf(x: number[]): number {
    return logSumExp(
      this.weights.map(
        (w, k) => Math.log(w) + this.kernels.reduce((s, kernels, j) => s + kernelLogPdf(kernels, k, x[j]), 0),
      ),
    );
  }
}
