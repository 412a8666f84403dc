import { Module, useBackend, valueAndGrads } from '@nntk/core';
import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import layerFixtures from '../../../fixtures/layers/layers.json';
import * as layers from './index';
import { decode, type Encoded, excess, readback } from './test-helpers';

type LayerCase = (typeof layerFixtures.cases)[number] & {
  running?: Record<string, Encoded>;
  stepInputs?: Encoded[];
  evalOutput?: Encoded;
};

/** Whether `value` is a layer class (a Module subclass) of `@nntk/layers`. */
function isLayerClass(value: unknown): value is new (...args: unknown[]) => Module {
  return typeof value === 'function' && value.prototype instanceof Module;
}

function build(c: LayerCase): Module {
  const Ctor: unknown = Reflect.get(layers, c.layer);
  if (!isLayerClass(Ctor)) throw new Error(`parity case: @nntk/layers has no layer class ${c.layer}`);
  return Object.keys(c.options).length ? new Ctor(...c.args, c.options) : new Ctor(...c.args);
}

function describeCase(c: LayerCase): string {
  return `${c.layer}(${c.args.map((a) => JSON.stringify(a)).join(', ')}${Object.keys(c.options).length ? `, ${JSON.stringify(c.options)}` : ''}) on [${c.input.shape}]`;
}

/**
 * Every layer against PyTorch 1.13 (fixtures/gen_layers.py): output, input gradient and parameter
 * gradients within 1e-5 (relative, with 1e-5 absolute near zero), BatchNorm running statistics after three
 * training steps and the eval-mode output, no leaked tensors, on cpu and on wasm.
 */
export function runLayerParity(
  backend: 'cpu' | 'wasm' | 'webgpu',
  skip: (c: LayerCase) => string | undefined = () => undefined,
) {
  describe(`layers match PyTorch on ${backend}`, () => {
    for (const c of layerFixtures.cases as LayerCase[]) {
      const reason = skip(c);
      const test = reason ? it.skip : it;
      test(`${describeCase(c)}${reason ? ` (skipped: ${reason})` : ''}`, async () => {
        await useBackend(backend);
        const layer = build(c);
        const state = Object.fromEntries(Object.entries(c.state).map(([k, v]) => [k, decode(v as Encoded)]));
        layer.loadStateDict(state);
        tf.dispose(Object.values(state));
        const before = tf.memory().numTensors;
        layer.train();
        for (const input of c.stepInputs ?? []) {
          const x = decode(input);
          tf.dispose([layer.forward(x) as tf.Tensor, x]);
        }
        for (const [name, expected] of Object.entries(c.running ?? {})) {
          expect(excess(await readback(layer.stateDict()[name]), expected), `running ${name}`).toBe(0);
        }
        const x = tf.tidy(() => tf.variable(decode(c.input)));
        const upstream = decode(c.upstream);
        let output: tf.Tensor | undefined;
        const params = layer.parameters();
        const { value, grads } = valueAndGrads(() => {
          output = tf.keep(layer.forward(x) as tf.Tensor);
          return tf.sum(tf.mul(output, upstream));
        }, [x, ...params]);
        expect(excess(await readback(output!), c.output), 'output').toBe(0);
        expect(excess(await readback(grads.get(x)!), c.inputGrad), 'input gradient').toBe(0);
        for (const [name, p] of layer.namedParameters()) {
          expect(
            excess(await readback(grads.get(p)!), (c.paramGrads as Record<string, Encoded>)[name]),
            `gradient of ${name}`,
          ).toBe(0);
        }
        tf.dispose([value, output!, ...grads.values()]);
        if (c.evalOutput) {
          layer.eval();
          const y = layer.forward(x) as tf.Tensor;
          expect(excess(await readback(y), c.evalOutput), 'eval output').toBe(0);
          y.dispose();
        }
        tf.dispose([x, upstream]);
        expect(tf.memory().numTensors, 'tensors leaked').toBe(before);
        layer.dispose();
      });
    }
  });
}
