// The Node entry of @nntk/trainer (`@nntk/trainer` under the `node` condition, `@nntk/trainer/node`):
// everything of the browser entry, with the Trainer that writes checkpoints and run directories to
// disk, and the callbacks and helpers that write files.
export * from './browser';
export {
  findCheckpoint,
  loadCheckpoint,
  previousCheckpointDirectory,
  readCheckpoint,
  removeStaleStaging,
  saveCheckpoint,
} from './checkpoint';
export { CSVLogger } from './csv-logger';
export { JSONLLogger } from './jsonl-logger';
export type { ModelCheckpointOptions } from './model-checkpoint';
export { ModelCheckpoint } from './model-checkpoint';
export { Trainer } from './node-trainer';
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
export { StepLogger } from './step-logger';
export type { HistogramData, HParamValue, ImageData, TensorBoardLoggerOptions } from './tensorboard-logger';
export { TensorBoardLogger } from './tensorboard-logger';
export type {
  ActivationDiagnostics,
  DiagnosticsRecord,
  FilterImage,
  ParameterDiagnostics,
  TrainingDiagnosticsOptions,
} from './training-diagnostics';
export { TrainingDiagnostics } from './training-diagnostics';
