import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { joinStateTensors, splitStateTensors, useBackend } from './index';

describe('splitStateTensors / joinStateTensors', () => {
  beforeAll(async () => {
    await useBackend('cpu');
  });

  it('round-trips a nested state with tensors through JSON', () => {
    const a = tf.ones([2]);
    const b = tf.zeros([1, 3]);
    const state = { state: { 0: { step: 3, expAvg: a } }, groups: [{ lr: 0.1, buffers: [b] }] };
    const { json, tensors } = splitStateTensors(state);
    expect(Object.keys(tensors).sort()).toEqual(['groups.0.buffers.0', 'state.0.expAvg']);
    const restored = joinStateTensors<typeof state>(JSON.parse(JSON.stringify(json)), tensors);
    expect(restored.state[0].expAvg).toBe(a);
    expect(restored.groups[0].buffers[0]).toBe(b);
    expect(restored.groups[0].lr).toBe(0.1);
    tf.dispose([a, b]);
  });

  it('names a missing tensor', () => {
    expect(() => joinStateTensors({ x: { $tensor: 'gone' } }, {})).toThrow(/'gone'/);
  });
});
