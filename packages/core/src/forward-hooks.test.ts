import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { Module, NntkError, Parameter, useBackend } from './index';

class Scale extends Module {
  weight = tf.tidy(() => new Parameter(tf.scalar(2), { name: 'weight' }));
  forward(x: tf.Tensor): tf.Tensor {
    return tf.mul(x, this.weight);
  }
}

class Chain extends Module {
  layers = [new Scale(), new Scale()];
  forward(x: tf.Tensor): tf.Tensor {
    return this.layers.reduce((h, l) => l.forward(h) as tf.Tensor, x);
  }
}

async function values(t: unknown): Promise<number[]> {
  return Array.from(await (t as tf.Tensor).data());
}

describe('Module.registerForwardHook', () => {
  beforeAll(async () => {
    await useBackend('cpu');
  });

  it('calls hooks after forward with the module, inputs and output, in registration order', async () => {
    const m = new Scale();
    const calls: string[] = [];
    const seen: number[][] = [];
    m.registerForwardHook((mod, inputs, output) => {
      expect(mod).toBe(m);
      calls.push('first');
      seen.push(
        Array.from((inputs[0] as tf.Tensor).dataSync()),
        Array.from((output as tf.Tensor).dataSync()),
      );
    });
    m.registerForwardHook(() => {
      calls.push('second');
    });
    const y = m.forward(tf.tensor([1, 3]));
    expect(await values(y)).toEqual([2, 6]);
    expect(calls).toEqual(['first', 'second']);
    expect(seen).toEqual([
      [1, 3],
      [2, 6],
    ]);
    m.dispose();
  });

  it('lets a hook replace the output, and later hooks see the replacement', async () => {
    const m = new Scale();
    let seenByLater: tf.Tensor | undefined;
    m.registerForwardHook((_m, _i, out) => tf.neg(out as tf.Tensor));
    m.registerForwardHook((_m, _i, out) => {
      seenByLater = out as tf.Tensor;
    });
    const y = m.forward(tf.tensor([1]));
    expect(await values(y)).toEqual([-2]);
    expect(seenByLater).toBe(y);
    m.dispose();
  });

  it('remove() unregisters the hook; removing twice is harmless', async () => {
    const m = new Scale();
    let count = 0;
    const handle = m.registerForwardHook(() => {
      count += 1;
    });
    m.forward(tf.tensor([1]));
    handle.remove();
    handle.remove();
    m.forward(tf.tensor([1]));
    expect(count).toBe(1);
    m.dispose();
  });

  it('runs hooks of children called by their container, and stays out of the module tree', async () => {
    const net = new Chain();
    const order: string[] = [];
    net.layers[0].registerForwardHook(() => void order.push('layers.0'));
    net.layers[1].registerForwardHook(() => void order.push('layers.1'));
    net.registerForwardHook(() => void order.push('net'));
    expect(await values(net.forward(tf.tensor([1])))).toEqual([4]);
    expect(order).toEqual(['layers.0', 'layers.1', 'net']);
    expect(Object.keys(net.stateDict())).toEqual(['layers.0.weight', 'layers.1.weight']);
    expect(net.namedChildren().map(([n]) => n)).toEqual(['layers.0', 'layers.1']);
    expect(Object.keys(net.layers[0])).not.toContain('forward');
    net.dispose();
  });

  it('pre-hooks see and may replace the inputs (an array, or a single value)', async () => {
    const m = new Scale();
    m.registerForwardPreHook((_m, inputs) => [tf.add(inputs[0] as tf.Tensor, 1)]);
    const h = m.registerForwardPreHook((_m, inputs) => tf.mul(inputs[0] as tf.Tensor, 10));
    expect(await values(m.forward(tf.tensor([1])))).toEqual([40]);
    h.remove();
    expect(await values(m.forward(tf.tensor([1])))).toEqual([4]);
    m.dispose();
  });

  it('hooks run inside the caller tidy and leak nothing', () => {
    const m = new Scale();
    m.registerForwardHook((_m, _i, out) => void tf.sum(out as tf.Tensor));
    const before = tf.memory().numTensors;
    for (let i = 0; i < 3; i++)
      tf.tidy(() => {
        m.forward(tf.ones([4]));
      });
    expect(tf.memory().numTensors).toBe(before);
    m.dispose();
  });

  it('rejects a hook that is not a function with a typed error', () => {
    const m = new Scale();
    const bad: unknown = 'hook';
    expect(() => m.registerForwardHook(bad as () => void)).toThrow(NntkError);
    expect(() => m.registerForwardHook(bad as () => void)).toThrow(/must be a function, got string/);
    m.dispose();
  });
});
