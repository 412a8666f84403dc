// A sweep runner for the tests: trains an MLP on two spirals with a hand loop and appends one JSON line
// of epoch logs per epoch to <runDir>/metrics.jsonl. `config.failIf` makes a run fail on purpose.
import { appendFileSync } from 'node:fs';
import { join } from 'node:path';
import { seed, useBackend, valueAndGrads } from '@nntk/core';
import { spirals } from '@nntk/datasets';
import { crossEntropy, MLP } from '@nntk/layers';
import { SGD } from '@nntk/optim';
import * as tf from '@tensorflow/tfjs-core';

export default async function run(config, { runDir }) {
  if (config.failIf && config.optimizer.lr === config.failIf)
    throw new Error(`lr ${config.failIf} fails on purpose`);
  await useBackend('cpu');
  seed(config.seed ?? 0);
  const data = spirals({ n: 200, seed: 1 });
  const x = tf.tensor2d(data.x.values, [200, 2]);
  const y = tf.tensor1d(data.y.values, 'int32');
  const model = new MLP({ sizes: [2, 16, 2] });
  const optimizer = new SGD(model.parameters(), { lr: config.optimizer.lr, momentum: 0.9 });
  for (let epoch = 0; epoch < config.epochs; epoch++) {
    for (let i = 0; i < 10; i++) {
      const { value, grads } = valueAndGrads(() => crossEntropy(model.forward(x), y), model.parameters());
      optimizer.step(grads);
      tf.dispose([value, ...grads.values()]);
    }
    const loss = tf.tidy(() => crossEntropy(model.forward(x), y).dataSync()[0]);
    appendFileSync(join(runDir, 'metrics.jsonl'), `${JSON.stringify({ epoch, val_loss: loss })}\n`);
    if (config.sleepMs) await new Promise((r) => setTimeout(r, config.sleepMs));
  }
}
