import type * as tf from '@tensorflow/tfjs-core';
import type { KernelWrapper } from './kernel-wrapper';

/**
 * tfjs-backend-wasm's `OneHot` writes int32 values whatever the requested dtype, so a float32 one-hot
 * (`tf.oneHot(i, d, on, off, 'float32')`) comes back as int32 bit patterns read as floats (about 1e-45),
 * and fractional on/off values are truncated. A float32 request runs the int32 kernel with on = 1, off = 0
 * and writes `on`/`off` as float32; other dtypes run tfjs's kernel as it is.
 */
export const withFloatOneHot: KernelWrapper = (original) => (args) => {
  const { dtype, onValue, offValue } = args.attrs;
  if (dtype !== 'float32') return original(args);
  const backend = args.backend;
  const ints = original({
    ...args,
    attrs: { ...args.attrs, dtype: 'int32', onValue: 1, offValue: 0 },
  }) as tf.TensorInfo;
  const out: tf.TensorInfo = backend.makeOutput(ints.shape, 'float32');
  const size = ints.shape.reduce((a: number, b: number) => a * b, 1);
  // Views after the allocation: makeOutput can grow the heap, which detaches older views.
  const heap = backend.wasm.HEAPU8.buffer as ArrayBuffer;
  const source = new Int32Array(heap, backend.dataIdMap.get(ints.dataId).memoryOffset, size);
  const target = new Float32Array(heap, backend.dataIdMap.get(out.dataId).memoryOffset, size);
  for (let i = 0; i < size; i++) target[i] = source[i] === 1 ? onValue : offValue;
  backend.disposeData(ints.dataId);
  return out;
};
