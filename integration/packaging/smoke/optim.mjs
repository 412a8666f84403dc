// A third party that installed only @nntk/optim (and what it depends on) with tfjs: plain
// tf.variable + tf.variableGrads, no nntk modules.
import '@tensorflow/tfjs-backend-cpu';
import { AdamW, clipGradNorm } from '@nntk/optim';
import * as tf from '@tensorflow/tfjs-core';

await tf.setBackend('cpu');
const w = tf.variable(tf.tensor2d([[0.5], [-0.5]]));
const x = tf.tensor2d([
  [1, 2],
  [3, 4],
  [5, 6],
]);
const y = tf.tensor2d([[1], [2], [3]]);
const optimizer = new AdamW([w], { lr: 0.05 });
let first;
let last;
for (let i = 0; i < 100; i++) {
  const { value, grads } = tf.variableGrads(() => x.matMul(w).sub(y).square().mean(), [w]);
  clipGradNorm(grads, 5);
  optimizer.step(grads);
  last = value.dataSync()[0];
  first ??= last;
  tf.dispose([value, ...Object.values(grads)]);
}
if (!(last < first * 0.1)) throw new Error(`loss did not fall: ${first} -> ${last}`);
console.log(`esm optim ok (${first.toFixed(3)} -> ${last.toFixed(4)})`);
