// Scenario 4: one optimizer step alone over a model with 50 small parameters, microseconds per step.
import { useBackend } from '@nntk/core';
import { AdamW, SGD } from '@nntk/optim';
import * as tf from '@tensorflow/tfjs-core';
import { median, report } from './common.mjs';

const [backend] = process.argv.slice(2);
await useBackend(backend);
const params = Array.from({ length: 50 }, (_, i) => tf.variable(tf.randomNormal([16, 8 + (i % 5)])));
const grads = new Map(params.map((p) => [p, tf.randomNormal(p.shape)]));
for (const [name, make] of [
  ['AdamW', () => new AdamW(params, { lr: 1e-3 })],
  ['SGD momentum', () => new SGD(params, { lr: 0.01, momentum: 0.9 })],
]) {
  const optimizer = make();
  for (let i = 0; i < 20; i++) optimizer.step(grads);
  const before = tf.memory().numTensors;
  const times = [];
  for (let r = 0; r < 5; r++) {
    const started = performance.now();
    for (let i = 0; i < 50; i++) optimizer.step(grads);
    await params[0].data();
    times.push(((performance.now() - started) * 1000) / 50);
  }
  report({
    scenario: 'optimizer-step',
    system: `nntk ${name}`,
    backend,
    microsecondsPerStep: median(times),
    tensorsFlat: tf.memory().numTensors === before,
  });
  optimizer.dispose();
}
