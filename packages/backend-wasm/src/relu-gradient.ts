import * as tf from '@tensorflow/tfjs-core';
import { coreHeapKernels } from './heap-kernels';
import { heapOffset, wasmBackend } from './wasm-heap';

/**
 * The ReLU gradient `dy · [x > 0]`. On wasm one heap-kernel pass replaces tfjs's three ops (step, cast,
 * multiply), each a full pass over the activation, with PyTorch's rule `x ≤ 0 ? 0 : dy` (a NaN input passes
 * dy, where tfjs's formula gives NaN); elsewhere it is tfjs's own formula.
 */
export function reluGradient(dy: tf.Tensor, x: tf.Tensor): tf.Tensor {
  const backend = wasmBackend();
  const kernels = backend && dy.dtype === 'float32' && x.dtype === 'float32' && coreHeapKernels(backend);
  if (!backend || !kernels || dy.size !== x.size) return tf.mul(dy, tf.cast(tf.step(x), 'float32'));
  const out = backend.makeOutput(x.shape, 'float32');
  kernels.reluGrad(heapOffset(backend, x), heapOffset(backend, dy), heapOffset(backend, out), x.size);
  return tf.engine().makeTensorFromTensorInfo(out) as tf.Tensor;
}

/** tfjs's `Relu` gradient entry with {@link reluGradient} (tfjs's own values off wasm). */
export const reluGradientConfig: tf.GradConfig = {
  kernelName: 'Relu',
  inputsToSave: ['x'],
  gradFunc: (dy, saved) => ({ x: () => reluGradient(dy as tf.Tensor, saved[0]) }),
};
