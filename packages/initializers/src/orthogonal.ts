import { check, getRng, NntkError } from '@nntk/core';
import * as tf from '@tensorflow/tfjs-core';
import { type RandomOptions, sizeOf } from './internal/draw';

/** Orthonormalises the columns of a column-major `rows × cols` matrix (rows ≥ cols), modified Gram-Schmidt twice. */
function orthonormalColumns(columns: Float64Array[]): void {
  for (let pass = 0; pass < 2; pass++) {
    for (let j = 0; j < columns.length; j++) {
      const v = columns[j];
      for (let k = 0; k < j; k++) {
        const q = columns[k];
        let dot = 0;
        for (let i = 0; i < v.length; i++) dot += q[i] * v[i];
        for (let i = 0; i < v.length; i++) v[i] -= dot * q[i];
      }
      const norm = Math.sqrt(v.reduce((s, x) => s + x * x, 0));
      for (let i = 0; i < v.length; i++) v[i] /= norm;
    }
  }
}

/**
 * A (semi-)orthogonal matrix (Saxe et al. 2014), `torch.nn.init.orthogonal_`, times `gain`. In nntk's
 * `[...kernel, in, out]` layout the weight is viewed as `[fan, out]` (all leading axes flattened); when
 * `fan ≥ out` its columns are orthonormal (`WᵀW = I`), otherwise its rows are (`WWᵀ = I`). The
 * distribution is PyTorch's: QR of a Gaussian matrix with the signs of R's diagonal made positive, which
 * is what Gram-Schmidt yields.
 */
export function orthogonal(shape: number[], options: RandomOptions & { gain?: number } = {}): tf.Tensor {
  return tf.tensor(orthogonalValues(shape, options), shape, 'float32');
}

/**
 * The values of {@link orthogonal} (row-major, `[...kernel, in, out]` viewed as `[fan, out]`) as a plain
 * array, computed in JavaScript without a tensor: for code that needs the numbers (a synthetic data set's
 * embedding), so nothing is read back from a device.
 */
export function orthogonalValues(
  shape: number[],
  options: RandomOptions & { gain?: number } = {},
): Float32Array {
  if (shape.length < 2) {
    throw new NntkError(
      'INVALID_OPTION',
      `orthogonal: needs at least 2 dimensions, got shape ${JSON.stringify(shape)}`,
    );
  }
  const gain = check.number('orthogonal', 'gain', options.gain ?? 1);
  const out = shape[shape.length - 1];
  const fan = sizeOf(shape) / out;
  const tall = fan >= out;
  const [rows, cols] = tall ? [fan, out] : [out, fan];
  const rng = options.rng ?? getRng();
  const columns = Array.from({ length: cols }, () => Float64Array.from({ length: rows }, () => rng.normal()));
  orthonormalColumns(columns);
  const values = new Float32Array(fan * out);
  for (let c = 0; c < cols; c++) {
    for (let r = 0; r < rows; r++) {
      // Row-major [fan, out]: entry (i, o) sits at i·out + o.
      const [i, o] = tall ? [r, c] : [c, r];
      values[i * out + o] = gain * columns[c][r];
    }
  }
  return values;
}
