import { useBackend } from '@nntk/core';
import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { HEAP_GEMM_FLAG } from './flags';
import { heapGemmPays, heapGemmPlan } from './heap-gemm';

type Activation = 'linear' | 'relu' | 'relu6' | 'elu' | 'leakyrelu' | 'prelu' | 'sigmoid';
interface Case {
  name: string;
  a: number[];
  b: number[];
  transposeA?: boolean;
  transposeB?: boolean;
  bias?: number[];
  activation?: Activation;
  /** Whether the heap kernel takes it (else the original kernel does). */
  heap: boolean;
}

// NaN and ±∞ inputs are checked on the cases the heap kernel takes: XNNPACK's fused ReLU and ReLU6 clamp a
// NaN to 0 where cpu keeps it, so the original kernel's cases and the flag-off runs compare finite inputs.
// tfjs's own wasm _FusedMatMul takes only a rank-1 bias, so a [1, n] bias is not run with the flag off.

const cases: Case[] = [];
// Every transpose combination on odd sizes: rows and columns that are not multiples of the 4 × 8 tile.
for (const [m, k, n] of [
  [1, 1, 4],
  [3, 17, 5],
  [17, 3, 9],
  [127, 31, 13],
  [5, 127, 17],
  [33, 64, 8],
  [4, 1, 127],
  [6, 600, 9], // k over the 256-step block: the sum continues across blocks
  [9, 513, 20],
]) {
  for (const transposeA of [false, true]) {
    for (const transposeB of [false, true]) {
      cases.push({
        name: `[${m}, ${k}]·[${k}, ${n}]${transposeA ? ' transposeA' : ''}${transposeB ? ' transposeB' : ''}`,
        a: transposeA ? [k, m] : [m, k],
        b: transposeB ? [n, k] : [k, n],
        transposeA,
        transposeB,
        heap: true,
      });
    }
  }
}
cases.push(
  { name: 'batched, both sides 3', a: [3, 5, 7], b: [3, 7, 6], heap: true },
  { name: 'batch broadcast: a one matrix', a: [1, 6, 9], b: [4, 9, 5], heap: true },
  { name: 'batch broadcast: b one matrix, rank 2', a: [2, 3, 6, 9], b: [9, 11], heap: true },
  {
    name: 'batch broadcast transposed',
    a: [2, 1, 9, 6],
    b: [1, 3, 5, 9],
    transposeA: true,
    transposeB: true,
    heap: false,
  },
  {
    name: 'batch [2, 1] against [1, 3] (the original kernel)',
    a: [2, 1, 4, 5],
    b: [1, 3, 5, 6],
    heap: false,
  },
  { name: 'rank 4 same batches, transposeA', a: [2, 2, 7, 5], b: [2, 2, 7, 6], transposeA: true, heap: true },
  { name: 'bias + relu', a: [9, 13], b: [13, 11], bias: [11], activation: 'relu', heap: true },
  {
    name: 'bias [1, n], linear, transposeB',
    a: [9, 13],
    b: [11, 13],
    transposeB: true,
    bias: [1, 11],
    heap: true,
  },
  {
    name: 'relu, no bias, transposeA, batched',
    a: [2, 13, 9],
    b: [2, 13, 6],
    transposeA: true,
    activation: 'relu',
    heap: true,
  },
  { name: 'elu (the original kernel)', a: [6, 5], b: [5, 8], bias: [8], activation: 'elu', heap: false },
  { name: 'sigmoid (the original kernel)', a: [6, 5], b: [5, 8], activation: 'sigmoid', heap: false },
  { name: 'leakyrelu (the original kernel)', a: [6, 5], b: [5, 8], activation: 'leakyrelu', heap: false },
  { name: 'prelu (the original kernel)', a: [6, 5], b: [5, 8], activation: 'prelu', heap: false },
  { name: 'relu6 (the original kernel)', a: [6, 5], b: [5, 8], activation: 'relu6', heap: false },
  { name: 'n = 1', a: [7, 5], b: [5, 1], heap: true },
  {
    name: 'n = 3, bias + relu, transposeA',
    a: [5, 7],
    b: [5, 3],
    transposeA: true,
    bias: [3],
    activation: 'relu',
    heap: true,
  },
  {
    name: 'n = 2, k = 600 (blocks), transposeB, batched',
    a: [2, 3, 600],
    b: [2, 2, 600],
    transposeB: true,
    heap: true,
  },
  { name: '[1, 1]·[1, 1]', a: [1, 1], b: [1, 1], heap: true },
);

/** Inputs drawn from a seed, with a NaN and infinities planted where the case is large enough. */
function inputs(c: Case, seed: number, special: boolean): (tf.Tensor | undefined)[] {
  const draw = (shape: number[], s: number) => {
    const values = tf.tidy(
      () => tf.randomNormal(shape, 0, 1, 'float32', seed + s).dataSync() as Float32Array,
    );
    if (special && values.length > 8) {
      values[1] = Number.NaN;
      values[5] = Number.POSITIVE_INFINITY;
      values[values.length - 2] = Number.NEGATIVE_INFINITY;
    }
    return tf.tensor(values, shape);
  };
  const xs = [draw(c.a, 1), draw(c.b, 2)];
  return [
    ...xs,
    c.bias ? draw(c.bias, 3) : undefined,
    c.activation === 'prelu' ? draw([c.b.at(-1) ?? 1], 4) : undefined,
  ];
}

function run(c: Case, seed: number, special: boolean): Float32Array {
  const before = tf.memory().numTensors;
  const [a, b, bias, alpha] = inputs(c, seed, special) as [tf.Tensor, tf.Tensor, tf.Tensor?, tf.Tensor?];
  const out =
    c.bias || c.activation
      ? tf.fused.matMul({
          a,
          b,
          transposeA: c.transposeA,
          transposeB: c.transposeB,
          bias,
          activation: c.activation,
          preluActivationWeights: alpha,
          leakyreluAlpha: 0.3,
        })
      : tf.matMul(a, b, c.transposeA, c.transposeB);
  const values = out.dataSync() as Float32Array;
  tf.dispose([a, b, out]);
  tf.dispose([bias, alpha].filter((t) => t !== undefined));
  expect(tf.memory().numTensors).toBe(before);
  return values;
}

function expectClose(actual: Float32Array, expected: Float32Array, label: string): void {
  expect(actual.length, label).toBe(expected.length);
  for (let i = 0; i < expected.length; i++) {
    const [x, y] = [actual[i], expected[i]];
    if (Number.isNaN(y) || !Number.isFinite(y)) {
      expect(x, `${label} [${i}]`).toBe(y);
    } else {
      expect(Math.abs(x - y), `${label} [${i}]: ${x} vs ${y}`).toBeLessThanOrEqual(1e-4 * (1 + Math.abs(y)));
    }
  }
}

describe('the heap GEMM (BatchMatMul / _FusedMatMul on wasm) equals cpu', () => {
  for (const [i, c] of cases.entries()) {
    it(c.name, async () => {
      for (const special of c.heap ? [false, true] : [false]) {
        await useBackend('cpu');
        const expected = run(c, 10 * i, special);
        await useBackend('wasm');
        const [a, b, bias] = inputs(c, 10 * i, special) as [tf.Tensor, tf.Tensor, tf.Tensor?];
        const planned = heapGemmPlan({
          inputs: { a, b, bias },
          attrs: {
            transposeA: c.transposeA ?? false,
            transposeB: c.transposeB ?? false,
            activation: c.activation,
          },
          backend: tf.backend(),
        });
        tf.dispose([a, b]);
        bias?.dispose();
        expect(planned !== undefined, 'taken by the heap kernel').toBe(c.heap);
        expectClose(run(c, 10 * i, special), expected, special ? 'with NaN and ±∞' : 'finite');
        if (special || (c.bias?.length ?? 1) > 1) continue;
        tf.env().set(HEAP_GEMM_FLAG, false);
        try {
          expectClose(run(c, 10 * i, special), expected, 'flag off');
        } finally {
          tf.env().set(HEAP_GEMM_FLAG, true);
        }
      }
    });
  }

  it('leaves an empty product to the original kernel and gives zeros (plus bias) for k = 0', async () => {
    await useBackend('wasm');
    const before = tf.memory().numTensors;
    tf.tidy(() => {
      expect(tf.matMul(tf.zeros([0, 5]), tf.zeros([5, 6])).shape).toEqual([0, 6]);
      // tfjs's own wasm kernel leaves this output uninitialised.
      const inner = tf.matMul(tf.ones([3, 0]), tf.ones([0, 6]));
      expect(Array.from(inner.dataSync())).toEqual(new Array(18).fill(0));
      const bias = tf.tensor1d([1, -2, 3, -4]);
      const biased = tf.fused.matMul({ a: tf.ones([2, 0]), b: tf.ones([0, 4]), bias, activation: 'relu' });
      expect(Array.from(biased.dataSync())).toEqual([1, 0, 3, 0, 1, 0, 3, 0]);
    });
    expect(tf.memory().numTensors).toBe(before);
  });

  it('leaves the largest products, and with threads large ones, to XNNPACK', () => {
    expect(heapGemmPays(128, 784, 256, 1, 1)).toBe(true);
    expect(heapGemmPays(64, 3136, 128, 1, 2)).toBe(true);
    expect(heapGemmPays(288, 12544, 64, 1, 1)).toBe(true);
    expect(heapGemmPays(288, 12544, 64, 1, 2)).toBe(false);
    expect(heapGemmPays(1024, 1024, 1024, 1, 1)).toBe(false);
    expect(heapGemmPays(512, 512, 512, 1, 1)).toBe(true);
    expect(heapGemmPays(512, 512, 512, 1, 2)).toBe(false);
  });
});
