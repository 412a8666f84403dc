// ESM: train a small CNN from the packed @nntk/layers on the wasm backend (the conv/max-pool gradient fixes included).

import { seed, useBackend, valueAndGrads } from '@nntk/core';
import { kaimingNormal } from '@nntk/initializers';
import { Conv2d, crossEntropy, Flatten, Linear, MaxPool2d, ReLU, Sequential } from '@nntk/layers';
import { Adam } from '@nntk/optim';
import * as tf from '@tensorflow/tfjs-core';

await useBackend('wasm');
seed(0);
const model = new Sequential(
  new Conv2d(1, 4, 3, { padding: 1 }),
  new ReLU(),
  new MaxPool2d(2),
  new Flatten(),
  new Linear(4 * 4 * 4, 2),
);
const x = tf.randomNormal([16, 8, 8, 1], 0, 1, 'float32', 1);
const y = tf.tensor1d(
  Array.from({ length: 16 }, (_, i) => i % 2),
  'int32',
);
const optimizer = new Adam(model.parameters(), { lr: 0.01 });
let first;
let last;
for (let i = 0; i < 30; i++) {
  const { value, grads } = valueAndGrads(() => crossEntropy(model.forward(x), y), model.parameters());
  optimizer.step(grads);
  last = value.dataSync()[0];
  first ??= last;
  tf.dispose([value, ...grads.values()]);
}
if (!(last < first)) throw new Error(`loss did not fall: ${first} -> ${last}`);
if (kaimingNormal([4, 4]).shape.join() !== '4,4') throw new Error('initializer shape');
console.log(`esm layers ok (${first.toFixed(3)} -> ${last.toFixed(3)})`);
