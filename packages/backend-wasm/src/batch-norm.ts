import type * as tf from '@tensorflow/tfjs-core';

/** The parts of tfjs's wasm backend these kernels use. */
interface BatchNormBackend {
  wasm: { HEAPU8: Uint8Array };
  dataIdMap: { get(dataId: object): { memoryOffset: number } | undefined };
  makeOutput(shape: number[], dtype: tf.DataType): tf.TensorInfo;
}

/** Float32 views of the tensors' storage on the heap (take them after every allocation). */
function views(backend: BatchNormBackend, ts: (tf.TensorInfo | undefined)[]): (Float32Array | undefined)[] {
  const { buffer } = backend.wasm.HEAPU8;
  return ts.map((t) => {
    if (!t) return undefined;
    const info = backend.dataIdMap.get(t.dataId);
    if (!info || t.dtype !== 'float32')
      throw new Error('NntkBatchNorm: float32 tensors of the wasm backend only');
    return new Float32Array(
      buffer,
      info.memoryOffset,
      t.shape.reduce((a, b) => a * b, 1),
    );
  });
}

const channels = (x: tf.TensorInfo) => x.shape[x.shape.length - 1];

/**
 * `NntkBatchNormTrain`: batch normalisation in training mode over every axis but the last (channels last),
 * `y = (x − μ)·σ̂⁻¹·γ + β` with the batch mean μ and biased variance σ², `σ̂ = √(σ² + eps)`, statistics in
 * float64 (two passes: mean, then squared deviations). Returns `[y, mean, variance, invStd]`.
 */
export function batchNormTrain(
  inputs: { x: tf.TensorInfo; weight?: tf.TensorInfo; bias?: tf.TensorInfo },
  eps: number,
  backend: BatchNormBackend,
): tf.TensorInfo[] {
  const { x } = inputs;
  const c = channels(x);
  const rows = x.shape.reduce((a, b) => a * b, 1) / c;
  const outs = [
    backend.makeOutput(x.shape, 'float32'),
    ...[0, 1, 2].map(() => backend.makeOutput([c], 'float32')),
  ];
  const [xs, weight, bias, y, mean, variance, invStd] = views(backend, [
    x,
    inputs.weight,
    inputs.bias,
    ...outs,
  ]) as Float32Array[];
  const sum = new Float64Array(c);
  const squares = new Float64Array(c);
  for (let at = 0; at < rows * c; ) for (let k = 0; k < c; k++) sum[k] += xs[at++];
  for (let k = 0; k < c; k++) sum[k] /= rows;
  for (let at = 0; at < rows * c; )
    for (let k = 0; k < c; k++) {
      const d = xs[at++] - sum[k];
      squares[k] += d * d;
    }
  const scale = new Float64Array(c);
  const shift = new Float64Array(c);
  for (let k = 0; k < c; k++) {
    const v = squares[k] / rows;
    const inv = 1 / Math.sqrt(v + eps);
    mean[k] = sum[k];
    variance[k] = v;
    invStd[k] = inv;
    scale[k] = inv * (weight ? weight[k] : 1);
    shift[k] = (bias ? bias[k] : 0) - sum[k] * scale[k];
  }
  for (let at = 0; at < rows * c; ) for (let k = 0; k < c; k++, at++) y[at] = xs[at] * scale[k] + shift[k];
  return outs;
}

/**
 * `NntkBatchNormGrad`: the backward pass of {@link batchNormTrain} in two passes over `x` and `dy`, with
 * `x̂ = (x − μ)·σ̂⁻¹`: `dβ = Σ dy`, `dγ = Σ dy·x̂` (float64), then
 * `dx = γ·σ̂⁻¹·(dy − dβ/R − x̂·dγ/R)` over the R values per channel. Returns `[dx, dWeight, dBias]`.
 */
export function batchNormGrad(
  inputs: {
    x: tf.TensorInfo;
    dy: tf.TensorInfo;
    mean: tf.TensorInfo;
    invStd: tf.TensorInfo;
    weight?: tf.TensorInfo;
  },
  backend: BatchNormBackend,
): tf.TensorInfo[] {
  const { x } = inputs;
  const c = channels(x);
  const rows = x.shape.reduce((a, b) => a * b, 1) / c;
  const outs = [
    backend.makeOutput(x.shape, 'float32'),
    backend.makeOutput([c], 'float32'),
    backend.makeOutput([c], 'float32'),
  ];
  const [xs, dy, mean, invStd, weight, dx, dWeight, dBias] = views(backend, [
    x,
    inputs.dy,
    inputs.mean,
    inputs.invStd,
    inputs.weight,
    ...outs,
  ]) as Float32Array[];
  const sumDy = new Float64Array(c);
  const sumDyXhat = new Float64Array(c);
  for (let at = 0; at < rows * c; )
    for (let k = 0; k < c; k++, at++) {
      sumDy[k] += dy[at];
      sumDyXhat[k] += dy[at] * (xs[at] - mean[k]) * invStd[k];
    }
  const gain = new Float64Array(c);
  for (let k = 0; k < c; k++) {
    dBias[k] = sumDy[k];
    dWeight[k] = sumDyXhat[k];
    gain[k] = (weight ? weight[k] : 1) * invStd[k];
    sumDy[k] /= rows;
    sumDyXhat[k] /= rows;
  }
  for (let at = 0; at < rows * c; )
    for (let k = 0; k < c; k++, at++) {
      const xhat = (xs[at] - mean[k]) * invStd[k];
      dx[at] = gain[k] * (dy[at] - sumDy[k] - xhat * sumDyXhat[k]);
    }
  return outs;
}
