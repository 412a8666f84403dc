import { useBackend } from '@nntk/core';
import * as tf from '@tensorflow/tfjs-core';
await useBackend('wasm');
const x2 = tf.randomNormal([64,14,14,32]), dy2 = tf.randomNormal([64,14,14,64]);
const run = () => tf.engine().runKernel('Conv2DBackpropFilter', {x: x2, dy: dy2}, {strides:1, pad:'same', dataFormat:'NHWC', filterShape:[3,3,32,64]});
for (let i=0;i<3;i++) tf.dispose(run());
const p = await tf.profile(() => { const r = run(); r.dataSync(); return r; });
for (const k of p.kernels) console.log(k.name, (await k.kernelTimeMs).toFixed(2), k.inputShapes.join(' '), k.outputShapes.join(' '));
