import type * as tf from '@tensorflow/tfjs-core';

/** The parts of tfjs's wasm backend this kernel uses (tensors of any numeric dtype live on its heap). */
interface SegmentSumBackend {
  wasm: { HEAPU8: Uint8Array };
  dataIdMap: { get(dataId: object): { memoryOffset: number } | undefined };
  makeOutput(shape: number[], dtype: tf.DataType): tf.TensorInfo;
}

/** A typed view of a float32 or int32 tensor's storage on the wasm heap, without a copy. */
function view(backend: SegmentSumBackend, t: tf.TensorInfo, size: number): Float32Array | Int32Array {
  const info = backend.dataIdMap.get(t.dataId);
  if (!info) throw new Error('UnsortedSegmentSum: the tensor is not stored on the wasm backend');
  if (t.dtype !== 'float32' && t.dtype !== 'int32') {
    throw new Error(`UnsortedSegmentSum: float32 or int32 tensors only, got ${t.dtype}`);
  }
  const { buffer } = backend.wasm.HEAPU8;
  return t.dtype === 'int32'
    ? new Int32Array(buffer, info.memoryOffset, size)
    : new Float32Array(buffer, info.memoryOffset, size);
}

/**
 * `out[k] = Σ_{i: ids[i] = k} data[i]` (what gather and embedding gradients need), as one pass over the
 * rows of `data` on the wasm heap, each row added into its segment's row: O(rows × width) work and memory
 * for the output only, for any `numSegments` (1 included). Ids outside [0, numSegments) drop out, as in
 * tfjs. Rows are added in row order (a sequential float32 sum per element).
 */
export function unsortedSegmentSum(
  x: tf.TensorInfo,
  segmentIds: tf.TensorInfo,
  numSegments: number,
  backend: SegmentSumBackend,
): tf.TensorInfo {
  const rows = segmentIds.shape.reduce((a, b) => a * b, 1);
  const rest = x.shape.slice(segmentIds.shape.length);
  const width = rest.reduce((a, b) => a * b, 1);
  const out = backend.makeOutput([numSegments, ...rest], x.dtype);
  // Views are taken after the allocation, which may grow (and so detach) the heap.
  const data = view(backend, x, rows * width);
  const ids = view(backend, segmentIds, rows);
  const target = view(backend, out, numSegments * width);
  target.fill(0);
  for (let i = 0; i < rows; i++) {
    const k = ids[i];
    if (!(k >= 0 && k < numSegments)) continue;
    const from = i * width;
    const to = k * width;
    for (let j = 0; j < width; j++) target[to + j] += data[from + j];
  }
  return out;
}
