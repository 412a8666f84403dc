import { useBackend } from '@nntk/core';
import * as tf from '@tensorflow/tfjs-core';
import { expect, it } from 'vitest';
import { isConstantInput } from './gradient-tape';

it('tells data (and ops on it) from tensors that depend on variables while a gradient is recorded', async () => {
  await useBackend('cpu');
  const data = tf.ones([2, 3]);
  const weight = tf.variable(tf.ones([3, 1]));
  const seen: Record<string, boolean> = {};
  expect(isConstantInput(data)).toBe(false); // nothing is recorded: fused kernels are fine
  tf.variableGrads(() => {
    const reshaped = data.reshape([3, 2]).reshape([2, 3]);
    const hidden = tf.matMul(reshaped, weight);
    const later = tf.relu(hidden).reshape([2]);
    Object.assign(seen, {
      data: isConstantInput(data),
      reshaped: isConstantInput(reshaped),
      weight: isConstantInput(weight),
      hidden: isConstantInput(hidden),
      later: isConstantInput(later),
    });
    return tf.sum(later) as tf.Scalar;
  }).grads.weight?.dispose();
  expect(seen).toEqual({ data: true, reshaped: true, weight: false, hidden: false, later: false });
  tf.dispose([data, weight]);
});
