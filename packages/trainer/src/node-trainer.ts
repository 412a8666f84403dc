import { FileRunStore, fileCheckpointStore } from './run-directory';
import { Trainer as LoopTrainer, type TrainerOptions } from './trainer';

/**
 * The `Trainer` of the Node entry (`@nntk/trainer` under the `node` condition, `@nntk/trainer/node`):
 * the same loop, with checkpoints written to directories on disk and, given `runDir`, a
 * `FileRunStore` writing `config.json`, `metrics.jsonl`, `steps.jsonl` and `checkpoints/last` there.
 */
export class Trainer extends LoopTrainer {
  constructor(options: TrainerOptions) {
    super({
      ...options,
      checkpointStore: options?.checkpointStore ?? fileCheckpointStore,
      runStore: options?.runStore ?? (options?.runDir ? new FileRunStore(options.runDir) : undefined),
    });
  }
}
