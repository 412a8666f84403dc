import type * as tf from '@tensorflow/tfjs-core';

/** The parts of tfjs's wasm backend this kernel uses (float32 and int32 tensors live on its heap). */
interface CrossEntropyBackend {
  wasm: { HEAPU8: Uint8Array };
  dataIdMap: { get(dataId: object): { memoryOffset: number } | undefined };
  makeOutput(shape: number[], dtype: tf.DataType): tf.TensorInfo;
}

function offset(backend: CrossEntropyBackend, t: tf.TensorInfo): number {
  const info = backend.dataIdMap.get(t.dataId);
  if (!info) throw new Error('NntkSoftmaxCrossEntropy: the tensor is not stored on the wasm backend');
  return info.memoryOffset;
}

/**
 * The `NntkSoftmaxCrossEntropy` kernel on wasm: from logits `[N, C]` and int32 labels `[N]`, the loss
 * `Σ_i (log Σ_j exp z_ij − z_i,y_i)` over the valid rows (label in [0, C) and not `ignoreIndex`), divided by
 * their count for `reduction: 'mean'`, and its gradient `(softmax(z_i) − onehot(y_i))` per valid row (0 on the
 * others), with the same divisor: forward and backward of log-softmax + NLL in one pass over the logits on
 * the heap, in float64 (max-shifted exponentials), rounded once to float32. Returns `[loss, dlogits]`.
 */
export function softmaxCrossEntropy(
  logits: tf.TensorInfo,
  labels: tf.TensorInfo,
  attrs: { ignoreIndex: number; reduction: 'mean' | 'sum' },
  backend: CrossEntropyBackend,
): tf.TensorInfo[] {
  const [n, c] = logits.shape;
  const loss = backend.makeOutput([], 'float32');
  const grad = backend.makeOutput([n, c], 'float32');
  // Views after the allocations, which may grow (and so detach) the heap.
  const { buffer } = backend.wasm.HEAPU8;
  const z = new Float32Array(buffer, offset(backend, logits), n * c);
  const y = new Int32Array(buffer, offset(backend, labels), n);
  const g = new Float32Array(buffer, offset(backend, grad), n * c);
  const isValid = (label: number) => label >= 0 && label < c && label !== attrs.ignoreIndex;
  let valid = 0;
  for (let i = 0; i < n; i++) if (isValid(y[i])) valid += 1;
  const divisor = attrs.reduction === 'mean' ? valid : 1;
  const exps = new Float64Array(c);
  let total = 0;
  for (let i = 0; i < n; i++) {
    const row = i * c;
    const label = y[i];
    if (!isValid(label)) {
      g.fill(0, row, row + c);
      continue;
    }
    let max = Number.NEGATIVE_INFINITY;
    for (let j = 0; j < c; j++) max = Math.max(max, z[row + j]);
    let sum = 0;
    for (let j = 0; j < c; j++) {
      exps[j] = Math.exp(z[row + j] - max);
      sum += exps[j];
    }
    total += max + Math.log(sum) - z[row + label];
    for (let j = 0; j < c; j++) g[row + j] = (exps[j] / sum - (j === label ? 1 : 0)) / divisor;
  }
  new Float32Array(buffer, offset(backend, loss), 1)[0] = total / divisor;
  return [loss, grad];
}
