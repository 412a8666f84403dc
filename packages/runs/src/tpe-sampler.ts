import { check, NntkError, Rng } from '@nntk/core';
import { assertSafeKeyPath } from './assert-safe-key-path';
import {
  type CategoricalParam,
  type NumericParam,
  type Param,
  ParzenEstimator,
} from './internal/parzen-estimator';
import { type Distribution, type Overrides, sample } from './internal/sweep-space';

/** A finished trial as a sampler sees it ('running': proposed, not finished; see `constantLiar`). */
export interface TrialObservation {
  /** The trial's index in the sweep (older trials first). */
  index: number;
  overrides: Overrides;
  /** The objective (the best monitored value), null when never logged. */
  value: number | null;
  status: 'completed' | 'pruned' | 'failed' | 'interrupted' | 'running';
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
  /**
   * Model the keys jointly (multivariate TPE, Falkner, Klein and Hutter 2018, "BOHB"): one Parzen
   * estimator over all keys with product kernels, so correlated keys (learning rate and weight decay)
   * are proposed together. Default true, as Optuna 5 for one objective; false models each key alone.
   */
  multivariate?: boolean;
  /**
   * Trials proposed but not finished ('running' observations) join the bad group, so parallel trials
   * are not all sent to the same spot (Optuna's `constant_liar`, default true in Optuna 5). Default true.
   */
  constantLiar?: boolean;
  /** 'min' (default) or 'max': which objective values are good. */
  mode?: 'min' | 'max';
}

type Numeric = NumericParam;
type Categorical = CategoricalParam;

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

function sameValue(a: unknown, b: unknown): boolean {
  return a === b || JSON.stringify(a) === JSON.stringify(b);
}

/**
 * Tree-structured Parzen Estimator (Bergstra, Bardenet, Bengio and Kégl 2011, "Algorithms for
 * Hyper-Parameter Optimization"), as Optuna's `TPESampler` with its defaults: finished trials are split
 * into a good group (the best n_good = min(⌈gamma·n⌉, 25), completed before pruned, pruned ones by
 * epochs trained) and the rest; each group gets Parzen estimators l(x) and g(x): a truncated Gaussian
 * per observation (bandwidth the larger gap to its neighbours among the observations, the prior's centre
 * and the range's ends; Optuna's magic clip to [range / min(100, n + 2), range]), the newest 25
 * observations weighted 1 and older ones less, plus a prior over the whole range with weight
 * `priorWeight`. `nEiCandidates` draws from l(x) are scored by log l(x) − log g(x) (maximising expected
 * improvement, eq. 3 of the paper) and the best is proposed. Uniform and integer keys are modelled in
 * their own space, log-uniform ones in log space, categorical ones with Optuna's smoothed kernels.
 * Keys are modelled jointly (`multivariate`, Optuna 5's default for one objective) or one by one;
 * trials still running count as bad (`constantLiar`, Optuna 5's default). `ask` uses the trials it is
 * given (the sweep passes a fixed window of finished ones and the running ones after it, so no worker
 * waits on a batch); proposals are seeded by `(seed, index)` and so reproducible for the same history.
 * Checked against Optuna 5.0's Parzen estimators (fixtures/gen_tpe.py).
 */
export class TPESampler {
  readonly space: Record<string, Distribution>;
  private readonly seedValue: number;
  /** Trials proposed at random before TPE models (finished ones counted). */
  readonly nStartupTrials: number;
  private readonly nEiCandidates: number;
  private readonly gamma: number;
  private readonly priorWeight: number;
  private readonly multivariate: boolean;
  private readonly constantLiar: boolean;
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
    this.multivariate = check.boolean(owner, 'multivariate', options.multivariate ?? true);
    this.constantLiar = check.boolean(owner, 'constantLiar', options.constantLiar ?? true);
    this.mode = check.oneOf(owner, 'mode', options.mode ?? 'min', ['min', 'max']);
  }

  /** The generator for trial `index`: the same proposal for the same history, in any process. */
  private rngFor(index: number): Rng {
    return new Rng((this.seedValue * 1_000_003 + index * 7919 + 17) % 2_147_483_647);
  }

  /**
   * Good and bad observations: completed trials by value, then pruned ones (further trained first); the
   * good group is the first min(⌈gamma·n⌉, 25) of the n finished ones; running ones go to the bad group.
   */
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
    const running = this.constantLiar ? history.filter((t) => t.status === 'running') : [];
    return [sorted.slice(0, nGood).sort(byIndex), [...sorted.slice(nGood), ...running].sort(byIndex)];
  }

  /** Proposes the configuration of trial `index` from the finished (and running) trials given. */
  ask(index: number, history: TrialObservation[]): Overrides {
    const rng = this.rngFor(index);
    const finished = history.filter(
      (t) => (t.status === 'completed' || t.status === 'pruned') && t.value !== null,
    );
    if (finished.length < Math.max(this.nStartupTrials, 2)) {
      return Object.fromEntries(Object.entries(this.space).map(([key, d]) => [key, sample(key, d, rng)]));
    }
    const [good, bad] = this.split(history);
    const keys = Object.keys(this.space);
    const params = keys.map((key) => describe(key, this.space[key]));
    const groups = this.multivariate ? [keys.map((_, j) => j)] : keys.map((_, j) => [j]);
    const out: Overrides = {};
    for (const group of groups) {
      const ps = group.map((j) => params[j]);
      const rows = (ts: TrialObservation[]) =>
        ts
          .map((t) => group.map((j) => modelled(t.overrides[keys[j]], params[j])))
          .filter((r): r is number[] => r.every((v) => v !== undefined));
      const l = new ParzenEstimator(rows(good), ps, this.priorWeight);
      const g = new ParzenEstimator(rows(bad), ps, this.priorWeight);
      let best: number[] = [];
      let bestScore = Number.NEGATIVE_INFINITY;
      for (let c = 0; c < this.nEiCandidates; c++) {
        const x = l.sample(rng);
        const score = l.logPdf(x) - g.logPdf(x);
        if (score > bestScore || best.length === 0) {
          best = x;
          bestScore = score;
        }
      }
      group.forEach((j, m) => {
        out[keys[j]] = external(best[m], params[j]);
      });
    }
    return out;
  }
}

/** A value in the space TPE models it in (log for log-uniform, the index for a choice); undefined if unusable. */
function modelled(v: unknown, p: Param): number | undefined {
  if (p.kind === 'categorical') {
    const k = p.choices.findIndex((c) => sameValue(c, v));
    return k >= 0 ? k : undefined;
  }
  if (typeof v !== 'number' || !Number.isFinite(v) || (p.log && v <= 0)) return undefined;
  return p.log ? Math.log(v) : v;
}

function external(x: number, p: Param): unknown {
  if (p.kind === 'categorical') return p.choices[x];
  return p.log ? Math.exp(x) : x;
}
