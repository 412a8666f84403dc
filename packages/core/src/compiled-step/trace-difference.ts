import * as tf from '@tensorflow/tfjs-core';
import type { Trace, TracedCall, TracedValue, ValueSource } from './trace';

function sameBytes(a: tf.TypedArray, b: tf.TypedArray): boolean {
  if (a.constructor !== b.constructor || a.length !== b.length) return false;
  const x = new Uint8Array(a.buffer, a.byteOffset, a.byteLength);
  const y = new Uint8Array(b.buffer, b.byteOffset, b.byteLength);
  for (let i = 0; i < x.length; i++) if (x[i] !== y[i]) return false;
  return true;
}

/** Structural equality of kernel attributes (numbers, strings, booleans, arrays, nested maps). */
export function sameAttr(a: unknown, b: unknown): boolean {
  if (Object.is(a, b)) return true;
  if (Array.isArray(a) || ArrayBuffer.isView(a)) {
    if (!(Array.isArray(b) || ArrayBuffer.isView(b))) return false;
    const x = a as ArrayLike<unknown>;
    const y = b as ArrayLike<unknown>;
    if (x.length !== y.length) return false;
    for (let i = 0; i < x.length; i++) if (!sameAttr(x[i], y[i])) return false;
    return true;
  }
  if (a === null || b === null || typeof a !== 'object' || typeof b !== 'object') return false;
  if (a instanceof tf.Tensor || b instanceof tf.Tensor) return false;
  const keysA = Object.keys(a);
  const keysB = Object.keys(b);
  if (keysA.length !== keysB.length) return false;
  const recordA = a as Record<string, unknown>;
  const recordB = b as Record<string, unknown>;
  return keysA.every((k) => Object.hasOwn(recordB, k) && sameAttr(recordA[k], recordB[k]));
}

function sameSource(a: ValueSource, b: ValueSource): boolean {
  switch (a.kind) {
    case 'input':
      return b.kind === 'input' && a.index === b.index;
    case 'variable':
      return b.kind === 'variable' && a.variable === b.variable;
    case 'captured':
      return b.kind === 'captured' && a.tensor === b.tensor;
    case 'constant':
      return b.kind === 'constant' && sameBytes(a.values, b.values);
    case 'kernel':
      return b.kind === 'kernel' && a.call === b.call && a.output === b.output;
  }
}

function sameValue(a: TracedValue, b: TracedValue): boolean {
  return a.dtype === b.dtype && tf.util.arraysEqual(a.shape, b.shape) && sameSource(a.source, b.source);
}

function sameCall(a: TracedCall, b: TracedCall): boolean {
  return (
    a.kernelName === b.kernelName &&
    a.arrayInputs === b.arrayInputs &&
    a.nested === b.nested &&
    tf.util.arraysEqual(a.outputs, b.outputs) &&
    a.inputs.length === b.inputs.length &&
    a.inputs.every(
      (x, i) =>
        x.key === b.inputs[i].key &&
        x.value === b.inputs[i].value &&
        x.dtype === b.inputs[i].dtype &&
        tf.util.arraysEqual(x.shape, b.inputs[i].shape),
    ) &&
    sameAttr(a.attrs ?? {}, b.attrs ?? {})
  );
}

function samePairs(a: Array<[tf.Variable, number]>, b: Array<[tf.Variable, number]>): boolean {
  return a.length === b.length && a.every(([v, i], k) => v === b[k][0] && i === b[k][1]);
}

/**
 * Why two traces of the same step differ (the first difference found), or undefined when they are the
 * same program: the same kernels with the same attributes on the same values, the same constants bit for
 * bit, the same variables read and written. A difference means the step depends on something besides its
 * inputs and variables (a random mask, a counter, a schedule), so a replay would freeze it.
 */
export function traceDifference(a: Trace, b: Trace): string | undefined {
  if (a.calls.length !== b.calls.length)
    return `the step ran ${a.calls.length} kernels once and ${b.calls.length} the next time`;
  const call = a.calls.findIndex((c, i) => !sameCall(c, b.calls[i]));
  if (call >= 0) return `kernel ${call} (${a.calls[call].kernelName}) differs between two runs of the step`;
  if (a.values.length !== b.values.length) return 'the step used a different number of tensors in two runs';
  const value = a.values.findIndex((v, i) => !sameValue(v, b.values[i]));
  if (value >= 0) {
    const kind = a.values[value].source.kind;
    return kind === 'constant'
      ? `a constant of shape [${a.values[value].shape}] written by the step changed between two runs (a random mask, a step counter or a schedule)`
      : `a ${kind} tensor of shape [${a.values[value].shape}] differs between two runs of the step`;
  }
  const same =
    a.outputs.loss === b.outputs.loss &&
    a.outputs.output === b.outputs.output &&
    samePairs(a.outputs.grads, b.outputs.grads) &&
    samePairs(a.writes, b.writes);
  return same ? undefined : 'the step returned or assigned different tensors in two runs';
}
