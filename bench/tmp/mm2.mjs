import { useBackend } from '@nntk/core';
import * as tf from '@tensorflow/tfjs-core';
await useBackend('wasm');
const time = async (name, f, reps = 10) => { for (let i=0;i<2;i++) tf.dispose(f()); const s = performance.now(); for (let i=0;i<reps;i++){ const r=f(); await r.data(); tf.dispose(r);} console.log(name.padEnd(40), ((performance.now()-s)/reps).toFixed(2), 'ms'); };
const colsT = tf.randomNormal([288, 12544]); const dyf = tf.randomNormal([12544,64]);
const cols = tf.randomNormal([12544, 288]); const dyT = tf.randomNormal([64,12544]);
for (let r=0;r<2;r++){
await time('colsT[288,K] x dy[K,64]', () => tf.matMul(colsT, dyf));
await time('dyT[64,K] x cols[K,288]', () => tf.matMul(dyT, cols));
await time('dy^T x cols (transposeA)', () => tf.matMul(dyf, cols, true, false));
const c1T = tf.randomNormal([9, 50176]), d1 = tf.randomNormal([50176, 32]), d1T = tf.randomNormal([32,50176]), c1 = tf.randomNormal([50176,9]);
await time('conv1 colsT[9,K] x dy[K,32]', () => tf.matMul(c1T, d1));
await time('conv1 dyT[32,K] x cols[K,9]', () => tf.matMul(d1T, c1));
}
