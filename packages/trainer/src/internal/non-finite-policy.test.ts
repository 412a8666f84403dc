import { Linear } from '@nntk/layers';
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { useCpu } from '../test-support/tiny-run';
import { NonFinitePolicy } from './non-finite-policy';

beforeAll(async () => {
  await useCpu();
});

const finite = () => [tf.scalar(1), tf.ones([2])] as const;
const nan = () => [tf.scalar(Number.NaN), tf.ones([2])] as const;

describe('NonFinitePolicy', () => {
  it("'skip' refuses the step whose loss or gradient is non-finite", async () => {
    const policy = new NonFinitePolicy('skip', undefined);
    const [l1, g1] = finite();
    const [l2, g2] = nan();
    expect(await policy.admit(l1, [g1])).toBe(true);
    expect(await policy.admit(l2, [g2])).toBe(false);
    tf.dispose([l1, g1, l2, g2]);
  });

  it("'stop' admits every step and reports the folded flag at the periodic check", async () => {
    const before = tf.memory().numTensors;
    const policy = new NonFinitePolicy('stop', 2);
    const [l1, g1] = finite();
    expect(await policy.admit(l1, [g1])).toBe(true);
    expect(await policy.periodicCheck(1)).toBe(true); // not due yet: nothing read
    const [l2, g2] = nan();
    expect(await policy.admit(l2, [g2])).toBe(true);
    expect(await policy.periodicCheck(2)).toBe(false);
    tf.dispose([l1, g1, l2, g2]);
    policy.dispose();
    expect(tf.memory().numTensors).toBe(before);
    expect(policy.stopsOnLoss(Number.POSITIVE_INFINITY)).toBe(true);
    expect(policy.stopsOnLoss(1)).toBe(false);
    expect(policy.stopsOnLoss(undefined)).toBe(false);
  });

  it("'ignore' trains on, yet nothing non-finite is persistable in any mode", async () => {
    const policy = new NonFinitePolicy('ignore', 1);
    expect(policy.stopsOnLoss(Number.NaN)).toBe(false);
    const model = new Linear(2, 1);
    expect(await policy.persistable(model, 0)).toBeUndefined();
    const weight = model.parameters()[0];
    weight.assign(tf.fill(weight.shape, Number.NaN));
    expect(await policy.persistable(model, 0)).toBe('a non-finite parameter');
    const stop = new NonFinitePolicy('stop', 100);
    const [l, g] = nan();
    await stop.admit(l, [g]);
    tf.dispose([l, g]);
    expect(await stop.persistable(new Linear(2, 1), 5)).toBe('a non-finite gradient');
    model.dispose();
  });

  it('rejects unknown modes and check intervals with typed errors', () => {
    expect(() => new NonFinitePolicy('halt' as 'stop', 1)).toThrow(/nonFinite/);
    expect(() => new NonFinitePolicy('stop', 0)).toThrow(/nonFiniteCheckEvery/);
  });
});
