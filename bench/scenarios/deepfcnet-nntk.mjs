// Scenario (depth): DeepFCNet with 16 ReZero residual blocks of width 96 (32 Linear layers), 48-d inputs
// and targets, Adam, MSE, batch 64: many small matmuls, where per-op overhead dominates.
// A third argument 'compiled' trains with core's compileStep (forward and backward replayed).
import { compileStep, disposeGradients, seed, useBackend, valueAndGrads } from '@nntk/core';
import { DeepFCNet, mseLoss } from '@nntk/layers';
import { Adam } from '@nntk/optim';
import * as tf from '@tensorflow/tfjs-core';
import { measure, report } from './common.mjs';

const [backend, samples = '3200', mode = 'loop'] = process.argv.slice(2);
await useBackend(backend);
seed(0);
const n = Number(samples);
const x = tf.randomNormal([n, 48], 0, 1, 'float32', 1);
const y = tf.randomNormal([n, 48], 0, 1, 'float32', 2);
const model = new DeepFCNet({ inputDim: 48, width: 96, depth: 16, outputDim: 48, init: 'rezero' });
const optimizer = new Adam(model.parameters(), { lr: 1e-3 });
const batch = 64;
const compiled = mode === 'compiled' ? compileStep(model, mseLoss, optimizer) : undefined;
const result = await measure(() => {
  for (let start = 0; start + batch <= n; start += batch) {
    const xb = x.slice([start, 0], [batch, 48]);
    const yb = y.slice([start, 0], [batch, 48]);
    if (compiled) {
      const { loss } = compiled(xb, yb);
      loss.dataSync();
      tf.dispose([loss, xb, yb]);
      continue;
    }
    const { value, grads } = valueAndGrads(() => mseLoss(model.forward(xb), yb), model.parameters());
    optimizer.step(grads);
    value.dataSync();
    disposeGradients(grads);
    tf.dispose([value, xb, yb]);
  }
}, n);
report({
  scenario: 'deepfcnet',
  system: compiled ? 'nntk compileStep' : 'nntk hand loop',
  backend,
  ...result,
  ...(compiled ? { replays: compiled.stats.replays, kernelsPerReplay: compiled.stats.kernelsPerReplay } : {}),
});
