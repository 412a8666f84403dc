export type { BuiltData, BuiltRun } from './build-run';
export { buildData, buildModel, buildOptimizer, buildRun, buildScheduler } from './build-run';
export type { RunConfig } from './config';
export { applyOverrides, configSchema, readConfigFile, validateConfig } from './config';
export type { ParsedArgs } from './main';
export { main, parseArgs, usage } from './main';
export type { RunOutcome } from './run-training';
export { runTraining } from './run-training';
