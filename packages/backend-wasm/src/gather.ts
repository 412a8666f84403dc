import * as tf from '@tensorflow/tfjs-core';
import type { KernelWrapper } from './kernel-wrapper';

/** The parts of tfjs's wasm backend this kernel uses (tensors of any numeric dtype live on its heap). */
interface GatherBackend {
  wasm: { HEAPU8: Uint8Array };
  dataIdMap: { get(dataId: object): { memoryOffset: number } | undefined };
  makeOutput(shape: number[], dtype: tf.DataType): tf.TensorInfo;
}

function view(backend: GatherBackend, t: tf.TensorInfo, size: number): Float32Array | Int32Array | undefined {
  const info = backend.dataIdMap.get(t.dataId);
  if (!info) return undefined;
  const { buffer } = backend.wasm.HEAPU8;
  if (t.dtype === 'int32') return new Int32Array(buffer, info.memoryOffset, size);
  if (t.dtype === 'float32') return new Float32Array(buffer, info.memoryOffset, size);
  return undefined;
}

/**
 * `GatherV2` without batch dimensions as block copies on the wasm heap: with `x` seen as
 * `[outer, dim, slice]` around the gathered axis, `out[o, i, :] = x[o, indices[i], :]`, each row one
 * `TypedArray.set`. tfjs's wasm kernel walks every element through stride arithmetic (an embedding lookup
 * of 2,048 rows × 64 took about 20 ms). Out-of-range indices throw tfjs's own message; batch dimensions
 * and other dtypes take tfjs's kernel.
 */
export const withBlockGather: KernelWrapper = (original) => (args) => {
  const { inputs, attrs, backend } = args;
  const x = inputs.x as tf.TensorInfo;
  const indices = inputs.indices as tf.TensorInfo;
  if (
    (attrs.batchDims ?? 0) !== 0 ||
    indices.dtype !== 'int32' ||
    (x.dtype !== 'float32' && x.dtype !== 'int32')
  )
    return original(args);
  const axis = tf.util.parseAxisParam(attrs.axis, x.shape)[0];
  const outer = tf.util.sizeFromShape(x.shape.slice(0, axis));
  const dim = x.shape[axis];
  const slice = tf.util.sizeFromShape(x.shape.slice(axis + 1));
  const count = tf.util.sizeFromShape(indices.shape);
  const outShape = [...x.shape.slice(0, axis), ...indices.shape, ...x.shape.slice(axis + 1)];
  const ids = view(backend, indices, count) as Int32Array;
  for (let i = 0; i < count; i++) {
    const index = ids[i];
    if (!(index >= 0 && index < dim))
      throw new Error(`GatherV2: the index value ${index} is not in [0, ${dim - 1}]`);
  }
  const out = (backend as GatherBackend).makeOutput(outShape, x.dtype);
  // Views are taken after the allocation, which may grow (and so detach) the heap.
  const source = view(backend, x, outer * dim * slice);
  const target = view(backend, out, outer * count * slice);
  const at = view(backend, indices, count) as Int32Array;
  if (!source || !target) throw new Error('GatherV2: the tensors are not stored on the wasm backend');
  for (let o = 0; o < outer; o++) {
    for (let i = 0; i < count; i++) {
      const from = (o * dim + at[i]) * slice;
      target.set(source.subarray(from, from + slice), (o * count + i) * slice);
    }
  }
  return out;
};
