import { type Module, useBackend, valueAndGrads } from '@nntk/core';
import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import fixtures from '../../../fixtures/layers/sequence.json';
import * as layers from './index';
import { decode, type Encoded, excess, readback } from './test-helpers';

interface SequenceCase {
  layer: string;
  args: unknown[];
  options: Record<string, unknown>;
  call: 'plain' | 'lstm' | 'gru' | 'lstmCell' | 'gruCell';
  state: Record<string, Encoded>;
  inputs: Encoded[];
  upstream: Encoded[];
  outputs: Encoded[];
  inputGrads: Encoded[];
  paramGrads: Record<string, Encoded>;
}

function build(c: SequenceCase): Module {
  const Ctor = (layers as Record<string, unknown>)[c.layer] as new (...args: unknown[]) => Module;
  return Object.keys(c.options).length ? new Ctor(...c.args, c.options) : new Ctor(...c.args);
}

/** Calls the layer as PyTorch's module is called and flattens its outputs (`[out, [h, c]]` → `[out, h, c]`). */
function run(layer: Module, c: SequenceCase, [x, ...states]: tf.Tensor[]): tf.Tensor[] {
  const pairOf = (): [tf.Tensor, tf.Tensor] | undefined =>
    states.length === 2 ? [states[0], states[1]] : undefined;
  const out =
    c.call === 'lstm' || c.call === 'lstmCell' ? layer.forward(x, pairOf()) : layer.forward(x, ...states);
  const flat: tf.Tensor[] = [];
  const walk = (v: unknown) => {
    if (Array.isArray(v)) v.forEach(walk);
    else flat.push(v as tf.Tensor);
  };
  walk(out);
  return flat;
}

function describeCase(c: SequenceCase): string {
  const options = Object.keys(c.options).length ? `, ${JSON.stringify(c.options)}` : '';
  return `${c.layer}(${c.args.map((a) => JSON.stringify(a)).join(', ')}${options}) on ${c.inputs.map((i) => `[${i.shape}]`).join(' ')}`;
}

/**
 * The sequence and 1-d layers against PyTorch 1.13 (fixtures/gen_layers_sequence.py): every output, the
 * gradients of every input (x, h0, c0) and parameter within 1e-5 (relative, 1e-5 absolute near zero), and
 * no tensor left behind, on the given backend (values read with `await data()`, as webgpu needs).
 */
export function runSequenceParity(backend: 'cpu' | 'wasm' | 'webgpu', rtol = 1e-5, atol = 1e-5) {
  describe(`sequence and 1-d layers match PyTorch on ${backend}`, () => {
    for (const c of fixtures.cases as SequenceCase[]) {
      it(describeCase(c), async () => {
        await useBackend(backend);
        const layer = build(c);
        const state = Object.fromEntries(Object.entries(c.state).map(([k, v]) => [k, decode(v)]));
        layer.loadStateDict(state);
        tf.dispose(Object.values(state));
        const before = tf.memory().numTensors;
        const inputs = c.inputs.map((e) => tf.tidy(() => tf.variable(decode(e))));
        const upstream = c.upstream.map(decode);
        let outputs: tf.Tensor[] = [];
        const { value, grads } = valueAndGrads(() => {
          outputs = run(layer, c, inputs).map((t) => tf.keep(t));
          return tf.addN(outputs.map((y, i) => tf.sum(tf.mul(y, upstream[i])))) as tf.Scalar;
        }, [...inputs, ...layer.parameters()]);
        expect(outputs.length).toBe(c.outputs.length);
        for (const [i, y] of outputs.entries())
          expect(excess(await readback(y), c.outputs[i], rtol, atol), `output ${i}`).toBe(0);
        for (const [i, x] of inputs.entries()) {
          expect(
            excess(await readback(grads.get(x)!), c.inputGrads[i], rtol, atol),
            `gradient of input ${i}`,
          ).toBe(0);
        }
        const names = layer.namedParameters().map(([name]) => name);
        expect(names.sort()).toEqual(Object.keys(c.paramGrads).sort());
        for (const [name, p] of layer.namedParameters()) {
          expect(
            excess(await readback(grads.get(p)!), c.paramGrads[name], rtol, atol),
            `gradient of ${name}`,
          ).toBe(0);
        }
        tf.dispose([value, ...outputs, ...grads.values(), ...inputs, ...upstream]);
        expect(tf.memory().numTensors, 'tensors leaked').toBe(before);
        layer.dispose();
      });
    }
  });
}
