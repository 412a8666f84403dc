import { joinStateTensors, type Module, NntkError, type SafetensorsContent } from '@nntk/core';
import type { Optimizer, OptimizerStateDict } from '@nntk/optim';
import type * as tf from '@tensorflow/tfjs-core';
import type { ParsedCheckpointState } from './internal/checkpoint-schema';

// The parts of a checkpoint that need no file system: its types, and applying, freeing and unpacking
// contents already read (checkpoint.ts reads and writes the files, in Node).

/** The JSON side of a checkpoint (tensors live in model.safetensors and optimizer.safetensors). */
export type CheckpointState = ParsedCheckpointState;

/** The file-system steps of `saveCheckpoint`, in order, as its `onFsStep` hook sees them. */
export type CheckpointFsStep =
  | 'staging-model-written'
  | 'staging-optimizer-written'
  | 'staging-state-written'
  | 'staging-synced'
  | 'stale-previous-removed'
  | 'current-moved-aside'
  | 'staging-moved-in'
  | 'parent-synced'
  | 'previous-removed';

export interface SaveCheckpointOptions {
  /**
   * Called after each file-system step of the write and the switch (awaited): a test hook for injecting
   * faults or kills exactly between two steps.
   */
  onFsStep?: (step: CheckpointFsStep, directory: string) => void | Promise<void>;
}

/** What `saveCheckpoint` writes: the model, the optimizer, the loop's JSON state, a pending window. */
export interface CheckpointParts {
  model: Module;
  optimizer: Optimizer;
  state: Omit<
    CheckpointState,
    'format' | 'version' | 'optimizer' | 'optimizerClass' | 'files' | 'accumulator'
  >;
  /** A partly filled gradient-accumulation window (its sums go into optimizer.safetensors). */
  accumulator?: { count: number; sums: Record<number, tf.Tensor> };
}

/** A checkpoint read and validated in full (state schema, file sizes and digests, tensor files). */
export interface CheckpointContents {
  directory: string;
  state: CheckpointState;
  model: SafetensorsContent;
  optimizer: SafetensorsContent;
}

/** The outcome of `findCheckpoint`: the checkpoint used and the candidates skipped, with why. */
export interface FoundCheckpoint {
  contents: CheckpointContents;
  skipped: { directory: string; reason: string }[];
}

/** Frees the tensors of a `readCheckpoint` result. */
export function disposeCheckpoint(contents: CheckpointContents): void {
  for (const t of Object.values(contents.model.tensors)) t.dispose();
  for (const t of Object.values(contents.optimizer.tensors)) t.dispose();
}

/** The saved gradient-accumulation window (the tensors belong to `contents`), if one was pending. */
export function checkpointAccumulator(
  contents: CheckpointContents,
): { count: number; sums: Record<number, tf.Tensor> } | undefined {
  if (!contents.state.accumulator) return undefined;
  return joinStateTensors(contents.state.accumulator, contents.optimizer.tensors);
}

/** Loads validated checkpoint contents into a model and an optimizer; bad contents raise NntkErrors. */
export function applyCheckpoint(contents: CheckpointContents, model: Module, optimizer: Optimizer): void {
  const { state, directory } = contents;
  if (state.optimizerClass !== optimizer.name) {
    throw new NntkError(
      'STATE_DICT_MISMATCH',
      `loadCheckpoint: the checkpoint holds ${state.optimizerClass} state but the optimizer is ${optimizer.name}`,
    );
  }
  try {
    model.loadStateDict(contents.model.tensors);
  } catch (error) {
    if (error instanceof NntkError)
      throw new NntkError(error.code, `${error.message} (checkpoint: ${directory})`, { cause: error });
    throw error;
  }
  try {
    optimizer.loadStateDict(
      joinStateTensors<OptimizerStateDict>(state.optimizer, contents.optimizer.tensors),
    );
  } catch (error) {
    if (error instanceof NntkError)
      throw new NntkError(error.code, `${error.message} (checkpoint: ${directory})`, { cause: error });
    throw new NntkError(
      'CORRUPT_CHECKPOINT',
      `loadCheckpoint: the optimizer state in ${directory} does not fit ${optimizer.name} (${(error as Error).message})`,
      { cause: error },
    );
  }
}
