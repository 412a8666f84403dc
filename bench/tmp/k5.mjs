import { useBackend } from '@nntk/core';
import * as tf from '@tensorflow/tfjs-core';
await useBackend('wasm');
const x2 = tf.randomNormal([64,14,14,32]), dy2 = tf.randomNormal([64,14,14,64]);
const x1 = tf.randomNormal([64,28,28,1]), dy1 = tf.randomNormal([64,28,28,32]);
for (const [name, x, dy, fs] of [['conv2', x2, dy2, [3,3,32,64]], ['conv1', x1, dy1, [3,3,1,32]]]) {
  const run = (d) => tf.engine().runKernel('Conv2DBackpropFilter', {x, dy: d}, {strides:1, pad:'same', dataFormat:'NHWC', filterShape: fs});
  for (let i=0;i<3;i++) { const d = dy.mul(1); tf.dispose([run(d), d]); }
  for (let i=0;i<2;i++) { const d = dy.mul(1); const p = await tf.profile(() => { const r = run(d); r.dataSync(); return r; }); d.dispose();
    for (const k of p.kernels) if (k.name !== 'Reshape') console.log(name, k.name, (await k.kernelTimeMs).toFixed(2), k.inputShapes.join(' ')); }
}
