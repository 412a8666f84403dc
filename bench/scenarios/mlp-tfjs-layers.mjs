// Scenario 1 (baseline): the same MLP with tfjs-layers model.fit, as a tfjs user runs it: the
// @tensorflow/tfjs umbrella plus the wasm or cpu backend, without nntk (so without its kernel fixes), or
// with `--nntk` after nntk's useBackend and nothing else changed.
import * as tf from '@tensorflow/tfjs';
import { fashionMnistArrays, measure, report } from './common.mjs';
import { startTfjs } from './tfjs-setup.mjs';

const { backend, samples: n, system, fixes } = await startTfjs('12800');
const { pixels, labels } = fashionMnistArrays(n);
const x = tf.tensor2d(pixels, [n, 784]);
const y = tf.oneHot(tf.tensor1d(labels, 'int32'), 10);
const model = tf.sequential({
  layers: [
    tf.layers.dense({ inputShape: [784], units: 256, activation: 'relu' }),
    tf.layers.dense({ units: 128, activation: 'relu' }),
    tf.layers.dense({ units: 10 }),
  ],
});
model.compile({ optimizer: tf.train.adam(1e-3), loss: (t, p) => tf.losses.softmaxCrossEntropy(t, p) });
const result = await measure(
  () => model.fit(x, y, { epochs: 1, batchSize: 128, shuffle: true, verbose: 0 }),
  n,
);
report({ scenario: 'mlp', system, backend, fixes, ...result });
