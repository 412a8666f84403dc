export type { AdadeltaOptions } from './adadelta';
export { Adadelta } from './adadelta';
export type { AdagradOptions } from './adagrad';
export { Adagrad } from './adagrad';
export type { AdamOptions } from './adam';
export { Adam } from './adam';
export type { AdamaxOptions } from './adamax';
export { Adamax } from './adamax';
export { AdamW } from './adamw';
export type { ClipGradNormOptions } from './clip-grad-norm';
export { clipGradNorm } from './clip-grad-norm';
export { clipGradNormTransform } from './clip-grad-norm-transform';
export { clipGradValue } from './clip-grad-value';
export { clipGradValueTransform } from './clip-grad-value-transform';
export type { GradientAccumulatorOptions } from './gradient-accumulator';
export { GradientAccumulator } from './gradient-accumulator';
export type { GradientsInput } from './internal/gradient-map';
export type { LAMBOptions } from './lamb';
export { LAMB } from './lamb';
export type { LionOptions } from './lion';
export { Lion } from './lion';
export type { NAdamOptions } from './nadam';
export { NAdam } from './nadam';
export type {
  BaseOptimizerOptions,
  FusedUpdateContext,
  HostContext,
  LearningRate,
  OptimizerSpec,
  OptimizerStateDict,
  ParamGroup,
  ParamState,
  ParamsInput,
  UpdateContext,
} from './optimizer';
export { Optimizer } from './optimizer';
export type { RAdamOptions } from './radam';
export { RAdam } from './radam';
export type { RMSpropOptions } from './rmsprop';
export { RMSprop } from './rmsprop';
export type { Scheduler, SchedulerKind } from './scheduler';
export type { SGDOptions } from './sgd';
export { SGD } from './sgd';
export type { SteppableScheduler, TfjsOptimizerOptions } from './to-tfjs-optimizer';
export { NntkTfjsOptimizer, toTfjsOptimizer } from './to-tfjs-optimizer';
