import { useBackend } from '@nntk/core';
import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import fixtures from '../../../../../fixtures/datasets/augment-ops.json';
import type { GeometricOptions } from './affine-sample';
import * as ops from './index';

const inputs = fixtures.inputs as Record<string, number[][][][]>;
const image = (key: string) => tf.tensor4d(inputs[key]);

/** The largest |actual − expected| over all elements, and how many elements differ by more than `atol`. */
function compare(actual: tf.Tensor, expected: number[][][][], atol: number): { worst: number; off: number } {
  const a = actual.dataSync();
  const e = expected.flat(3);
  expect(a.length).toBe(e.length);
  let worst = 0;
  let off = 0;
  e.forEach((v, i) => {
    const d = Math.abs(a[i] - v);
    worst = Math.max(worst, d);
    if (d > atol) off++;
  });
  return { worst, off };
}

type Unary = (x: tf.Tensor, m: number[]) => tf.Tensor;
const COLOUR: Record<string, Unary> = {
  brightness: ops.brightness,
  contrast: ops.contrast,
  color: ops.color,
  sharpness: ops.sharpness,
  solarize: ops.solarize,
  posterize: ops.posterize,
  invert: (x) => ops.invert(x),
  autocontrast: (x) => ops.autocontrast(x),
  equalize: (x) => ops.equalize(x),
};
const GEOMETRIC: Record<string, (x: tf.Tensor, m: number[], o: GeometricOptions) => tf.Tensor> = {
  rotate: ops.rotate,
  shearX: ops.shearX,
  shearY: ops.shearY,
  translateX: ops.translateX,
  translateY: ops.translateY,
};

for (const backend of ['cpu', 'wasm'] as const) {
  describe(`augmentation ops match torchvision ${fixtures.torchvision} on ${backend}`, () => {
    // Float-path ops: float32 arithmetic in a different order than torch's (the 3×3 sharpness sum, the
    // luma mean), so 2e-6; the uint8 ops (posterize, equalize, solarize on levels k/255) are exact.
    for (const c of [...fixtures.colour, ...fixtures.uint8]) {
      const variant = 'variant' in c ? ` ${c.variant}` : '';
      it(`${c.op}${variant} ${c.channels} channel(s) ${JSON.stringify(c.magnitudes)}`, async () => {
        await useBackend(backend);
        const before = tf.memory().numTensors;
        const x = image(c.input);
        const y = COLOUR[c.op](x, c.magnitudes ?? []);
        const atol = fixtures.uint8.includes(c as (typeof fixtures.uint8)[number]) ? 1e-7 : 2e-6;
        expect(compare(y, c.output as number[][][][], atol)).toEqual({ worst: expect.any(Number), off: 0 });
        tf.dispose([x, y]);
        expect(tf.memory().numTensors).toBe(before);
      });
    }
    // Geometric ops sample the grid torchvision computes, in float32 in the same order; nearest rounds
    // half to even as nearbyint. Bilinear weights differ from torch's by float32 rounding (1e-5).
    for (const c of fixtures.geometric) {
      it(`${c.op} ${c.interpolation} fill ${JSON.stringify(c.fill)} ${c.channels} channel(s) ${JSON.stringify(c.magnitudes)}`, async () => {
        await useBackend(backend);
        const before = tf.memory().numTensors;
        const x = image(c.input);
        const y = GEOMETRIC[c.op](x, c.magnitudes, {
          interpolation: c.interpolation as 'nearest' | 'bilinear',
          fill: c.fill,
        });
        const { off } = compare(y, c.output as number[][][][], c.interpolation === 'nearest' ? 1e-7 : 1e-5);
        expect(off).toBe(0);
        tf.dispose([x, y]);
        expect(tf.memory().numTensors).toBe(before);
      });
    }
  });
}

describe('augmentation op errors', () => {
  it('refuses wrong shapes, dtypes, magnitude counts and options', async () => {
    await useBackend('cpu');
    const x = tf.zeros([2, 4, 4, 3]);
    expect(() => ops.rotate(tf.zeros([4, 4, 3]), 10)).toThrow(/expected NHWC images with 1 or 3 channels/);
    expect(() => ops.invert(tf.zeros([1, 4, 4, 3], 'int32'))).toThrow(/use transforms.toFloat\(\) first/);
    expect(() => ops.brightness(x, [1, 2, 3])).toThrow(/got 3 magnitudes for a batch of 2 images/);
    expect(() => ops.posterize(x, 9)).toThrow(/bits must be integers in \[0, 8\]/);
    expect(() => ops.rotate(x, 10, { fill: [1, 2] })).toThrow(
      /'fill' must be a finite number or 3 finite numbers/,
    );
    // biome-ignore lint/suspicious/noExplicitAny: a wrong option on purpose
    expect(() => ops.rotate(x, 10, { interpolation: 'bicubic' as any })).toThrow(
      /'interpolation' must be one of/,
    );
    x.dispose();
  });
});
