import { NntkError, seed, useBackend, valueAndGrads } from '@nntk/core';
import { AdamW } from '@nntk/optim';
import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { LayerNorm } from './layer-norm';
import { TransformerEncoder } from './transformer-encoder';
import { TransformerEncoderLayer } from './transformer-encoder-layer';

describe('TransformerEncoder', () => {
  it("copies the layer numLayers times with PyTorch's keys; dispose frees every copy", async () => {
    await useBackend('cpu');
    const before = tf.memory().numTensors;
    const encoder = new TransformerEncoder(new TransformerEncoderLayer(4, 2, { dimFeedforward: 8 }), 3, {
      norm: new LayerNorm(4),
    });
    const keys = Object.keys(encoder.stateDict());
    expect(keys).toContain('layers.2.selfAttn.inProjWeight');
    expect(keys).toContain('norm.weight');
    expect(keys).toHaveLength(3 * 12 + 2);
    const [first, third] = [encoder.layers[0], encoder.layers[2]];
    expect(Array.from(third.linear2.weight.dataSync())).toEqual(Array.from(first.linear2.weight.dataSync()));
    encoder.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });

  it('N steps, save, load, M more equals N + M straight (model and AdamW state)', async () => {
    await useBackend('wasm');
    const make = () => {
      seed(5);
      const layer = new TransformerEncoderLayer(8, 2, { dimFeedforward: 16, dropout: 0, batchFirst: true });
      const model = new TransformerEncoder(layer, 2, { norm: new LayerNorm(8) });
      return { model, optimizer: new AdamW(model.parameters(), { lr: 1e-2 }) };
    };
    const x = tf.randomNormal([2, 5, 8], 0, 1, 'float32', 11);
    const mask = tf.tensor2d(
      [
        [0, 0, 0, 0, 0],
        [0, 0, 0, 1, 1],
      ],
      [2, 5],
      'bool',
    );
    const step = ({ model, optimizer }: ReturnType<typeof make>) => {
      const { value, grads } = valueAndGrads(
        () => tf.mean(tf.square(model.forward(x, { srcKeyPaddingMask: mask }))) as tf.Scalar,
        model.parameters(),
      );
      optimizer.step(grads);
      tf.dispose([value, ...grads.values()]);
    };
    const straight = make();
    for (let i = 0; i < 2; i++) step(straight);
    const saved = tf.tidy(() =>
      Object.fromEntries(Object.entries(straight.model.stateDict()).map(([k, v]) => [k, v.clone()])),
    );
    const savedOptimizer = straight.optimizer.stateDict();
    for (let i = 0; i < 3; i++) step(straight);
    const resumed = make();
    resumed.model.loadStateDict(saved);
    resumed.optimizer.loadStateDict(savedOptimizer);
    for (let i = 0; i < 3; i++) step(resumed);
    const expected = straight.model.stateDict();
    for (const [name, value] of Object.entries(resumed.model.stateDict())) {
      expect(Array.from(value.dataSync()), name).toEqual(Array.from(expected[name].dataSync()));
    }
    tf.dispose([x, mask, ...Object.values(saved)]);
    for (const s of Object.values(savedOptimizer.state)) {
      tf.dispose(Object.values(s).filter((v): v is tf.Tensor => typeof v !== 'number'));
    }
    for (const run of [straight, resumed]) {
      run.model.dispose();
      run.optimizer.dispose();
    }
  });

  it('rejects a bad layer, numLayers or option', () => {
    const layer = new TransformerEncoderLayer(4, 2, { dimFeedforward: 8 });
    expect(() => new TransformerEncoder(layer, 0)).toThrow(NntkError);
    const misspelt = { norm: undefined, nrom: new LayerNorm(4) };
    expect(() => new TransformerEncoder(layer, 2, misspelt)).toThrow("Did you mean 'norm'?");
    layer.dispose();
    misspelt.nrom.dispose();
  });
});
