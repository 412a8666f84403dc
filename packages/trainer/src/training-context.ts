import type { Module } from '@nntk/core';
import type { DataLoader } from '@nntk/datasets';
import type { Optimizer } from '@nntk/optim';

/**
 * What a callback sees of the training loop (Lightning's narrow `trainer` view): the model, the optimizer,
 * the loop's counters, the run directory, and the two things a callback may do to the loop, stop it or
 * save a checkpoint. The `Trainer` implements it; callbacks depend on this interface, not on the class.
 */
export interface TrainingContext {
  readonly model: Module;
  readonly optimizer: Optimizer;
  /** Set to true to end training after the current batch (Keras's `model.stop_training`). */
  stopTraining: boolean;
  /** The epoch in progress, counted from 0. */
  readonly epoch: number;
  /** Optimizer steps taken so far in the whole run. */
  readonly globalStep: number;
  readonly runDir: string | undefined;
  /** The loader `fit` is iterating, when it is a `DataLoader`. */
  readonly trainLoader?: DataLoader;
  /** Writes a checkpoint of the whole training state to `directory`. */
  saveCheckpoint(directory: string): Promise<void>;
}
