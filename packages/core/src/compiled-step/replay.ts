import * as tf from '@tensorflow/tfjs-core';
import { NntkError } from '../errors';
import { listInputs, type Plan, type PlanCall } from './plan';
import type { RegionResult } from './trace';

/** A buffer during a replay: a backend TensorInfo, or a Tensor where a kernel returned one. */
type Live = tf.TensorInfo | tf.Tensor;

/** Thrown when a kernel's output shape differs from the trace (a data-dependent shape). */
export class ReplayMismatch extends Error {}

function release(backend: tf.KernelBackend, live: Live): void {
  if (live instanceof tf.Tensor) live.dispose();
  else backend.disposeData(live.dataId);
}

/** Runs a kernel that calls other kernels through the engine: it gets real Tensors, as in eager mode. */
function runNested(plan: Plan, call: PlanCall): tf.TensorInfo | tf.TensorInfo[] {
  const engine = tf.engine();
  const wrappers = call.slots.map((slot) => {
    plan.backend.incRef(slot.info.dataId);
    return engine.makeTensorFromTensorInfo(slot.info, plan.backend);
  });
  try {
    let inputs: tf.NamedTensorInfoMap;
    if (call.arrayInputs) {
      const list = Object.keys(call.inputs).map((): tf.Tensor | undefined => undefined);
      call.slotKeys.forEach((key, i) => {
        list[Number(key)] = wrappers[i];
      });
      inputs = listInputs(list);
    } else {
      inputs = {};
      call.slotKeys.forEach((key, i) => {
        inputs[key] = wrappers[i];
      });
    }
    return call.kernelFunc({ inputs, attrs: call.attrs, backend: plan.backend });
  } finally {
    for (const w of wrappers) w.dispose();
  }
}

function runCall(plan: Plan, call: PlanCall, live: Array<Live | undefined>): void {
  for (const slot of call.slots) slot.info.dataId = (live[slot.value] as Live).dataId;
  const out = call.nested
    ? runNested(plan, call)
    : call.kernelFunc({ inputs: call.inputs, attrs: call.attrs, backend: plan.backend });
  const outs = Array.isArray(out) ? out : [out];
  for (let j = 0; j < call.outputs.length; j++) {
    live[call.outputs[j]] = outs[j];
    if (!tf.util.arraysEqual(outs[j].shape, call.outputShapes[j]))
      throw new ReplayMismatch(
        `kernel ${call.kernelName} returned shape [${outs[j].shape}] where the trace had [${call.outputShapes[j]}]`,
      );
  }
  for (const v of call.release) {
    release(plan.backend, live[v] as Live);
    live[v] = undefined;
  }
}

/** Hands one value to the caller as a Tensor it owns (transferring the replay's reference when it can). */
function handOut(plan: Plan, live: Array<Live | undefined>, handed: Uint8Array, value: number): tf.Tensor {
  const v = plan.root[value];
  const buffer = live[v] as Live;
  if (plan.owned[v] && !handed[v]) {
    handed[v] = 1;
    if (buffer instanceof tf.Tensor) return buffer;
    return tf
      .engine()
      .makeTensorFromTensorInfo(
        { dataId: buffer.dataId, shape: plan.shapes[value], dtype: plan.dtypes[value] },
        plan.backend,
      );
  }
  plan.backend.incRef(buffer.dataId);
  return tf
    .engine()
    .makeTensorFromTensorInfo(
      { dataId: buffer.dataId, shape: plan.shapes[value], dtype: plan.dtypes[value] },
      plan.backend,
    );
}

function releaseAll(plan: Plan, live: Array<Live | undefined>, handed: Uint8Array): void {
  live.forEach((buffer, v) => {
    if (buffer && plan.owned[v] && !handed[v]) release(plan.backend, buffer);
  });
}

/**
 * Replays a plan on new inputs: binds the inputs, the variables' current values and the held constants,
 * calls each kernel function directly on the backend (no engine dispatch, no gradient tape, no Tensor per
 * intermediate), releases every intermediate buffer after its last reader, then hands back the loss, the
 * gradients and the output as Tensors and assigns the variables the region wrote. On a failure every
 * buffer it made is released and no variable has been written.
 */
export function replayPlan(plan: Plan, inputs: readonly tf.Tensor[]): RegionResult {
  const live = new Array<Live | undefined>(plan.valueCount);
  const handed = new Uint8Array(plan.valueCount);
  for (const { value, index } of plan.inputs) live[value] = inputs[index];
  for (const { value, variable } of plan.variables) {
    if (variable.isDisposed)
      throw new NntkError(
        'DISPOSED',
        `compiled step: variable '${variable.name}' was disposed; dispose() the compiled step with its model`,
      );
    live[value] = variable;
  }
  for (const { value, tensor } of plan.held) live[value] = tensor;
  try {
    for (const call of plan.calls) runCall(plan, call, live);
  } catch (error) {
    releaseAll(plan, live, handed);
    throw error;
  }
  const { outputs } = plan;
  const value = handOut(plan, live, handed, outputs.loss) as tf.Scalar;
  const grads = new Map<tf.Variable, tf.Tensor>();
  for (const [variable, v] of outputs.grads) grads.set(variable, handOut(plan, live, handed, v));
  const output = outputs.output === undefined ? undefined : handOut(plan, live, handed, outputs.output);
  for (const [variable, v] of plan.writes) {
    const t = handOut(plan, live, handed, v);
    variable.assign(t);
    t.dispose();
  }
  return { value, grads, output };
}
