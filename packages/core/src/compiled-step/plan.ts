import * as tf from '@tensorflow/tfjs-core';
import type { Trace, TracedCall } from './trace';

/**
 * A reusable kernel input whose dataId is set before each call. It also carries the shape-derived
 * fields of a Tensor (size, rank, strides), which eager kernels receive and some of nntk's wasm kernel
 * fixes read to choose their path.
 */
export interface SlotInfo {
  dataId: tf.DataId;
  shape: number[];
  dtype: tf.DataType;
  size: number;
  rank: number;
  strides: number[];
}

/** One input slot of a planned kernel call. */
export interface PlanSlot {
  /** The value (after aliasing) whose buffer feeds this slot. */
  value: number;
  info: SlotInfo;
}

export interface PlanCall {
  kernelName: string;
  kernelFunc: tf.KernelFunc;
  attrs: tf.NamedAttrMap;
  slots: PlanSlot[];
  /**
   * The inputs object passed to the kernel: the slots' infos by name, or a real array for the kernels
   * that take a list (AddN, Concat, Pack), as the engine passes them.
   */
  inputs: tf.NamedTensorInfoMap;
  arrayInputs: boolean;
  /** Input names (or indices) in `inputs`, parallel to `slots`. */
  slotKeys: string[];
  outputs: number[];
  outputShapes: number[][];
  nested: boolean;
  /** Values whose last reader is this call: their buffers are released right after it. */
  release: number[];
}

/** A trace turned into a replayable program over backend buffers. */
export interface Plan {
  backend: tf.KernelBackend;
  calls: PlanCall[];
  valueCount: number;
  /** Value index → the value whose buffer it is (Identity and Reshape outputs alias their input). */
  root: Int32Array;
  /** Values produced by planned calls (the replay owns one reference to each). */
  owned: Uint8Array;
  inputs: Array<{ value: number; index: number }>;
  variables: Array<{ value: number; variable: tf.Variable }>;
  /** Constants and captured tensors, held for the plan's lifetime. */
  held: Array<{ value: number; tensor: tf.Tensor }>;
  outputs: Trace['outputs'];
  writes: Trace['writes'];
  shapes: number[][];
  dtypes: tf.DataType[];
  /** Kernel calls removed as dead or as aliases, for stats. */
  removed: number;
}

const ALIASING = new Set(['Identity', 'Reshape']);

function keptValues(trace: Trace): Set<number> {
  const kept = new Set<number>([trace.outputs.loss, ...trace.outputs.grads.map(([, v]) => v)]);
  if (trace.outputs.output !== undefined) kept.add(trace.outputs.output);
  for (const [, v] of trace.writes) kept.add(v);
  return kept;
}

/**
 * Calls whose outputs reach a kept value, and every call of a kernel that writes its inputs in place
 * (everything else is dead and dropped).
 */
function liveCalls(trace: Trace, kept: Set<number>): boolean[] {
  const live = new Set(kept);
  const alive = new Array<boolean>(trace.calls.length).fill(false);
  for (let i = trace.calls.length - 1; i >= 0; i--) {
    const call = trace.calls[i];
    if (!call.inPlace && !call.outputs.some((o) => live.has(o))) continue;
    alive[i] = true;
    for (const input of call.inputs) if (input.value !== null) live.add(input.value);
  }
  return alive;
}

function isAlias(call: TracedCall, kept: Set<number>, trace: Trace): boolean {
  if (!ALIASING.has(call.kernelName) || call.nested || call.inPlace || call.outputs.length !== 1)
    return false;
  const input = call.inputs.filter((x) => x.value !== null);
  const out = call.outputs[0];
  return input.length === 1 && !kept.has(out) && trace.values[out].dtype !== 'string';
}

/** A kernel input list, typed as the kernel-function signature declares every input map. */
export function listInputs(list: Array<tf.TensorInfo | undefined>): tf.NamedTensorInfoMap {
  // A real array (kernels call .map / .length on it) carrying the map's index signature.
  return Object.assign([] as unknown[], Object.fromEntries(list.map((info, i) => [String(i), info])));
}

function findKernel(kernelName: string, backendName: string): tf.KernelFunc {
  const kernel = tf.getKernel(kernelName, backendName);
  if (!kernel)
    throw new Error(`compiled step: kernel '${kernelName}' is not registered for '${backendName}'`);
  return kernel.kernelFunc;
}

function planCall(call: TracedCall, root: Int32Array, backendName: string, dataId: tf.DataId): PlanCall {
  const slots: PlanSlot[] = [];
  const slotKeys: string[] = [];
  const entries: Array<[string, PlanSlot['info'] | undefined]> = call.inputs.map((x) => {
    if (x.value === null) return [x.key, undefined];
    const info: SlotInfo = {
      dataId,
      shape: x.shape,
      dtype: x.dtype,
      size: tf.util.sizeFromShape(x.shape),
      rank: x.shape.length,
      strides: tf.util.computeStrides(x.shape),
    };
    const slot = { value: root[x.value], info };
    slots.push(slot);
    slotKeys.push(x.key);
    return [x.key, slot.info];
  });
  return {
    kernelName: call.kernelName,
    kernelFunc: findKernel(call.kernelName, backendName),
    attrs: call.attrs ?? {},
    slots,
    slotKeys,
    inputs: call.arrayInputs ? listInputs(entries.map(([, info]) => info)) : Object.fromEntries(entries),
    arrayInputs: call.arrayInputs,
    outputs: call.outputs,
    outputShapes: [],
    nested: call.nested,
    release: [],
  };
}

/** Releases each planned output after its last reader (right after its call when nothing reads it). */
function scheduleReleases(calls: PlanCall[], kept: Set<number>): void {
  const lastUse = new Map<number, number>();
  calls.forEach((call, i) => {
    for (const slot of call.slots) lastUse.set(slot.value, i);
  });
  calls.forEach((call, i) => {
    for (const o of call.outputs) if (!kept.has(o)) calls[lastUse.get(o) ?? i].release.push(o);
  });
}

/**
 * Builds a replay plan from a trace: drops dead kernel calls, turns Identity and Reshape calls on
 * intermediates into aliases (no kernel, no copy), resolves each kernel function once, prebuilds every
 * call's input objects, schedules each intermediate buffer's release at its last reader, and writes the
 * trace's JavaScript constants into held tensors once.
 */
export function buildPlan(trace: Trace): Plan {
  const engine = tf.engine();
  const backendName = tf.getBackend();
  const kept = keptValues(trace);
  const alive = liveCalls(trace, kept);
  const root = Int32Array.from(trace.values, (_, i) => i);
  const owned = new Uint8Array(trace.values.length);
  const calls: PlanCall[] = [];
  const placeholder: tf.DataId = {};
  let removed = 0;
  trace.calls.forEach((call, i) => {
    if (!alive[i]) {
      removed += 1;
      return;
    }
    if (isAlias(call, kept, trace)) {
      const input = call.inputs.find((x) => x.value !== null);
      if (input?.value != null) root[call.outputs[0]] = root[input.value];
      removed += 1;
      return;
    }
    const planned = planCall(call, root, backendName, placeholder);
    planned.outputShapes = call.outputs.map((o) => trace.values[o].shape);
    for (const o of call.outputs) owned[o] = 1;
    calls.push(planned);
  });
  scheduleReleases(calls, kept);
  const used = new Set<number>([...kept].map((v) => root[v]));
  for (const call of calls) for (const slot of call.slots) used.add(slot.value);
  const plan: Plan = {
    backend: engine.backend,
    calls,
    valueCount: trace.values.length,
    root,
    owned,
    inputs: [],
    variables: [],
    held: [],
    outputs: trace.outputs,
    writes: trace.writes,
    shapes: trace.values.map((v) => v.shape),
    dtypes: trace.values.map((v) => v.dtype),
    removed,
  };
  for (const value of used) {
    const { source, shape, dtype } = trace.values[value];
    if (source.kind === 'input') plan.inputs.push({ value, index: source.index });
    else if (source.kind === 'variable') plan.variables.push({ value, variable: source.variable });
    else if (source.kind === 'constant')
      plan.held.push({ value, tensor: tf.keep(tf.tensor(source.values, shape, dtype)) });
    else if (source.kind === 'captured') plan.held.push({ value, tensor: tf.keep(tf.clone(source.tensor)) });
  }
  return plan;
}

/** Frees what a plan holds (its constants and captured tensors). */
export function disposePlan(plan: Plan): void {
  for (const { tensor } of plan.held) tensor.dispose();
  plan.held = [];
}
