// The layer compositions nntk fuses on wasm (Linear + ReLU and Conv2d + ReLU in Sequential and DeepFCNet,
// crossEntropy) against PyTorch 1.13 (fixtures/gen_fused.py): loss, input gradient and every parameter
// gradient within 1e-5, on cpu (separate ops) and wasm (the fused ops, checked to run), no leaked tensors.
import { type Module, useBackend, valueAndGrads } from '@nntk/core';
import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import fixtures from '../../../fixtures/layers/fused.json';
import { Conv2d, crossEntropy, DeepFCNet, MLP, mseLoss, ReLU, Sequential } from './index';
import { decode, type Encoded, excess, readback } from './test-helpers';

type FusedCase = (typeof fixtures.cases)[number] & {
  labels?: number[];
  upstream?: Encoded;
  target?: Encoded;
};

const models: Record<string, () => Module> = {
  mlp: () => new MLP({ sizes: [6, 8, 5, 4] }),
  cnn: () =>
    new Sequential(
      new Conv2d(3, 4, 3, { padding: 1 }),
      new ReLU(),
      new Conv2d(4, 6, 3, { stride: 2 }),
      new ReLU(),
    ),
  deepfcnet: () => new DeepFCNet({ inputDim: 5, width: 6, depth: 3, outputDim: 4, init: 'rezero' }),
};

function loss(c: FusedCase, out: tf.Tensor): tf.Scalar {
  if (c.labels) return crossEntropy(out, tf.tensor1d(c.labels, 'int32')) as tf.Scalar;
  if (c.upstream) return tf.sum(tf.mul(out, decode(c.upstream)));
  return mseLoss(out, decode(c.target as Encoded)) as tf.Scalar;
}

describe('fused layer compositions match PyTorch', () => {
  for (const backend of ['cpu', 'wasm'] as const) {
    for (const c of fixtures.cases as FusedCase[]) {
      it(`${c.model} on ${backend}`, async () => {
        await useBackend(backend);
        const model = models[c.model]();
        const state = Object.fromEntries(Object.entries(c.state).map(([k, v]) => [k, decode(v as Encoded)]));
        model.loadStateDict(state);
        tf.dispose(Object.values(state));
        const before = tf.memory().numTensors;
        const x = tf.tidy(() => tf.variable(decode(c.input)));
        const params = model.parameters();
        const profile = await tf.profile(() => {
          const { value, grads } = valueAndGrads(
            () => loss(c, model.forward(x) as tf.Tensor),
            [x, ...params],
          );
          return [value, ...[x, ...params].map((p) => grads.get(p) as tf.Tensor)];
        });
        const [value, inputGrad, ...paramGrads] = profile.result as tf.Tensor[];
        expect(Math.abs((await value.data())[0] - c.loss)).toBeLessThanOrEqual(1e-5 * (1 + Math.abs(c.loss)));
        expect(excess(await readback(inputGrad), c.inputGrad), 'input gradient').toBe(0);
        for (const [k, [name]] of model.namedParameters().entries()) {
          const expected = new Map(Object.entries(c.paramGrads)).get(name) as Encoded;
          expect(excess(await readback(paramGrads[k]), expected), `gradient of ${name}`).toBe(0);
        }
        const kernels = new Set(profile.kernels.map((k) => k.name));
        expect(kernels.has('NntkReluBiasGrad'), 'the fused ReLU + bias gradient ran').toBe(
          backend === 'wasm',
        );
        if (c.labels) expect(kernels.has('NntkSoftmaxCrossEntropy')).toBe(backend === 'wasm');
        tf.dispose([...(profile.result as tf.Tensor[]), x]);
        expect(tf.memory().numTensors).toBe(before);
        model.dispose();
      });
    }
  }
});
