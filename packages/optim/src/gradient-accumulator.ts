import { check } from '@nntk/core';
import * as tf from '@tensorflow/tfjs-core';
import { type GradientsInput, toGradientMap } from './internal/gradient-map';
import type { Optimizer } from './optimizer';

export interface GradientAccumulatorOptions {
  /** Micro-batches per optimizer step. */
  steps: number;
  /** Sum the micro-batch gradients, or average them (the usual choice for a mean loss). Default 'mean'. */
  reduction?: 'mean' | 'sum';
}

/**
 * Accumulates gradients over `steps` micro-batches and then steps the optimizer once, so a large batch
 * fits in memory. `add(grads)` takes ownership of nothing: the caller still disposes its gradients.
 */
export class GradientAccumulator {
  readonly steps: number;
  readonly reduction: 'mean' | 'sum';
  private sums = new Map<tf.Variable, tf.Tensor>();
  private count = 0;

  constructor(
    readonly optimizer: Optimizer,
    options: GradientAccumulatorOptions,
  ) {
    this.steps = check.integer('GradientAccumulator', 'steps', options?.steps, 1);
    this.reduction = check.oneOf('GradientAccumulator', 'reduction', options.reduction ?? 'mean', [
      'mean',
      'sum',
    ]);
  }

  /** Micro-batches accumulated since the last optimizer step. */
  get pending(): number {
    return this.count;
  }

  /** Adds one micro-batch's gradients; returns true when this call stepped the optimizer. */
  add(grads: GradientsInput): boolean {
    for (const [param, grad] of toGradientMap(grads, this.optimizer.params, 'GradientAccumulator.add')) {
      const previous = this.sums.get(param);
      this.sums.set(param, previous ? tf.tidy(() => tf.add(previous, grad)) : tf.clone(grad));
      previous?.dispose();
    }
    this.count += 1;
    if (this.count < this.steps) return false;
    this.flush();
    return true;
  }

  /** Steps the optimizer with whatever has accumulated (a last partial group), then resets. */
  flush(): void {
    if (this.count === 0) return;
    const scale = this.reduction === 'mean' ? 1 / this.count : 1;
    const reduced = new Map([...this.sums].map(([p, g]) => [p, tf.tidy(() => tf.mul(g, scale))]));
    this.optimizer.step(reduced);
    for (const g of reduced.values()) g.dispose();
    this.reset();
  }

  /** Drops the accumulated gradients without stepping. */
  reset(): void {
    for (const g of this.sums.values()) g.dispose();
    this.sums.clear();
    this.count = 0;
  }

  stateDict(): { count: number; sums: Record<number, tf.Tensor> } {
    const params = this.optimizer.params;
    const sums: Record<number, tf.Tensor> = {};
    for (const [p, g] of this.sums) sums[params.indexOf(p)] = g.clone();
    return { count: this.count, sums };
  }

  loadStateDict(state: { count: number; sums: Record<number, tf.Tensor> }): void {
    this.reset();
    const params = this.optimizer.params;
    for (const [index, g] of Object.entries(state.sums)) this.sums.set(params[Number(index)], g.clone());
    this.count = state.count;
  }

  dispose(): void {
    this.reset();
  }
}
