// Trains one configuration of the sweep (run by runSweep in its own process): DeepFCNet denoising
// noisy points of a manifold, test MSE each epoch in <runDir>/metrics.jsonl, checkpoints for resume.
import { readFileSync } from 'node:fs';
import { seed, useBackend } from '@nntk/core';
import { DataLoader, manifold } from '@nntk/datasets';
import { kaimingNormal } from '@nntk/initializers';
import { DeepFCBlock, DeepFCNet, type Linear, mseLoss } from '@nntk/layers';
import { Adam, SGD } from '@nntk/optim';
import { Trainer } from '@nntk/trainer';
import * as tf from '@tensorflow/tfjs-core';

const [configPath, runDir, resume] = process.argv.slice(2);
const config = JSON.parse(readFileSync(configPath, 'utf8'));
await useBackend('wasm');
seed(config.seed ?? 0);
const { train: trainSize, test: testSize, ...shape } = config.data;
const train = manifold({ ...shape, n: trainSize, seed: 1 });
const test = manifold({ ...shape, n: testSize, seed: 2 });
const model = new DeepFCNet({ inputDim: shape.ambientDim, outputDim: shape.ambientDim, ...config.model });
// "Standard" init as in the ReZero and Fixup papers: He (Kaiming) normal on every residual-branch layer,
// so each block roughly doubles the signal's variance and deep stacks start far from the identity.
if ((config.model.init ?? 'standard') === 'standard') {
  model.apply((m) => {
    if (!(m instanceof DeepFCBlock)) return;
    for (const linear of [m.linear1, m.linear2] as Linear[]) {
      tf.tidy(() => linear.weight.assign(kaimingNormal(linear.weight.shape, { nonlinearity: 'relu' })));
    }
  });
}
const trainer = new Trainer({
  model,
  optimizer:
    config.optimizer.name === 'sgd'
      ? new SGD(model.parameters(), { lr: config.optimizer.lr, momentum: config.optimizer.momentum ?? 0 })
      : new Adam(model.parameters(), { lr: config.optimizer.lr }),
  loss: mseLoss,
  runDir,
  seed: config.seed ?? 0,
});
await trainer.fit(new DataLoader(train, { batchSize: 64, shuffle: true, seed: 0 }), {
  epochs: config.epochs,
  valLoader: new DataLoader(test, { batchSize: 500 }),
  resumeFrom: resume === '1' ? 'last' : undefined,
});
