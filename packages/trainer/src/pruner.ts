import { GradualPruner, type GradualPrunerOptions } from '@nntk/pruning';
import type * as tf from '@tensorflow/tfjs-core';
import { Callback, type Logs } from './callback';

/**
 * Drives `@nntk/pruning`'s gradual schedule from the trainer: `GradualPruner.step()` after every
 * optimizer step, the scheduled and the measured sparsity in the epoch logs (`sparsity`,
 * `target_sparsity`), and its step count in checkpoints. Pass the `GradualPruner` options (with
 * `model`) or a pruner; it is built at construction, so the model has its mask buffers before a
 * `resumeFrom` checkpoint is loaded into it.
 */
export class Pruner extends Callback {
  readonly pruner: GradualPruner;
  private targetSparsity = 0;

  constructor(options: GradualPrunerOptions | GradualPruner) {
    super();
    this.pruner = options instanceof GradualPruner ? options : new GradualPruner(options);
  }

  override onBatchEnd(): void {
    this.targetSparsity = this.pruner.step().sparsity;
  }

  override onEpochEnd(_epoch: number, logs: Logs): void {
    let size = 0;
    let zeros = 0;
    for (const [module, name] of this.pruner.targets) {
      const values = (module as unknown as Record<string, tf.Tensor>)[name].dataSync();
      size += values.length;
      for (const v of values) if (v === 0) zeros += 1;
    }
    logs.sparsity = size ? zeros / size : 0;
    logs.target_sparsity = this.targetSparsity;
  }

  override stateDict(): Record<string, unknown> {
    return { ...this.pruner.stateDict(), targetSparsity: this.targetSparsity };
  }

  override loadStateDict(state: Record<string, unknown>): void {
    this.pruner.loadStateDict(state as { stepCount: number });
    this.targetSparsity = Number(state.targetSparsity ?? 0);
  }
}
