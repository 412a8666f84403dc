import { GradualPruner, type GradualPrunerOptions } from '@nntk/pruning';
import type * as tf from '@tensorflow/tfjs-core';
import { Callback, type Logs } from './callback';

/**
 * Drives `@nntk/pruning`'s gradual schedule from the trainer: `GradualPruner.step()` after every
 * optimizer step (a pruning step reads masks and weights with `await data()`; the others read nothing),
 * the scheduled and the measured sparsity in the epoch logs (`sparsity`,
 * `target_sparsity`), and its step count in checkpoints. Pass the `GradualPruner` options (with
 * `model`) or a pruner; it is built at construction, so the model has its mask buffers before a
 * `resumeFrom` checkpoint is loaded into it.
 */
export class Pruner extends Callback {
  override readonly name: string = 'Pruner';
  readonly pruner: GradualPruner;

  constructor(options: GradualPrunerOptions | GradualPruner) {
    super();
    this.pruner = options instanceof GradualPruner ? options : new GradualPruner(options);
  }

  override async onBatchEnd(): Promise<void> {
    await this.pruner.step();
  }

  /** The measured sparsity, read once per epoch with `await data()` (no synchronous device read). */
  override async onEpochEnd(_epoch: number, logs: Logs): Promise<void> {
    let size = 0;
    let zeros = 0;
    for (const [module, name] of this.pruner.targets) {
      const values = await (Reflect.get(module, name) as tf.Tensor).data();
      size += values.length;
      for (const v of values) if (v === 0) zeros += 1;
    }
    logs.sparsity = size ? zeros / size : 0;
    // The schedule's value at the last step taken (a pure function of the step, so nothing to store).
    const { stepCount, schedule } = this.pruner;
    logs.target_sparsity = stepCount > 0 ? schedule(stepCount - 1).sparsity : 0;
  }

  override stateDict(): Record<string, unknown> {
    return { ...this.pruner.stateDict() };
  }

  override loadStateDict(state: Record<string, unknown>): void {
    this.pruner.loadStateDict(state as { stepCount: number });
  }
}
