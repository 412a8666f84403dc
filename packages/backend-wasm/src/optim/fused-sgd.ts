import type { FusedSgdStep } from '@nntk/core';
import type * as tf from '@tensorflow/tfjs-core';
import { heapOffset, heapView, type WasmHeapBackend } from '../wasm-heap';
import type { FusedKernels } from './fused-kernels';
import { assignNewValues, newParamStorage, ownStorage } from './wasm-heap';

type SGDStep = FusedSgdStep;

/**
 * SGD's update for one parameter (with momentum, dampening, Nesterov, coupled weight decay) as a single
 * pass over the wasm heap instead of up to eight kernel launches: one WebAssembly SIMD kernel
 * (fused-kernels.wat) when `kernels` is given, else a JavaScript loop (where SIMD is missing). With
 * `s.first` the momentum buffer (new, its values unread) takes `d` itself, as PyTorch's first step does.
 * Every tensor is float32 on `backend` (the caller checks).
 */
export function fusedSgdUpdate(
  backend: WasmHeapBackend,
  kernels: FusedKernels | undefined,
  param: tf.Variable,
  grad: tf.Tensor,
  buffer: tf.Variable | undefined,
  s: SGDStep,
): void {
  // The momentum buffer is updated in place; the parameter gets a new buffer.
  if (buffer) ownStorage(backend, buffer);
  const c: SgdConstants = { sign: s.maximize ? -1 : 1, keep: 1 - s.dampening, first: s.first };
  if (kernels) sgdOnSimd(backend, kernels, param, grad, buffer, s, c);
  else sgdInJavaScript(backend, param, grad, buffer, s, c);
}

/** What both paths derive from the step: the gradient's sign, `1 − dampening`, and whether the buffer is new. */
interface SgdConstants {
  sign: number;
  keep: number;
  first: boolean;
}

/** One call of the f32x4 kernel over the whole parameter (float32 arithmetic, as tfjs's kernels). */
function sgdOnSimd(
  backend: WasmHeapBackend,
  kernels: FusedKernels,
  param: tf.Variable,
  grad: tf.Tensor,
  buffer: tf.Variable | undefined,
  s: SGDStep,
  c: SgdConstants,
): void {
  const out = newParamStorage(backend, param);
  const mode = s.momentum === 0 ? 0 : s.nesterov ? 2 : 1;
  const [p, g] = [param, grad].map((t) => heapOffset(backend, t));
  const b = buffer ? heapOffset(backend, buffer) : 0;
  const { lr, momentum, weightDecay } = s;
  kernels.sgd(
    p,
    g,
    b,
    out.offset,
    param.size,
    lr,
    momentum,
    c.keep,
    weightDecay,
    c.sign,
    mode,
    c.first ? 1 : 0,
  );
  out.assign();
}

/** The same update as a JavaScript loop (float64 arithmetic), where the SIMD kernel cannot run. */
function sgdInJavaScript(
  backend: WasmHeapBackend,
  param: tf.Variable,
  grad: tf.Tensor,
  buffer: tf.Variable | undefined,
  s: SGDStep,
  { sign, keep, first }: SgdConstants,
): void {
  const [p, g] = [param, grad].map((t) => heapView(backend, t) as Float32Array);
  const b = buffer ? heapView(backend, buffer) : undefined;
  const { lr, momentum, weightDecay, nesterov } = s;
  const next = new Float32Array(p.length);
  for (let i = 0; i < p.length; i++) {
    let d = sign * g[i] + weightDecay * p[i];
    if (b) {
      // Read back after the store: the reference path rounds the buffer to float32 before using it.
      b[i] = first ? d : momentum * b[i] + keep * d;
      d = nesterov ? d + momentum * b[i] : b[i];
    }
    next[i] = p[i] - lr * d;
  }
  assignNewValues(param, next);
}
