import { existsSync } from 'node:fs';
import { readFile, rename, rm } from 'node:fs/promises';
import { join } from 'node:path';
import {
  joinStateTensors,
  loadSafetensors,
  type Module,
  NntkError,
  saveSafetensors,
  splitStateTensors,
  writeFileAtomic,
} from '@nntk/core';
import type { Optimizer, OptimizerStateDict } from '@nntk/optim';
import type * as tf from '@tensorflow/tfjs-core';

/** The JSON side of a checkpoint (tensors live in model.safetensors and optimizer.safetensors). */
export interface CheckpointState {
  format: 'nntk-checkpoint';
  version: 1;
  epoch: number;
  globalStep: number;
  optimizerClass: string;
  optimizer: unknown;
  [key: string]: unknown;
}

/**
 * Writes a checkpoint directory: `model.safetensors`, `optimizer.safetensors` and `state.json`. It is
 * written beside the target and swapped in by renames, so the previous checkpoint survives any crash.
 */
export async function saveCheckpoint(
  directory: string,
  parts: {
    model: Module;
    optimizer: Optimizer;
    state: Omit<CheckpointState, 'format' | 'version' | 'optimizer' | 'optimizerClass'>;
  },
): Promise<void> {
  const staging = `${directory}.tmp-${process.pid}-${Date.now()}`;
  const optimizerState = parts.optimizer.stateDict();
  const { json, tensors } = splitStateTensors(optimizerState);
  try {
    await saveSafetensors(join(staging, 'model.safetensors'), parts.model.stateDict(), { format: 'pt' });
    await saveSafetensors(join(staging, 'optimizer.safetensors'), tensors);
    const state = {
      format: 'nntk-checkpoint',
      version: 1,
      optimizerClass: parts.optimizer.constructor.name,
      optimizer: json,
      ...parts.state,
    } as CheckpointState;
    await writeFileAtomic(join(staging, 'state.json'), JSON.stringify(state));
  } finally {
    for (const t of Object.values(tensors) as tf.Tensor[]) t.dispose();
  }
  const previous = `${directory}.old-${process.pid}-${Date.now()}`;
  if (existsSync(directory)) await rename(directory, previous);
  await rename(staging, directory);
  await rm(previous, { recursive: true, force: true });
}

/**
 * Loads a checkpoint into a model and an optimizer of the same architecture and class, and returns the
 * JSON state. Missing files, another architecture (the mismatched keys are listed) or another optimizer
 * raise `NntkError`s that say what differs.
 */
export async function loadCheckpoint(
  directory: string,
  model: Module,
  optimizer: Optimizer,
): Promise<CheckpointState> {
  const statePath = join(directory, 'state.json');
  if (!existsSync(statePath)) {
    throw new NntkError(
      'FILE_NOT_FOUND',
      `loadCheckpoint: ${directory} is not an nntk checkpoint (no state.json). Checkpoints are directories written by the Trainer or ModelCheckpoint.`,
    );
  }
  let state: CheckpointState;
  try {
    state = JSON.parse(await readFile(statePath, 'utf8'));
  } catch (error) {
    throw new NntkError(
      'CORRUPT_CHECKPOINT',
      `loadCheckpoint: ${statePath} is not valid JSON (${(error as Error).message})`,
      { cause: error },
    );
  }
  if (state.format !== 'nntk-checkpoint')
    throw new NntkError('CORRUPT_CHECKPOINT', `loadCheckpoint: ${statePath} is not an nntk checkpoint state`);
  if (state.optimizerClass !== optimizer.constructor.name) {
    throw new NntkError(
      'STATE_DICT_MISMATCH',
      `loadCheckpoint: the checkpoint holds ${state.optimizerClass} state but the optimizer is ${optimizer.constructor.name}`,
    );
  }
  const weights = await loadSafetensors(join(directory, 'model.safetensors'));
  try {
    model.loadStateDict(weights.tensors);
  } finally {
    for (const t of Object.values(weights.tensors)) t.dispose();
  }
  const optimizerTensors = await loadSafetensors(join(directory, 'optimizer.safetensors'));
  try {
    optimizer.loadStateDict(joinStateTensors<OptimizerStateDict>(state.optimizer, optimizerTensors.tensors));
  } finally {
    for (const t of Object.values(optimizerTensors.tensors)) t.dispose();
  }
  return state;
}

/** The checkpoint `resumeFrom: 'last'` means for a run directory. */
export function lastCheckpointDirectory(runDir: string): string {
  return join(runDir, 'checkpoints', 'last');
}
