// Scenario 2 (baseline): the same CNN with tfjs-layers model.fit. On plain wasm it cannot train (missing
// Conv2DBackpropFilter): the scenario reports that instead of a rate. With `--nntk` (nntk's useBackend
// first, the model code unchanged) it trains.
import * as tf from '@tensorflow/tfjs';
import { fashionMnistArrays, measure, report } from './common.mjs';
import { startTfjs } from './tfjs-setup.mjs';

const { backend, samples: n, system, fixes } = await startTfjs('1280');
const { pixels, labels } = fashionMnistArrays(n);
const x = tf.tensor4d(pixels, [n, 28, 28, 1]);
const y = tf.oneHot(tf.tensor1d(labels, 'int32'), 10);
const model = tf.sequential({
  layers: [
    tf.layers.conv2d({
      inputShape: [28, 28, 1],
      filters: 32,
      kernelSize: 3,
      padding: 'same',
      activation: 'relu',
    }),
    tf.layers.maxPooling2d({ poolSize: 2 }),
    tf.layers.conv2d({ filters: 64, kernelSize: 3, padding: 'same', activation: 'relu' }),
    tf.layers.maxPooling2d({ poolSize: 2 }),
    tf.layers.flatten(),
    tf.layers.dense({ units: 128, activation: 'relu' }),
    tf.layers.dense({ units: 10 }),
  ],
});
model.compile({ optimizer: tf.train.adam(1e-3), loss: (t, p) => tf.losses.softmaxCrossEntropy(t, p) });
try {
  const result = await measure(
    () => model.fit(x, y, { epochs: 1, batchSize: 64, shuffle: true, verbose: 0 }),
    n,
    1,
  );
  report({ scenario: 'cnn', system, backend, fixes, ...result });
} catch (error) {
  report({
    scenario: 'cnn',
    system,
    backend,
    fixes,
    samplesPerSecond: null,
    error: String(error.message).split('\n')[0],
  });
}
