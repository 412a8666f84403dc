// Scenario (datasets): DataLoader throughput on the full Fashion-MNIST training set, batch 64, with
// shuffling and augmentation (random crop with padding 2, horizontal flip), in batches/s, next to the
// rate at which the MLP of scenario 1 consumes batches, to show loading is not the bottleneck.
import { useBackend } from '@nntk/core';
import { DataLoader, fashionMnist, transforms } from '@nntk/datasets';
import * as tf from '@tensorflow/tfjs-core';
import { dataDir, median, report } from './common.mjs';

const [backend = 'wasm', batchesPerRun = '400'] = process.argv.slice(2);
await useBackend(backend);
const data = await fashionMnist({ root: `${dataDir()}/fashion-mnist` });
for (const [label, transform] of [
  ['shuffle', undefined],
  [
    'shuffle + crop + flip',
    transforms.compose(transforms.randomCrop(28, { padding: 2 }), transforms.randomHorizontalFlip()),
  ],
]) {
  const loader = new DataLoader(data, { batchSize: 64, shuffle: true, seed: 0, transform });
  const rates = [];
  const before = tf.memory().numTensors;
  for (let run = 0; run < 4; run++) {
    const started = performance.now();
    let seen = 0;
    for await (const { x, y } of loader) {
      tf.dispose([x, y]);
      if (++seen >= Number(batchesPerRun)) break;
    }
    if (run > 0) rates.push(seen / ((performance.now() - started) / 1000));
  }
  await new Promise((resolve) => setTimeout(resolve, 20));
  report({
    scenario: 'loader',
    system: `nntk DataLoader (${label})`,
    backend,
    batchesPerSecond: median(rates),
    samplesPerSecond: median(rates) * 64,
    tensorsFlat: tf.memory().numTensors === before,
  });
}
