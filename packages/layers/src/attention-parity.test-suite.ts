import { type Module, useBackend, valueAndGrads } from '@nntk/core';
import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import attentionFixtures from '../../../fixtures/layers/attention.json';
import { LayerNorm } from './layer-norm';
import { MultiheadAttention } from './multihead-attention';
import { decode, type Encoded, excess, readback } from './test-helpers';
import { TransformerEncoder } from './transformer-encoder';
import { TransformerEncoderLayer } from './transformer-encoder-layer';

/** One case of fixtures/gen_layers_attention.py. */
export interface AttentionCase {
  layer: string;
  args: number[];
  options: Record<string, unknown>;
  state: Record<string, Encoded>;
  training: boolean;
  inputs: Record<string, Encoded>;
  masks: Record<string, Encoded>;
  upstream: Encoded;
  output: Encoded;
  weights?: Encoded;
  weightsUpstream?: Encoded;
  inputGrads: Record<string, Encoded>;
  paramGrads: Record<string, Encoded>;
  needWeights?: boolean;
  averageAttnWeights?: boolean;
}

// The JSON's inferred type is a union of every case's literal shape; read it as the declared case type.
const fixtureCases: unknown = attentionFixtures.cases;
export const attentionCases = fixtureCases as AttentionCase[];

export function describeCase(c: AttentionCase): string {
  return `${c.layer}(${c.args.join(', ')}, ${JSON.stringify(c.options)})${Object.keys(c.masks).length ? ` with ${Object.keys(c.masks).join(', ')}` : ''}${c.training ? '' : ' in eval mode'}`;
}

type Forward = (inputs: Record<string, tf.Tensor>, masks: Record<string, tf.Tensor>) => tf.Tensor[];

function build(c: AttentionCase): { module: Module; call: Forward } {
  const [a, b] = c.args;
  if (c.layer === 'MultiheadAttention') {
    const m = new MultiheadAttention(a, b, c.options);
    return {
      module: m,
      call: (i, masks) => {
        const [out, weights] = m.forward(i.query, i.key, i.value, {
          keyPaddingMask: masks.keyPaddingMask,
          attnMask: masks.attnMask,
          needWeights: c.needWeights ?? true,
          averageAttnWeights: c.averageAttnWeights ?? true,
        });
        return weights ? [out, weights] : [out];
      },
    };
  }
  if (c.layer === 'TransformerEncoderLayer') {
    const m = new TransformerEncoderLayer(a, b, c.options);
    return {
      module: m,
      call: (i, masks) => [
        m.forward(i.src, { srcMask: masks.mask, srcKeyPaddingMask: masks.srcKeyPaddingMask }),
      ],
    };
  }
  const { dModel, nhead, ...rest } = c.options.layer as Record<string, number>;
  const m = new TransformerEncoder(new TransformerEncoderLayer(dModel, nhead, rest), a, {
    norm: new LayerNorm(dModel),
  });
  return {
    module: m,
    call: (i, masks) => [m.forward(i.src, { mask: masks.mask, srcKeyPaddingMask: masks.srcKeyPaddingMask })],
  };
}

function decodeMask(e: Encoded): tf.Tensor {
  return e.dtype === 'bool' ? tf.tensor(e.values.map(Boolean), e.shape, 'bool') : decode(e);
}

/**
 * Runs one fixture case on `backend`: loads PyTorch's state, checks the output, the attention weights, the
 * gradients of every input and parameter within `rtol`/`atol`, and that no tensor is left behind.
 */
export async function checkAttentionCase(
  c: AttentionCase,
  backend: 'cpu' | 'wasm' | 'webgpu',
  rtol: number,
  atol: number,
): Promise<void> {
  await useBackend(backend);
  const before = tf.memory().numTensors;
  const { module, call } = build(c);
  const state = Object.fromEntries(Object.entries(c.state).map(([k, v]) => [k, decode(v)]));
  module.loadStateDict(state);
  tf.dispose(Object.values(state));
  module.train(c.training);
  const inputs = Object.fromEntries(
    Object.entries(c.inputs).map(([k, v]) => [k, tf.tidy(() => tf.variable(decode(v)))]),
  );
  const masks = Object.fromEntries(Object.entries(c.masks).map(([k, v]) => [k, decodeMask(v)]));
  const upstream = [decode(c.upstream), ...(c.weightsUpstream ? [decode(c.weightsUpstream)] : [])];
  let outputs: tf.Tensor[] = [];
  const { value, grads } = valueAndGrads(() => {
    outputs = call(inputs, masks).map((t) => tf.keep(t));
    return tf.addN(outputs.map((o, k) => tf.sum(tf.mul(o, upstream[k])))) as tf.Scalar;
  }, [...Object.values(inputs), ...module.parameters()]);
  expect(outputs.length, 'outputs (output and weights)').toBe(upstream.length);
  expect(excess(await readback(outputs[0]), c.output, rtol, atol), 'output').toBe(0);
  if (c.weights)
    expect(excess(await readback(outputs[1]), c.weights, rtol, atol), 'attention weights').toBe(0);
  for (const [name, v] of Object.entries(inputs)) {
    expect(excess(await readback(grads.get(v)!), c.inputGrads[name], rtol, atol), `gradient of ${name}`).toBe(
      0,
    );
  }
  for (const [name, p] of module.namedParameters()) {
    expect(excess(await readback(grads.get(p)!), c.paramGrads[name], rtol, atol), `gradient of ${name}`).toBe(
      0,
    );
  }
  tf.dispose([
    value,
    ...outputs,
    ...grads.values(),
    ...Object.values(inputs),
    ...Object.values(masks),
    ...upstream,
  ]);
  module.dispose();
  expect(tf.memory().numTensors, 'tensors leaked').toBe(before);
}

/** Every attention fixture case (MultiheadAttention, TransformerEncoderLayer, TransformerEncoder) on `backend`. */
export function runAttentionParity(backend: 'cpu' | 'wasm' | 'webgpu', rtol = 1e-5, atol = 1e-5): void {
  describe(`attention layers match PyTorch 1.13 on ${backend} (fixtures/gen_layers_attention.py)`, () => {
    for (const c of attentionCases) it(describeCase(c), () => checkAttentionCase(c, backend, rtol, atol));
  });
}
