import * as tf from '@tensorflow/tfjs-core';

/**
 * Whether a gradient is being recorded and `x` is a leaf of it: not a variable and not the output of a
 * recorded op, so no gradient with respect to it will be asked for (typically the batch of data).
 * Layers use it to pick kernels: tfjs's fused ops compute the gradient of every input, wanted or not.
 */
export function isConstantInput(x: tf.Tensor): boolean {
  const tape = tf.engine().state.activeTape;
  if (tape == null || x instanceof tf.Variable) return false;
  return !tape.some((node) => node.outputs.some((output) => output.id === x.id));
}
