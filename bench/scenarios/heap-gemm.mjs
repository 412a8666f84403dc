// Micro-measurement (not part of `pnpm bench`): nntk's heap GEMM (NNTK_WASM_HEAP_GEMM) against XNNPACK on the
// products of the bench models' training steps, with a fresh right operand per call as in a backward pass.
// Flag off and on alternate call block by call block; each side reports the median block, as wall time and
// as this process's CPU time (all threads) per call. Set NNTK_WASM_THREADS for XNNPACK's threads.
// Usage (after a build): node bench/scenarios/heap-gemm.mjs [rounds] [callsPerBlock]
import { useBackend } from '@nntk/core';
import * as tf from '@tensorflow/tfjs-core';
import { median, report } from './common.mjs';

const rounds = Number(process.argv[2] ?? 7);
const calls = Number(process.argv[3] ?? 20);
await useBackend('wasm');

// [name, a shape, b shape, transposeA, transposeB, fused (bias + ReLU)]
const shapes = [
  ['mlp fc1 forward', [128, 784], [784, 256], false, false, true],
  ['mlp fc2 forward', [128, 256], [256, 128], false, false, true],
  ['mlp fc3 forward', [128, 128], [128, 10], false, false, false],
  ['mlp fc1 dW = xᵀ·dy', [128, 784], [128, 256], true, false, false],
  ['mlp fc2 dW', [128, 256], [128, 128], true, false, false],
  ['mlp fc3 dW', [128, 128], [128, 10], true, false, false],
  ['mlp fc2 dx = dy·Wᵀ', [128, 128], [256, 128], false, true, false],
  ['mlp fc3 dx', [128, 10], [128, 10], false, true, false],
  ['cnn fc1 forward [64, 3136]·[3136, 128]', [64, 3136], [3136, 128], false, false, true],
  ['cnn fc1 dW', [64, 3136], [64, 128], true, false, false],
  ['cnn conv2 filter gradient Pᵀ·dy', [288, 12544], [12544, 64], false, false, false],
  ['cnn conv1 filter gradient Pᵀ·dy', [9, 50176], [50176, 32], false, false, false],
  ['deepfcnet 96×96 forward', [64, 96], [96, 96], false, false, true],
  ['deepfcnet dW', [64, 96], [64, 96], true, false, false],
  ['deepfcnet dx', [64, 96], [96, 96], false, true, false],
  ['square 512', [512, 512], [512, 512], false, false, false],
  ['square 1024', [1024, 1024], [1024, 1024], false, false, false],
];

function block(a, b, transposeA, transposeB, bias) {
  const wall = performance.now();
  const cpu = process.cpuUsage();
  for (let i = 0; i < calls; i++) {
    // A fresh right operand each call (a backward product's), as XNNPACK sees it in training.
    const fresh = tf.add(b, 0);
    const out = bias
      ? tf.fused.matMul({ a, b: fresh, transposeA, transposeB, bias, activation: 'relu' })
      : tf.matMul(a, fresh, transposeA, transposeB);
    out.dataSync();
    tf.dispose([fresh, out]);
  }
  const { user, system } = process.cpuUsage(cpu);
  return { wall: (performance.now() - wall) / calls, cpu: (user + system) / 1000 / calls };
}

// BENCH_ONLY=<text>: only the shapes whose name contains it.
const only = process.env.BENCH_ONLY;
const rows = [];
for (const [name, aShape, bShape, transposeA, transposeB, fused] of shapes) {
  if (only && !name.includes(only)) continue;
  const a = tf.randomNormal(aShape, 0, 1, 'float32', 1);
  const b = tf.randomNormal(bShape, 0, 1, 'float32', 2);
  const bias = fused ? tf.randomNormal([transposeB ? bShape[0] : bShape[1]], 0, 1, 'float32', 3) : undefined;
  const m = transposeA ? aShape[1] : aShape[0];
  const k = transposeA ? aShape[0] : aShape[1];
  const n = transposeB ? bShape[0] : bShape[1];
  const sides = { off: [], on: [] };
  for (let r = 0; r < rounds; r++) {
    for (const side of r % 2 ? ['on', 'off'] : ['off', 'on']) {
      tf.env().set('NNTK_WASM_HEAP_GEMM', side === 'on');
      if (r === 0) block(a, b, transposeA, transposeB, bias);
      sides[side].push(block(a, b, transposeA, transposeB, bias));
    }
  }
  tf.env().set('NNTK_WASM_HEAP_GEMM', true);
  const med = (side, key) => median(sides[side].map((s) => s[key]));
  const gflops = (ms) => (2 * m * k * n) / (ms / 1000) / 1e9;
  rows.push({
    name,
    mkn: [m, k, n],
    xnnpackMs: med('off', 'wall'),
    heapMs: med('on', 'wall'),
    xnnpackCpuMs: med('off', 'cpu'),
    heapCpuMs: med('on', 'cpu'),
    xnnpackGflops: gflops(med('off', 'wall')),
    heapGflops: gflops(med('on', 'wall')),
  });
  tf.dispose([a, b, bias].filter(Boolean));
}
for (const r of rows) {
  process.stderr.write(
    `${r.name.padEnd(40)} ${r.mkn.join('x').padEnd(14)} xnnpack ${r.xnnpackMs.toFixed(3)} ms (cpu ${r.xnnpackCpuMs.toFixed(3)}, ${r.xnnpackGflops.toFixed(1)} GFLOP/s)  heap ${r.heapMs.toFixed(3)} ms (cpu ${r.heapCpuMs.toFixed(3)}, ${r.heapGflops.toFixed(1)} GFLOP/s)  wall ×${(r.xnnpackMs / r.heapMs).toFixed(2)} cpu ×${(r.xnnpackCpuMs / r.heapCpuMs).toFixed(2)}\n`,
  );
}
report({ scenario: 'heap-gemm', system: 'nntk heap GEMM vs XNNPACK', backend: 'wasm', rounds, calls, rows });
