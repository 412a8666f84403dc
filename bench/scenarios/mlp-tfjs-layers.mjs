// Scenario 1 (baseline): the same MLP with tfjs-layers model.fit, as a tfjs user runs it: the
// @tensorflow/tfjs umbrella plus the wasm or cpu backend, without nntk (so without its kernel fixes).
import { readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import { dataDir, measure, report } from './common.mjs';

const [backend, samples = '12800'] = process.argv.slice(2);
await tf.setBackend(backend);
await tf.ready();
const n = Number(samples);
const images = gunzipSync(readFileSync(`${dataDir()}/fashion-mnist/train-images-idx3-ubyte.gz`)).subarray(
  16,
  16 + n * 784,
);
const labels = gunzipSync(readFileSync(`${dataDir()}/fashion-mnist/train-labels-idx1-ubyte.gz`)).subarray(
  8,
  8 + n,
);
const x = tf.tensor2d(
  Float32Array.from(images, (v) => v / 255),
  [n, 784],
);
const y = tf.oneHot(tf.tensor1d(Int32Array.from(labels), 'int32'), 10);
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
report({ scenario: 'mlp', system: 'tfjs-layers model.fit', backend, fixes: 0, ...result });
