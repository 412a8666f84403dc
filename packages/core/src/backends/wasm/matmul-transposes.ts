import * as tf from '@tensorflow/tfjs-core';

// biome-ignore lint/suspicious/noExplicitAny: kernel arguments are untyped maps in tfjs
type KernelArgs = { inputs: any; attrs: any; backend: unknown };

function swapLastTwo(t: tf.Tensor): tf.Tensor {
  const perm = [...Array(t.rank).keys()];
  [perm[t.rank - 2], perm[t.rank - 1]] = [perm[t.rank - 1], perm[t.rank - 2]];
  return tf.transpose(t, perm);
}

/**
 * Wraps the wasm `BatchMatMul` / `_FusedMatMul` kernel so transposed operands are transposed explicitly
 * first: the wasm kernel reaches XNNPACK only without transpose flags and otherwise falls back to a
 * scalar loop (every backward pass of a dense layer has a transposed operand).
 */
export function withExplicitTransposes(
  original: tf.KernelFunc,
): (args: KernelArgs) => tf.TensorInfo | tf.TensorInfo[] {
  return (args) => {
    const { transposeA, transposeB } = args.attrs;
    if (!transposeA && !transposeB) return original(args as never);
    const a = transposeA ? swapLastTwo(args.inputs.a) : args.inputs.a;
    const b = transposeB ? swapLastTwo(args.inputs.b) : args.inputs.b;
    try {
      return original({
        ...args,
        inputs: { ...args.inputs, a, b },
        attrs: { ...args.attrs, transposeA: false, transposeB: false },
      } as never);
    } finally {
      if (a !== args.inputs.a) a.dispose();
      if (b !== args.inputs.b) b.dispose();
    }
  };
}
