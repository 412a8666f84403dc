import { NntkError, seed, useBackend } from '@nntk/core';
import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { TransformerEncoderLayer } from './transformer-encoder-layer';

describe('TransformerEncoderLayer', () => {
  it("has PyTorch's parameter names and defaults (dimFeedforward 2048, dropout 0.1, relu, post-norm)", async () => {
    await useBackend('cpu');
    const layer = new TransformerEncoderLayer(8, 2);
    expect(Object.keys(layer.stateDict()).sort()).toEqual([
      'linear1.bias',
      'linear1.weight',
      'linear2.bias',
      'linear2.weight',
      'norm1.bias',
      'norm1.weight',
      'norm2.bias',
      'norm2.weight',
      'selfAttn.inProjBias',
      'selfAttn.inProjWeight',
      'selfAttn.outProj.bias',
      'selfAttn.outProj.weight',
    ]);
    expect(layer.linear1.weight.shape).toEqual([8, 2048]);
    expect([layer.dropout, layer.activation, layer.normFirst, layer.batchFirst]).toEqual([
      0.1,
      'relu',
      false,
      false,
    ]);
    layer.dispose();
  });

  it('dropout is seeded in training and the identity in eval; no tensor growth across training steps', async () => {
    await useBackend('cpu');
    const layer = new TransformerEncoderLayer(8, 2, { dimFeedforward: 16, dropout: 0.5, batchFirst: true });
    const x = tf.randomNormal([2, 5, 8], 0, 1, 'float32', 3);
    const run = () => {
      seed(7);
      return layer.forward(x);
    };
    const [a, b] = [run(), run()];
    expect(Array.from(a.dataSync())).toEqual(Array.from(b.dataSync()));
    layer.eval();
    const [c, d] = [layer.forward(x), layer.forward(x)];
    expect(Array.from(c.dataSync())).toEqual(Array.from(d.dataSync()));
    expect(Array.from(c.dataSync())).not.toEqual(Array.from(a.dataSync()));
    tf.dispose([a, b, c, d]);
    layer.train();
    const before = tf.memory().numTensors;
    for (let step = 0; step < 3; step++) {
      const grads = tf.variableGrads(() => tf.sum(layer.forward(x)) as tf.Scalar, layer.parameters());
      tf.dispose([grads.value, ...Object.values(grads.grads)]);
      expect(tf.memory().numTensors, `tensors after step ${step}`).toBe(before);
    }
    const params = layer.parameters().length;
    layer.dispose();
    expect(tf.memory().numTensors).toBe(before - params);
    x.dispose();
  });

  it('clone() copies options and values into independent parameters', async () => {
    await useBackend('cpu');
    const layer = new TransformerEncoderLayer(4, 2, {
      dimFeedforward: 6,
      activation: 'gelu',
      normFirst: true,
    });
    const copy = layer.clone();
    expect([copy.activation, copy.normFirst, copy.dimFeedforward]).toEqual(['gelu', true, 6]);
    expect(Array.from(copy.linear1.weight.dataSync())).toEqual(Array.from(layer.linear1.weight.dataSync()));
    expect(copy.linear1.weight).not.toBe(layer.linear1.weight);
    layer.dispose();
    copy.dispose();
  });

  it('rejects bad options with a typed error', () => {
    expect(() => new TransformerEncoderLayer(8, 3)).toThrow(NntkError);
    expect(() => new TransformerEncoderLayer(8, 2, { activation: 'tanh' as 'relu' })).toThrow(/activation/);
    const misspelt = { dropout: 0, normFrist: true };
    expect(() => new TransformerEncoderLayer(8, 2, misspelt)).toThrow("Did you mean 'normFirst'?");
    expect(() => new TransformerEncoderLayer(8, 2, { dropout: 1 })).toThrow(/dropout/);
  });
});
