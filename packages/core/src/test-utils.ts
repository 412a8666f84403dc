import * as tf from '@tensorflow/tfjs-core';
import { expect } from 'vitest';

/** Asserts that `fn` leaves the number of live tensors unchanged. */
export async function expectNoLeak(fn: () => unknown | Promise<unknown>): Promise<void> {
  const before = tf.memory().numTensors;
  await fn();
  expect(tf.memory().numTensors).toBe(before);
}
