import { check, getRng, Rng } from '@nntk/core';
import { TensorDataset } from './tensor-dataset';

/** Isotropic Gaussian clusters (scikit-learn's `make_blobs`): centres uniform in [−10, 10]^dim. */
export function blobs(options: {
  n: number;
  centers?: number;
  dim?: number;
  std?: number;
  seed?: number;
}): TensorDataset {
  const n = check.integer('blobs', 'n', options?.n, 1);
  const centers = check.integer('blobs', 'centers', options.centers ?? 3, 1);
  const dim = check.integer('blobs', 'dim', options.dim ?? 2, 1);
  const std = check.nonNegative('blobs', 'std', options.std ?? 1);
  const rng = options.seed === undefined ? getRng() : new Rng(options.seed);
  const means = Array.from({ length: centers }, () =>
    Array.from({ length: dim }, () => -10 + 20 * rng.random()),
  );
  const x = new Float32Array(n * dim);
  const y = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    y[i] = i % centers;
    for (let j = 0; j < dim; j++) x[i * dim + j] = means[y[i]][j] + std * rng.normal();
  }
  return new TensorDataset(
    { values: x, shape: [dim], dtype: 'float32' },
    { values: y, shape: [], dtype: 'int32' },
  );
}
