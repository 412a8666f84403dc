// Scenario (depth): DeepFCNet with 16 ReZero residual blocks of width 96 (32 Linear layers), 48-d inputs
// and targets, Adam, MSE, batch 64: many small matmuls, where per-op overhead dominates.
import { disposeGradients, seed, useBackend, valueAndGrads } from '@nntk/core';
import { DeepFCNet, mseLoss } from '@nntk/layers';
import { Adam } from '@nntk/optim';
import * as tf from '@tensorflow/tfjs-core';
import { measure, report } from './common.mjs';

const [backend, samples = '3200'] = process.argv.slice(2);
await useBackend(backend);
seed(0);
const n = Number(samples);
const x = tf.randomNormal([n, 48], 0, 1, 'float32', 1);
const y = tf.randomNormal([n, 48], 0, 1, 'float32', 2);
const model = new DeepFCNet({ inputDim: 48, width: 96, depth: 16, outputDim: 48, init: 'rezero' });
const optimizer = new Adam(model.parameters(), { lr: 1e-3 });
const batch = 64;
const result = await measure(() => {
  for (let start = 0; start + batch <= n; start += batch) {
    const xb = x.slice([start, 0], [batch, 48]);
    const yb = y.slice([start, 0], [batch, 48]);
    const { value, grads } = valueAndGrads(() => mseLoss(model.forward(xb), yb), model.parameters());
    optimizer.step(grads);
    value.dataSync();
    disposeGradients(grads);
    tf.dispose([value, xb, yb]);
  }
}, n);
report({ scenario: 'deepfcnet', system: 'nntk hand loop', backend, ...result });
