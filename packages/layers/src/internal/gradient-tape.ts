import * as tf from '@tensorflow/tfjs-core';

/**
 * Whether a gradient is being recorded and `x` does not depend on any variable through the recorded
 * ops, so no gradient with respect to it will be needed (the batch of data, or ops on it such as a
 * reshape). Layers use it to pick kernels: tfjs's fused ops compute the gradient of every input, wanted
 * or not, and on the data batch that is wasted work. Reads tfjs's active tape (`engine().state`).
 */
export function isConstantInput(x: tf.Tensor): boolean {
  const tape = tf.engine().state.activeTape;
  if (tape == null || x instanceof tf.Variable) return false;
  const dependent = new Set<number>();
  for (const node of tape) {
    const inputs = Object.values(node.inputs);
    if (inputs.some((input) => input instanceof tf.Variable || dependent.has(input.id))) {
      for (const output of node.outputs) dependent.add(output.id);
    }
  }
  return !dependent.has(x.id);
}
