import * as tf from '@tensorflow/tfjs-core';

/** The parts of tfjs's wasm backend this fast path reads: its heap and where each tensor lives in it. */
interface WasmBackendLike {
  wasm: { HEAPU8: Uint8Array };
  dataIdMap: { get(dataId: object): { memoryOffset: number } | undefined };
  refCount(dataId: object): number;
}

export interface AdamStep {
  lr: number;
  beta1: number;
  beta2: number;
  eps: number;
  weightDecay: number;
  decoupled: boolean;
  maximize: boolean;
  step: number;
}

function wasmBackend(): WasmBackendLike | undefined {
  if (tf.getBackend() !== 'wasm') return undefined;
  const backend = tf.backend() as unknown as Partial<WasmBackendLike>;
  return backend.wasm?.HEAPU8 && backend.dataIdMap ? (backend as WasmBackendLike) : undefined;
}

/** A float32 view of a tensor's storage on the wasm heap (valid until the heap next grows). */
function view(backend: WasmBackendLike, t: tf.Tensor): Float32Array | undefined {
  const info = backend.dataIdMap.get(t.dataId);
  if (!info || t.dtype !== 'float32') return undefined;
  return new Float32Array(backend.wasm.HEAPU8.buffer, info.memoryOffset, t.size);
}

/**
 * Adam/AdamW's update for one parameter as a single pass over the wasm heap instead of about
 * fifteen kernel launches (each costs more than the arithmetic for the small tensors of most layers).
 * The same formula as the reference path in float64 arithmetic; returns false (nothing done) off wasm or
 * when a moment buffer is shared with another tensor, and the caller takes the reference path.
 */
export function fusedAdamUpdate(
  param: tf.Variable,
  grad: tf.Tensor,
  expAvg: tf.Variable,
  expAvgSq: tf.Variable,
  s: AdamStep,
): boolean {
  const backend = wasmBackend();
  if (!backend) return false;
  const owned = [expAvg, expAvgSq].every((t) => backend.refCount(t.dataId) === 1);
  if (!owned) return false;
  const [p, g, m, v] = [param, grad, expAvg, expAvgSq].map((t) => view(backend, t));
  if (!p || !g || !m || !v) return false;
  const decay = s.decoupled ? 1 - s.lr * s.weightDecay : 1;
  const l2 = s.decoupled ? 0 : s.weightDecay;
  const sign = s.maximize ? -1 : 1;
  const stepSize = s.lr / (1 - s.beta1 ** s.step);
  const bc2Sqrt = Math.sqrt(1 - s.beta2 ** s.step);
  const { beta1, beta2, eps } = s;
  const next = new Float32Array(p.length);
  for (let i = 0; i < p.length; i++) {
    const d = sign * g[i] + l2 * p[i];
    const first = beta1 * m[i] + (1 - beta1) * d;
    const second = beta2 * v[i] + (1 - beta2) * d * d;
    m[i] = first;
    v[i] = second;
    next[i] = p[i] * decay - (stepSize * first) / (Math.sqrt(second) / bc2Sqrt + eps);
  }
  // The moments are updated in place (only this optimizer reads them). The parameter gets a new buffer:
  // tfjs's wasm backend caches XNNPACK operators with their weights packed, keyed by the tensor, so a
  // weight changed in place would leave matmuls computing with the old values.
  param.assign(tf.tensor(next, param.shape, 'float32'));
  return true;
}
