import { type Module, valueAndGrads } from '@nntk/core';
import { Adam } from '@nntk/optim';
import * as tf from '@tensorflow/tfjs-core';
import { expect } from 'vitest';

/**
 * Trains `layer` for a few Adam steps on `loss` and checks that the tensor count stays flat across steps,
 * that the loss falls, and that `dispose()` frees every parameter. `loss` may create and free its own
 * tensors; what it is given stays alive.
 */
export function expectTrainsWithoutGrowth(layer: Module, loss: () => tf.Scalar, steps = 8): void {
  const optimizer = new Adam(layer.parameters(), { lr: 0.05 });
  const step = () => {
    const { value, grads } = valueAndGrads(loss, layer.parameters());
    optimizer.step(grads);
    const v = value.dataSync()[0];
    tf.dispose([value, ...grads.values()]);
    return v;
  };
  const first = step();
  const before = tf.memory().numTensors;
  let last = first;
  for (let i = 0; i < steps; i++) last = step();
  expect(tf.memory().numTensors, 'tensors grew across training steps').toBe(before);
  expect(last).toBeLessThan(first);
  optimizer.dispose();
  const withParameters = tf.memory().numTensors;
  const count = layer.parameters().length;
  layer.dispose();
  expect(tf.memory().numTensors, 'dispose() frees every parameter').toBe(withParameters - count);
}
