import { NntkError, Rng, seed, useBackend, valueAndGrads } from '@nntk/core';
import { Adam } from '@nntk/optim';
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import counts from '../../../fixtures/layers/parameter-counts.json';
import {
  Conv2d,
  crossEntropy,
  DeepFCNet,
  Dropout,
  Flatten,
  Linear,
  MLP,
  mseLoss,
  Sequential,
  VGG,
} from './index';

const camel = (key: string) => key.replace(/_([a-z])/g, (_, c: string) => c.toUpperCase());

describe('modules', () => {
  beforeAll(async () => {
    await useBackend('cpu');
    seed(0);
  });

  it("MLP parameter counts and state-dict keys equal PyTorch's", () => {
    for (const reference of counts.models.filter((m) => m.model === 'MLP')) {
      const model = new MLP(reference.options as { sizes: number[] });
      expect(model.numParameters()).toBe(reference.parameters);
      expect(Object.keys(model.stateDict()).sort()).toEqual((reference.keys ?? []).map(camel).sort());
      model.dispose();
    }
  });

  it("VGG parameter count equals PyTorch's and it maps 28×28 images to logits", () => {
    const reference = counts.models.find((m) => m.model === 'VGG')!;
    const model = new VGG(reference.options as ConstructorParameters<typeof VGG>[0]);
    expect(model.numParameters()).toBe(reference.parameters);
    model.eval();
    const y = model.forward(tf.zeros([2, 28, 28, 1]));
    expect(y.shape).toEqual([2, 10]);
    tf.dispose(y);
    model.dispose();
  });

  it('names the layer and both shapes on a bad input', () => {
    const layer = new Linear(784, 256);
    expect(() => layer.forward(tf.zeros([32, 28, 28]))).toThrow(
      'Linear(784 -> 256): expected input [*, 784], got [32, 28, 28]',
    );
    const conv = new Conv2d(3, 8, 3);
    expect(() => conv.forward(tf.zeros([1, 3, 32, 32]))).toThrow(
      'Conv2d(3 -> 8, kernel 3x3): expected input [N, H, W, 3] (NHWC), got [1, 3, 32, 32]',
    );
    expect(() => new Conv2d(3, 8, 3, { groups: 2 })).toThrow(NntkError);
    layer.dispose();
    conv.dispose();
  });

  it('Dropout zeroes about p of the inputs in training, scales the rest, and is the identity in eval', () => {
    const dropout = new Dropout(0.3, { rng: new Rng(1) });
    const x = tf.ones([100, 100]);
    const y = dropout.forward(x).dataSync();
    const zeros = y.filter((v) => v === 0).length / y.length;
    expect(Math.abs(zeros - 0.3)).toBeLessThan(0.02);
    expect(y.find((v) => v !== 0)).toBeCloseTo(1 / 0.7, 5);
    dropout.eval();
    expect(Array.from(dropout.forward(x).dataSync()).every((v) => v === 1)).toBe(true);
    tf.dispose(x);
  });

  it('Flatten keeps the batch axis', () => {
    expect(new Flatten().forward(tf.zeros([2, 3, 4, 5])).shape).toEqual([2, 60]);
  });

  it('state dicts round-trip exactly into a freshly initialised model', () => {
    const a = new MLP({ sizes: [6, 5, 3], batchNorm: true });
    const b = new MLP({ sizes: [6, 5, 3], batchNorm: true });
    b.loadStateDict(a.stateDict());
    for (const [key, value] of Object.entries(a.stateDict())) {
      expect(Array.from(b.stateDict()[key].dataSync()), key).toEqual(Array.from(value.dataSync()));
    }
    expect(a.toString()).toContain('(0): Linear(inFeatures=6, outFeatures=5, bias=true)');
    a.dispose();
    b.dispose();
  });

  it('a training step with an optimizer leaks no tensors', () => {
    const model = new MLP({ sizes: [8, 16, 4], batchNorm: true, dropout: 0.1 });
    const optimizer = new Adam(model.parameters(), { lr: 1e-2 });
    const x = tf.randomNormal([32, 8]);
    const y = tf.tensor1d(
      Array.from({ length: 32 }, (_, i) => i % 4),
      'int32',
    );
    const step = () => {
      const { value, grads } = valueAndGrads(
        () => crossEntropy(model.forward(x), y) as tf.Scalar,
        model.parameters(),
      );
      optimizer.step(grads);
      const loss = value.dataSync()[0];
      tf.dispose([value, ...grads.values()]);
      return loss;
    };
    const first = step();
    const before = tf.memory().numTensors;
    let last = first;
    for (let i = 0; i < 30; i++) last = step();
    expect(tf.memory().numTensors).toBe(before);
    expect(last).toBeLessThan(first);
    optimizer.dispose();
    model.dispose();
    const after = tf.memory().numTensors;
    tf.dispose([x, y]);
    expect(tf.memory().numTensors).toBe(after - 2);
  });
});

describe('DeepFCNet', () => {
  beforeAll(async () => {
    await useBackend('cpu');
  });

  it('ReZero is the identity map of its input projection at init', () => {
    seed(1);
    const net = new DeepFCNet({ inputDim: 10, width: 16, depth: 16, outputDim: 10, init: 'rezero' });
    const x = tf.randomNormal([4, 10]);
    const projected = net.input.forward(x);
    const features = net.features(x);
    expect(tf.max(tf.abs(tf.sub(projected, features))).dataSync()[0]).toBe(0);
    tf.dispose([x, projected, features]);
    net.dispose();
  });

  it('Fixup branches output zero at init (and so does the zero-initialised head)', () => {
    seed(2);
    const net = new DeepFCNet({ inputDim: 10, width: 16, depth: 16, outputDim: 3, init: 'fixup' });
    const x = tf.randomNormal([4, 16]);
    for (const block of net.blocks) {
      const branch = (block as unknown as { branch(t: tf.Tensor): tf.Tensor }).branch(x);
      expect(tf.max(tf.abs(branch)).dataSync()[0]).toBe(0);
      branch.dispose();
    }
    const y = net.forward(tf.randomNormal([4, 10]));
    expect(tf.max(tf.abs(y)).dataSync()[0]).toBe(0);
    tf.dispose([x, y]);
    net.dispose();
  });

  for (const init of ['standard', 'rezero', 'fixup'] as const) {
    it(`trains at depth 16 with ${init} init (the loss falls)`, () => {
      seed(3);
      const net = new DeepFCNet({
        inputDim: 8,
        width: 32,
        depth: 16,
        outputDim: 8,
        init,
        norm: init === 'standard' ? 'layer' : 'none',
      });
      const x = tf.randomNormal([64, 8], 0, 1, 'float32', 5);
      const target = tf.tidy(() => tf.tanh(tf.matMul(x, tf.randomNormal([8, 8], 0, 1, 'float32', 6))));
      const optimizer = new Adam(net.parameters(), { lr: 3e-3 });
      const losses: number[] = [];
      for (let i = 0; i < 40; i++) {
        const { value, grads } = valueAndGrads(
          () => mseLoss(net.forward(x), target) as tf.Scalar,
          net.parameters(),
        );
        optimizer.step(grads);
        losses.push(value.dataSync()[0]);
        tf.dispose([value, ...grads.values()]);
      }
      expect(losses[losses.length - 1]).toBeLessThan(losses[0] * 0.7);
      optimizer.dispose();
      net.dispose();
      tf.dispose([x, target]);
      // 40 steps of a 32-layer net on the pure-JS cpu backend: about 20 s alone, much more on a busy machine.
    }, 180_000);
  }

  it('rejects unknown schemes by name', () => {
    expect(
      () => new DeepFCNet({ inputDim: 2, width: 2, depth: 2, outputDim: 2, init: 'lsuv' as 'fixup' }),
    ).toThrow("DeepFCNet: option 'init' must be one of 'standard', 'rezero', 'fixup', got \"lsuv\"");
  });
});

describe('Sequential', () => {
  it('names its children 0, 1, … like PyTorch', () => {
    const model = new Sequential(new Linear(2, 3), new Linear(3, 1));
    expect(model.namedParameters().map(([n]) => n)).toEqual(['0.weight', '0.bias', '1.weight', '1.bias']);
    model.dispose();
  });
});
