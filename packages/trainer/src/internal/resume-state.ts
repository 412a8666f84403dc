import { NntkError } from '@nntk/core';
import type { GradientAccumulator } from '@nntk/optim';
import type { Callback, Logs } from '../callback';
import { type CheckpointContents, type CheckpointState, checkpointAccumulator } from '../checkpoint-contents';

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
