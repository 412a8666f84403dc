import * as tf from '@tensorflow/tfjs-core';
import type { KernelArgs, KernelFunction } from './kernel-wrapper';

/** XNNPACK packs a matmul's right operand at about 10 ns a float; a transpose costs about 1 ns a float. */
const PACK_COST = 10;

function swapLastTwo(t: tf.Tensor): tf.Tensor {
  const perm = [...Array(t.rank).keys()];
  [perm[t.rank - 2], perm[t.rank - 1]] = [perm[t.rank - 1], perm[t.rank - 2]];
  return tf.transpose(t, perm);
}

const isSingleMatrix = (t: tf.Tensor) => t.shape.slice(0, -2).every((d) => d === 1);

/**
 * Whether `op(a)·op(b)` is cheaper as `(op(b)ᵀ·op(a)ᵀ)ᵀ`. A transposed b is a fresh tensor, so XNNPACK packs
 * it in full on every call (its operator cache is keyed by the tensor); the product's transpose instead
 * packs `op(a)ᵀ`, which pays when a is the smaller one (the input gradient of a dense layer, `dy·Wᵀ`).
 */
function cheaperTransposed(a: tf.Tensor, b: tf.Tensor, transposeA: boolean): boolean {
  if (!isSingleMatrix(a) || !isSingleMatrix(b)) return false;
  const [m, k] = transposeA ? [a.shape[a.rank - 1], a.shape[a.rank - 2]] : a.shape.slice(-2);
  const n = b.shape[b.rank - 2];
  const direct = (PACK_COST + 1) * k * n + (transposeA ? m * k : 0);
  const swapped = PACK_COST * m * k + (transposeA ? 0 : m * k) + m * n;
  // Only a clear win: for small operands fixed per-op costs, which the model leaves out, dominate.
  return 2 * swapped < direct;
}

/**
 * Wraps the wasm `BatchMatMul` / `_FusedMatMul` kernel so transposed operands are transposed explicitly
 * first: the wasm kernel reaches XNNPACK only without transpose flags and otherwise falls back to a
 * scalar loop (every backward pass of a dense layer has a transposed operand). A plain `BatchMatMul` with a
 * transposed right operand runs as the transpose of the swapped product where that packs less.
 */
export function withExplicitTransposes(original: KernelFunction): KernelFunction {
  const run = (args: KernelArgs, a: tf.Tensor, b: tf.Tensor) =>
    original({
      ...args,
      inputs: { ...args.inputs, a, b },
      attrs: { ...args.attrs, transposeA: false, transposeB: false },
    }) as tf.TensorInfo;
  return (args) => {
    const { transposeA, transposeB } = args.attrs;
    if (!transposeA && !transposeB) return original(args);
    const plain =
      args.inputs.bias === undefined &&
      args.inputs.preluActivationWeights === undefined &&
      (args.attrs.activation ?? 'linear') === 'linear';
    if (transposeB && plain && cheaperTransposed(args.inputs.a, args.inputs.b, transposeA)) {
      return tf.tidy(() => {
        const left = args.inputs.b as tf.Tensor;
        const right = transposeA ? (args.inputs.a as tf.Tensor) : swapLastTwo(args.inputs.a);
        const product = tf.engine().makeTensorFromTensorInfo(run(args, left, right));
        return swapLastTwo(product);
      });
    }
    const a = transposeA ? swapLastTwo(args.inputs.a) : args.inputs.a;
    const b = transposeB ? swapLastTwo(args.inputs.b) : args.inputs.b;
    try {
      return run(args, a, b);
    } finally {
      if (a !== args.inputs.a) a.dispose();
      if (b !== args.inputs.b) b.dispose();
    }
  };
}
