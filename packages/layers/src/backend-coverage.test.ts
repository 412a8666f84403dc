// Every layer's forward and gradient on every backend of the matrix, for the modules the PyTorch fixture
// suites (parity.test.ts, losses.test.ts) do not cover: containers and reference architectures, dropout in
// training, positional encodings, flatten and identity. Each runs from the same seed on each backend and
// must equal cpu (output, input gradient, every parameter gradient; 1e-4 relative), leaving no tensors.
import { type Module, seed, useBackend, valueAndGrads } from '@nntk/core';
import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { backendMatrix } from '../../core/src/backend-matrix.test-helpers';
import {
  BatchNorm1d,
  DeepFCNet,
  Dropout,
  Flatten,
  Identity,
  LearnedPositionalEncoding,
  Linear,
  MLP,
  ReLU,
  Residual,
  Sequential,
  SinusoidalPositionalEncoding,
  VGG,
} from './index';

interface Case {
  name: string;
  build: () => Module;
  input: number[];
  /** Left in training mode (dropout masks come from nntk's seeded generator, the same on every backend). */
  training?: boolean;
}

const CASES: Case[] = [
  {
    name: 'Sequential(Linear, ReLU, Linear)',
    build: () => new Sequential(new Linear(6, 5), new ReLU(), new Linear(5, 3)),
    input: [4, 6],
  },
  {
    name: 'MLP with BatchNorm and dropout (training)',
    build: () => new MLP({ sizes: [6, 8, 3], batchNorm: true, dropout: 0.3 }),
    input: [5, 6],
    training: true,
  },
  {
    name: 'Residual(Linear) with a Linear shortcut',
    build: () => new Residual(new Linear(4, 4), new Linear(4, 4)),
    input: [3, 4],
  },
  {
    name: 'DeepFCNet (ReZero)',
    build: () =>
      new DeepFCNet({
        inputDim: 5,
        width: 6,
        depth: 2,
        outputDim: 3,
        init: 'rezero',
        norm: 'none',
        activation: 'relu',
        dropout: 0,
      }),
    input: [4, 5],
  },
  {
    name: 'VGG-style with BatchNorm',
    build: () =>
      new VGG({
        config: [4, 'M', 6, 'M'],
        inChannels: 2,
        numClasses: 3,
        inputSize: [8, 8],
        batchNorm: true,
        hidden: [8],
        dropout: 0,
      }),
    input: [2, 8, 8, 2],
  },
  { name: 'Dropout(0.4) in training', build: () => new Dropout(0.4), input: [4, 6], training: true },
  {
    name: 'Flatten, Identity',
    build: () => new Sequential(new Flatten(), new Identity(), new BatchNorm1d(12)),
    input: [3, 2, 3, 2],
  },
  {
    name: 'SinusoidalPositionalEncoding (dropout 0.2, training)',
    build: () => new SinusoidalPositionalEncoding(6, { dropout: 0.2 }),
    input: [5, 2, 6],
    training: true,
  },
  {
    name: 'LearnedPositionalEncoding (batchFirst)',
    build: () => new LearnedPositionalEncoding(8, 6, { dropout: 0, batchFirst: true }),
    input: [2, 5, 6],
  },
];

/** Output, input gradient and parameter gradients of Σ f(x)·u, read with `await data()`. */
async function evaluate(c: Case, backend: string): Promise<Float32Array[]> {
  await useBackend(backend as 'cpu');
  seed(3);
  const layer = c.build();
  layer.train(c.training ?? false);
  const before = tf.memory().numTensors;
  const x = tf.tidy(() => tf.variable(tf.randomNormal(c.input, 0, 1, 'float32', 7)));
  let output: tf.Tensor | undefined;
  const { value, grads } = valueAndGrads(() => {
    output = tf.keep(layer.forward(x) as tf.Tensor);
    return tf.sum(tf.mul(output, tf.randomNormal(output.shape, 0, 1, 'float32', 8))) as tf.Scalar;
  }, [x, ...layer.parameters()]);
  const tensors = [output!, grads.get(x)!, ...layer.parameters().map((p) => grads.get(p)!)];
  const values = await Promise.all(tensors.map((t) => t.data() as Promise<Float32Array>));
  tf.dispose([value, output!, x, ...grads.values()]);
  expect(tf.memory().numTensors, `${backend}: tensors leaked`).toBe(before);
  layer.dispose();
  return values;
}

const backends = await backendMatrix('every layer runs forward and backward');
describe(`every layer's forward and gradient on ${backends.join(', ')} equal cpu`, () => {
  for (const c of CASES) {
    it(c.name, async () => {
      const reference = await evaluate(c, 'cpu');
      expect(reference[0].length).toBeGreaterThan(0);
      for (const backend of backends.filter((b) => b !== 'cpu')) {
        const values = await evaluate(c, backend);
        expect(values.length).toBe(reference.length);
        values.forEach((actual, k) => {
          let worst = 0;
          actual.forEach((v, i) => {
            worst = Math.max(worst, Math.abs(v - reference[k][i]) / (1 + Math.abs(reference[k][i])));
          });
          expect(
            worst,
            `${backend} ${k === 0 ? 'output' : k === 1 ? 'input gradient' : `parameter gradient ${k - 2}`}`,
          ).toBeLessThanOrEqual(1e-4);
        });
      }
    });
  }
});
