import { useBackend } from '@nntk/core';
import * as tf from '@tensorflow/tfjs-core';
await useBackend('wasm');
const t = async (label, f) => { for (let r=0;r<2;r++){ const s=performance.now(); for(let i=0;i<5;i++) await f(); console.log(label, ((performance.now()-s)/5).toFixed(2)); } };
for (const [M, K, N] of [[288, 12544, 64], [9, 50176, 32], [32, 50176, 9]]) {
  const A = tf.randomNormal([M, K]), B = tf.randomNormal([K, N]);
  await t(`${M}x${K}x${N} fresh B (mul 1 only)`, async () => { const b = B.mul(1); await b.data(); tf.dispose([b]); });
  await t(`${M}x${K}x${N} matmul fresh B`, async () => { const b = B.mul(1); const r = tf.matMul(A, b); await r.data(); tf.dispose([r, b]); });
  await t(`${M}x${K}x${N} conv1x1 fresh B`, async () => { const b = B.mul(1); const r = tf.conv2d(A.reshape([1,1,M,K]), b.reshape([1,1,K,N]), 1, 'valid'); await r.data(); tf.dispose([r, b]); });
}
