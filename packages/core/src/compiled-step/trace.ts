import * as tf from '@tensorflow/tfjs-core';
import { getRng } from '../rng';
import { isInPlaceKernel } from './in-place-kernels';
import { dispatchHostGradients, GRADIENT_KERNEL_PREFIX } from './traceable-gradients';

/** Where a traced value comes from. */
export type ValueSource =
  /** The step's `index`-th input tensor. */
  | { kind: 'input'; index: number }
  /** A variable's value as it was when the step began (re-read at every replay). */
  | { kind: 'variable'; variable: tf.Variable }
  /** A tensor that existed before the step and is not a variable (a constant the step closes over). */
  | { kind: 'captured'; tensor: tf.Tensor }
  /** Data written from JavaScript during the step (`tf.scalar(2)`, the gradient seed `ones`). */
  | { kind: 'constant'; values: tf.TypedArray }
  /** Output `output` of the traced kernel call `call`. */
  | { kind: 'kernel'; call: number; output: number };

export interface TracedValue {
  source: ValueSource;
  shape: number[];
  dtype: tf.DataType;
}

/** One input of a kernel call as the kernel saw it (`value` null for an absent optional input). */
export interface TracedInput {
  key: string;
  value: number | null;
  shape: number[];
  dtype: tf.DataType;
}

export interface TracedCall {
  kernelName: string;
  attrs: tf.NamedAttrMap | undefined;
  /** The kernel took its inputs as an array (AddN, Concat, Pack), not a named map. */
  arrayInputs: boolean;
  inputs: TracedInput[];
  outputs: number[];
  /** The kernel ran other kernels through the engine (it needs real Tensors as inputs). */
  nested: boolean;
  /** The kernel may write its inputs in place ({@link registerInPlaceKernel}): never dead code. */
  inPlace: boolean;
}

/** The values a traced region hands back: the loss, a gradient per variable, optionally an output. */
export interface TracedOutputs {
  loss: number;
  grads: Array<[tf.Variable, number]>;
  output?: number;
}

/** Everything one eager run of a region did, at the level of the backend's kernels. */
export interface Trace {
  values: TracedValue[];
  calls: TracedCall[];
  outputs: TracedOutputs;
  /** Variables whose value the region replaced (`assign`), with their final value. */
  writes: Array<[tf.Variable, number]>;
  /** Why this region cannot be replayed, when it cannot. */
  refusal?: string;
}

/** What the traced region returns (tensors the caller owns). */
export interface RegionResult {
  value: tf.Scalar;
  grads: Map<tf.Variable, tf.Tensor>;
  output?: tf.Tensor;
}

type Engine = ReturnType<typeof tf.engine>;

function sameRngState(a: ReturnType<ReturnType<typeof getRng>['getState']>, b: typeof a): boolean {
  return a.spare === b.spare && a.s.every((x, i) => x === b.s[i]);
}

/** Records the kernels, constants, variable reads and writes of one eager run of a region. */
class Recorder {
  readonly values: TracedValue[] = [];
  readonly calls: TracedCall[] = [];
  refusal?: string;
  depth = 0;
  nested = false;
  private readonly byTensor = new Map<tf.Tensor, number>();
  private readonly byDataId = new Map<tf.DataId, number>();
  private readonly inputByDataId = new Map<tf.DataId, number>();
  private readonly variableValue = new Map<tf.Variable, number>();
  readonly startDataId = new Map<tf.Variable, tf.DataId>();
  /** Buffers an in-place kernel wrote and handed back, with the output value that now stands for each. */
  private readonly writtenInPlace = new Map<tf.DataId, number>();

  constructor(
    inputs: readonly tf.Tensor[],
    private readonly firstNewTensorId: number,
  ) {
    inputs.forEach((t, index) => {
      if (!this.inputByDataId.has(t.dataId))
        this.inputByDataId.set(t.dataId, this.add({ kind: 'input', index }, t));
    });
    for (const v of Object.values(tf.engine().state.registeredVariables)) this.startDataId.set(v, v.dataId);
  }

  /** Identity clones made inside the current top-level kernel call, with the tensor each copies. */
  savedClones: Array<[tf.Tensor, tf.Tensor]> = [];

  resolveSavedClones(): void {
    for (const [clone, source] of this.savedClones) this.byTensor.set(clone, this.resolve(source));
    this.savedClones = [];
  }

  refuse(reason: string): void {
    this.refusal ??= reason;
  }

  add(source: ValueSource, t: tf.TensorInfo): number {
    this.values.push({ source, shape: [...t.shape], dtype: t.dtype });
    return this.values.length - 1;
  }

  produced(t: tf.Tensor, source: ValueSource): number {
    const index = this.add(source, t);
    this.byTensor.set(t, index);
    this.byDataId.set(t.dataId, index);
    return index;
  }

  /** The value a tensor seen by the region stands for. */
  resolve(t: tf.Tensor): number {
    const known = this.byTensor.get(t) ?? this.byDataId.get(t.dataId) ?? this.inputByDataId.get(t.dataId);
    if (known !== undefined) return known;
    if (t instanceof tf.Variable && this.startDataId.get(t) === t.dataId) {
      let index = this.variableValue.get(t);
      if (index === undefined) {
        index = this.add({ kind: 'variable', variable: t }, t);
        this.variableValue.set(t, index);
      }
      return index;
    }
    if (t.id < this.firstNewTensorId && !(t instanceof tf.Variable)) {
      const index = this.add({ kind: 'captured', tensor: t }, t);
      this.byTensor.set(t, index);
      return index;
    }
    this.refuse(
      `a tensor of shape [${t.shape}] was created during the step outside any kernel the trace can replay`,
    );
    return this.add({ kind: 'captured', tensor: t }, t);
  }

  recordCall(kernelName: string, inputs: tf.NamedTensorMap, attrs: tf.NamedAttrMap | undefined): TracedCall {
    const traced: TracedInput[] = Object.keys(inputs).map((key) => {
      const t = inputs[key];
      if (t == null) return { key, value: null, shape: [], dtype: 'float32' };
      return { key, value: this.resolve(t), shape: [...t.shape], dtype: t.dtype };
    });
    return {
      kernelName,
      attrs,
      arrayInputs: Array.isArray(inputs),
      inputs: traced,
      outputs: [],
      nested: false,
      inPlace: isInPlaceKernel(kernelName),
    };
  }

  finishCall(call: TracedCall, out: tf.Tensor | tf.Tensor[]): void {
    const index = this.calls.length;
    const outs = Array.isArray(out) ? out : [out];
    call.outputs = outs.map((t, output) => this.produced(t, { kind: 'kernel', call: index, output }));
    if (call.inPlace) {
      for (const [output, t] of outs.entries()) this.writtenInPlace.set(t.dataId, call.outputs[output]);
    }
    this.calls.push(call);
  }

  /**
   * Refuses when a tensor made during the region is still alive but is not one of its results (a
   * forward hook keeping an activation): a replay would not make it.
   */
  checkEscapes(results: Set<number>): void {
    for (const [t, index] of this.byTensor) {
      if (t.isDisposed || t instanceof tf.Variable || results.has(index)) continue;
      if (this.values[index].source.kind === 'captured') continue;
      this.refuse(`the step keeps a tensor of shape [${t.shape}] beyond its results (a forward hook?)`);
      return;
    }
  }

  /** Variables the region assigned: each must now hold a value the trace knows. */
  writes(): Array<[tf.Variable, number]> {
    const writes: Array<[tf.Variable, number]> = [];
    for (const [variable, dataId] of this.startDataId) {
      if (variable.isDisposed) continue;
      if (variable.dataId === dataId) {
        // Written in place by a kernel that handed its buffer back: a replay assigns that output.
        const inPlace = this.writtenInPlace.get(dataId);
        if (inPlace !== undefined) writes.push([variable, inPlace]);
        continue;
      }
      writes.push([variable, this.resolve(variable)]);
    }
    const now = Object.values(tf.engine().state.registeredVariables);
    if (now.some((v) => !this.startDataId.has(v))) this.refuse('the step creates a variable');
    return writes;
  }
}

type Hooked = 'runKernel' | 'makeTensor' | 'makeTensorFromTensorInfo' | 'readSync' | 'read';

/** Installs the recording hooks on the engine instance; returns the function that removes them. */
function hook(engine: Engine, recorder: Recorder): () => void {
  const own = new Map<Hooked, boolean>();
  const names: Hooked[] = ['runKernel', 'makeTensor', 'makeTensorFromTensorInfo', 'readSync', 'read'];
  for (const name of names) own.set(name, Object.hasOwn(engine, name));
  const runKernel = engine.runKernel;
  const makeTensor = engine.makeTensor;
  const makeTensorFromTensorInfo = engine.makeTensorFromTensorInfo;
  const readSync = engine.readSync;
  const read = engine.read;
  engine.runKernel = function tracedRunKernel<T extends tf.Tensor | tf.Tensor[]>(
    kernelName: string,
    inputs: tf.NamedTensorMap,
    attrs?: tf.NamedAttrMap,
  ): T {
    if (recorder.depth > 0) {
      const out = runKernel.call(engine, kernelName, inputs, attrs) as T;
      // The engine saves a kernel's inputs and outputs for the backward pass as Identity clones made
      // inside the kernel's dispatch; they alias the saved tensor's value.
      if (kernelName === 'Identity' && out instanceof tf.Tensor) recorder.savedClones.push([out, inputs.x]);
      else recorder.nested = true;
      return out;
    }
    const call = recorder.recordCall(kernelName, inputs, attrs);
    recorder.depth += 1;
    recorder.nested = false;
    let out: T;
    try {
      out = runKernel.call(engine, kernelName, inputs, attrs) as T;
    } finally {
      recorder.depth -= 1;
    }
    call.nested = recorder.nested || kernelName.startsWith(GRADIENT_KERNEL_PREFIX);
    recorder.finishCall(call, out);
    recorder.resolveSavedClones();
    return out;
  };
  engine.makeTensor = (values, shape, dtype, backend) => {
    const t = makeTensor.call(engine, values, shape, dtype, backend);
    if (recorder.depth === 0) {
      if (values instanceof Float32Array || values instanceof Int32Array || values instanceof Uint8Array)
        recorder.produced(t, { kind: 'constant', values: values.slice() });
      else recorder.refuse(`the step creates a ${dtype} tensor from non-numeric data`);
    }
    return t;
  };
  engine.makeTensorFromTensorInfo = (info, backend) => {
    if (recorder.depth === 0)
      recorder.refuse(
        `the step computes a tensor of shape [${info.shape}] outside the kernel registry (a backend or heap function called directly)`,
      );
    return makeTensorFromTensorInfo.call(engine, info, backend);
  };
  engine.readSync = (dataId) => {
    if (recorder.depth === 0)
      recorder.refuse(
        'the step reads tensor values on the host (dataSync/arraySync), so it may branch on data',
      );
    return readSync.call(engine, dataId);
  };
  engine.read = (dataId) => {
    if (recorder.depth === 0)
      recorder.refuse('the step reads tensor values on the host (data/array), so it may branch on data');
    return read.call(engine, dataId);
  };
  return () => {
    const originals = { runKernel, makeTensor, makeTensorFromTensorInfo, readSync, read };
    for (const name of names) {
      if (own.get(name)) Object.assign(engine, { [name]: originals[name] });
      else Reflect.deleteProperty(engine, name);
    }
  };
}

/** The id the next tensor created will get (tensor ids only grow). */
function nextTensorId(): number {
  const probe = tf.engine().makeTensor(new Float32Array(1), [], 'float32');
  probe.dispose();
  return probe.id + 1;
}

/**
 * Runs `region` eagerly (its results are the real ones) while recording, at the level of the backend's
 * registered kernels, every kernel the engine dispatched at top level (forward, gradient-tape backward,
 * saved-tensor clones, gradient sums), every constant written from JavaScript, which variables were read
 * and which were assigned. Kernels that run other kernels through the engine are recorded as one call.
 */
export function traceRegion(
  region: () => RegionResult,
  inputs: readonly tf.Tensor[],
): {
  result: RegionResult;
  trace: Trace;
} {
  const engine = tf.engine();
  const recorder = new Recorder(inputs, nextTensorId());
  const rngBefore = getRng().getState();
  const restoreGradients = dispatchHostGradients();
  const unhook = hook(engine, recorder);
  let result: RegionResult;
  try {
    result = region();
  } finally {
    unhook();
    restoreGradients();
  }
  if (!sameRngState(rngBefore, getRng().getState()))
    recorder.refuse(
      "the step draws from nntk's random generator (Dropout in training mode, random augmentation)",
    );
  const outputs: TracedOutputs = {
    loss: recorder.resolve(result.value),
    grads: [...result.grads].map(([v, g]) => [v, recorder.resolve(g)]),
    output: result.output ? recorder.resolve(result.output) : undefined,
  };
  const writes = recorder.writes();
  recorder.checkEscapes(
    new Set([
      outputs.loss,
      ...outputs.grads.map(([, v]) => v),
      ...(outputs.output === undefined ? [] : [outputs.output]),
    ]),
  );
  return {
    result,
    trace: { values: recorder.values, calls: recorder.calls, outputs, writes, refusal: recorder.refusal },
  };
}
