import { seed, useBackend, valueAndGrads } from '@nntk/core';
import { DataLoader, fashionMnist, Subset } from '@nntk/datasets';
import { crossEntropy, Flatten, MLP, Sequential } from '@nntk/layers';
import { Adam } from '@nntk/optim';
import * as tf from '@tensorflow/tfjs-core';
import { dataDir } from './scenarios/common.mjs';

await useBackend('wasm');
seed(0);
const full = await fashionMnist({ root: `${dataDir()}/fashion-mnist` });
const data = new Subset(
  full,
  Array.from({ length: 2560 }, (_, i) => i),
);
const model = new Sequential(new Flatten(), new MLP({ sizes: [784, 256, 128, 10] }));
const optimizer = new Adam(model.parameters(), { lr: 1e-3 });
const loader = new DataLoader(data, { batchSize: 128, shuffle: true, seed: 0 });
const step = async (x, y) => {
  const { value, grads } = valueAndGrads(() => crossEntropy(model.forward(x), y), model.parameters());
  optimizer.step(grads);
  await value.data();
  tf.dispose([value, ...grads.values()]);
};
for await (const { x, y } of loader) {
  await step(x, y);
  tf.dispose([x, y]);
}
for (let rep = 0; rep < 3; rep++) {
  const it = loader[Symbol.asyncIterator]();
  const {
    value: { x, y },
  } = await it.next();
  const prof = await tf.profile(() => step(x, y));
  if (rep < 2) continue;
  for (const k of prof.kernels)
    if (!['Reshape', 'Identity'].includes(k.name))
      console.log(
        k.name.padEnd(24),
        (await k.kernelTimeMs).toFixed(2).padStart(7),
        k.inputShapes.map((s) => `[${s}]`).join(' '),
        '->',
        k.outputShapes.map((s) => `[${s}]`).join(' '),
      );
}
