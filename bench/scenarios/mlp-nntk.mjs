// Scenario 1 (nntk): MLP 784-256-128-10, Adam, batch 128, on Fashion-MNIST, hand loop or Trainer.
// Modes 'compiled' and 'trainer-compiled': the same with core's compileStep / Trainer compile: true.
import { compileStep, seed, useBackend, valueAndGrads } from '@nntk/core';
import { DataLoader, fashionMnist, Subset } from '@nntk/datasets';
import { crossEntropy, Flatten, MLP, Sequential } from '@nntk/layers';
import { Adam } from '@nntk/optim';
import { Trainer } from '@nntk/trainer';
import * as tf from '@tensorflow/tfjs-core';
import { dataDir, measure, report } from './common.mjs';

const [backend, mode = 'loop', samples = '12800'] = process.argv.slice(2);
const info = await useBackend(backend);
seed(0);
const full = await fashionMnist({ root: `${dataDir()}/fashion-mnist` });
const data = new Subset(
  full,
  Array.from({ length: Number(samples) }, (_, i) => i),
);
const model = new Sequential(new Flatten(), new MLP({ sizes: [784, 256, 128, 10] }));
const optimizer = new Adam(model.parameters(), { lr: 1e-3 });
// BENCH_BATCH overrides the batch size (bench/gpu runs 128 and 512).
const batchSize = Number(process.env.BENCH_BATCH ?? 128);
const loader = new DataLoader(data, { batchSize, shuffle: true, seed: 0 });
let epoch;
if (mode === 'compiled') {
  const step = compileStep(model, crossEntropy, optimizer);
  epoch = async () => {
    for await (const { x, y } of loader) {
      const { loss } = step(x, y);
      await loss.data();
      tf.dispose([loss, x, y]);
    }
  };
} else if (mode === 'trainer' || mode === 'trainer-compiled') {
  const trainer = new Trainer({ model, optimizer, loss: crossEntropy, compile: mode === 'trainer-compiled' });
  let epochs = 0;
  epoch = async () => {
    epochs += 1;
    await trainer.fit(loader, { epochs });
  };
} else {
  epoch = async () => {
    for await (const { x, y } of loader) {
      const { value, grads } = valueAndGrads(() => crossEntropy(model.forward(x), y), model.parameters());
      optimizer.step(grads);
      await value.data();
      tf.dispose([value, ...grads.values(), x, y]);
    }
  };
}
const result = await measure(epoch, data.length);
report({
  scenario: 'mlp',
  system: `nntk ${{ trainer: 'Trainer', compiled: 'compileStep', 'trainer-compiled': 'Trainer compile' }[mode] ?? 'hand loop'}`,
  backend,
  fixes: info.fixes.length,
  batchSize,
  adapter: info.adapter,
  ...result,
});
