export type { Logs } from './callback';
export { Callback } from './callback';
export type {
  CheckpointContents,
  CheckpointFsStep,
  CheckpointParts,
  CheckpointState,
  FoundCheckpoint,
  SaveCheckpointOptions,
} from './checkpoint';
export {
  applyCheckpoint,
  disposeCheckpoint,
  findCheckpoint,
  loadCheckpoint,
  previousCheckpointDirectory,
  readCheckpoint,
  removeStaleStaging,
  saveCheckpoint,
} from './checkpoint';
export { CSVLogger } from './csv-logger';
export type { EarlyStoppingOptions } from './early-stopping';
export { EarlyStopping } from './early-stopping';
export { formatNumber } from './format-number';
export { numClassesOf } from './internal/num-classes';
export { JSONLLogger } from './jsonl-logger';
export { LRMonitor } from './lr-monitor';
export type { ModelCheckpointOptions } from './model-checkpoint';
export { ModelCheckpoint } from './model-checkpoint';
export { Trainer } from './node-trainer';
export { ProgressBar } from './progress-bar';
export { Pruner } from './pruner';
export {
  FileRunStore,
  fileCheckpointStore,
  lastCheckpointDirectory,
  parseJsonLines,
  RUN_FILES,
  type RunFile,
  readJsonFile,
  readJsonLines,
  readMetrics,
  readRunConfig,
  runPath,
  writeMetrics,
  writeRunConfig,
} from './run-directory';
export type { CheckpointStore, RunStore } from './run-store';
export type { StepRecord } from './step-logger';
export { StepLogger } from './step-logger';
export type { ProgressStream, TaskProgressOptions } from './task-progress';
export { TaskProgress } from './task-progress';
export type { HistogramData, HParamValue, ImageData, TensorBoardLoggerOptions } from './tensorboard-logger';
export { TensorBoardLogger } from './tensorboard-logger';
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
export { Trainer as BrowserTrainer } from './trainer';
export type { TrainingContext } from './training-context';
export type {
  ActivationDiagnostics,
  DiagnosticsRecord,
  FilterImage,
  ParameterDiagnostics,
  TrainingDiagnosticsOptions,
} from './training-diagnostics';
export { TrainingDiagnostics } from './training-diagnostics';
