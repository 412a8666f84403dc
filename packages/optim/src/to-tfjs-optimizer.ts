import { NntkError } from '@nntk/core';
import * as tf from '@tensorflow/tfjs-core';
import { clipGradNorm } from './clip-grad-norm';
import { clipGradValue } from './clip-grad-value';
import { gradientContainer } from './internal/gradient-map';
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

/** Clones gradients given in any accepted form into a Map by variable (clipping replaces tensors in it). */
function cloneGradients(
  input: tf.NamedTensorMap | { name: string; tensor: tf.Tensor }[] | Map<tf.Variable, tf.Tensor>,
): Map<tf.Variable, tf.Tensor> {
  const grads = new Map<tf.Variable, tf.Tensor>();
  if (input instanceof Map) {
    for (const [variable, grad] of input) if (grad != null) grads.set(variable, grad.clone());
    return grads;
  }
  const entries = Array.isArray(input)
    ? input.map((v) => [v.name, v.tensor] as const)
    : Object.entries(gradientContainer(input, 'toTfjsOptimizer.applyGradients'));
  const registry = tf.engine().registeredVariables;
  for (const [name, grad] of entries) {
    if (grad == null) continue;
    const variable = registry[name];
    if (!variable)
      throw new NntkError('NO_GRADIENT', `toTfjsOptimizer: no variable named '${name}' is registered`);
    grads.set(variable, grad.clone());
  }
  return grads;
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

  /**
   * Steps the nntk optimizer with `variableGradients`: tfjs's forms (a `NamedTensorMap` by variable name,
   * or `{ name, tensor }[]`) or nntk's `Map` keyed by variable. The caller keeps ownership of its tensors.
   */
  override applyGradients(
    variableGradients:
      | tf.NamedTensorMap
      | { name: string; tensor: tf.Tensor }[]
      | Map<tf.Variable, tf.Tensor>,
  ): void {
    const grads = cloneGradients(variableGradients);
    if (!this.inner) this.inner = (this.source as (params: tf.Variable[]) => Optimizer)([...grads.keys()]);
    try {
      if (this.options.clipGradValue !== undefined) clipGradValue(grads, this.options.clipGradValue);
      if (this.options.clipGradNorm !== undefined)
        clipGradNorm(grads, this.options.clipGradNorm).totalNorm.dispose();
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
