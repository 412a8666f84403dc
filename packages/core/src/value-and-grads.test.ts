import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { disposeGradients, NntkError, Parameter, useBackend, valueAndGrads } from './index';
import { expectNoLeak } from './test-utils';

describe('valueAndGrads', () => {
  beforeAll(async () => {
    await useBackend('cpu');
  });

  it('returns the loss and gradients keyed by Parameter and by plain tf.Variable', async () => {
    const w = new Parameter(tf.tensor1d([1, 2]));
    const b = tf.variable(tf.scalar(0.5));
    // loss = sum((w * 3 + b)^2): d/dw = 2 (3w + b) 3, d/db = sum(2 (3w + b))
    const { value, grads } = valueAndGrads(() => tf.sum(tf.square(tf.add(tf.mul(w, 3), b))), [w, b]);
    expect(await value.data()).toEqual(new Float32Array([3.5 ** 2 + 6.5 ** 2]));
    expect(Array.from(await grads.get(w)!.data())).toEqual([21, 39]);
    expect(Array.from(await grads.get(b)!.data())).toEqual([20]);
    value.dispose();
    disposeGradients(grads);
    w.dispose();
    b.dispose();
  });

  it('skips variables the loss does not use and non-trainable ones', () => {
    const used = tf.variable(tf.scalar(2));
    const unused = tf.variable(tf.scalar(3));
    const frozen = new Parameter(tf.scalar(4), { trainable: false });
    const { value, grads } = valueAndGrads(() => tf.mul(used, frozen) as tf.Scalar, [used, unused, frozen]);
    expect([...grads.keys()]).toEqual([used]);
    value.dispose();
    disposeGradients(grads);
    for (const v of [used, unused, frozen]) v.dispose();
  });

  it('raises clear errors for a disconnected loss and a non-scalar loss', () => {
    const v = tf.variable(tf.ones([2]));
    expect(() => valueAndGrads(() => tf.scalar(1), [v])).toThrow(NntkError);
    expect(() => valueAndGrads(() => tf.scalar(1), [v])).toThrow(
      /does not depend on any of the given variables/,
    );
    expect(() => valueAndGrads(() => tf.mul(v, 2) as unknown as tf.Scalar, [v])).toThrow(
      /must return a scalar/,
    );
    expect(() => valueAndGrads(() => tf.scalar(1), [])).toThrow(/no trainable variables/);
    v.dispose();
  });

  it('leaks no tensors across repeated steps', async () => {
    const w = new Parameter(tf.randomNormal([8, 4]));
    const x = tf.randomNormal([16, 8]);
    await expectNoLeak(() => {
      for (let i = 0; i < 5; i++) {
        const { value, grads } = valueAndGrads(() => tf.mean(tf.square(tf.matMul(x, w))), [w]);
        tf.tidy(() => w.assign(tf.sub(w, tf.mul(grads.get(w)!, 0.1))));
        value.dispose();
        disposeGradients(grads);
      }
    });
    w.dispose();
    x.dispose();
  });
});
