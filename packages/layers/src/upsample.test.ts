import { NntkError, useBackend } from '@nntk/core';
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { Upsample } from './upsample';

beforeAll(async () => {
  await useBackend('cpu');
});

describe('Upsample', () => {
  it("nearest follows PyTorch's index rule src = ⌊dst · in/out⌋ (3 → 5: 0 0 1 1 2)", () => {
    const x = tf.tensor4d([10, 20, 30], [1, 1, 3, 1]);
    const y = new Upsample({ size: [1, 5] }).forward(x);
    expect(Array.from(y.dataSync())).toEqual([10, 10, 20, 20, 30]);
    tf.dispose([x, y]);
  });

  it('bilinear with and without alignCorners, as interpolate', () => {
    const x = tf.tensor4d([0, 4], [1, 1, 2, 1]);
    const aligned = new Upsample({ size: [1, 3], mode: 'bilinear', alignCorners: true }).forward(x);
    expect(Array.from(aligned.dataSync())).toEqual([0, 2, 4]);
    // alignCorners false, scale 2: src = (dst + ½)/2 − ½ clamped at 0 → 0, 0.25, 0.75, 1.25 (clamped to 1).
    const halfPixel = new Upsample({ scaleFactor: [1, 2], mode: 'bilinear' }).forward(x);
    expect(Array.from(halfPixel.dataSync())).toEqual([0, 1, 3, 4]);
    tf.dispose([x, aligned, halfPixel]);
  });

  it('rejects both or neither of size and scaleFactor, alignCorners with nearest, and typos', () => {
    expect(() => new Upsample({})).toThrow(/exactly one of 'size' and 'scaleFactor'/);
    expect(() => new Upsample({ size: 4, scaleFactor: 2 })).toThrow(NntkError);
    expect(() => new Upsample({ scaleFactor: 2, alignCorners: true })).toThrow(/'bilinear' only/);
    expect(() => new Upsample(JSON.parse('{"scaleFactor": 2, "mode": "bicubic"}'))).toThrow(/'mode'/);
    expect(() => new Upsample(JSON.parse('{"scale_factor": 2}'))).toThrow(/Did you mean 'scaleFactor'\?/);
  });

  it('leaves no tensor behind, forward and gradient', () => {
    const up = new Upsample({ scaleFactor: 1.5, mode: 'bilinear' });
    const x = tf.ones([2, 4, 5, 3]);
    const before = tf.memory().numTensors;
    const grad = tf.grad((v: tf.Tensor) => tf.sum(up.forward(v)))(x);
    expect(tf.memory().numTensors).toBe(before + 1);
    tf.dispose([x, grad]);
  });
});
