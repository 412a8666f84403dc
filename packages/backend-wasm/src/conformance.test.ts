// Conformance of every differentiable op nntk's layers, losses and optimizers use: forward values and
// gradients on wasm (with nntk's kernel fixes) against the cpu backend, and the gradients on both backends
// against central finite differences through gradCheck. One table, several shapes per op family
// (multi-channel, strided, batch 1).

import {
  batchNormTrain,
  conv2dReLU,
  gradCheck,
  linearReLU,
  softmaxCrossEntropy,
  useBackend,
} from '@nntk/core';
import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { backendMatrix } from '../../core/src/backend-matrix.test-helpers';

type Op = (...xs: tf.Tensor[]) => tf.Tensor;
interface Case {
  name: string;
  shapes: number[][];
  fn: Op;
  /** Inputs are drawn away from kinks (|x| > 0.1) for ops that are not smooth at 0. */
  awayFromZero?: boolean;
  /** Skip finite differences (piecewise-constant or ill-conditioned ops). */
  noFiniteDifferences?: boolean;
  /** Inputs must be positive (log, sqrt, pow). */
  positive?: boolean;
}

function input(shape: number[], seed: number, c: Case): tf.Tensor {
  return tf.tidy(() => {
    let x = tf.randomNormal(shape, 0, 1, 'float32', seed + 1);
    if (c.positive) x = tf.add(tf.abs(x), 0.5);
    else if (c.awayFromZero) x = tf.add(x, tf.mul(tf.sign(x), 0.1));
    return x;
  });
}

const conv =
  (stride: number, pad: 'same' | 'valid'): Op =>
  (x, w) =>
    tf.conv2d(x as tf.Tensor4D, w as tf.Tensor4D, stride, pad);
const CASES: Case[] = [
  { name: 'add (broadcast bias)', shapes: [[3, 4], [4]], fn: (a, b) => tf.add(a, b) },
  {
    name: 'sub',
    shapes: [
      [2, 3, 4],
      [2, 3, 4],
    ],
    fn: (a, b) => tf.sub(a, b),
  },
  {
    name: 'mul (broadcast)',
    shapes: [
      [2, 5],
      [1, 5],
    ],
    fn: (a, b) => tf.mul(a, b),
  },
  {
    name: 'div',
    shapes: [
      [3, 3],
      [3, 3],
    ],
    fn: (a, b) => tf.div(a, b),
    positive: true,
  },
  {
    name: 'matMul',
    shapes: [
      [4, 6],
      [6, 3],
    ],
    fn: (a, b) => tf.matMul(a as tf.Tensor2D, b as tf.Tensor2D),
  },
  {
    name: 'matMul transposeA',
    shapes: [
      [6, 4],
      [6, 3],
    ],
    fn: (a, b) => tf.matMul(a as tf.Tensor2D, b as tf.Tensor2D, true, false),
  },
  {
    name: 'matMul transposeB',
    shapes: [
      [4, 6],
      [3, 6],
    ],
    fn: (a, b) => tf.matMul(a as tf.Tensor2D, b as tf.Tensor2D, false, true),
  },
  {
    name: 'matMul batch 1',
    shapes: [
      [1, 6],
      [6, 5],
    ],
    fn: (a, b) => tf.matMul(a as tf.Tensor2D, b as tf.Tensor2D),
  },
  {
    name: 'batched matMul',
    shapes: [
      [2, 3, 4],
      [2, 4, 5],
    ],
    fn: (a, b) => tf.matMul(a as tf.Tensor3D, b as tf.Tensor3D),
  },
  {
    name: 'fused matMul + bias + relu',
    shapes: [[5, 4], [4, 3], [3]],
    fn: (a, b, c) =>
      tf.fused.matMul({ a: a as tf.Tensor2D, b: b as tf.Tensor2D, bias: c, activation: 'relu' }),
    noFiniteDifferences: true,
  },
  { name: 'relu', shapes: [[4, 5]], fn: (x) => tf.relu(x), awayFromZero: true },
  { name: 'leakyRelu', shapes: [[4, 5]], fn: (x) => tf.leakyRelu(x, 0.1), awayFromZero: true },
  { name: 'elu', shapes: [[4, 5]], fn: (x) => tf.elu(x), awayFromZero: true },
  { name: 'sigmoid', shapes: [[3, 7]], fn: (x) => tf.sigmoid(x) },
  { name: 'tanh', shapes: [[3, 7]], fn: (x) => tf.tanh(x) },
  { name: 'softplus', shapes: [[3, 7]], fn: (x) => tf.softplus(x) },
  {
    name: 'erf (GELU)',
    shapes: [[3, 7]],
    fn: (x) => tf.mul(tf.mul(x, 0.5), tf.add(1, tf.erf(tf.div(x, Math.SQRT2)))),
  },
  { name: 'exp', shapes: [[3, 4]], fn: (x) => tf.exp(x) },
  { name: 'log', shapes: [[3, 4]], fn: (x) => tf.log(x), positive: true },
  { name: 'sqrt', shapes: [[3, 4]], fn: (x) => tf.sqrt(x), positive: true },
  { name: 'rsqrt', shapes: [[3, 4]], fn: (x) => tf.rsqrt(x), positive: true },
  { name: 'pow', shapes: [[3, 4]], fn: (x) => tf.pow(x, 2.5), positive: true },
  { name: 'square', shapes: [[3, 4]], fn: (x) => tf.square(x) },
  { name: 'abs', shapes: [[3, 4]], fn: (x) => tf.abs(x), awayFromZero: true },
  { name: 'neg', shapes: [[3, 4]], fn: (x) => tf.neg(x) },
  {
    name: 'maximum',
    shapes: [
      [3, 4],
      [3, 4],
    ],
    fn: (a, b) => tf.maximum(a, b),
    noFiniteDifferences: true,
  },
  {
    name: 'minimum',
    shapes: [
      [3, 4],
      [3, 4],
    ],
    fn: (a, b) => tf.minimum(a, b),
    noFiniteDifferences: true,
  },
  {
    name: 'clipByValue',
    shapes: [[3, 4]],
    fn: (x) => tf.clipByValue(x, -0.5, 0.5),
    noFiniteDifferences: true,
  },
  {
    name: 'where',
    shapes: [
      [2, 3],
      [2, 3],
    ],
    fn: (a, b) => tf.where(tf.tensor2d([true, false, true, false, false, true], [2, 3], 'bool'), a, b),
  },
  { name: 'sum over axis 1', shapes: [[3, 4, 2]], fn: (x) => tf.sum(x, 1) },
  { name: 'mean over axes [0, 1]', shapes: [[3, 4, 2]], fn: (x) => tf.mean(x, [0, 1]) },
  { name: 'max over axis -1', shapes: [[3, 5]], fn: (x) => tf.max(x, -1), noFiniteDifferences: true },
  {
    name: 'moments (BatchNorm statistics)',
    shapes: [[4, 3, 3, 2]],
    fn: (x) => {
      const m = tf.moments(x, [0, 1, 2]);
      return tf.concat([m.mean, m.variance]);
    },
  },
  { name: 'softmax', shapes: [[3, 6]], fn: (x) => tf.softmax(x) },
  { name: 'logSoftmax', shapes: [[3, 6]], fn: (x) => tf.logSoftmax(x) },
  {
    name: 'reshape + transpose',
    shapes: [[2, 3, 4]],
    fn: (x) => tf.transpose(tf.reshape(x, [6, 4]), [1, 0]),
  },
  {
    name: 'concat axis 1',
    shapes: [
      [2, 3],
      [2, 2],
    ],
    fn: (a, b) => tf.concat([a, b], 1),
  },
  { name: 'slice', shapes: [[4, 5]], fn: (x) => tf.slice(x, [1, 1], [2, 3]) },
  { name: 'split', shapes: [[4, 6]], fn: (x) => tf.split(x, 3, 1)[1] },
  {
    name: 'pad (conv padding)',
    shapes: [[1, 3, 3, 2]],
    fn: (x) =>
      tf.pad(x, [
        [0, 0],
        [1, 1],
        [2, 0],
        [0, 0],
      ]),
  },
  { name: 'gather rows', shapes: [[6, 3]], fn: (x) => tf.gather(x, tf.tensor1d([5, 0, 5, 2], 'int32')) },
  {
    name: 'conv2d 3x3 same, 3→4 channels',
    shapes: [
      [2, 5, 5, 3],
      [3, 3, 3, 4],
    ],
    fn: conv(1, 'same'),
  },
  {
    name: 'conv2d 3x3 valid stride 2, batch 1',
    shapes: [
      [1, 7, 7, 2],
      [3, 3, 2, 3],
    ],
    fn: conv(2, 'valid'),
  },
  {
    name: 'fused conv2d + bias, explicit padding (Conv2d with padding)',
    shapes: [[2, 5, 4, 3], [3, 3, 3, 4], [4]],
    fn: (x, w, b) =>
      tf.fused.conv2d({
        x: x as tf.Tensor4D,
        filter: w as tf.Tensor4D,
        strides: 1,
        pad: [
          [0, 0],
          [1, 1],
          [2, 0],
          [0, 0],
        ],
        bias: b,
      }),
  },
  {
    name: 'depthwiseConv2d 3x3 same',
    shapes: [
      [2, 5, 5, 3],
      [3, 3, 3, 1],
    ],
    fn: (x, w) => tf.depthwiseConv2d(x as tf.Tensor4D, w as tf.Tensor4D, 1, 'same'),
  },
  {
    name: 'avgPool 2x2 stride 2',
    shapes: [[2, 4, 4, 3]],
    fn: (x) => tf.avgPool(x as tf.Tensor4D, 2, 2, 'valid'),
  },
  // AvgPool2d pads explicitly and pools 'valid' (PyTorch's count_include_pad). tfjs's own 'same' average
  // pool is not used: its gradient at the borders disagrees with finite differences (checked on cpu).
  {
    name: 'avgPool 3x3 stride 1 over zero padding',
    shapes: [[1, 5, 5, 2]],
    fn: (x) =>
      tf.avgPool(
        tf.pad(x as tf.Tensor4D, [
          [0, 0],
          [1, 1],
          [1, 1],
          [0, 0],
        ]),
        3,
        1,
        'valid',
      ),
  },
  {
    name: 'maxPool 2x2 stride 2',
    shapes: [[2, 4, 4, 3]],
    fn: (x) => tf.maxPool(x as tf.Tensor4D, 2, 2, 'valid'),
    noFiniteDifferences: true,
  },
  {
    name: 'maxPool 3x3 stride 2 same',
    shapes: [[1, 7, 7, 2]],
    fn: (x) => tf.maxPool(x as tf.Tensor4D, 3, 2, 'same'),
    noFiniteDifferences: true,
  },
  // nntk's fused ops: on wasm their fused kernels (NntkReluBiasGrad, NntkSoftmaxCrossEntropy), on cpu the same
  // ops from tfjs kernels.
  {
    name: 'fused linearReLU (Linear + bias + ReLU)',
    shapes: [[6, 5], [5, 7], [7]],
    fn: (x, w, b) => linearReLU(x as tf.Tensor2D, w as tf.Tensor2D, b as tf.Tensor1D),
  },
  {
    name: 'fused linearReLU, no bias, batch 1',
    shapes: [
      [1, 9],
      [9, 4],
    ],
    fn: (x, w) => linearReLU(x as tf.Tensor2D, w as tf.Tensor2D),
  },
  {
    name: 'fused conv2dReLU (Conv2d + bias + ReLU), explicit padding',
    shapes: [[2, 5, 4, 3], [3, 3, 3, 6], [6]],
    fn: (x, w, b) =>
      conv2dReLU(x as tf.Tensor4D, w as tf.Tensor4D, b as tf.Tensor1D, {
        strides: [1, 1],
        pad: [
          [0, 0],
          [1, 1],
          [1, 1],
          [0, 0],
        ],
      }),
  },
  {
    name: 'fused conv2dReLU, valid stride 2, no bias, batch 1',
    shapes: [
      [1, 7, 7, 2],
      [3, 3, 2, 5],
    ],
    fn: (x, w) =>
      conv2dReLU(x as tf.Tensor4D, w as tf.Tensor4D, undefined, { strides: [2, 2], pad: 'valid' }),
  },
  {
    name: 'fused softmaxCrossEntropy, mean, an ignored and an out-of-range label',
    shapes: [[6, 5]],
    fn: (z) => softmaxCrossEntropy(z as tf.Tensor2D, tf.tensor1d([0, 4, -100, 2, 7, 1], 'int32')),
  },
  {
    name: 'fused softmaxCrossEntropy, sum, ignoreIndex 3',
    shapes: [[4, 10]],
    fn: (z) =>
      softmaxCrossEntropy(z as tf.Tensor2D, tf.tensor1d([3, 9, 0, 5], 'int32'), {
        ignoreIndex: 3,
        reduction: 'sum',
      }),
  },
  {
    name: 'fused batchNormTrain (BatchNorm1d, affine)',
    shapes: [[6, 4], [4], [4]],
    fn: (x, w, b) => batchNormTrain(x, w as tf.Tensor1D, b as tf.Tensor1D, 1e-5).output,
  },
  {
    name: 'fused batchNormTrain (BatchNorm2d, no affine)',
    shapes: [[2, 3, 3, 5]],
    fn: (x) => batchNormTrain(x, undefined, undefined, 1e-3).output,
  },
];

/** Forward output, then the gradient of Σ f(x)·u for a fixed upstream u, for every input. */
async function evaluate(c: Case, seed: number): Promise<Float32Array[]> {
  const outputs = tf.tidy(() => {
    const inputs = c.shapes.map((s, i) => input(s, seed + i, c));
    const out = c.fn(...inputs);
    const upstream = tf.randomNormal(out.shape, 0, 1, 'float32', seed + 99);
    const grads = tf.grads((...xs: tf.Tensor[]) => tf.sum(tf.mul(c.fn(...xs), upstream)))(inputs);
    return [out, ...grads];
  });
  // Read with await data(): webgpu in Node has no synchronous read.
  const values = await Promise.all(outputs.map((t) => t.data() as Promise<Float32Array>));
  tf.dispose(outputs);
  return values;
}

function worstError(actual: Float32Array, expected: Float32Array, rtol: number): number {
  let worst = 0;
  for (let i = 0; i < expected.length; i++)
    worst = Math.max(worst, Math.abs(actual[i] - expected[i]) / (1 + Math.abs(expected[i])));
  return worst / rtol;
}

// The shared backend matrix: webgpu joins where an adapter exists (CI installs Mesa's GLES for Dawn);
// elsewhere it is left out, saying why. cpu is the reference every other backend is compared with.
const backends = await backendMatrix('ops', ['wasm', 'webgpu']);

describe(`every differentiable op: ${backends.join(' and ')} equal cpu (forward and gradient), wasm and cpu pass gradCheck`, () => {
  for (const [k, c] of CASES.entries()) {
    it(c.name, async () => {
      await useBackend('cpu');
      const reference = await evaluate(c, 10 * k);
      for (const backend of backends) {
        await useBackend(backend);
        const before = tf.memory().numTensors;
        const values = await evaluate(c, 10 * k);
        expect(tf.memory().numTensors).toBe(before);
        reference.forEach((expected, i) => {
          expect(
            worstError(values[i], expected, 1e-4),
            `${backend} ${i === 0 ? 'forward' : `gradient ${i - 1}`}`,
          ).toBeLessThanOrEqual(1);
        });
      }
      if (c.noFiniteDifferences) return;
      for (const backend of ['wasm', 'cpu'] as const) {
        await useBackend(backend);
        await checkGradients(c, 10 * k);
      }
    });
  }
});

/** gradCheck on up to 12 entries of each input (float32 scheme; see its TSDoc), leaving no tensors. */
async function checkGradients(c: Case, seed: number): Promise<void> {
  const inputs = c.shapes.map((s, i) => input(s, seed + i, c));
  const before = tf.memory().numTensors;
  const result = await gradCheck(c.fn, inputs, { maxPerInput: 12 });
  expect(result.ok, `${c.name}: ${JSON.stringify(result.worst)}`).toBe(true);
  expect(tf.memory().numTensors).toBe(before);
  tf.dispose(inputs);
}
