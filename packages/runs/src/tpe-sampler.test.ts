import { describe, expect, it } from 'vitest';
import { TPESampler, type TrialObservation } from './index';

const branin = (x: number, y: number) =>
  (y - (5.1 / (4 * Math.PI ** 2)) * x ** 2 + (5 / Math.PI) * x - 6) ** 2 +
  10 * (1 - 1 / (8 * Math.PI)) * Math.cos(x) +
  10;

function optimise(
  sampler: TPESampler,
  n: number,
  f: (o: Record<string, unknown>) => number,
): TrialObservation[] {
  const history: TrialObservation[] = [];
  for (let i = 0; i < n; i++) {
    const overrides = sampler.ask(i, history);
    history.push({ index: i, overrides, value: f(overrides), status: 'completed', epochs: 1 });
  }
  return history;
}

describe('TPESampler', () => {
  const space = { x: { uniform: [-5, 10] as [number, number] }, y: { uniform: [0, 15] as [number, number] } };
  const f = (o: Record<string, unknown>) => branin(o.x as number, o.y as number);

  it('beats random search on Branin over seeds (median best after 40 trials)', () => {
    const tpe: number[] = [];
    const random: number[] = [];
    for (let seed = 0; seed < 5; seed++) {
      tpe.push(Math.min(...optimise(new TPESampler(space, { seed }), 40, f).map((t) => t.value as number)));
      random.push(
        Math.min(
          ...optimise(new TPESampler(space, { seed, nStartupTrials: 1000 }), 40, f).map(
            (t) => t.value as number,
          ),
        ),
      );
    }
    const median = (v: number[]) => [...v].sort((a, b) => a - b)[2];
    expect(median(tpe)).toBeLessThan(median(random));
    expect(median(tpe)).toBeLessThan(1.5); // the global minimum is 0.398
  });

  it('is reproducible, stays in range, handles log-uniform, int and categorical keys, and max mode', () => {
    const mixed = {
      lr: { logUniform: [1e-4, 1] as [number, number] },
      width: { int: [4, 9] as [number, number] },
      act: { choice: ['relu', 'gelu', 'tanh'] },
    };
    const g = (o: Record<string, unknown>) =>
      -((Math.log10(o.lr as number) + 2) ** 2) - ((o.width as number) - 7) ** 2 + (o.act === 'gelu' ? 1 : 0);
    const joint = optimise(new TPESampler(mixed, { seed: 3, mode: 'max' }), 30, g);
    expect(joint.map((t) => t.overrides)).toEqual(
      optimise(new TPESampler(mixed, { seed: 3, mode: 'max' }), 30, g).map((t) => t.overrides),
    );
    const a = optimise(new TPESampler(mixed, { seed: 3, mode: 'max', multivariate: false }), 30, g);
    const b = optimise(new TPESampler(mixed, { seed: 3, mode: 'max', multivariate: false }), 30, g);
    expect(a.map((t) => t.overrides)).toEqual(b.map((t) => t.overrides));
    for (const t of [...a, ...joint]) {
      expect(t.overrides.lr as number).toBeGreaterThanOrEqual(1e-4);
      expect(t.overrides.lr as number).toBeLessThanOrEqual(1);
      expect(Number.isInteger(t.overrides.width)).toBe(true);
      expect(t.overrides.width as number).toBeGreaterThanOrEqual(4);
      expect(t.overrides.width as number).toBeLessThanOrEqual(9);
      expect(['relu', 'gelu', 'tanh']).toContain(t.overrides.act);
    }
    // after the 10 random start-up trials, univariate TPE concentrates near the optimum (lr 1e-2, width 7)
    const early = a.slice(0, 10);
    const late = a.slice(20);
    const width7 = (ts: TrialObservation[]) => ts.filter((t) => t.overrides.width === 7).length;
    expect(width7(late)).toBeGreaterThan(width7(early) + 2);
    const lrGap = (ts: TrialObservation[]) =>
      ts.map((t) => Math.abs(Math.log10(t.overrides.lr as number) + 2)).sort((x, y) => x - y)[ts.length >> 1];
    expect(lrGap(late)).toBeLessThan(lrGap(early));
  });

  it('the same history gives the same proposal; running trials count as bad (constant liar)', () => {
    const s = new TPESampler(space, { seed: 1, nStartupTrials: 3 });
    const h = optimise(s, 6, f);
    expect(s.ask(6, h)).toEqual(new TPESampler(space, { seed: 1, nStartupTrials: 3 }).ask(6, h));
    expect(s.ask(7, h)).not.toEqual(s.ask(6, h));
    const running: TrialObservation = {
      index: 6,
      overrides: s.ask(6, h),
      value: null,
      status: 'running',
      epochs: 0,
    };
    expect(s.ask(7, [...h, running])).not.toEqual(s.ask(7, h));
    const honest = new TPESampler(space, { seed: 1, nStartupTrials: 3, constantLiar: false });
    expect(honest.ask(7, [...h, running])).toEqual(honest.ask(7, h));
  });

  it('rejects bad spaces and options', () => {
    expect(() => new TPESampler({})).toThrow('TPESampler: the search space needs at least one key');
    expect(() => new TPESampler({ 'a.__proto__': { uniform: [0, 1] } })).toThrow("segment '__proto__'");
    expect(() => new TPESampler({ a: { uniform: [1, 1] } })).toThrow('needs low < high');
    expect(() => new TPESampler(space, { multivariate: JSON.parse('"yes"') })).toThrow(
      "TPESampler: option 'multivariate' must be",
    );
    expect(() => new TPESampler(space, { gamma: 2 })).toThrow(
      "TPESampler: option 'gamma' must be a number in [0, 1]",
    );
  });
});
