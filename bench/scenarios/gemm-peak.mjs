// The machine's WASM SIMD GEMM peak, measured in the bench run: a 1024×1024×1024 float32 matmul on tfjs's
// wasm backend (XNNPACK: BatchMatMul and _FusedMatMul without transposes), after nntk's useBackend (its
// threads), the best of several calls each. The packed right operand is cached by XNNPACK across calls, as
// for a layer's weight within a step, so this is the compute bound, not the packing cost.
import { useBackend } from '@nntk/core';
import * as tf from '@tensorflow/tfjs-core';
import { report } from './common.mjs';

const size = Number(process.argv[2] ?? 1024);
const calls = Number(process.argv[3] ?? 30);
await useBackend('wasm');
const a = tf.randomNormal([size, size], 0, 1, 'float32', 1);
const b = tf.randomNormal([size, size], 0, 1, 'float32', 2);
const bias = tf.zeros([size]);
const flops = 2 * size ** 3;

function best(run) {
  tf.dispose(run());
  let fastest = Number.POSITIVE_INFINITY;
  for (let i = 0; i < calls; i++) {
    const started = performance.now();
    const out = run();
    fastest = Math.min(fastest, performance.now() - started);
    out.dispose();
  }
  return flops / (fastest / 1000) / 1e9;
}

const matMul = best(() => tf.matMul(a, b));
const fused = best(() => tf.fused.matMul({ a, b, bias, activation: 'relu' }));
report({
  scenario: 'gemm-peak',
  system: `XNNPACK matmul ${size}x${size}x${size} (best of ${calls})`,
  backend: 'wasm',
  gflops: Math.max(matMul, fused),
  matMulGflops: matMul,
  fusedMatMulGflops: fused,
});
