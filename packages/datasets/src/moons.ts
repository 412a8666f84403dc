import { check, getRng, Rng } from '@nntk/core';
import { TensorDataset } from './tensor-dataset';

/** Two interleaving half circles (scikit-learn's `make_moons`), labels 0 and 1. */
export function moons(options: { n: number; noise?: number; seed?: number }): TensorDataset {
  const n = check.integer('moons', 'n', options?.n, 1);
  const noise = check.nonNegative('moons', 'noise', options.noise ?? 0.1);
  const rng = options.seed === undefined ? getRng() : new Rng(options.seed);
  const x = new Float32Array(n * 2);
  const y = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    const label = i % 2;
    const t = Math.PI * rng.random();
    x[2 * i] = (label ? 1 - Math.cos(t) : Math.cos(t)) + noise * rng.normal();
    x[2 * i + 1] = (label ? 0.5 - Math.sin(t) : Math.sin(t)) + noise * rng.normal();
    y[i] = label;
  }
  return new TensorDataset(
    { values: x, shape: [2], dtype: 'float32' },
    { values: y, shape: [], dtype: 'int32' },
  );
}
