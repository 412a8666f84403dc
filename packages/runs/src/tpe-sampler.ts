import { check, NntkError, Rng } from '@nntk/core';
import { assertSafeKeyPath } from './assert-safe-key-path';
import { logSumExp, normalMass } from './internal/normal-math';
import { type Distribution, type Overrides, sample } from './internal/sweep-space';

/** A finished trial as a sampler sees it. */
export interface TrialObservation {
  /** The trial's index in the sweep (older trials first). */
  index: number;
  overrides: Overrides;
  /** The objective (the best monitored value), null when never logged. */
  value: number | null;
  status: 'completed' | 'pruned' | 'failed' | 'interrupted';
  /** Epochs the trial trained (pruned trials that went further rank better). */
  epochs: number;
}

export interface TPESamplerOptions {
  /** Seeds every proposal: trial `i` draws from a generator seeded by `(seed, i)`. Default 0. */
  seed?: number;
  /** Trials drawn at random before TPE starts modelling. Default 10 (Optuna's default). */
  nStartupTrials?: number;
  /** Candidates drawn from l(x) per parameter; the one with the highest l(x)/g(x) wins. Default 24. */
  nEiCandidates?: number;
  /** Fraction of trials in the good group: n_good = min(ceil(gamma · n), 25). Default 0.1. */
  gamma?: number;
  /** Weight of the prior component (the whole range) in each Parzen estimator. Default 1. */
  priorWeight?: number;
  /** 'min' (default) or 'max': which objective values are good. */
  mode?: 'min' | 'max';
}

interface Mixture {
  weights: number[];
  mus: number[];
  sigmas: number[];
}

interface Numeric {
  kind: 'numeric';
  low: number;
  high: number;
  step: number;
  log: boolean;
}

interface Categorical {
  kind: 'categorical';
  choices: unknown[];
}

function describe(key: string, d: Distribution): Numeric | Categorical {
  if ('choice' in d) return { kind: 'categorical', choices: d.choice };
  if ('uniform' in d) return { kind: 'numeric', low: d.uniform[0], high: d.uniform[1], step: 0, log: false };
  if ('logUniform' in d) {
    return {
      kind: 'numeric',
      low: Math.log(d.logUniform[0]),
      high: Math.log(d.logUniform[1]),
      step: 0,
      log: true,
    };
  }
  if ('int' in d) return { kind: 'numeric', low: d.int[0], high: d.int[1], step: 1, log: false };
  throw new NntkError('INVALID_OPTION', `TPESampler: space key '${key}' has an unknown distribution`);
}

/** Optuna's default_weights: flat for the newest 25 observations, a linear ramp down for older ones. */
function observationWeights(n: number): number[] {
  if (n < 25) return Array(n).fill(1);
  const ramp = Array.from({ length: n - 25 }, (_, i) => 1 / n + ((1 - 1 / n) * i) / Math.max(1, n - 26));
  return [...ramp, ...Array(25).fill(1)];
}

/** Parzen estimator over a numeric range: one truncated Gaussian per observation plus the prior. */
function numericMixture(obs: number[], p: Numeric, priorWeight: number): Mixture {
  const low = p.low - p.step / 2;
  const high = p.high + p.step / 2;
  const range = high - low;
  const order = obs.map((_, i) => i).sort((a, b) => obs[a] - obs[b]);
  const sorted = [low, ...order.map((i) => obs[i]), high];
  const sigmaSorted = order.map((_, j) => Math.max(sorted[j + 1] - sorted[j], sorted[j + 2] - sorted[j + 1]));
  if (sorted.length >= 4) {
    sigmaSorted[0] = sorted[2] - sorted[1];
    sigmaSorted[sigmaSorted.length - 1] = sorted[sorted.length - 2] - sorted[sorted.length - 3];
  }
  const minSigma = range / Math.min(100, 1 + obs.length);
  const sigmas = Array<number>(obs.length);
  order.forEach((i, j) => {
    sigmas[i] = Math.min(Math.max(sigmaSorted[j], minSigma), range);
  });
  const weights = [...observationWeights(obs.length), priorWeight];
  const total = weights.reduce((s, w) => s + w, 0);
  return {
    weights: weights.map((w) => w / total),
    mus: [...obs, (low + high) / 2],
    sigmas: [...sigmas, range],
  };
}

function numericLogPdf(x: number, m: Mixture, p: Numeric): number {
  const low = p.low - p.step / 2;
  const high = p.high + p.step / 2;
  return logSumExp(
    m.mus.map((mu, k) => {
      const s = m.sigmas[k];
      const z = Math.log(normalMass((low - mu) / s, (high - mu) / s));
      if (p.step > 0) {
        return (
          Math.log(m.weights[k]) +
          Math.log(normalMass((x - p.step / 2 - mu) / s, (x + p.step / 2 - mu) / s)) -
          z
        );
      }
      const u = (x - mu) / s;
      return Math.log(m.weights[k]) - 0.5 * u * u - Math.log(s * Math.sqrt(2 * Math.PI)) - z;
    }),
  );
}

function pick(weights: number[], rng: Rng): number {
  let u = rng.random();
  for (let k = 0; k < weights.length; k++) {
    u -= weights[k];
    if (u <= 0) return k;
  }
  return weights.length - 1;
}

function numericSample(m: Mixture, p: Numeric, rng: Rng): number {
  const low = p.low - p.step / 2;
  const high = p.high + p.step / 2;
  const k = pick(m.weights, rng);
  let x = m.mus[k] + m.sigmas[k] * rng.normal();
  for (let tries = 0; (x < low || x > high) && tries < 100; tries++)
    x = m.mus[k] + m.sigmas[k] * rng.normal();
  x = Math.min(Math.max(x, low), high);
  return p.step > 0 ? Math.min(Math.max(Math.round(x), p.low), p.high) : x;
}

/** Categorical Parzen estimator: each observation's kernel puts 1 on its choice plus the prior's share. */
function categoricalMixture(obs: number[], n: number, priorWeight: number): number[] {
  const weights = observationWeights(obs.length);
  const probs = Array(n).fill(priorWeight / n);
  obs.forEach((c, i) => {
    probs[c] += weights[i];
  });
  const total = probs.reduce((s, w) => s + w, 0);
  return probs.map((w) => w / total);
}

function sameValue(a: unknown, b: unknown): boolean {
  return a === b || JSON.stringify(a) === JSON.stringify(b);
}

/**
 * Tree-structured Parzen Estimator (Bergstra, Bardenet, Bengio and Kégl 2011, "Algorithms for
 * Hyper-Parameter Optimization"), univariate as Optuna's `TPESampler`: finished trials are split into a
 * good group (the best n_good = min(ceil(gamma·n), 25), completed before pruned) and the rest; each group
 * gets a Parzen estimator per parameter, l(x) and g(x): a truncated Gaussian per observation (bandwidth
 * the larger gap to its neighbours, clipped to [range / min(100, 1 + n), range]) plus a prior over the
 * whole range with weight `priorWeight`. `nEiCandidates` draws from l(x) are scored by
 * log l(x) − log g(x) (maximising expected improvement, eq. 3 of the paper) and the best is proposed.
 * Uniform and integer parameters live in their own space, log-uniform ones in log space, categorical
 * ones as a smoothed histogram. Asynchronous: `ask` uses whatever trials have finished, so workers never
 * wait for each other; proposals are seeded by `(seed, index)` and so reproducible for the same
 * history.
 */
export class TPESampler {
  readonly space: Record<string, Distribution>;
  private readonly seedValue: number;
  /** Trials proposed at random before TPE models (finished ones counted). */
  readonly nStartupTrials: number;
  private readonly nEiCandidates: number;
  private readonly gamma: number;
  private readonly priorWeight: number;
  private readonly mode: 'min' | 'max';

  constructor(space: Record<string, Distribution>, options: TPESamplerOptions = {}) {
    const owner = 'TPESampler';
    if (!space || typeof space !== 'object' || Object.keys(space).length === 0) {
      throw new NntkError('INVALID_OPTION', `${owner}: the search space needs at least one key`);
    }
    for (const [key, d] of Object.entries(space)) {
      assertSafeKeyPath(key, `${owner}: space key`);
      sample(key, d, new Rng(0));
      const p = describe(key, d);
      if (p.kind === 'numeric' && !(p.high > p.low)) {
        throw new NntkError(
          'INVALID_OPTION',
          `${owner}: space key '${key}' needs low < high, got ${JSON.stringify(d)}`,
        );
      }
    }
    this.space = space;
    this.seedValue = check.integer(owner, 'seed', options.seed ?? 0, 0);
    this.nStartupTrials = check.integer(owner, 'nStartupTrials', options.nStartupTrials ?? 10, 0);
    this.nEiCandidates = check.integer(owner, 'nEiCandidates', options.nEiCandidates ?? 24, 1);
    this.gamma = check.inRange(owner, 'gamma', options.gamma ?? 0.1, 0, 1, true);
    this.priorWeight = check.positive(owner, 'priorWeight', options.priorWeight ?? 1);
    this.mode = check.oneOf(owner, 'mode', options.mode ?? 'min', ['min', 'max']);
  }

  /** The generator for trial `index`: the same proposal for the same history, in any process. */
  private rngFor(index: number): Rng {
    return new Rng((this.seedValue * 1_000_003 + index * 7919 + 17) % 2_147_483_647);
  }

  /** Good and bad observations: completed trials by value, then pruned ones (further trained first). */
  private split(history: TrialObservation[]): [TrialObservation[], TrialObservation[]] {
    const sign = this.mode === 'max' ? -1 : 1;
    const usable = history.filter(
      (t) => (t.status === 'completed' || t.status === 'pruned') && t.value !== null,
    );
    const rank = (t: TrialObservation) => [
      t.status === 'completed' ? 0 : 1,
      t.status === 'pruned' ? -t.epochs : 0,
      sign * (t.value as number),
    ];
    const sorted = [...usable].sort((a, b) => {
      const ra = rank(a);
      const rb = rank(b);
      return ra[0] - rb[0] || ra[1] - rb[1] || ra[2] - rb[2] || a.index - b.index;
    });
    const nGood = Math.min(Math.ceil(this.gamma * sorted.length), 25);
    const byIndex = (a: TrialObservation, b: TrialObservation) => a.index - b.index;
    return [sorted.slice(0, nGood).sort(byIndex), sorted.slice(nGood).sort(byIndex)];
  }

  /** Proposes the configuration of trial `index` from the trials finished so far. */
  ask(index: number, history: TrialObservation[]): Overrides {
    const rng = this.rngFor(index);
    const finished = history.filter(
      (t) => (t.status === 'completed' || t.status === 'pruned') && t.value !== null,
    );
    if (finished.length < Math.max(this.nStartupTrials, 2)) {
      return Object.fromEntries(Object.entries(this.space).map(([key, d]) => [key, sample(key, d, rng)]));
    }
    const [good, bad] = this.split(finished);
    const out: Overrides = {};
    for (const [key, d] of Object.entries(this.space)) {
      const p = describe(key, d);
      out[key] =
        p.kind === 'numeric'
          ? this.numeric(key, p, good, bad, rng)
          : this.categorical(key, p, good, bad, rng);
    }
    return out;
  }

  private numeric(
    key: string,
    p: Numeric,
    good: TrialObservation[],
    bad: TrialObservation[],
    rng: Rng,
  ): number {
    const values = (ts: TrialObservation[]) =>
      ts
        .map((t) => t.overrides[key])
        .filter((v): v is number => typeof v === 'number' && Number.isFinite(v) && (!p.log || v > 0))
        .map((v) => (p.log ? Math.log(v) : v));
    const l = numericMixture(values(good), p, this.priorWeight);
    const g = numericMixture(values(bad), p, this.priorWeight);
    let best = Number.NaN;
    let bestScore = Number.NEGATIVE_INFINITY;
    for (let c = 0; c < this.nEiCandidates; c++) {
      const x = numericSample(l, p, rng);
      const score = numericLogPdf(x, l, p) - numericLogPdf(x, g, p);
      if (score > bestScore || Number.isNaN(best)) {
        best = x;
        bestScore = score;
      }
    }
    return p.log ? Math.exp(best) : best;
  }

  private categorical(
    key: string,
    p: Categorical,
    good: TrialObservation[],
    bad: TrialObservation[],
    rng: Rng,
  ): unknown {
    const indices = (ts: TrialObservation[]) =>
      ts.map((t) => p.choices.findIndex((c) => sameValue(c, t.overrides[key]))).filter((i) => i >= 0);
    const l = categoricalMixture(indices(good), p.choices.length, this.priorWeight);
    const g = categoricalMixture(indices(bad), p.choices.length, this.priorWeight);
    let best = 0;
    let bestScore = Number.NEGATIVE_INFINITY;
    for (let c = 0; c < this.nEiCandidates; c++) {
      const k = pick(l, rng);
      const score = Math.log(l[k]) - Math.log(g[k]);
      if (score > bestScore) {
        best = k;
        bestScore = score;
      }
    }
    return p.choices[best];
  }
}
