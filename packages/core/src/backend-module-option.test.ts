import * as wasm from '@tensorflow/tfjs-backend-wasm';
import * as tf from '@tensorflow/tfjs-core';
import { expect, it } from 'vitest';
import { backendInfo, useBackend } from './index';

it("useBackend uses the backend module it is given (a bundled app's import) instead of importing the package by name", async () => {
  // A module whose getThreadsCount answers 7: backendInfo() reporting 7 shows useBackend read this
  // object, not the package it would have imported itself.
  const given = { ...wasm, getThreadsCount: () => 7 };
  const info = await useBackend('wasm', { threads: 1, module: given });
  expect(info.name).toBe('wasm');
  expect(info.threads).toBe(7);
  expect(backendInfo().threads).toBe(7);
  const sum = tf.tidy(() => tf.sum(tf.tensor1d([1, 2, 3])));
  expect((await sum.data())[0]).toBe(6);
  sum.dispose();
  await useBackend('cpu');
});
