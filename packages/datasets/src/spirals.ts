import { check, getRng, Rng } from '@nntk/core';
import { TensorDataset } from './tensor-dataset';

/** Interleaved 2-D spirals, one per class (a classic non-linear classification task). */
export function spirals(options: {
  n: number;
  classes?: number;
  turns?: number;
  noise?: number;
  seed?: number;
}): TensorDataset {
  const n = check.integer('spirals', 'n', options?.n, 1);
  const classes = check.integer('spirals', 'classes', options.classes ?? 2, 2);
  const turns = check.positive('spirals', 'turns', options.turns ?? 1.5);
  const noise = check.nonNegative('spirals', 'noise', options.noise ?? 0.05);
  const rng = options.seed === undefined ? getRng() : new Rng(options.seed);
  const x = new Float32Array(n * 2);
  const y = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    const label = i % classes;
    const t = rng.random();
    const angle = 2 * Math.PI * (turns * t + label / classes);
    x[2 * i] = t * Math.cos(angle) + noise * rng.normal();
    x[2 * i + 1] = t * Math.sin(angle) + noise * rng.normal();
    y[i] = label;
  }
  return new TensorDataset(
    { values: x, shape: [2], dtype: 'float32' },
    { values: y, shape: [], dtype: 'int32' },
  );
}
