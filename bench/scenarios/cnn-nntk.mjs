// Scenario 2 (nntk): CNN conv3x3x32-pool-conv3x3x64-pool-fc128-fc10, Adam, batch 64, Fashion-MNIST.
import { seed, useBackend, valueAndGrads } from '@nntk/core';
import { DataLoader, fashionMnist, Subset } from '@nntk/datasets';
import { Conv2d, crossEntropy, Flatten, Linear, MaxPool2d, ReLU, Sequential } from '@nntk/layers';
import { Adam } from '@nntk/optim';
import * as tf from '@tensorflow/tfjs-core';
import { dataDir, measure, report } from './common.mjs';

const [backend, samples = '1280'] = process.argv.slice(2);
const info = await useBackend(backend);
seed(0);
const full = await fashionMnist({ root: `${dataDir()}/fashion-mnist` });
const data = new Subset(
  full,
  Array.from({ length: Number(samples) }, (_, i) => i),
);
const model = new Sequential(
  new Conv2d(1, 32, 3, { padding: 1 }),
  new ReLU(),
  new MaxPool2d(2),
  new Conv2d(32, 64, 3, { padding: 1 }),
  new ReLU(),
  new MaxPool2d(2),
  new Flatten(),
  new Linear(64 * 7 * 7, 128),
  new ReLU(),
  new Linear(128, 10),
);
const optimizer = new Adam(model.parameters(), { lr: 1e-3 });
// BENCH_BATCH overrides the batch size (bench/gpu runs 128 and 512).
const batchSize = Number(process.env.BENCH_BATCH ?? 64);
const loader = new DataLoader(data, { batchSize, shuffle: true, seed: 0 });
const result = await measure(
  async () => {
    for await (const { x, y } of loader) {
      const { value, grads } = valueAndGrads(() => crossEntropy(model.forward(x), y), model.parameters());
      optimizer.step(grads);
      await value.data();
      tf.dispose([value, ...grads.values(), x, y]);
    }
  },
  data.length,
  Number(process.env.BENCH_REPEATS ?? 3),
);
report({
  scenario: 'cnn',
  system: 'nntk hand loop',
  backend,
  fixes: info.fixes.length,
  batchSize,
  adapter: info.adapter,
  ...result,
});
