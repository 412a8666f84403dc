import * as tf from '@tensorflow/tfjs-core';
import type { Module } from '../module';
import { check, checkOptionNames } from '../validate';
import type { Gradients } from '../value-and-grads';
import {
  type AfterBackward,
  type CompiledMode,
  type CompiledStats,
  type CompileOptions,
  compileTrainingRegion,
  type compileValueAndGrads,
} from './compile-value-and-grads';
import {
  isReplayableGradientTransform,
  type ReplayableGradientTransform,
  type ReplayableUpdate,
} from './replayable-update';

/**
 * The train/eval mode of every module of `model`, as a signature string: a compiled step re-traces when
 * any module changes mode (Dropout and BatchNorm run different kernels in eval mode).
 */
export function trainingSignature(model: Module): string {
  return model
    .modules()
    .map((m) => (m.training ? 't' : 'e'))
    .join('');
}

/**
 * What a compiled step needs of an optimizer: `step(grads)`, as every `@nntk/optim` optimizer has, and
 * optionally `prepareStep`, through which the update itself is compiled.
 */
export interface StepOptimizer {
  step(grads: Gradients): unknown;
  /**
   * The next step's update split into its host side and its device side (see {@link ReplayableUpdate}),
   * for a step whose gradients are `params`' gradients; or a sentence saying why this step's update has
   * to run eagerly through `step()` (a non-finite check that reads on the host).
   * It creates missing state but changes nothing else: the step counts advance at `commit()`.
   */
  prepareStep?(params: readonly tf.Variable[]): ReplayableUpdate | string;
}

export interface CompileStepOptions extends CompileOptions {
  /**
   * Runs on the gradients before the optimizer step. A {@link ReplayableGradientTransform} (such as
   * `@nntk/optim`'s `clipGradNormTransform(1)`) is traced and replayed with the update. A plain function,
   * e.g. `(g) => clipGradNorm(g, 1).totalNorm.dispose()`, may replace the Map's tensors (disposing the
   * old ones), as `clipGradNorm` does; it runs eagerly, and so does the optimizer step after it.
   */
  clipGrads?: ((grads: Gradients) => void) | ReplayableGradientTransform;
  /** Also hand back the model's output (for metrics). Default false. */
  returnOutput?: boolean;
  /**
   * Trace the optimizer update (and a replayable `clipGrads`) into the compiled replay where the
   * optimizer offers `prepareStep`. Default true; false runs them eagerly after the replayed backward.
   */
  compileUpdate?: boolean;
}

/** How a compiled step's steps ran: {@link CompiledStats} plus where each step's update ran. */
export interface CompiledStepStats extends CompiledStats {
  /** Steps whose clipping and optimizer update ran inside the compiled region (traced or replayed). */
  compiledUpdates: number;
  /** Steps whose clipping and optimizer update ran eagerly after the compiled backward. */
  eagerUpdates: number;
  /** Why the last eagerly updated step's update was not compiled. */
  eagerUpdateReason?: string;
}

export interface CompiledStepResult {
  /** The batch loss; the caller disposes it. */
  loss: tf.Scalar;
  /** The model's output with `returnOutput`; the caller disposes it. */
  output?: tf.Tensor;
  mode: CompiledMode;
  /** Whether this step's clipping and optimizer update ran inside the compiled region. */
  compiledUpdate: boolean;
}

/** A compiled training step: `step(x, y)` trains on one batch. */
export interface CompiledStep {
  (x: tf.Tensor, y: tf.Tensor): CompiledStepResult;
  readonly stats: CompiledStepStats;
  /** Frees the compiled plans; the step stays usable (it re-traces). */
  dispose(): void;
}

/** Why a step's update runs eagerly, or the update to compile. */
function updateToCompile(
  optimizer: StepOptimizer,
  clipGrads: CompileStepOptions['clipGrads'],
  compileUpdate: boolean,
  params: readonly tf.Variable[],
): ReplayableUpdate | string {
  if (!compileUpdate) return 'compileUpdate is false';
  if (clipGrads && !isReplayableGradientTransform(clipGrads))
    return 'clipGrads is a plain function, which runs eagerly (pass a ReplayableGradientTransform such as clipGradNormTransform to compile it)';
  if (typeof optimizer.prepareStep !== 'function') return 'the optimizer has no prepareStep()';
  return optimizer.prepareStep(params);
}

/**
 * A compiled training step over `model`, `lossFn(output, target)` and `optimizer`, bit-identical to the
 * eager `valueAndGrads(() => lossFn(model.forward(x), y), params)` + `clipGrads` + `optimizer.step(grads)`.
 *
 * Forward, loss and backward are compiled as {@link compileValueAndGrads} compiles them: traced over the
 * first two steps of each shape signature (input shapes and dtypes, the trainable parameters, every
 * module's train/eval mode, the backend), then replayed kernel by kernel straight on the backend. Where
 * the optimizer offers `prepareStep` (every `@nntk/optim` optimizer does), the gradient clipping (a
 * {@link ReplayableGradientTransform}) and the optimizer update are traced into the same plan: each step
 * computes the update's host numbers in JavaScript (learning rate and schedule, bias corrections, step
 * counts), feeds them to the replay as scalar inputs, and the replayed kernels write the parameters and
 * the optimizer state in place, as eager `assign` does (a fused wasm update is one registered kernel
 * that writes the state in place, declared with `registerInPlaceKernel`, and is replayed too). The
 * signature then also covers the optimizer
 * state's variables (a `loadStateDict` re-traces) and its constant options. A step whose update cannot
 * be replayed (`skipNonFinite`, SGD's momentum buffer before it exists, a plain
 * `clipGrads` function, `compileUpdate: false`) runs the update eagerly after the replayed backward and
 * says why in `stats.eagerUpdateReason`. A model that draws random numbers in forward (Dropout in
 * training mode) is detected and runs eagerly (or throws, with `onDynamic: 'error'`); `stats` says how
 * each step ran and why one did not compile.
 */
export function compileStep(
  model: Module,
  lossFn: (output: tf.Tensor, target: tf.Tensor) => tf.Tensor,
  optimizer: StepOptimizer,
  options: CompileStepOptions = {},
): CompiledStep {
  checkOptionNames('compileStep', options, [
    'maxCacheSize',
    'onDynamic',
    'signature',
    'clipGrads',
    'returnOutput',
    'compileUpdate',
  ]);
  const { clipGrads, returnOutput, signature, compileUpdate = true, ...compileOptions } = options;
  check.boolean('compileStep', 'compileUpdate', compileUpdate);
  let current: ReplayableUpdate | undefined;
  const transform = isReplayableGradientTransform(clipGrads) ? clipGrads : undefined;
  const modes = () =>
    `${trainingSignature(model)}${signature?.() ?? ''}|${
      current ? `update:${transform?.signature ?? ''}:${current.signature}` : 'grads'
    }`;
  let updated = false;
  const after: AfterBackward = (grads, inputs) => {
    if (!current) return false;
    transform?.apply(grads);
    current.update(grads, inputs.slice(2) as tf.Scalar[]);
    updated = true;
    return true;
  };
  const compiled = compileTrainingRegion(
    (x, y) => {
      const output = model.forward(x) as tf.Tensor;
      return { loss: lossFn(output, y) as tf.Scalar, output: returnOutput ? output : undefined };
    },
    () => model.parameters(),
    { ...compileOptions, signature: modes },
    after,
  );
  const stats: CompiledStepStats = Object.assign(compiled.stats, { compiledUpdates: 0, eagerUpdates: 0 });
  const compiledUpdateStep = (x: tf.Tensor, y: tf.Tensor, update: ReplayableUpdate): CompiledStepResult => {
    const scalars = update.scalars.map((v) => tf.scalar(v));
    current = update;
    updated = false;
    let result: ReturnType<typeof compiled>;
    try {
      result = compiled(x, y, ...scalars);
    } catch (error) {
      // A trace that ran the update and was then refused (onDynamic: 'error') has applied the step:
      // its host side follows, so parameters, state and counters stay consistent.
      if (updated) update.commit();
      throw error;
    } finally {
      current = undefined;
      tf.dispose(scalars);
    }
    update.commit();
    stats.compiledUpdates += 1;
    return { loss: result.value, output: result.output, mode: result.mode, compiledUpdate: true };
  };
  const step = (x: tf.Tensor, y: tf.Tensor): CompiledStepResult => {
    const params = model.parameters().filter((p) => p.trainable);
    const update = updateToCompile(optimizer, clipGrads, compileUpdate, params);
    if (typeof update !== 'string') return compiledUpdateStep(x, y, update);
    const { value, grads, output, mode } = compiled(x, y);
    try {
      if (isReplayableGradientTransform(clipGrads)) clipGrads.apply(grads);
      else clipGrads?.(grads);
      optimizer.step(grads);
    } catch (error) {
      value.dispose();
      output?.dispose();
      throw error;
    } finally {
      for (const g of grads.values()) g.dispose();
    }
    stats.eagerUpdates += 1;
    stats.eagerUpdateReason = update;
    return { loss: value, output, mode, compiledUpdate: false };
  };
  return Object.assign(step, { stats, dispose: () => compiled.dispose() });
}
