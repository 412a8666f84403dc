import type * as tf from '@tensorflow/tfjs-core';
import { assignNewValues, heapView, ownStorage, wasmBackend } from './wasm-heap';

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

/**
 * Adam/AdamW's update for one parameter as a single pass over the wasm heap instead of about
 * fifteen kernel launches (each costs more than the arithmetic for the small tensors of most layers).
 * The same formula as the reference path in float64 arithmetic; returns false (nothing done) off wasm or
 * for a non-float32 tensor, and the caller takes the reference path.
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
  ownStorage(backend, expAvg);
  ownStorage(backend, expAvgSq);
  const [p, g, m, v] = [param, grad, expAvg, expAvgSq].map((t) => heapView(backend, t));
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
  // The moments are updated in place (only this optimizer reads them); the parameter gets a new buffer.
  assignNewValues(param, next);
  return true;
}
