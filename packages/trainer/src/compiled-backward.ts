import {
  type CompiledStats,
  type CompiledStep,
  type CompiledStepStats,
  type CompiledValueAndGrads,
  type CompileOptions,
  compileStep,
  compileValueAndGrads,
  type Gradients,
  type Module,
  NntkError,
  type ReplayableGradientTransform,
  type StepOptimizer,
  trainingSignature,
} from '@nntk/core';
import type { Batch } from '@nntk/datasets';
import type * as tf from '@tensorflow/tfjs-core';

/**
 * The Trainer's `compile` option: `true`, or compile options; `compileUpdate: false` keeps the clipping
 * and the optimizer update eager where they could be compiled.
 */
export type TrainerCompileOption = boolean | (CompileOptions & { compileUpdate?: boolean });

type ForwardLoss = (batch: Batch) => { loss: tf.Scalar; output?: tf.Tensor };

/** What the Trainer hands over when the whole step (update included) can be compiled. */
export interface CompiledUpdateSetup {
  optimizer: StepOptimizer;
  lossFn: (output: tf.Tensor, target: tf.Tensor) => tf.Tensor;
  /** The gradient check and clipping, in order, traced with the update. */
  transforms: ReplayableGradientTransform[];
}

/** Several replayable gradient transforms applied in order, as one. */
function composeTransforms(parts: ReplayableGradientTransform[]): ReplayableGradientTransform | undefined {
  if (parts.length <= 1) return parts[0];
  return {
    replayable: true,
    get signature() {
      return parts.map((p) => p.signature).join('+');
    },
    apply(grads: Gradients) {
      for (const part of parts) part.apply(grads);
    },
  };
}

/**
 * The Trainer's compiled step (the Trainer option `compile: true`). Where the step is the plain one (a
 * `loss`, no gradient accumulation, no `onAfterBackward` callback, `nonFinite` not `'skip'`), it is
 * `@nntk/core`'s `compileStep`: forward, loss, backward, the gradient check of `nonFinite: 'stop'`,
 * `gradClip` and the optimizer update are traced over the first two batches of each shape signature and
 * replayed kernel by kernel, the update's per-step numbers (learning rate, bias corrections) fed in from
 * the host; an update that cannot be replayed (a fused wasm update) runs eagerly after the replayed
 * backward. Otherwise forward, loss and backward are compiled with `compileValueAndGrads`, and clipping,
 * accumulation, the non-finite guard, callbacks and the optimizer step stay eager. Either way the run is
 * bit-identical to an uncompiled one. A model that draws random numbers in training (Dropout) runs
 * eagerly (or fails, with `compile: { onDynamic: 'error' }`).
 */
export class CompiledBackward {
  private readonly compiled?: CompiledValueAndGrads;
  private readonly step?: CompiledStep;

  constructor(
    model: Module,
    forwardLoss: ForwardLoss,
    options: CompileOptions = {},
    update?: CompiledUpdateSetup,
  ) {
    if (update) {
      this.step = compileStep(model, update.lossFn, update.optimizer, {
        ...options,
        clipGrads: composeTransforms(update.transforms),
        returnOutput: true,
      });
      return;
    }
    const extra = options.signature;
    this.compiled = compileValueAndGrads(
      (x, y) => forwardLoss({ x, y }),
      () => model.parameters(),
      { ...options, signature: () => trainingSignature(model) + (extra?.() ?? '') },
    );
  }

  /** Whether `runStep` (the update included) is the step to take, rather than `run` and an eager update. */
  get includesUpdate(): boolean {
    return this.step !== undefined;
  }

  /** How the compiled batches ran so far (with `includesUpdate`, where each update ran too). */
  get stats(): CompiledStats | CompiledStepStats {
    return (this.step?.stats ?? this.compiled?.stats) as CompiledStats;
  }

  /** Loss and gradients for `batch`; the output only when `keepOutput` (else it is disposed). */
  run(batch: Batch, keepOutput: boolean): { value: tf.Scalar; grads: Gradients; output?: tf.Tensor } {
    if (!this.compiled)
      throw new NntkError('USAGE', 'CompiledBackward.run: this one compiles the whole step');
    const { value, grads, output } = this.compiled(batch.x, batch.y);
    if (!keepOutput) output?.dispose();
    return { value, grads, output: keepOutput ? output : undefined };
  }

  /** Trains on `batch` (backward, gradient transforms and update); its loss, and output with `keepOutput`. */
  runStep(batch: Batch, keepOutput: boolean): { value: tf.Scalar; output?: tf.Tensor } {
    if (!this.step)
      throw new NntkError('USAGE', 'CompiledBackward.runStep: this one compiles the backward only');
    const { loss, output } = this.step(batch.x, batch.y);
    if (!keepOutput) output?.dispose();
    return { value: loss, output: keepOutput ? output : undefined };
  }

  dispose(): void {
    this.compiled?.dispose();
    this.step?.dispose();
  }
}

/** The compiled step for the Trainer's `compile` option, or undefined when it is off. */
export function compiledBackward(
  option: TrainerCompileOption | undefined,
  model: Module,
  forwardLoss: ForwardLoss,
  update?: CompiledUpdateSetup,
): CompiledBackward | undefined {
  if (option === undefined || option === false) return undefined;
  if (option !== true && (typeof option !== 'object' || option === null))
    throw new NntkError(
      'INVALID_OPTION',
      `Trainer: option 'compile' must be true, false or compile options, got ${JSON.stringify(option)}`,
    );
  const { compileUpdate = true, ...options } = option === true ? {} : option;
  return new CompiledBackward(model, forwardLoss, options, compileUpdate ? update : undefined);
}
