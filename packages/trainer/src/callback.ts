import type * as tf from '@tensorflow/tfjs-core';
import type { TrainingContext } from './training-context';

/** What a callback sees at the end of a batch or an epoch: losses, metrics, learning rate, time. */
export type Logs = Record<string, number>;

/**
 * The callback interface, with Keras's and Lightning's hooks. Every hook is optional; `trainer` is set
 * before `onTrainBegin`. A callback with state implements `stateDict()`/`loadStateDict()`, which the
 * trainer stores in checkpoints under the callback's `name`.
 */
export abstract class Callback {
  trainer?: TrainingContext;

  /**
   * The key of this callback's state in checkpoints: a stable name given by each callback class (class
   * names are not stable under minifiers). The trainer keys a second callback of the same name as
   * `name#2`, a third `name#3`, so two `CSVLogger`s keep apart.
   */
  readonly name: string = 'Callback';

  onTrainBegin?(): void | Promise<void>;
  onTrainEnd?(logs: Logs): void | Promise<void>;
  onEpochBegin?(epoch: number): void | Promise<void>;
  onEpochEnd?(epoch: number, logs: Logs): void | Promise<void>;
  onBatchBegin?(batch: number): void | Promise<void>;
  onBatchEnd?(batch: number, logs: Logs): void | Promise<void>;
  /** After the backward pass of a training batch, with its gradients (before clipping and the optimizer step). */
  onAfterBackward?(grads: Map<tf.Variable, tf.Tensor>): void | Promise<void>;
  onValidationEnd?(epoch: number, logs: Logs): void | Promise<void>;
  stateDict?(): Record<string, unknown>;
  loadStateDict?(state: Record<string, unknown>): void;
}
