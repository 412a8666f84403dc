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
  return !dependentOnVariables(tape).has(x.id);
}

// The tape only grows while it records: each layer call scans the nodes added since the last one, so a
// forward pass costs O(tape) in all rather than O(tape) per layer.
const scans = new WeakMap<object, { scanned: number; dependent: Set<number> }>();

type Tape = ReturnType<typeof tf.engine>['state']['activeTape'];

function dependentOnVariables(tape: Tape): Set<number> {
  const scan = scans.get(tape) ?? { scanned: 0, dependent: new Set<number>() };
  scans.set(tape, scan);
  for (; scan.scanned < tape.length; scan.scanned++) {
    const node = tape[scan.scanned];
    const inputs = Object.values(node.inputs);
    if (inputs.some((input) => input instanceof tf.Variable || scan.dependent.has(input.id))) {
      for (const output of node.outputs) scan.dependent.add(output.id);
    }
  }
  return scan.dependent;
}
