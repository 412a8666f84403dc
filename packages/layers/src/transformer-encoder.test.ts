import { NntkError, useBackend } from '@nntk/core';
import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { attentionCases, checkAttentionCase, describeCase } from './attention-parity.test-suite';
import { LayerNorm } from './layer-norm';
import { TransformerEncoder } from './transformer-encoder';
import { TransformerEncoderLayer } from './transformer-encoder-layer';

describe('TransformerEncoder matches PyTorch 1.13 (fixtures/gen_layers_attention.py)', () => {
  for (const backend of ['cpu', 'wasm'] as const) {
    for (const c of attentionCases.filter((c) => c.layer === 'TransformerEncoder')) {
      it(`${describeCase(c)} on ${backend}`, () => checkAttentionCase(c, backend, 1e-5, 1e-5));
    }
  }
});

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

  it('rejects a bad layer, numLayers or option', () => {
    const layer = new TransformerEncoderLayer(4, 2, { dimFeedforward: 8 });
    expect(() => new TransformerEncoder(layer, 0)).toThrow(NntkError);
    const misspelt = { norm: undefined, nrom: new LayerNorm(4) };
    expect(() => new TransformerEncoder(layer, 2, misspelt)).toThrow("did you mean 'norm'?");
    layer.dispose();
    misspelt.nrom.dispose();
  });
});
