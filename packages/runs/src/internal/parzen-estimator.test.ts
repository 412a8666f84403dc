import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { type Param, ParzenEstimator } from './parzen-estimator';

type Spec = { uniform?: number[]; logUniform?: number[]; int?: number[]; choice?: unknown[] };

interface Case {
  name: string;
  space: Record<string, Spec>;
  below: Record<string, number[]>;
  above: Record<string, number[]>;
  points: Record<string, number[]>;
  score: number[];
}

const reference: { optuna: string; cases: Case[] } = JSON.parse(
  readFileSync(new URL('../../../../fixtures/sweeps/parzen-estimator.json', import.meta.url), 'utf8'),
);

function param(spec: Spec): Param {
  if (spec.choice) return { kind: 'categorical', choices: spec.choice };
  if (spec.logUniform)
    return {
      kind: 'numeric',
      low: Math.log(spec.logUniform[0]),
      high: Math.log(spec.logUniform[1]),
      step: 0,
      log: true,
    };
  if (spec.int) return { kind: 'numeric', low: spec.int[0], high: spec.int[1], step: 1, log: false };
  const [low, high] = spec.uniform as number[];
  return { kind: 'numeric', low, high, step: 0, log: false };
}

/** Rows of modelled values (log for log-uniform keys) from the fixture's columns. */
function rows(columns: Record<string, number[]>, keys: string[], params: Param[]): number[][] {
  const n = columns[keys[0]].length;
  return Array.from({ length: n }, (_, i) =>
    keys.map((k, j) => {
      const p = params[j];
      return p.kind === 'numeric' && p.log ? Math.log(columns[k][i]) : columns[k][i];
    }),
  );
}

describe('ParzenEstimator', () => {
  // Optuna's own estimators (fixtures/gen_tpe.py): the score log l(x) − log g(x) TPE maximises. The
  // 1e-6 tolerance covers erfc's Chebyshev fit (relative error < 1.2e-7) in the truncation masses.
  for (const c of reference.cases) {
    it(`${c.name}: log l(x) − log g(x) as Optuna ${reference.optuna}`, () => {
      const keys = Object.keys(c.space);
      const params = keys.map((k) => param(c.space[k]));
      const l = new ParzenEstimator(rows(c.below, keys, params), params, 1);
      const g = new ParzenEstimator(rows(c.above, keys, params), params, 1);
      const points = rows(c.points, keys, params);
      points.forEach((x, i) => {
        expect(l.logPdf(x) - g.logPdf(x)).toBeCloseTo(c.score[i], 6);
      });
    });
  }
});
