import { getRng, type Module, NntkError, type RngState } from '@nntk/core';
import type { DataLoader } from '@nntk/datasets';
import type { GradientAccumulator, Optimizer, Scheduler } from '@nntk/optim';
import type { Callback, Logs } from '../callback';
import {
  applyCheckpoint,
  type CheckpointContents,
  type CheckpointState,
  checkpointAccumulator,
  disposeCheckpoint,
} from '../checkpoint-contents';
import type { InEpochState } from './epoch-progress';

/** Runs a state restore; a raw error from malformed state becomes a `CORRUPT_CHECKPOINT` NntkError. */
export function restoring<T>(what: string, fn: () => T): T {
  try {
    return fn();
  } catch (error) {
    if (error instanceof NntkError) throw error;
    throw new NntkError(
      'CORRUPT_CHECKPOINT',
      `Trainer: cannot restore the ${what}: ${(error as Error).message}`,
      { cause: error },
    );
  }
}

/** Each callback with its checkpoint key: its name, `name#2` for the second of that name, and so on. */
export function callbackKeys(callbacks: readonly Callback[]): [Callback, string][] {
  const seen = new Map<string, number>();
  return callbacks.map((cb) => {
    const count = (seen.get(cb.name) ?? 0) + 1;
    seen.set(cb.name, count);
    return [cb, count === 1 ? cb.name : `${cb.name}#${count}`];
  });
}

/** The state of every callback that has one, by checkpoint key. */
export function callbackStates(callbacks: readonly Callback[]): Record<string, Record<string, unknown>> {
  const out: Record<string, Record<string, unknown>> = {};
  for (const [cb, key] of callbackKeys(callbacks)) if (cb.stateDict) out[key] = cb.stateDict();
  return out;
}

/** Loads each callback's saved state (by checkpoint key); callbacks without saved state keep theirs. */
export function restoreCallbacks(
  callbacks: readonly Callback[],
  states: CheckpointState['callbacks'],
  directory: string,
): void {
  for (const [cb, key] of callbackKeys(callbacks)) {
    const state = Object.hasOwn(states, key) ? states[key] : undefined;
    if (cb.loadStateDict && state) restoring(`${key} state in ${directory}`, () => cb.loadStateDict?.(state));
  }
}

/** A checkpoint's epoch history with JSON's `null`s back as `NaN`. */
export function restoreHistory(history: CheckpointState['history']): { epochs: Logs[] } {
  return {
    epochs: history.epochs.map((logs) => {
      const out: Logs = {};
      for (const [k, v] of Object.entries(logs)) out[k] = v ?? Number.NaN;
      return out;
    }),
  };
}

/**
 * Restores a partly accumulated gradient window into `accumulator` (or resets it when the checkpoint
 * holds none); a saved window with no accumulator to take it is a `STATE_DICT_MISMATCH`.
 */
export function restoreAccumulator(contents: CheckpointContents, accumulator?: GradientAccumulator): void {
  const what = `gradient accumulator state in ${contents.directory}`;
  const saved = restoring(what, () => checkpointAccumulator(contents));
  if (!saved) {
    accumulator?.reset();
    return;
  }
  if (!accumulator)
    throw new NntkError(
      'STATE_DICT_MISMATCH',
      `Trainer: ${contents.directory} holds a partly accumulated gradient window but accumulateGradBatches is 1`,
    );
  restoring(what, () => accumulator.loadStateDict(saved));
}

/** What a resume restores state into. */
export interface RestoreTargets {
  model: Module;
  optimizer: Optimizer;
  accumulator?: GradientAccumulator;
  loader?: DataLoader;
  scheduler?: Scheduler;
  callbacks: readonly Callback[];
}

/** The loop's counters a resume hands back to the Trainer. */
export interface RestoredLoop {
  epoch: number;
  globalStep: number;
  history: { epochs: Logs[] };
  inEpoch?: InEpochState;
}

/**
 * Restores a validated checkpoint into the model, optimizer, gradient window, global RNG, data loader,
 * scheduler and callbacks, frees its tensors, and returns the loop's counters. Malformed state raises a
 * `CORRUPT_CHECKPOINT` NntkError naming the part and the directory.
 */
export function restoreTraining(contents: CheckpointContents, targets: RestoreTargets): RestoredLoop {
  const { state, directory } = contents;
  const owner = (what: string) => `${what} state in ${directory}`;
  try {
    applyCheckpoint(contents, targets.model, targets.optimizer);
    restoring(owner('RNG'), () => getRng().setState(state.rng as RngState));
    const { loader, scheduler } = targets;
    const loaderState = state.loader;
    if (loaderState && loader) restoring(owner('data loader'), () => loader.loadStateDict(loaderState));
    if (state.scheduler && scheduler)
      restoring(owner('scheduler'), () =>
        scheduler.loadStateDict(state.scheduler as Record<string, unknown>),
      );
    restoreCallbacks(targets.callbacks, state.callbacks, directory);
    restoreAccumulator(contents, targets.accumulator);
  } finally {
    disposeCheckpoint(contents);
  }
  return {
    epoch: state.epoch,
    globalStep: state.globalStep,
    history: restoreHistory(state.history),
    inEpoch: state.inEpoch,
  };
}
