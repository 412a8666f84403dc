import { NntkError } from '@nntk/core';
import * as tf from '@tensorflow/tfjs-core';
import { clipGradNorm } from './clip-grad-norm';
import { clipGradValue } from './clip-grad-value';
import type { Optimizer } from './optimizer';
import type { Scheduler } from './scheduler';

/**
 * What `toTfjsOptimizer` steps after every batch: any `Scheduler` (a `'metric'` one is rejected, as no
 * metric exists per batch), or any object with a plain `step()`.
 */
export type SteppableScheduler = Pick<Scheduler, 'step'> & { readonly kind?: Scheduler['kind'] };

export interface TfjsOptimizerOptions {
  /** Stepped after every optimizer step (per batch in `model.fit`). */
  scheduler?: SteppableScheduler;
  /** Clip gradients by total norm before each step. */
  clipGradNorm?: number;
  /** Clip gradient values before each step. */
  clipGradValue?: number;
}

/**
 * A `tf.Optimizer` that drives an nntk optimizer, so tfjs-layers' `model.compile({ optimizer })` and
 * `model.fit` train with nntk's AdamW, schedulers and clipping. Pass an optimizer, or a factory that
 * receives the model's trainable variables at the first step (they rarely exist before `compile`).
 */
export class NntkTfjsOptimizer extends tf.Optimizer {
  static className = 'NntkOptimizer';
  private inner?: Optimizer;

  constructor(
    private readonly source: Optimizer | ((params: tf.Variable[]) => Optimizer),
    private readonly options: TfjsOptimizerOptions = {},
  ) {
    super();
    if (options.scheduler?.kind === 'metric') {
      throw new NntkError(
        'INVALID_OPTION',
        "toTfjsOptimizer: option 'scheduler' is a 'metric' scheduler (ReduceLROnPlateau), which needs a monitored value each epoch; step it yourself from a tfjs-layers callback's onEpochEnd",
      );
    }
    if (typeof source !== 'function') this.inner = source;
  }

  /** The wrapped nntk optimizer (created at the first step when built from a factory). */
  get optimizer(): Optimizer | undefined {
    return this.inner;
  }

  override applyGradients(
    variableGradients: tf.NamedTensorMap | { name: string; tensor: tf.Tensor }[],
  ): void {
    const entries = Array.isArray(variableGradients)
      ? variableGradients.map((v) => [v.name, v.tensor] as const)
      : Object.entries(variableGradients);
    const registry = tf.engine().registeredVariables;
    const grads = new Map<tf.Variable, tf.Tensor>();
    for (const [name, grad] of entries) {
      if (grad == null) continue;
      const variable = registry[name];
      if (!variable)
        throw new NntkError('NO_GRADIENT', `toTfjsOptimizer: no variable named '${name}' is registered`);
      // Clipping replaces tensors in the map; clone so the caller's gradients stay theirs to dispose.
      grads.set(variable, grad.clone());
    }
    if (!this.inner) this.inner = (this.source as (params: tf.Variable[]) => Optimizer)([...grads.keys()]);
    try {
      if (this.options.clipGradValue !== undefined) clipGradValue(grads, this.options.clipGradValue);
      if (this.options.clipGradNorm !== undefined) clipGradNorm(grads, this.options.clipGradNorm);
      this.inner.step(grads);
    } finally {
      for (const g of grads.values()) g.dispose();
    }
    this.incrementIterations();
    this.options.scheduler?.step();
  }

  override getConfig(): tf.serialization.ConfigDict {
    return {};
  }

  override dispose(): void {
    this.inner?.dispose();
    super.dispose();
  }
}

/** Wraps an nntk optimizer (or a factory of one) as a `tf.Optimizer` for tfjs-layers `model.fit`. */
export function toTfjsOptimizer(
  optimizer: Optimizer | ((params: tf.Variable[]) => Optimizer),
  options: TfjsOptimizerOptions = {},
): NntkTfjsOptimizer {
  return new NntkTfjsOptimizer(optimizer, options);
}
