import type * as tf from '@tensorflow/tfjs-core';
import type { Module } from '../module';
import { checkOptionNames } from '../validate';
import type { Gradients } from '../value-and-grads';
import {
  type CompiledMode,
  type CompiledStats,
  type CompileOptions,
  compileValueAndGrads,
} from './compile-value-and-grads';

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

/** What a compiled step needs of an optimizer: `step(grads)`, as every `@nntk/optim` optimizer has. */
export interface StepOptimizer {
  step(grads: Gradients): unknown;
}

export interface CompileStepOptions extends CompileOptions {
  /**
   * Runs on the gradients before the optimizer step, e.g. `(g) => clipGradNorm(g, 1).totalNorm.dispose()`. It may replace the
   * Map's tensors (disposing the old ones), as `clipGradNorm` does. Runs eagerly, like the optimizer.
   */
  clipGrads?: (grads: Gradients) => void;
  /** Also hand back the model's output (for metrics). Default false. */
  returnOutput?: boolean;
}

export interface CompiledStepResult {
  /** The batch loss; the caller disposes it. */
  loss: tf.Scalar;
  /** The model's output with `returnOutput`; the caller disposes it. */
  output?: tf.Tensor;
  mode: CompiledMode;
}

/** A compiled training step: `step(x, y)` trains on one batch. */
export interface CompiledStep {
  (x: tf.Tensor, y: tf.Tensor): CompiledStepResult;
  readonly stats: CompiledStats;
  /** Frees the compiled plans; the step stays usable (it re-traces). */
  dispose(): void;
}

/**
 * A compiled training step over `model`, `lossFn(output, target)` and `optimizer`, bit-identical to the
 * eager `valueAndGrads(() => lossFn(model.forward(x), y), params)` + `clipGrads` + `optimizer.step(grads)`.
 *
 * Forward, loss and backward are compiled by {@link compileValueAndGrads}: traced over the first two
 * steps of each shape signature (input shapes and dtypes, the trainable parameters, every module's
 * train/eval mode, the backend), then replayed kernel by kernel straight on the backend. `clipGrads` and
 * `optimizer.step` run eagerly on the replayed gradients, so everything that changes per step in an
 * update (the learning rate and its schedule, step counts in bias corrections, lazily created state,
 * fused wasm updates, skipped non-finite steps, pruning masks) behaves exactly as in eager mode. A model
 * that draws random numbers in forward (Dropout in training mode) is detected and runs eagerly (or
 * throws, with `onDynamic: 'error'`); `stats` says how each step ran and why one did not compile.
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
  ]);
  const { clipGrads, returnOutput, signature, ...compileOptions } = options;
  const modes = () =>
    model
      .modules()
      .map((m) => (m.training ? 't' : 'e'))
      .join('') + (signature?.() ?? '');
  const compiled = compileValueAndGrads(
    (x, y) => {
      const output = model.forward(x) as tf.Tensor;
      return { loss: lossFn(output, y) as tf.Scalar, output: returnOutput ? output : undefined };
    },
    () => model.parameters(),
    { ...compileOptions, signature: modes },
  );
  const step = (x: tf.Tensor, y: tf.Tensor): CompiledStepResult => {
    const { value, grads, output, mode } = compiled(x, y);
    try {
      clipGrads?.(grads);
      optimizer.step(grads);
    } catch (error) {
      value.dispose();
      output?.dispose();
      throw error;
    } finally {
      for (const g of grads.values()) g.dispose();
    }
    return { loss: value, output, mode };
  };
  return Object.assign(step, { stats: compiled.stats, dispose: () => compiled.dispose() });
}
