import { NntkError, Rng } from '@nntk/core';
import { assertSafeKeyPath } from '../assert-safe-key-path';

/** A distribution to sample one configuration key from in a random search. */
export type Distribution =
  | { choice: unknown[] }
  | { uniform: [number, number] }
  | { logUniform: [number, number] }
  | { int: [number, number] };

/** One configuration of a sweep: the dotted keys it sets, e.g. `{ 'optimizer.lr': 0.01 }`. */
export type Overrides = Record<string, unknown>;

/** Every combination of the grid's values, in key order (the last key varies fastest). */
export function gridConfigurations(grid: Record<string, unknown[]>): Overrides[] {
  let out: Overrides[] = [{}];
  for (const [key, values] of Object.entries(grid)) {
    assertSafeKeyPath(key, 'runSweep: grid key');
    if (!Array.isArray(values) || values.length === 0) {
      throw new NntkError('INVALID_OPTION', `runSweep: grid key '${key}' needs a non-empty array of values`);
    }
    out = out.flatMap((partial) => values.map((v) => ({ ...partial, [key]: v })));
  }
  return out;
}

export function sample(key: string, d: Distribution, rng: Rng): unknown {
  if ('choice' in d && Array.isArray(d.choice) && d.choice.length > 0)
    return d.choice[rng.randint(d.choice.length)];
  if ('uniform' in d) return d.uniform[0] + (d.uniform[1] - d.uniform[0]) * rng.random();
  if ('logUniform' in d && d.logUniform[0] > 0) {
    const [a, b] = d.logUniform.map(Math.log);
    return Math.exp(a + (b - a) * rng.random());
  }
  if ('int' in d) return d.int[0] + rng.randint(d.int[1] - d.int[0] + 1);
  throw new NntkError(
    'INVALID_OPTION',
    `runSweep: random space key '${key}' must be { choice: [...] }, { uniform: [a, b] }, { logUniform: [a > 0, b] } or { int: [a, b] }, got ${JSON.stringify(d)}`,
  );
}

/** `trials` configurations drawn from `space` with a generator seeded by `seed` (the same on restart). */
export function randomConfigurations(
  space: Record<string, Distribution>,
  trials: number,
  seed: number,
): Overrides[] {
  for (const key of Object.keys(space)) assertSafeKeyPath(key, 'runSweep: search space key');
  const rng = new Rng(seed);
  return Array.from({ length: trials }, () =>
    Object.fromEntries(Object.entries(space).map(([key, d]) => [key, sample(key, d, rng)])),
  );
}

/**
 * A copy of `base` with dotted `overrides` set (`'optimizer.lr'` sets `base.optimizer.lr`), creating the
 * objects on the way. The one parser of dotted keys, shared by sweeps and the CLI's `--a.b value`
 * overrides; a key with a `__proto__`, `constructor` or `prototype` segment is rejected (`source` names
 * where it came from in the error).
 */
export function applyOverrides<T>(base: T, overrides: Overrides, source = 'runSweep: key'): T {
  const out = structuredClone(base) as Record<string, unknown>;
  for (const [path, value] of Object.entries(overrides)) {
    assertSafeKeyPath(path, source);
    const keys = path.split('.');
    let node = out;
    for (const key of keys.slice(0, -1)) {
      if (!Object.hasOwn(node, key) || typeof node[key] !== 'object' || node[key] === null) node[key] = {};
      node = node[key] as Record<string, unknown>;
    }
    node[keys[keys.length - 1]] = value;
  }
  return out as T;
}

/** A readable, file-system-safe name for a run: `003-optimizer.lr=0.01-seed=1`. */
export function runName(index: number, overrides: Overrides): string {
  const parts = Object.entries(overrides).map(([k, v]) => {
    const text =
      typeof v === 'number'
        ? Number(v.toPrecision(4)).toString()
        : typeof v === 'string'
          ? v
          : JSON.stringify(v);
    return `${k}=${text}`;
  });
  const slug = parts
    .join('-')
    .replace(/[^A-Za-z0-9._=-]+/g, '_')
    .slice(0, 120);
  return `${String(index).padStart(3, '0')}${slug ? `-${slug}` : ''}`;
}
