// nntk's fused ops against the separate tfjs ops they replace (forward and every gradient), on cpu (tfjs
// kernels) and wasm (the fused kernels), with and without the heap kernels, and their leak behaviour.

import {
  batchNormTrain,
  conv2dReLU,
  hasFusedKernels,
  linearReLU,
  softmaxCrossEntropy,
  useBackend,
} from '@nntk/core';
import * as tf from '@tensorflow/tfjs-core';
import { afterEach, describe, expect, it } from 'vitest';
import { HEAP_KERNELS_FLAG } from './flags';

const seeded = (shape: number[], seed: number) => tf.randomNormal(shape, 0, 1, 'float32', seed + 1);

/** f's value and the gradients of Σ f·u with respect to each input, as arrays. */
async function valueAndGradients(f: (...xs: tf.Tensor[]) => tf.Tensor, shapes: number[][]) {
  const out = tf.tidy(() => {
    const inputs = shapes.map((s, i) => seeded(s, 10 + i));
    const value = f(...inputs);
    const u = seeded(value.shape, 99);
    return [value, ...tf.grads((...xs: tf.Tensor[]) => tf.sum(tf.mul(f(...xs), u)))(inputs)];
  });
  const arrays = await Promise.all(out.map((t) => t.data()));
  tf.dispose(out);
  return arrays;
}

function expectClose(actual: ArrayLike<number>[], expected: ArrayLike<number>[], tolerance: number) {
  expect(actual.length).toBe(expected.length);
  actual.forEach((a, k) => {
    for (let i = 0; i < a.length; i++)
      expect(Math.abs(a[i] - expected[k][i]), `output ${k}, element ${i}`).toBeLessThanOrEqual(
        tolerance * (1 + Math.abs(expected[k][i])),
      );
  });
}

const explicitPad: tf.backend_util.ExplicitPadding = [
  [0, 0],
  [1, 1],
  [2, 0],
  [0, 0],
];
const labels = () => tf.tensor1d([2, 0, -100, 4, 9, 1, 3], 'int32');
/** log-softmax + NLL from tfjs ops, counting the labels in [0, 5) that are not −100. */
function referenceCrossEntropy(z: tf.Tensor, reduction: 'mean' | 'sum') {
  const y = labels();
  const valid = tf.cast(tf.logicalAnd(tf.greaterEqual(y, 0), tf.less(y, 5)), 'float32');
  const picked = tf.sum(tf.mul(tf.logSoftmax(z), tf.mul(tf.oneHot(y, 5), tf.expandDims(valid, 1))));
  return tf.div(tf.neg(picked), reduction === 'mean' ? tf.sum(valid) : 1);
}

const cases: {
  name: string;
  shapes: number[][];
  fused: (...xs: tf.Tensor[]) => tf.Tensor;
  plain: (...xs: tf.Tensor[]) => tf.Tensor;
}[] = [
  {
    name: 'linearReLU with bias',
    shapes: [[9, 6], [6, 13], [13]],
    fused: (x, w, b) => linearReLU(x as tf.Tensor2D, w as tf.Tensor2D, b as tf.Tensor1D),
    plain: (x, w, b) => tf.relu(tf.add(tf.matMul(x as tf.Tensor2D, w as tf.Tensor2D), b)),
  },
  {
    name: 'linearReLU without bias',
    shapes: [
      [3, 8],
      [8, 4],
    ],
    fused: (x, w) => linearReLU(x as tf.Tensor2D, w as tf.Tensor2D),
    plain: (x, w) => tf.relu(tf.matMul(x as tf.Tensor2D, w as tf.Tensor2D)),
  },
  {
    name: 'conv2dReLU with bias, explicit padding',
    shapes: [[2, 6, 5, 3], [3, 3, 3, 7], [7]],
    fused: (x, w, b) =>
      conv2dReLU(x as tf.Tensor4D, w as tf.Tensor4D, b as tf.Tensor1D, { strides: [1, 1], pad: explicitPad }),
    plain: (x, w, b) => tf.relu(tf.add(tf.conv2d(x as tf.Tensor4D, w as tf.Tensor4D, 1, explicitPad), b)),
  },
  {
    name: 'conv2dReLU without bias, same, stride 2',
    shapes: [
      [1, 7, 6, 2],
      [3, 3, 2, 4],
    ],
    fused: (x, w) =>
      conv2dReLU(x as tf.Tensor4D, w as tf.Tensor4D, undefined, { strides: [2, 2], pad: 'same' }),
    plain: (x, w) => tf.relu(tf.conv2d(x as tf.Tensor4D, w as tf.Tensor4D, 2, 'same')),
  },
  {
    name: 'softmaxCrossEntropy mean',
    shapes: [[7, 5]],
    fused: (z) => softmaxCrossEntropy(z as tf.Tensor2D, labels()),
    plain: (z) => referenceCrossEntropy(z, 'mean'),
  },
  {
    name: 'softmaxCrossEntropy sum',
    shapes: [[7, 5]],
    fused: (z) => softmaxCrossEntropy(z as tf.Tensor2D, labels(), { reduction: 'sum' }),
    plain: (z) => referenceCrossEntropy(z, 'sum'),
  },
  {
    name: 'batchNormTrain, affine',
    shapes: [[2, 4, 3, 5], [5], [5]],
    fused: (x, w, b) => batchNormTrain(x, w as tf.Tensor1D, b as tf.Tensor1D, 1e-5).output,
    plain: (x, w, b) => {
      const { mean, variance } = tf.moments(x, [0, 1, 2]);
      return tf.add(tf.mul(tf.div(tf.sub(x, mean), tf.sqrt(tf.add(variance, 1e-5))), w), b);
    },
  },
  {
    name: 'batchNormTrain, no affine, eps 0.1',
    shapes: [[9, 3]],
    fused: (x) => batchNormTrain(x, undefined, undefined, 0.1).output,
    plain: (x) => {
      const { mean, variance } = tf.moments(x, 0);
      return tf.div(tf.sub(x, mean), tf.sqrt(tf.add(variance, 0.1)));
    },
  },
];

afterEach(() => {
  tf.env().set(HEAP_KERNELS_FLAG, true);
});

describe('fused ops equal the separate ops they replace', () => {
  for (const backend of ['cpu', 'wasm'] as const) {
    for (const heap of backend === 'wasm' ? [true, false] : [true]) {
      for (const c of cases) {
        it(`${c.name} on ${backend}${heap ? '' : ' without heap kernels'}`, async () => {
          await useBackend(backend);
          tf.env().set(HEAP_KERNELS_FLAG, heap);
          const before = tf.memory().numTensors;
          const fused = await valueAndGradients(c.fused, c.shapes);
          const plain = await valueAndGradients(c.plain, c.shapes);
          expectClose(fused, plain, 1e-5);
          expect(tf.memory().numTensors).toBe(before);
        });
      }
    }
  }
});

describe('fused kernels', () => {
  it('batchNormTrain returns the batch mean and biased variance, leaving no tensors behind', async () => {
    for (const backend of ['cpu', 'wasm'] as const) {
      await useBackend(backend);
      const x = seeded([7, 3, 4], 8);
      const before = tf.memory().numTensors;
      const { output, mean, variance } = batchNormTrain(x, undefined, undefined, 1e-5);
      const expected = tf.moments(x, [0, 1]);
      expectClose(
        [await mean.data(), await variance.data()],
        [await expected.mean.data(), await expected.variance.data()],
        1e-6,
      );
      tf.dispose([output, mean, variance, expected.mean, expected.variance]);
      expect(tf.memory().numTensors).toBe(before);
      x.dispose();
    }
  });

  it('are offered on wasm, and used: one fused forward kernel, the one-pass ReLU + bias gradient', async () => {
    await useBackend('cpu');
    expect(hasFusedKernels()).toBe(false);
    await useBackend('wasm');
    expect(hasFusedKernels()).toBe(true);
    const [x, w, b] = [seeded([4, 3], 1), seeded([3, 5], 2), seeded([5], 3)];
    const profile = await tf.profile(() =>
      tf.grads((wt: tf.Tensor, bt: tf.Tensor) =>
        tf.sum(linearReLU(x as tf.Tensor2D, wt as tf.Tensor2D, bt as tf.Tensor1D, { inputGradient: false })),
      )([w, b]),
    );
    const kernels = profile.kernels.map((k) => k.name);
    expect(kernels).toContain('NntkReluBiasGrad');
    expect(kernels).toContain('_FusedMatMul');
    for (const separate of ['Relu', 'Add', 'Step']) expect(kernels).not.toContain(separate);
    tf.dispose([...(profile.result as tf.Tensor[]), x, w, b]);
  });

  it('inputGradient: false computes no input gradient and the same weight and bias gradients', async () => {
    await useBackend('wasm');
    const [x, w, b] = [seeded([6, 4], 3), seeded([4, 3], 4), seeded([3], 5)];
    const before = tf.memory().numTensors;
    const loss = (inputGradient: boolean) => (wt: tf.Tensor, bt: tf.Tensor, xt: tf.Tensor) =>
      tf.sum(linearReLU(xt as tf.Tensor2D, wt as tf.Tensor2D, bt as tf.Tensor1D, { inputGradient }));
    const full = tf.grads(loss(true))([w, b, x]);
    const profile = await tf.profile(() =>
      tf.grads((wt: tf.Tensor, bt: tf.Tensor) => loss(false)(wt, bt, x))([w, b]),
    );
    const partial = profile.result as tf.Tensor[];
    const products = profile.kernels.filter((k) => k.name === 'BatchMatMul' || k.name === '_FusedMatMul');
    expect(products.length).toBe(2); // the forward and the weight gradient
    expectClose(
      await Promise.all(partial.map((t) => t.data())),
      await Promise.all(full.slice(0, 2).map((t) => t.data())),
      0,
    );
    tf.dispose([...full, ...partial]);
    expect(tf.memory().numTensors).toBe(before);
    tf.dispose([x, w, b]);
  });
});

describe('fused ops reject bad input with a typed error', () => {
  it('names the op, the expected shapes and the shapes given; unknown options get a suggestion', async () => {
    await useBackend('cpu');
    const x = tf.zeros([4, 3]) as tf.Tensor2D;
    const w = tf.zeros([5, 2]) as tf.Tensor2D;
    const image = tf.zeros([1, 4, 4, 3]) as tf.Tensor4D;
    const filter = tf.zeros([3, 3, 2, 4]) as tf.Tensor4D;
    const labels = tf.tensor1d([0, 1, 2], 'int32');
    const misspelt: Record<string, boolean> = { inputGradients: false };
    const codeOf = (f: () => unknown) => {
      try {
        f();
      } catch (error) {
        return `${(error as { code?: string }).code}: ${(error as Error).message}`;
      }
      return 'no error';
    };
    expect(codeOf(() => linearReLU(x, w))).toMatch(
      /^SHAPE_MISMATCH: linearReLU: expected x \[N, in\].*got \[4, 3\] and \[5, 2\]/,
    );
    expect(codeOf(() => conv2dReLU(image, filter, undefined, { strides: [1, 1], pad: 'same' }))).toMatch(
      /^SHAPE_MISMATCH: conv2dReLU/,
    );
    expect(codeOf(() => softmaxCrossEntropy(x, labels))).toMatch(/^SHAPE_MISMATCH: softmaxCrossEntropy/);
    expect(
      codeOf(() =>
        softmaxCrossEntropy(x, tf.tensor1d([0, 1, 2, 0], 'int32'), { reduction: 'none' as 'sum' }),
      ),
    ).toMatch(/^INVALID_OPTION: .*reduction/);
    expect(codeOf(() => softmaxCrossEntropy(x, tf.tensor1d([0, 1, 2, 0], 'float32')))).toMatch(
      /^INVALID_OPTION: .*int32/,
    );
    expect(codeOf(() => linearReLU(x, tf.zeros([3, 2]) as tf.Tensor2D, undefined, misspelt))).toMatch(
      /^INVALID_OPTION: .*did you mean 'inputGradient'/i,
    );
    expect(codeOf(() => batchNormTrain(x, tf.zeros([4]) as tf.Tensor1D, undefined, 1e-5))).toMatch(
      /^SHAPE_MISMATCH: batchNormTrain/,
    );
    expect(codeOf(() => batchNormTrain(x, undefined, undefined, 0))).toMatch(/^INVALID_OPTION: .*eps/);
    tf.dispose([x, w, image, filter, labels]);
  });
});
