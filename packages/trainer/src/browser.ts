// The browser entry of @nntk/trainer (what `import '@nntk/trainer'` gives outside Node): the training
// loop and the callbacks that need no file system. File loggers, checkpoint files, run directories and
// diagnostics written to disk are in the Node entry (`@nntk/trainer` under the `node` condition, or
// `@nntk/trainer/node`), which exports everything here too.
export type { Logs } from './callback';
export { Callback } from './callback';
export type {
  CheckpointContents,
  CheckpointFsStep,
  CheckpointParts,
  CheckpointState,
  FoundCheckpoint,
  SaveCheckpointOptions,
} from './checkpoint-contents';
export { applyCheckpoint, disposeCheckpoint } from './checkpoint-contents';
export type { EarlyStoppingOptions } from './early-stopping';
export { EarlyStopping } from './early-stopping';
export { formatNumber } from './format-number';
export { numClassesOf } from './internal/num-classes';
export { LRMonitor } from './lr-monitor';
export { ProgressBar } from './progress-bar';
export { Pruner } from './pruner';
export type { CheckpointStore, RunStore } from './run-store';
export type { StepRecord } from './step-logger';
export type { ProgressStream, TaskProgressOptions } from './task-progress';
export { TaskProgress } from './task-progress';
export { TerminateOnNaN } from './terminate-on-nan';
export { Timer } from './timer';
export type {
  FitOptions,
  History,
  InEpochState,
  NonFiniteStop,
  TrainerOptions,
  TrainerScheduler,
  TrainStep,
} from './trainer';
export { Trainer, Trainer as BrowserTrainer } from './trainer';
export type { TrainingContext } from './training-context';
