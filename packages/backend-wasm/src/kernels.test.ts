import { backendInfo, gradCheck, useBackend } from '@nntk/core';
import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { HEAP_KERNELS_FLAG, PATCH_BLOCK_FLOATS_FLAG } from './flags';
import { coreHeapKernels } from './heap-kernels';
import { wasmBackend } from './wasm-heap';

type Case = { name: string; run: () => tf.Tensor[] };

/** Runs `fn` on cpu and on wasm (with nntk's fixes) and returns both results as plain arrays. */
async function onBoth(fn: () => tf.Tensor[]): Promise<{ cpu: Float32Array[]; wasm: Float32Array[] }> {
  const results: Record<string, Float32Array[]> = {};
  for (const backend of ['cpu', 'wasm'] as const) {
    await useBackend(backend);
    const before = tf.memory().numTensors;
    const out = tf.tidy(fn);
    results[backend] = out.map((t) => t.dataSync() as Float32Array);
    tf.dispose(out);
    expect(tf.memory().numTensors, `tensors leaked on ${backend}`).toBe(before);
  }
  return { cpu: results.cpu, wasm: results.wasm };
}

function seeded(shape: number[], seed: number): tf.Tensor {
  // tfjs treats a seed of 0 as "no seed": offset every seed so all are honoured.
  return tf.randomNormal(shape, 0, 1, 'float32', seed + 1);
}

/** d(Σ f(x)·g)/d(inputs) for a fixed upstream g, the quantity every backward kernel serves. */
function gradsOf(f: (...xs: tf.Tensor[]) => tf.Tensor, inputs: tf.Tensor[], seed: number): tf.Tensor[] {
  const upstream = seeded(f(...inputs).shape, seed);
  return tf.grads((...xs: tf.Tensor[]) => tf.sum(tf.mul(f(...xs), upstream)))(inputs);
}

const convCases: [
  string,
  number[],
  number[],
  number | [number, number],
  'same' | 'valid' | tf.backend_util.ExplicitPadding,
][] = [
  ['3x3 same, multi-channel', [2, 7, 7, 3], [3, 3, 3, 4], 1, 'same'],
  ['3x3 valid, stride 2', [2, 9, 8, 2], [3, 3, 2, 5], 2, 'valid'],
  ['5x5 same, stride 2, batch 1', [1, 11, 10, 4], [5, 5, 4, 3], 2, 'same'],
  ['1x1, stride [2, 1]', [3, 6, 6, 8], [1, 1, 8, 2], [2, 1], 'valid'],
  ['3x2 valid, stride 3', [2, 10, 9, 1], [3, 2, 1, 6], 3, 'valid'],
  ['3x3 same, one input channel (a first layer: a small product)', [2, 6, 6, 1], [3, 3, 1, 16], 1, 'same'],
  ['3x3 same, fewer patch columns than filters', [2, 5, 5, 2], [3, 3, 2, 64], 1, 'same'],
  [
    '3x3 explicit asymmetric padding, stride 2',
    [2, 8, 7, 3],
    [3, 3, 3, 4],
    2,
    [
      [0, 0],
      [1, 2],
      [0, 1],
      [0, 0],
    ],
  ],
  [
    '3x3 explicit padding 2, stride 1',
    [1, 5, 6, 2],
    [3, 3, 2, 3],
    1,
    [
      [0, 0],
      [2, 2],
      [2, 2],
      [0, 0],
    ],
  ],
];

const cases: Case[] = [
  ...convCases.map(([label, xShape, wShape, stride, pad], i) => ({
    name: `conv2d gradients, ${label}`,
    run: () =>
      gradsOf(
        (x, w) => tf.conv2d(x as tf.Tensor4D, w as tf.Tensor4D, stride, pad),
        [seeded(xShape, i), seeded(wShape, 10 + i)],
        20 + i,
      ),
  })),
  ...(
    [
      [[2, 6, 6, 3], [3, 3, 3, 2], 1, 'same'],
      [[1, 9, 9, 4], [3, 3, 4, 1], 2, 'valid'],
      [[2, 8, 7, 2], [5, 5, 2, 3], 2, 'same'],
    ] as const
  ).map(([xShape, wShape, stride, pad], i) => ({
    name: `depthwiseConv2d gradients, [${xShape}] * [${wShape}] stride ${stride} ${pad}`,
    run: () =>
      gradsOf(
        (x, w) => tf.depthwiseConv2d(x as tf.Tensor4D, w as tf.Tensor4D, stride, pad),
        [seeded([...xShape], 30 + i), seeded([...wShape], 40 + i)],
        50 + i,
      ),
  })),
  ...(
    [
      [[2, 6, 6, 3], 2, 2, 'valid'],
      [[2, 7, 7, 4], 3, 2, 'same'],
      [[1, 5, 5, 8], 2, 1, 'valid'],
      [[3, 9, 8, 2], 3, 3, 'valid'],
      [[2, 8, 6, 8], 2, 2, 'valid'],
      [[2, 7, 7, 12], 2, 2, 'same'],
    ] as const
  ).map(([shape, size, stride, pad], i) => ({
    name: `maxPool gradient, [${shape}] window ${size} stride ${stride} ${pad}`,
    run: () =>
      gradsOf((x) => tf.maxPool(x as tf.Tensor4D, size, stride, pad), [seeded([...shape], 60 + i)], 70 + i),
  })),
  {
    name: 'maxPool gradient with ties goes to the first maximum',
    run: () =>
      gradsOf(
        (x) => tf.maxPool(x as tf.Tensor4D, 2, 2, 'valid'),
        [tf.tensor4d([1, 1, 1, 1, 2, 0, 2, 2, 5, 5, 0, 0, 5, 5, 0, 0], [1, 4, 4, 1])],
        80,
      ),
  },
  {
    name: 'maxPool gradient with ties, four channels at a time',
    run: () => gradsOf((x) => tf.maxPool(x as tf.Tensor4D, 2, 2, 'valid'), [tf.ones([2, 4, 6, 8])], 81),
  },
  {
    name: 'matrix transposes (2-D, batched, merged axes; sizes not multiples of 4) and a general one',
    run: () => {
      const x = seeded([3, 5, 6, 7], 85);
      return [
        tf.transpose(seeded([37, 23], 86)),
        tf.transpose(x, [0, 1, 3, 2]),
        tf.transpose(x, [0, 3, 1, 2]),
        tf.transpose(x, [2, 3, 0, 1]),
        tf.transpose(x, [3, 1, 2, 0]),
        tf.transpose(seeded([1, 9], 87)),
      ];
    },
  },
  {
    name: 'relu gradient (zeros and negatives pass none), sizes not multiples of 4',
    run: () => [
      ...gradsOf((x) => tf.relu(x), [tf.tensor1d([-2, -0.5, 0, 0, 0.5, 3, -1])], 83),
      ...gradsOf((x) => tf.relu(x), [seeded([3, 5, 7, 4], 84)], 85),
    ],
  },
  {
    name: 'matmul gradients (transposed operands)',
    run: () => gradsOf((a, b) => tf.matMul(a, b), [seeded([13, 18], 88), seeded([18, 6], 89)], 90),
  },
  {
    name: 'gather gradient (embedding lookup)',
    run: () =>
      gradsOf((table) => tf.gather(table, tf.tensor1d([3, 0, 3, 7, 1], 'int32')), [seeded([8, 5], 90)], 91),
  },
  {
    name: 'oneHot: float32 (fractional on/off, as label smoothing makes), int32, out-of-range index',
    run: () => {
      const indices = tf.tensor1d([2, 0, 5, 1, 2], 'int32');
      return [
        tf.oneHot(indices, 4, 0.9, 0.025, 'float32'),
        tf.oneHot(indices, 4, 1, 0, 'float32'),
        tf.oneHot(indices, 4),
        tf.oneHot(tf.tensor2d([1, 3, 0, 2], [2, 2], 'int32'), 5, 2, -1),
      ];
    },
  },
  {
    name: 'gather gradient over an axis of length 1 (UnsortedSegmentSum with numSegments = 1)',
    run: () => [
      ...gradsOf((table) => tf.gather(table, tf.tensor1d([0, 0, 0], 'int32')), [seeded([1, 4], 92)], 93),
      ...gradsOf((x) => tf.gather(x, tf.tensor1d([0, 0], 'int32'), 1), [seeded([3, 1, 2], 94)], 95),
    ],
  },
  {
    name: 'unsorted segment sum: one segment, ids out of range, empty segments, int32 data, trailing axes',
    run: () => [
      tf.unsortedSegmentSum(seeded([5, 3], 96), tf.tensor1d([0, 0, 0, 0, 0], 'int32'), 1),
      tf.unsortedSegmentSum(seeded([6, 2, 3], 97), tf.tensor1d([4, -1, 0, 9, 4, 2], 'int32'), 7),
      tf.cast(
        tf.unsortedSegmentSum(
          tf.tensor2d([1, 2, 3, 4, 5, 6], [3, 2], 'int32'),
          tf.tensor1d([1, 1, 0], 'int32'),
          3,
        ),
        'float32',
      ),
    ],
  },
  {
    name: 'gather as row copies: axis 0, a middle axis, the last axis, 2-D indices, int32 tables, repeats',
    run: () => {
      const x = seeded([4, 5, 3], 98);
      const ids = tf.tensor1d([3, 0, 3, 1], 'int32');
      return [
        tf.gather(x, ids),
        tf.gather(x, tf.tensor2d([4, 0, 2, 2], [2, 2], 'int32'), 1),
        tf.gather(x, tf.tensor1d([2, 2, 0], 'int32'), 2),
        tf.gather(x, tf.tensor1d([1], 'int32'), -1),
        tf.cast(
          tf.gather(tf.tensor2d([1, 2, 3, 4, 5, 6], [3, 2], 'int32'), tf.tensor1d([2, 0], 'int32')),
          'float32',
        ),
      ];
    },
  },
  {
    name: 'sum over leading axes (a conv bias gradient), with and without keepDims',
    run: () => {
      const x = seeded([4, 9, 8, 16], 100);
      return [tf.sum(x, [0, 1, 2]), tf.sum(x, [1, 0], true), tf.sum(x, [1, 2, 3]), tf.sum(x)];
    },
  },
  {
    name: 'fused conv2d + bias gradients, explicit padding',
    run: () =>
      gradsOf(
        (x, w, b) =>
          tf.fused.conv2d({
            x: x as tf.Tensor4D,
            filter: w as tf.Tensor4D,
            strides: 1,
            pad: [
              [0, 0],
              [1, 1],
              [1, 1],
              [0, 0],
            ],
            bias: b,
          }),
        [seeded([4, 12, 12, 8], 110), seeded([3, 3, 8, 16], 111), seeded([16], 112)],
        113,
      ),
  },
  {
    // tfjs-core's spec `conv2dTranspose … input=8x8x8,output=4x4x8,f=8,s=1,inDepth=8,p=same`: an input larger
    // than the convolution's output; only its top-left 4x4 window reaches the result.
    name: 'conv2dTranspose with an input larger than the convolution output uses its top-left window',
    run: () => [
      tf.conv2dTranspose(
        seeded([1, 8, 8, 8], 120) as tf.Tensor4D,
        seeded([8, 8, 8, 8], 121) as tf.Tensor4D,
        [1, 4, 4, 8],
        1,
        'same',
      ),
      tf.conv2dTranspose(
        seeded([2, 6, 5, 3], 122) as tf.Tensor4D,
        seeded([3, 3, 2, 3], 123) as tf.Tensor4D,
        [2, 7, 7, 2],
        2,
        'valid',
      ),
    ],
  },
];

describe('wasm kernel fixes agree with the cpu backend', () => {
  it('lists the fixes it applied', async () => {
    await useBackend('wasm');
    expect(backendInfo().fixes).toEqual(
      expect.arrayContaining([
        'Conv2DBackpropFilter',
        'DepthwiseConv2dNativeBackpropInput',
        'DepthwiseConv2dNativeBackpropFilter',
        'MaxPoolGrad',
        'UnsortedSegmentSum',
        'GatherV2 (row copies)',
      ]),
    );
  });

  it('gather rejects an out-of-range index on wasm with tfjs message', async () => {
    await useBackend('wasm');
    const x = tf.zeros([3, 2]);
    const ids = tf.tensor1d([0, 3], 'int32');
    expect(() => tf.gather(x, ids)).toThrow('GatherV2: the index value 3 is not in [0, 2]');
    tf.dispose([x, ids]);
  });

  it("the ReLU gradient follows PyTorch's rule on wasm: a NaN input passes dy", async () => {
    await useBackend('wasm');
    // torch: x = [nan, 1, -1, 0] → relu(x).sum().backward() gives x.grad = [1, 1, 0, 0].
    const x = tf.tensor1d([Number.NaN, 1, -1, 0, Number.NaN]);
    const grad = tf.grad((v) => tf.sum(tf.relu(v)))(x);
    expect(Array.from(grad.dataSync())).toEqual([1, 1, 0, 0, 1]);
    tf.dispose([x, grad]);
  });

  it('runs the WebAssembly heap kernels on this machine (so the cases below test them, not the fallbacks)', async () => {
    await useBackend('wasm');
    const backend = wasmBackend();
    expect(backend && coreHeapKernels(backend)).toBeDefined();
  });

  const modes = [
    ['', () => {}],
    [' (heap kernels off: the fallback paths)', () => tf.env().set(HEAP_KERNELS_FLAG, false)],
    [' (patch matrix in blocks of images)', () => tf.env().set(PATCH_BLOCK_FLOATS_FLAG, 300)],
  ] as const;
  for (const [mode, setUp] of modes) {
    for (const c of cases) {
      it(`${c.name}${mode}`, async () => {
        const saved = [tf.env().get(HEAP_KERNELS_FLAG), tf.env().get(PATCH_BLOCK_FLOATS_FLAG)] as const;
        setUp();
        try {
          const { cpu, wasm } = await onBoth(c.run);
          expect(wasm.length).toBe(cpu.length);
          cpu.forEach((expected, k) => {
            let worst = 0;
            expected.forEach((e, i) => {
              worst = Math.max(worst, Math.abs(wasm[k][i] - e) - 1e-4 * (1 + Math.abs(e)));
            });
            expect(worst, `output ${k}`).toBeLessThanOrEqual(0);
          });
        } finally {
          tf.env().set(HEAP_KERNELS_FLAG, saved[0]);
          tf.env().set(PATCH_BLOCK_FLOATS_FLAG, saved[1]);
        }
      });
    }
  }

  it('the cpu reference itself passes gradCheck (conv filter and input gradients)', async () => {
    await useBackend('cpu');
    const x = seeded([1, 5, 5, 2], 100);
    const w = seeded([3, 3, 2, 2], 101);
    const conv = (input: tf.Tensor, kernel: tf.Tensor) =>
      tf.square(tf.conv2d(input as tf.Tensor4D, kernel as tf.Tensor4D, 2, 'same'));
    expect((await gradCheck(conv, [x, w])).ok).toBe(true);
    tf.dispose([x, w]);
  });
});
