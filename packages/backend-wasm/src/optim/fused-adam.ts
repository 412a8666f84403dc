import type { FusedAdamStep } from '@nntk/core';
import type * as tf from '@tensorflow/tfjs-core';
import { heapOffset, heapView, type WasmHeapBackend } from '../wasm-heap';
import type { FusedKernels } from './fused-kernels';
import { assignNewValues, newParamStorage, ownStorage } from './wasm-heap';

type AdamStep = FusedAdamStep;

/**
 * Adam/AdamW's update for one parameter as a single pass over the wasm heap instead of about
 * fifteen kernel launches (each costs more than the arithmetic for the small tensors of most layers).
 * Runs as one WebAssembly SIMD kernel over the heap (fused-kernels.wat) when `kernels` is given, else a
 * JavaScript loop (where SIMD is missing). Every tensor is float32 on `backend` (the caller checks).
 */
export function fusedAdamUpdate(
  backend: WasmHeapBackend,
  kernels: FusedKernels | undefined,
  param: tf.Variable,
  grad: tf.Tensor,
  expAvg: tf.Variable,
  expAvgSq: tf.Variable,
  s: AdamStep,
): void {
  // The moments are updated in place (only this optimizer reads them); the parameter gets a new buffer.
  ownStorage(backend, expAvg);
  ownStorage(backend, expAvgSq);
  const constants = {
    decay: s.decoupled ? 1 - s.lr * s.weightDecay : 1,
    l2: s.decoupled ? 0 : s.weightDecay,
    sign: s.maximize ? -1 : 1,
    stepSize: s.lr / (1 - s.beta1 ** s.step),
    bc2Sqrt: Math.sqrt(1 - s.beta2 ** s.step),
  };
  if (kernels) adamOnSimd(backend, kernels, [param, grad, expAvg, expAvgSq], s, constants);
  else adamInJavaScript(backend, [param, grad, expAvg, expAvgSq], s, constants);
}

interface AdamConstants {
  decay: number;
  l2: number;
  sign: number;
  stepSize: number;
  bc2Sqrt: number;
}

/** One call of the f32x4 kernel over the whole parameter (float32 arithmetic, as tfjs's kernels). */
function adamOnSimd(
  backend: WasmHeapBackend,
  kernels: FusedKernels,
  [param, grad, expAvg, expAvgSq]: [tf.Variable, tf.Tensor, tf.Variable, tf.Variable],
  s: AdamStep,
  c: AdamConstants,
): void {
  const out = newParamStorage(backend, param);
  const [p, g, m, v] = [param, grad, expAvg, expAvgSq].map((t) => heapOffset(backend, t));
  kernels.adam(
    p,
    g,
    m,
    v,
    out.offset,
    param.size,
    s.beta1,
    1 - s.beta1,
    s.beta2,
    1 - s.beta2,
    c.stepSize,
    c.bc2Sqrt,
    s.eps,
    c.decay,
    c.l2,
    c.sign,
  );
  out.assign();
}

/** The same update as a JavaScript loop (float64 arithmetic), where the SIMD kernel cannot run. */
function adamInJavaScript(
  backend: WasmHeapBackend,
  tensors: [tf.Variable, tf.Tensor, tf.Variable, tf.Variable],
  s: AdamStep,
  c: AdamConstants,
): void {
  const [p, g, m, v] = tensors.map((t) => heapView(backend, t) as Float32Array);
  const { beta1, beta2, eps } = s;
  const next = new Float32Array(p.length);
  for (let i = 0; i < p.length; i++) {
    const d = c.sign * g[i] + c.l2 * p[i];
    const first = beta1 * m[i] + (1 - beta1) * d;
    const second = beta2 * v[i] + (1 - beta2) * d * d;
    m[i] = first;
    v[i] = second;
    next[i] = p[i] * c.decay - (c.stepSize * first) / (Math.sqrt(second) / c.bc2Sqrt + eps);
  }
  assignNewValues(tensors[0], next);
}
