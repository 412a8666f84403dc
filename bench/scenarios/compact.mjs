// Scenario (pruning): an MLP 784-512-256-10 with 75% of its hidden units pruned by lnStructured, run
// masked (the dense shapes, zeros in place) and after compact() (the units physically removed).
// Measures inference and training samples/s for both, on the same backend, in the same process.
import { disposeGradients, seed, useBackend, valueAndGrads } from '@nntk/core';
import { crossEntropy, MLP } from '@nntk/layers';
import { Adam } from '@nntk/optim';
import { compact, lnStructured } from '@nntk/pruning';
import * as tf from '@tensorflow/tfjs-core';
import { fashionMnistArrays, measure, report } from './common.mjs';

const [backend, samples = '6400'] = process.argv.slice(2);
await useBackend(backend);
seed(0);
const n = Number(samples);
const { pixels, labels } = fashionMnistArrays(n);
const x = tf.tensor2d(pixels, [n, 784]);
const y = tf.tensor1d(labels, 'int32');
const batch = 128;

const masked = new MLP({ sizes: [784, 512, 256, 10] });
await lnStructured(masked.layers[0], 'weight', { amount: 0.75, n: 2 });
await lnStructured(masked.layers[2], 'weight', { amount: 0.75, n: 2 });
const compacted = await compact(masked);

// Batches are cut once, before timing: tfjs's wasm slice copies its whole source per call, which would
// add the same large cost to both models and hide the difference being measured.
const count = Math.floor(n / batch);
const xs = tf.split(x.slice([0, 0], [count * batch, 784]), count);
const ys = tf.split(y.slice([0], [count * batch]), count);

function batches(run) {
  for (let i = 0; i < count; i++) run(xs[i], ys[i]);
}

for (const [system, model] of [
  ['masked (dense shapes)', masked],
  ['compact', compacted],
]) {
  model.eval();
  const forward = await measure(() => batches((xb) => tf.tidy(() => model.forward(xb).dataSync())), n);
  report({ scenario: 'pruned-mlp-forward', system, backend, parameters: model.numParameters(), ...forward });
  model.train();
  const optimizer = new Adam(model.parameters(), { lr: 1e-3 });
  const train = await measure(
    () =>
      batches((xb, yb) => {
        const { value, grads } = valueAndGrads(() => crossEntropy(model.forward(xb), yb), model.parameters());
        optimizer.step(grads);
        value.dataSync();
        disposeGradients(grads);
        value.dispose();
      }),
    n,
  );
  report({ scenario: 'pruned-mlp-train', system, backend, parameters: model.numParameters(), ...train });
  optimizer.dispose();
}
