import type { FusedAdamStep } from '@nntk/core';
import type * as tf from '@tensorflow/tfjs-core';
import type { KernelArgs } from '../kernel-wrapper';
import { heapOffset, heapView } from '../wasm-heap';
import { fusedKernels } from './fused-kernels';
import { type FusedUpdateBackend, scalarValue, writableState } from './wasm-heap';

/** The registered name of the fused Adam/AdamW update kernel on the wasm backend. */
export const FUSED_ADAM = 'NntkFusedAdam';

/** The fused Adam kernel's constant attributes (the per-step numbers are scalar inputs). */
export type FusedAdamAttrs = Omit<FusedAdamStep, 'stepSize' | 'bc2Sqrt' | 'decay'> & {
  /** Run the SIMD kernel where it instantiates (else the JavaScript loop). */
  simd: boolean;
};

interface AdamConstants {
  decay: number;
  l2: number;
  sign: number;
  stepSize: number;
  bc2Sqrt: number;
}

/**
 * Adam/AdamW's update for one parameter as one kernel (`NntkFusedAdam`): a single pass over the wasm heap
 * instead of about fifteen kernel launches (each costs more than the arithmetic for the small tensors of
 * most layers). Inputs `param`, `grad`, `expAvg`, `expAvgSq` and the float32 scalars `stepSize`,
 * `bc2Sqrt` and (AdamW) `decay`; outputs the parameter's next values in a new buffer (tfjs's wasm backend
 * caches XNNPACK operators with their weights packed, so a weight changed in place would leave matmuls
 * computing with the old values) and the two moments, written in place (see {@link writableState}). Runs
 * one WebAssembly SIMD kernel (fused-kernels.wat), or a JavaScript loop where SIMD is missing.
 */
export function fusedAdamKernel({ inputs, attrs, backend }: KernelArgs): tf.TensorInfo[] {
  const b = backend as FusedUpdateBackend;
  const a = attrs as FusedAdamAttrs;
  const { param, grad, expAvg, expAvgSq, stepSize, bc2Sqrt, decay } = inputs as Record<string, tf.TensorInfo>;
  const m = writableState(b, expAvg);
  const v = writableState(b, expAvgSq);
  const out = b.makeOutput(param.shape, 'float32');
  const c: AdamConstants = {
    decay: decay ? scalarValue(b, decay) : 1,
    l2: a.decoupled ? 0 : a.weightDecay,
    sign: a.maximize ? -1 : 1,
    stepSize: scalarValue(b, stepSize),
    bc2Sqrt: scalarValue(b, bc2Sqrt),
  };
  const kernels = a.simd ? fusedKernels(b) : undefined;
  const tensors: tf.TensorInfo[] = [param, grad, m, v, out];
  if (kernels) {
    const [p, g, mo, vo, o] = tensors.map((t) => heapOffset(b, t));
    const n = param.shape.reduce((x, y) => x * y, 1);
    const { beta1, beta2, eps } = a;
    kernels.adam(
      p,
      g,
      mo,
      vo,
      o,
      n,
      beta1,
      1 - beta1,
      beta2,
      1 - beta2,
      c.stepSize,
      c.bc2Sqrt,
      eps,
      c.decay,
      c.l2,
      c.sign,
    );
  } else {
    adamInJavaScript(b, tensors, a, c);
  }
  return [out, m, v];
}

/** The same update as a JavaScript loop (float64 arithmetic), where the SIMD kernel cannot run. */
function adamInJavaScript(
  backend: FusedUpdateBackend,
  tensors: tf.TensorInfo[],
  { beta1, beta2, eps }: FusedAdamAttrs,
  c: AdamConstants,
): void {
  const [p, g, m, v, next] = tensors.map((t) => heapView(backend, t) as Float32Array);
  for (let i = 0; i < p.length; i++) {
    const d = c.sign * g[i] + c.l2 * p[i];
    const first = beta1 * m[i] + (1 - beta1) * d;
    const second = beta2 * v[i] + (1 - beta2) * d * d;
    m[i] = first;
    v[i] = second;
    next[i] = p[i] * c.decay - (c.stepSize * first) / (Math.sqrt(second) / c.bc2Sqrt + eps);
  }
}
