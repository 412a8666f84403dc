import {
  type CompiledValueAndGrads,
  type CompileOptions,
  compileValueAndGrads,
  type Gradients,
  type Module,
  NntkError,
  trainingSignature,
} from '@nntk/core';
import type { Batch } from '@nntk/datasets';
import type * as tf from '@tensorflow/tfjs-core';

/** The Trainer's `compile` option: `true`, or `compileValueAndGrads` options. */
export type TrainerCompileOption = boolean | CompileOptions;

type ForwardLoss = (batch: Batch) => { loss: tf.Scalar; output?: tf.Tensor };

/**
 * The Trainer's forward, loss and backward, compiled with `@nntk/core`'s `compileValueAndGrads` (the
 * Trainer option `compile: true`): traced over the first two batches of each shape signature (batch
 * shapes, trainable parameters, every module's train/eval mode), then replayed kernel by kernel.
 * Clipping, accumulation, the non-finite guard, callbacks and the optimizer step stay eager, so the run
 * is bit-identical to an uncompiled one. A model that draws random numbers in training (Dropout) runs
 * eagerly (or fails, with `compile: { onDynamic: 'error' }`).
 */
export class CompiledBackward {
  private readonly compiled: CompiledValueAndGrads;

  constructor(model: Module, forwardLoss: ForwardLoss, options: CompileOptions = {}) {
    const extra = options.signature;
    this.compiled = compileValueAndGrads(
      (x, y) => forwardLoss({ x, y }),
      () => model.parameters(),
      { ...options, signature: () => trainingSignature(model) + (extra?.() ?? '') },
    );
  }

  /** How the compiled batches ran so far. */
  get stats(): CompiledValueAndGrads['stats'] {
    return this.compiled.stats;
  }

  /** Loss and gradients for `batch`; the output only when `keepOutput` (else it is disposed). */
  run(batch: Batch, keepOutput: boolean): { value: tf.Scalar; grads: Gradients; output?: tf.Tensor } {
    const { value, grads, output } = this.compiled(batch.x, batch.y);
    if (!keepOutput) output?.dispose();
    return { value, grads, output: keepOutput ? output : undefined };
  }

  dispose(): void {
    this.compiled.dispose();
  }
}

/** The compiled backward for the Trainer's `compile` option, or undefined when it is off. */
export function compiledBackward(
  option: TrainerCompileOption | undefined,
  model: Module,
  forwardLoss: ForwardLoss,
): CompiledBackward | undefined {
  if (option === undefined || option === false) return undefined;
  if (option !== true && (typeof option !== 'object' || option === null))
    throw new NntkError(
      'INVALID_OPTION',
      `Trainer: option 'compile' must be true, false or compile options, got ${JSON.stringify(option)}`,
    );
  return new CompiledBackward(model, forwardLoss, option === true ? {} : option);
}
