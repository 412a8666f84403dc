export type { BackendFix, BackendInfo, BackendName, UseBackendOptions } from './backend';
export { BACKEND_NAMES, backendInfo, defaultBackendName, registerBackendFix, useBackend } from './backend';
export { backendCapability, registerBackendCapability } from './backend-capability';
export type { BackendCapabilities, BackendCapabilityName, BackendPlugin } from './backend-types';
export type { GpuAdapterInfo } from './backends/webgpu/gpu-adapter';
export type { BatchNormTrainResult } from './batch-norm-train';
export { batchNormTrain } from './batch-norm-train';
export type {
  CompiledStep,
  CompiledStepResult,
  CompiledStepStats,
  CompileStepOptions,
  StepOptimizer,
} from './compiled-step/compile-step';
export { compileStep, trainingSignature } from './compiled-step/compile-step';
export type {
  CompiledLossFn,
  CompiledMode,
  CompiledResult,
  CompiledStats,
  CompiledValueAndGrads,
  CompileOptions,
} from './compiled-step/compile-value-and-grads';
export { compileValueAndGrads } from './compiled-step/compile-value-and-grads';
export { isInPlaceKernel, registerInPlaceKernel } from './compiled-step/in-place-kernels';
export type { ReplayableGradientTransform, ReplayableUpdate } from './compiled-step/replayable-update';
export { isReplayableGradientTransform } from './compiled-step/replayable-update';
export type { Conv2dReLUOptions } from './conv2d-relu';
export { conv2dReLU } from './conv2d-relu';
export type { NntkErrorCode } from './errors';
export { describeValue, invalidOption, NntkError } from './errors';
export type { ForwardHook, ForwardPreHook, RemovableHandle } from './forward-hooks';
export { hasFusedKernels } from './fused-kernels';
export type { FusedAdamStep, FusedOptimizerUpdates, FusedSgdStep } from './fused-optimizer-updates';
export type { GradCheckElement, GradCheckOptions, GradCheckResult } from './grad-check';
export { gradCheck } from './grad-check';
export { ioError } from './io-error';
export type { LinearReLUOptions } from './linear-relu';
export { linearReLU } from './linear-relu';
export type { LoadStateDictOptions, LoadStateDictResult, StateDict } from './module';
export { Module } from './module';
export type { ParameterOptions } from './parameter';
export { applyConstraints, Parameter } from './parameter';
export type { RngState } from './rng';
export { getRng, Rng, seed } from './rng';
export type { SafetensorsContent } from './safetensors';
export { decodeSafetensors, encodeSafetensors } from './safetensors';
export type { SoftmaxCrossEntropyOptions } from './softmax-cross-entropy';
export { softmaxCrossEntropy } from './softmax-cross-entropy';
export type { SplitState } from './state-tensors';
export { joinStateTensors, splitStateTensors } from './state-tensors';
export type { OptionNames } from './validate';
export { check, checkOptionNames, checkOptions, closestName, editDistance } from './validate';
export type { Gradients, ValueAndGrads } from './value-and-grads';
export { disposeGradients, valueAndGrads } from './value-and-grads';
export type { WebgpuStatus } from './webgpu-status';
export { webgpuStatus } from './webgpu-status';
