import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { Module, NntkError, Parameter, useBackend } from './index';
import { expectNoLeak } from './test-utils';

class Affine extends Module {
  weight: Parameter;
  bias: Parameter;
  constructor(inputs: number, outputs: number) {
    super();
    // Parameters share the initial tensor's data; tidy frees the temporary tensor itself.
    this.weight = tf.tidy(() => new Parameter(tf.ones([inputs, outputs]), { name: 'weight' }));
    this.bias = tf.tidy(() => new Parameter(tf.zeros([outputs]), { name: 'bias' }));
  }
  forward(x: tf.Tensor): tf.Tensor {
    return tf.add(tf.matMul(x, this.weight), this.bias);
  }
  override extraRepr(): string {
    return `${this.weight.shape[0]} -> ${this.weight.shape[1]}`;
  }
}

class Norm extends Module {
  scale = tf.tidy(() => new Parameter(tf.ones([2]), { name: 'scale' }));
  runningMean = tf.tidy(() => tf.variable(tf.zeros([2]), false));
  _cache = tf.tidy(() => tf.variable(tf.zeros([1]), false));
  forward(x: tf.Tensor): tf.Tensor {
    return tf.mul(x, this.scale);
  }
}

class Net extends Module {
  layers: Module[];
  norm = new Norm();
  constructor() {
    super();
    this.layers = [new Affine(3, 2), new Affine(2, 2)];
  }
  forward(x: tf.Tensor): tf.Tensor {
    return this.norm.forward(this.layers.reduce((h, l) => l.forward(h) as tf.Tensor, x));
  }
  override dispose(): void {
    super.dispose();
    this.norm._cache.dispose();
  }
}

describe('Module', () => {
  beforeAll(async () => {
    await useBackend('cpu');
  });

  it('finds parameters, buffers and children by field, with dotted names', () => {
    const net = new Net();
    expect(net.namedParameters().map(([n]) => n)).toEqual([
      'layers.0.weight',
      'layers.0.bias',
      'layers.1.weight',
      'layers.1.bias',
      'norm.scale',
    ]);
    expect(net.namedBuffers().map(([n]) => n)).toEqual(['norm.runningMean']);
    expect(net.namedChildren().map(([n]) => n)).toEqual(['layers.0', 'layers.1', 'norm']);
    expect(net.numParameters()).toBe(3 * 2 + 2 + 2 * 2 + 2 + 2);
    net.dispose();
  });

  it('counts a shared parameter once', () => {
    const a = new Affine(2, 2);
    const net = new (class extends Module {
      first = a;
      second = a;
      forward() {
        return null;
      }
    })();
    expect(net.parameters()).toHaveLength(2);
    a.dispose();
  });

  it('switches train and eval modes recursively', () => {
    const net = new Net();
    net.eval();
    expect(net.modules().every((m) => !m.training)).toBe(true);
    net.train();
    expect(net.modules().every((m) => m.training)).toBe(true);
    net.dispose();
  });

  it('applies a function to children first, then to itself', () => {
    const net = new Net();
    const order: string[] = [];
    net.apply((m) => order.push(m.constructor.name));
    expect(order).toEqual(['Affine', 'Affine', 'Norm', 'Net']);
    net.dispose();
  });

  it('round-trips its state dict exactly into a fresh module', async () => {
    const a = new Net();
    const b = new Net();
    a.layers[0].parameters()[0].assign(
      tf.tensor2d([
        [1.5, -2],
        [3, 4.25],
        [0.125, 7],
      ]),
    );
    a.norm.runningMean.assign(tf.tensor1d([0.3, -0.7]));
    b.loadStateDict(a.stateDict());
    const sa = a.stateDict();
    const sb = b.stateDict();
    for (const key of Object.keys(sa)) {
      expect(Array.from(await sb[key].data())).toEqual(Array.from(await sa[key].data()));
    }
    a.dispose();
    b.dispose();
  });

  it('strict loading names missing, unexpected and mismatched keys and writes nothing', () => {
    const net = new Net();
    const bad = {
      ...net.stateDict(),
      'layers.0.weight': tf.zeros([4, 2]),
      extra: tf.zeros([1]),
    } as Record<string, tf.Tensor>;
    delete bad['norm.scale'];
    let error: NntkError | undefined;
    try {
      net.loadStateDict(bad);
    } catch (e) {
      error = e as NntkError;
    }
    expect(error).toBeInstanceOf(NntkError);
    expect(error?.code).toBe('STATE_DICT_MISMATCH');
    expect(error?.message).toContain('layers.0.weight: expected shape [3,2], got [4,2]');
    expect(error?.message).toContain('missing keys: norm.scale');
    expect(error?.message).toContain('unexpected keys: extra');
    expect(net.layers[1].parameters()[0].dataSync()[0]).toBe(1);
    bad['layers.0.weight'].dispose();
    bad.extra.dispose();
    net.dispose();
  });

  it('non-strict loading reports missing and unexpected keys', () => {
    const net = new Net();
    const extra = tf.zeros([1]);
    const result = net.loadStateDict({ 'norm.scale': tf.tensor1d([2, 3]), extra }, { strict: false });
    expect(result.unexpectedKeys).toEqual(['extra']);
    expect(result.missingKeys).toContain('layers.0.weight');
    expect(Array.from(net.norm.scale.dataSync())).toEqual([2, 3]);
    extra.dispose();
    net.dispose();
  });

  it('prints a readable tree with parameter counts', () => {
    const net = new Net();
    const text = net.toString();
    expect(text).toContain('Net(');
    expect(text).toContain('  (layers.0): Affine(3 -> 2)');
    expect(text).toContain('  (norm): Norm()');
    expect(text).toContain('Parameters: 16 (trainable: 16, non-trainable: 0)');
    net.dispose();
  });

  it('frees every tensor it owns on dispose', async () => {
    await expectNoLeak(() => {
      const net = new Net();
      const out = tf.tidy(() => net.forward(tf.ones([4, 3])));
      out.dispose();
      net.dispose();
    });
  });

  it('Parameter is a registered tf.Variable with a unique name', () => {
    const p = new Parameter(tf.ones([2]), { name: 'w' });
    const q = new Parameter(tf.ones([2]), { name: 'w' });
    expect(p).toBeInstanceOf(tf.Variable);
    expect(p.name).not.toBe(q.name);
    expect(p.label).toBe('w');
    expect(p.trainable).toBe(true);
    const copy = p.clone();
    expect(Array.from(copy.dataSync())).toEqual([1, 1]);
    copy.dispose();
    const { grads } = tf.variableGrads(() => tf.sum(tf.mul(p, q)), [p]);
    expect(Array.from(grads[p.name].dataSync())).toEqual([1, 1]);
    grads[p.name].dispose();
    p.dispose();
    q.dispose();
  });
});
