import type { FusedSgdStep } from '@nntk/core';
import type * as tf from '@tensorflow/tfjs-core';
import type { KernelArgs } from '../kernel-wrapper';
import { heapOffset, heapView } from '../wasm-heap';
import { fusedKernels } from './fused-kernels';
import { type FusedUpdateBackend, scalarValue, writableState } from './wasm-heap';

/** The registered name of the fused SGD update kernel on the wasm backend. */
export const FUSED_SGD = 'NntkFusedSgd';

/** The fused SGD kernel's constant attributes (the learning rate is a scalar input). */
export type FusedSgdAttrs = Omit<FusedSgdStep, 'lr'> & {
  /** Run the SIMD kernel where it instantiates (else the JavaScript loop). */
  simd: boolean;
};

/**
 * SGD's update for one parameter (with momentum, dampening, Nesterov, coupled weight decay) as one kernel
 * (`NntkFusedSgd`): a single pass over the wasm heap instead of up to eight kernel launches. Inputs
 * `param`, `grad`, `buffer` (the momentum buffer, absent without momentum) and the float32 scalar `lr`;
 * outputs the parameter's next values in a new buffer and, with a buffer, the buffer written in place
 * (see {@link writableState}). One WebAssembly SIMD kernel (fused-kernels.wat), or a JavaScript loop
 * where SIMD is missing.
 */
export function fusedSgdKernel({ inputs, attrs, backend }: KernelArgs): tf.TensorInfo[] {
  const b = backend as FusedUpdateBackend;
  const a = attrs as FusedSgdAttrs;
  const { param, grad, buffer, lr } = inputs as Record<string, tf.TensorInfo | undefined>;
  if (!param || !grad || !lr) throw new Error(`${FUSED_SGD}: param, grad and lr are required`);
  const state = buffer ? writableState(b, buffer) : undefined;
  const out = b.makeOutput(param.shape, 'float32');
  const rate = scalarValue(b, lr);
  const kernels = a.simd ? fusedKernels(b) : undefined;
  if (kernels) {
    const mode = a.momentum === 0 ? 0 : a.nesterov ? 2 : 1;
    const [p, g, o] = [param, grad, out].map((t) => heapOffset(b, t));
    const n = param.shape.reduce((x, y) => x * y, 1);
    const { momentum, weightDecay } = a;
    const sign = a.maximize ? -1 : 1;
    const bo = state ? heapOffset(b, state) : 0;
    kernels.sgd(p, g, bo, o, n, rate, momentum, 1 - a.dampening, weightDecay, sign, mode, a.first ? 1 : 0);
  } else {
    sgdInJavaScript(b, [param, grad, out], state, a, rate);
  }
  return state ? [out, state] : [out];
}

/** The same update as a JavaScript loop (float64 arithmetic), where the SIMD kernel cannot run. */
function sgdInJavaScript(
  backend: FusedUpdateBackend,
  tensors: tf.TensorInfo[],
  state: tf.TensorInfo | undefined,
  { momentum, dampening, weightDecay, nesterov, maximize, first }: FusedSgdAttrs,
  lr: number,
): void {
  const [p, g, next] = tensors.map((t) => heapView(backend, t) as Float32Array);
  const b = state ? heapView(backend, state) : undefined;
  const sign = maximize ? -1 : 1;
  const keep = 1 - dampening;
  for (let i = 0; i < p.length; i++) {
    let d = sign * g[i] + weightDecay * p[i];
    if (b) {
      // Read back after the store: the reference path rounds the buffer to float32 before using it.
      b[i] = first ? d : momentum * b[i] + keep * d;
      d = nesterov ? d + momentum * b[i] : b[i];
    }
    next[i] = p[i] - lr * d;
  }
}
