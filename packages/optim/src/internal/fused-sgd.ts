import * as tf from '@tensorflow/tfjs-core';
import { assignNewValues, heapView, ownStorage, wasmBackend } from './wasm-heap';

export interface SGDStep {
  lr: number;
  momentum: number;
  dampening: number;
  weightDecay: number;
  nesterov: boolean;
  maximize: boolean;
}

/**
 * SGD's update for one parameter (with momentum, dampening, Nesterov, coupled weight decay) as a single
 * pass over the wasm heap instead of up to eight kernel launches. The same formula as the reference
 * path in float64 arithmetic. The first step creates the momentum buffer from `d`, as PyTorch does.
 * Returns the momentum buffer to keep (or null without momentum), or false (nothing done) off wasm or
 * for a non-float32 tensor; the caller then takes the reference path.
 */
export function fusedSgdUpdate(
  param: tf.Variable,
  grad: tf.Tensor,
  buffer: tf.Variable | undefined,
  s: SGDStep,
): tf.Variable | null | false {
  const backend = wasmBackend();
  if (!backend) return false;
  if (buffer) ownStorage(backend, buffer);
  const b = buffer ? heapView(backend, buffer) : undefined;
  const p = heapView(backend, param);
  const g = heapView(backend, grad);
  if (!p || !g || (buffer && !b)) return false;
  const { lr, momentum, weightDecay, nesterov } = s;
  const sign = s.maximize ? -1 : 1;
  const keep = 1 - s.dampening;
  const next = new Float32Array(p.length);
  const fresh = momentum !== 0 && !b ? new Float32Array(p.length) : undefined;
  const stored = b ?? fresh;
  for (let i = 0; i < p.length; i++) {
    let d = sign * g[i] + weightDecay * p[i];
    if (stored) {
      // Read back after the store: the reference path rounds the buffer to float32 before using it.
      stored[i] = b ? momentum * b[i] + keep * d : d;
      d = nesterov ? d + momentum * stored[i] : stored[i];
    }
    next[i] = p[i] - lr * d;
  }
  assignNewValues(param, next);
  if (momentum === 0) return null;
  // Runs inside the optimizer's tidy, which disposes the intermediate tensor; the variable stays.
  return buffer ?? tf.variable(tf.tensor(fresh as Float32Array, param.shape, 'float32'), false);
}
