import { check, getRng, NntkError, Rng } from '@nntk/core';
import { orthogonalValues } from '@nntk/initializers';
import { TensorDataset } from './tensor-dataset';

export interface ManifoldOptions {
  kind: 'sphere' | 'torus' | 'swissRoll' | 'helix';
  /** Intrinsic dimension (sphere: any ≥ 1, torus: any ≥ 1; swissRoll is 2-D, helix 1-D). */
  intrinsicDim?: number;
  ambientDim: number;
  n: number;
  /** Standard deviation of the Gaussian noise added in the ambient space. */
  noise?: number;
  seed?: number;
}

/** Samples one clean point of the manifold in its base space. */
function basePoint(kind: ManifoldOptions['kind'], d: number, rng: Rng): number[] {
  switch (kind) {
    case 'sphere': {
      // Uniform on S^d ⊂ R^(d+1): a normalised Gaussian vector.
      const v = Array.from({ length: d + 1 }, () => rng.normal());
      const norm = Math.hypot(...v);
      return v.map((x) => x / norm);
    }
    case 'torus':
      // The flat torus (S¹)^d ⊂ R^(2d): one circle per intrinsic dimension.
      return Array.from({ length: d }, () => 2 * Math.PI * rng.random()).flatMap((a) => [
        Math.cos(a),
        Math.sin(a),
      ]);
    case 'swissRoll': {
      const t = 1.5 * Math.PI * (1 + 2 * rng.random());
      return [(t * Math.cos(t)) / 10, 2 * rng.random() - 1, (t * Math.sin(t)) / 10];
    }
    default: {
      const t = 4 * Math.PI * rng.random();
      return [Math.cos(t), Math.sin(t), t / (2 * Math.PI) - 1];
    }
  }
}

function baseDimension(kind: ManifoldOptions['kind'], d: number): number {
  return kind === 'sphere' ? d + 1 : kind === 'torus' ? 2 * d : 3;
}

/**
 * Noisy samples of a low-dimensional manifold embedded in `ambientDim` dimensions by a random
 * orthogonal map, for denoising studies: `x` = clean point + N(0, noise²) noise, `y` = the clean point.
 */
export function manifold(options: ManifoldOptions): TensorDataset {
  const owner = 'manifold';
  const kind = check.oneOf(owner, 'kind', options?.kind, ['sphere', 'torus', 'swissRoll', 'helix']);
  const d = check.integer(owner, 'intrinsicDim', options.intrinsicDim ?? (kind === 'helix' ? 1 : 2), 1);
  if ((kind === 'swissRoll' && d !== 2) || (kind === 'helix' && d !== 1)) {
    throw new NntkError(
      'INVALID_OPTION',
      `manifold: a ${kind} has intrinsicDim ${kind === 'helix' ? 1 : 2}, got ${d}`,
    );
  }
  const ambient = check.integer(owner, 'ambientDim', options.ambientDim, 1);
  const base = baseDimension(kind, d);
  if (ambient < base)
    throw new NntkError(
      'INVALID_OPTION',
      `manifold: ambientDim (${ambient}) must be at least ${base} for a ${d}-D ${kind}`,
    );
  const n = check.integer(owner, 'n', options.n, 1);
  const noise = check.nonNegative(owner, 'noise', options.noise ?? 0.1);
  const rng = options.seed === undefined ? getRng() : new Rng(options.seed);
  const map = orthogonalValues([base, ambient], { rng });
  const clean = new Float32Array(n * ambient);
  const noisy = new Float32Array(n * ambient);
  for (let i = 0; i < n; i++) {
    const p = basePoint(kind, d, rng);
    for (let j = 0; j < ambient; j++) {
      let v = 0;
      for (let k = 0; k < base; k++) v += p[k] * map[k * ambient + j];
      clean[i * ambient + j] = v;
      noisy[i * ambient + j] = v + noise * rng.normal();
    }
  }
  return new TensorDataset(
    { values: noisy, shape: [ambient], dtype: 'float32' },
    { values: clean, shape: [ambient], dtype: 'float32' },
  );
}
