import type { Callback, Logs } from './callback';
import type { CheckpointParts, FoundCheckpoint, SaveCheckpointOptions } from './checkpoint-contents';

/**
 * Where the Trainer's checkpoints go and come from. In Node the Trainer of `@nntk/trainer` (its `node`
 * entry) uses checkpoint directories on disk (`fileCheckpointStore`); in a browser a Trainer has none
 * unless one is given (an IndexedDB or download store), and `saveCheckpoint`/`resumeFrom` say so.
 */
export interface CheckpointStore {
  /** Writes a checkpoint of `parts` under `directory`, replacing the one there crash-safely. */
  save(directory: string, parts: CheckpointParts, options?: SaveCheckpointOptions): Promise<void>;
  /** The newest valid checkpoint under `directory` (and what was skipped), or undefined. */
  find(directory: string): Promise<FoundCheckpoint | undefined>;
  /** Removes half-written leftovers of killed writes next to `directory`. */
  removeStaleStaging(directory: string): Promise<unknown>;
}

/**
 * A run directory as the Trainer writes it (`config.json`, `metrics.jsonl`, `steps.jsonl`,
 * `checkpoints/last`): `FileRunStore` in Node. The Trainer calls nothing else for run-directory I/O.
 */
export interface RunStore {
  /** The run directory (what callbacks see as `trainer.runDir`). */
  readonly dir: string;
  /** The checkpoint directory `resumeFrom: 'last'` means and every epoch end overwrites. */
  readonly lastCheckpoint: string;
  /** Starts a fresh run: writes `config` and an empty epoch log. */
  begin(config: unknown): Promise<void>;
  /** Writes the epoch log (every epoch so far, one JSON object a line). */
  writeEpochs(epochs: readonly Logs[]): Promise<void>;
  /** The callbacks the run directory adds to the Trainer's (the per-step log). */
  callbacks(): Callback[];
}
