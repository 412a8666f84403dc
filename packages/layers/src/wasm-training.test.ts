// Training on wasm (with nntk's kernel fixes) follows the cpu backend step by step: a CNN with BatchNorm,
// max pooling and dropout, a VGG-style net and an embedding model, 20 SGD steps each from the same seed.
import { Module, Parameter, seed, useBackend, valueAndGrads } from '@nntk/core';
import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import {
  BatchNorm2d,
  Conv2d,
  crossEntropy,
  Dropout,
  Flatten,
  Linear,
  MaxPool2d,
  ReLU,
  Sequential,
  VGG,
} from './index';

class EmbeddingBag extends Module {
  table: Parameter;
  head = new Linear(6, 3);
  constructor() {
    super();
    this.table = tf.tidy(
      () => new Parameter(tf.randomNormal([20, 6], 0, 1, 'float32', 3), { name: 'table' }),
    );
  }
  forward(tokens: tf.Tensor): tf.Tensor {
    // Mean of the token embeddings of each row (gather: its gradient is UnsortedSegmentSum).
    const [n, length] = tokens.shape;
    return tf.tidy(() =>
      this.head.forward(
        tf.mean(tf.reshape(tf.gather(this.table, tf.reshape(tokens, [-1])), [n, length, 6]), 1),
      ),
    );
  }
}

const MODELS: [string, () => Module, () => tf.Tensor][] = [
  [
    'CNN: conv → BN → ReLU → max pool → dropout → conv (stride 2) → linear',
    () =>
      new Sequential(
        new Conv2d(2, 6, 3, { padding: 1 }),
        new BatchNorm2d(6),
        new ReLU(),
        new MaxPool2d(2),
        new Dropout(0.2),
        new Conv2d(6, 8, 3, { stride: 2 }),
        new ReLU(),
        new Flatten(),
        new Linear(8 * 2 * 2, 3),
      ),
    () => tf.randomNormal([8, 10, 10, 2], 0, 1, 'float32', 5),
  ],
  [
    'VGG-style with BatchNorm and a dropout classifier',
    () =>
      new VGG({
        config: [8, 8, 'M', 16, 'M'],
        inChannels: 1,
        numClasses: 3,
        inputSize: [12, 12],
        batchNorm: true,
        hidden: [16],
        dropout: 0.3,
      }),
    () => tf.randomNormal([6, 12, 12, 1], 0, 1, 'float32', 6),
  ],
  [
    'embedding bag + linear',
    () => new EmbeddingBag(),
    () => tf.tensor2d([1, 4, 4, 9, 0, 19, 3, 3, 7, 2, 2, 2, 18, 5, 1, 0], [4, 4], 'int32'),
  ],
];

async function losses(
  backend: 'cpu' | 'wasm',
  build: () => Module,
  inputs: () => tf.Tensor,
): Promise<number[]> {
  await useBackend(backend);
  seed(11);
  const model = build();
  const x = inputs();
  const y = tf.tensor1d(
    Array.from({ length: x.shape[0] }, (_, i) => i % 3),
    'int32',
  );
  const out: number[] = [];
  for (let step = 0; step < 20; step++) {
    const { value, grads } = valueAndGrads(
      () => crossEntropy(model.forward(x) as tf.Tensor, y) as tf.Scalar,
      model.parameters(),
    );
    tf.tidy(() => {
      for (const [p, g] of grads) p.assign(tf.sub(p, tf.mul(g, 0.05)));
    });
    out.push(value.dataSync()[0]);
    tf.dispose([value, ...grads.values()]);
  }
  model.dispose();
  tf.dispose([x, y]);
  return out;
}

describe('wasm training matches cpu over 20 steps (losses within 1e-4)', () => {
  for (const [name, build, inputs] of MODELS) {
    it(name, async () => {
      const cpu = await losses('cpu', build, inputs);
      const wasm = await losses('wasm', build, inputs);
      expect(cpu[19]).toBeLessThan(cpu[0]);
      for (let i = 0; i < 20; i++) expect(Math.abs(wasm[i] - cpu[i]), `step ${i}`).toBeLessThanOrEqual(1e-4);
    });
  }
});
