import { useBackend, valueAndGrads } from '@nntk/core';
import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import attentionFixtures from '../../../fixtures/layers/attention.json';
import { Embedding } from './embedding';
import { decode, type Encoded, excess, readback } from './test-helpers';

interface EmbeddingCase {
  args: [number, number];
  options: Record<string, number>;
  state: { weight: Encoded };
  ids: Encoded;
  upstream: Encoded;
  output: Encoded;
  weightGrad: Encoded;
  weightAfter: Encoded;
}

const fixtureCases: unknown = attentionFixtures.embedding;
const cases = fixtureCases as EmbeddingCase[];

/**
 * Embedding against PyTorch 1.13 (fixtures/gen_layers_attention.py): output, weight gradient (padding row
 * kept at zero) and the weight after forward (maxNorm renormalises in place), no tensor left behind.
 */
export function runEmbeddingParity(backend: 'cpu' | 'wasm' | 'webgpu'): void {
  describe(`Embedding matches PyTorch 1.13 on ${backend} (fixtures/gen_layers_attention.py)`, () => {
    for (const c of cases) {
      it(`Embedding(${c.args}, ${JSON.stringify(c.options)}) on ids [${c.ids.shape}]`, async () => {
        await useBackend(backend);
        const before = tf.memory().numTensors;
        const layer = new Embedding(c.args[0], c.args[1], c.options);
        const weight = decode(c.state.weight);
        layer.loadStateDict({ weight });
        weight.dispose();
        const ids = decode(c.ids);
        const upstream = decode(c.upstream);
        let output: tf.Tensor | undefined;
        const { value, grads } = valueAndGrads(() => {
          output = tf.keep(layer.forward(ids));
          return tf.sum(tf.mul(output, upstream));
        }, layer.parameters());
        expect(excess(await readback(output!), c.output), 'output').toBe(0);
        expect(excess(await readback(grads.get(layer.weight)!), c.weightGrad), 'weight gradient').toBe(0);
        expect(
          excess(await readback(layer.weight), c.weightAfter),
          'weight after forward (maxNorm renormalises in place)',
        ).toBe(0);
        tf.dispose([value, output!, ...grads.values(), ids, upstream]);
        layer.dispose();
        expect(tf.memory().numTensors, 'tensors leaked').toBe(before);
      });
    }
  });
}
